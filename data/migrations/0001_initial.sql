-- The words of DESIGN.md as tables. Money is in fen (1/100 yuan); times are ISO-8601
-- strings with offset; booleans are 0/1.

CREATE TABLE canteens (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_en TEXT,
    address TEXT NOT NULL,
    address_en TEXT,
    phone TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    kitchen_chat_id INTEGER NOT NULL,
    auto_confirm INTEGER NOT NULL DEFAULT 0
);

-- A Telegram user who acts. Its id is the Telegram user id.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    first_name TEXT NOT NULL DEFAULT '',
    username TEXT,
    language TEXT,                          -- chosen in the bot
    telegram_language TEXT,                 -- the client's language_code
    blocked_at TEXT,
    created_at TEXT NOT NULL
);

-- A person who eats. Need not have an account.
CREATE TABLE residents (
    id INTEGER PRIMARY KEY,
    canteen_id INTEGER NOT NULL REFERENCES canteens(id),
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    building TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    room TEXT NOT NULL DEFAULT '',
    lat REAL,
    lon REAL,
    lives_alone INTEGER NOT NULL DEFAULT 0,
    delivery_eligible INTEGER NOT NULL DEFAULT 0,
    diet TEXT NOT NULL DEFAULT '',          -- comma-separated diet tags
    allergies TEXT NOT NULL DEFAULT '',
    age_band INTEGER,                       -- lower bound of the age band, e.g. 80
    tier_code TEXT,                         -- set by staff; else derived from age_band
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'approved', 'declined', 'erased')),
    created_by INTEGER REFERENCES accounts(id),
    created_at TEXT NOT NULL
);
CREATE INDEX residents_by_canteen ON residents(canteen_id, status);
CREATE INDEX residents_by_phone ON residents(phone);

-- Who may act for whom.
CREATE TABLE links (
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    relation TEXT NOT NULL CHECK (relation IN ('self', 'family')),
    notify INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    PRIMARY KEY (account_id, resident_id)
);
CREATE INDEX links_by_resident ON links(resident_id);

-- Roles are per canteen.
CREATE TABLE roles (
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    canteen_id INTEGER NOT NULL REFERENCES canteens(id),
    role TEXT NOT NULL CHECK (role IN ('staff', 'admin', 'volunteer')),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('pending', 'active', 'revoked')),
    granted_by INTEGER REFERENCES accounts(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (account_id, canteen_id, role)
);

-- One-use codes that expire: family links, staff, volunteers.
CREATE TABLE invites (
    code TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('family', 'staff', 'admin', 'volunteer')),
    canteen_id INTEGER NOT NULL REFERENCES canteens(id),
    resident_id INTEGER REFERENCES residents(id),
    created_by INTEGER NOT NULL REFERENCES accounts(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_by INTEGER REFERENCES accounts(id),
    used_at TEXT
);

CREATE TABLE windows (
    id INTEGER PRIMARY KEY,
    canteen_id INTEGER NOT NULL REFERENCES canteens(id),
    day TEXT NOT NULL,
    meal TEXT NOT NULL CHECK (meal IN ('lunch', 'dinner')),
    opens_at TEXT NOT NULL,
    cutoff_at TEXT NOT NULL,
    serve_at TEXT NOT NULL,
    claim_until TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'scheduled'
        CHECK (state IN ('scheduled', 'open', 'closed', 'dispatched', 'done')),
    opened_at TEXT,
    closed_at TEXT,
    ready_at TEXT,
    dispatched_at TEXT,
    UNIQUE (canteen_id, day, meal)
);
CREATE INDEX windows_by_state ON windows(state, cutoff_at);

CREATE TABLE menu_items (
    id INTEGER PRIMARY KEY,
    window_id INTEGER NOT NULL REFERENCES windows(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    name_en TEXT,
    price_fen INTEGER NOT NULL CHECK (price_fen >= 0),
    tags TEXT NOT NULL DEFAULT '',
    capacity INTEGER CHECK (capacity IS NULL OR capacity >= 0),
    sold_out INTEGER NOT NULL DEFAULT 0,
    UNIQUE (window_id, code)
);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    window_id INTEGER NOT NULL REFERENCES windows(id),
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    placed_by INTEGER REFERENCES accounts(id),
    source TEXT NOT NULL DEFAULT 'chat' CHECK (source IN ('chat', 'standing', 'staff', 'walk_in')),
    fulfilment TEXT NOT NULL CHECK (fulfilment IN ('delivery', 'pickup', 'dine_in')),
    status TEXT NOT NULL DEFAULT 'placed' CHECK (status IN (
        'placed', 'confirmed', 'declined', 'cancelled', 'ready', 'out',
        'delivered', 'no_answer', 'refused', 'collected')),
    price_fen INTEGER NOT NULL CHECK (price_fen >= 0),
    subsidy_fen INTEGER NOT NULL CHECK (subsidy_fen >= 0),
    pay_fen INTEGER NOT NULL CHECK (pay_fen >= 0),
    tier_code TEXT,
    decline_reason TEXT,
    request_key TEXT UNIQUE,              -- makes a replayed request place one order
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX orders_by_window ON orders(window_id, status);
CREATE INDEX orders_by_resident ON orders(resident_id, created_at);

CREATE TABLE order_items (
    order_id INTEGER NOT NULL REFERENCES orders(id),
    menu_item_id INTEGER NOT NULL REFERENCES menu_items(id),
    portions INTEGER NOT NULL CHECK (portions > 0),
    unit_price_fen INTEGER NOT NULL CHECK (unit_price_fen >= 0),
    PRIMARY KEY (order_id, menu_item_id)
);
CREATE INDEX order_items_by_menu_item ON order_items(menu_item_id);

CREATE TABLE volunteers (
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    canteen_id INTEGER NOT NULL REFERENCES canteens(id),
    name TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    capacity INTEGER NOT NULL DEFAULT 4 CHECK (capacity BETWEEN 1 AND 30),
    weekdays TEXT NOT NULL DEFAULT 'mon,tue,wed,thu,fri,sat,sun',
    meals TEXT NOT NULL DEFAULT 'lunch,dinner',
    area TEXT NOT NULL DEFAULT '',
    lat REAL,
    lon REAL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    PRIMARY KEY (account_id, canteen_id)
);

CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL UNIQUE REFERENCES orders(id),
    window_id INTEGER NOT NULL REFERENCES windows(id),
    volunteer_id INTEGER REFERENCES accounts(id),
    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN (
        'open', 'claimed', 'assigned', 'delivered', 'no_answer', 'refused', 'concern')),
    seq INTEGER,
    claimed_at TEXT,
    reported_at TEXT,
    resolved_at TEXT,
    escalated_at TEXT,
    note TEXT
);
CREATE INDEX deliveries_by_window ON deliveries(window_id, state);
CREATE INDEX deliveries_by_volunteer ON deliveries(volunteer_id, window_id);

CREATE TABLE standing_orders (
    id INTEGER PRIMARY KEY,
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    meal TEXT NOT NULL CHECK (meal IN ('lunch', 'dinner')),
    weekdays TEXT NOT NULL,
    dish_code TEXT NOT NULL,
    portions INTEGER NOT NULL DEFAULT 1 CHECK (portions > 0),
    fulfilment TEXT NOT NULL CHECK (fulfilment IN ('delivery', 'pickup', 'dine_in')),
    paused INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES accounts(id),
    created_at TEXT NOT NULL,
    UNIQUE (resident_id, meal)
);

-- Every message that must arrive. `key` makes a second write of the same message a no-op.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    chat_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('text', 'document', 'photo', 'location')),
    payload TEXT NOT NULL,                 -- JSON
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'blocked')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    message_id INTEGER,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    account_id INTEGER,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,                 -- e.g. 'order:12', 'resident:3'
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_subject ON audit_log(subject, at);

-- Updates already handled, so a redelivered update acts once.
CREATE TABLE processed_updates (
    update_id INTEGER PRIMARY KEY,
    at TEXT NOT NULL
);
