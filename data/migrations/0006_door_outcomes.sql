-- rebuilds tables
-- What happened at the door, said truly: a meal can be "not delivered" (with a reason),
-- and every alert about a senior is a row that stays open until a person marks it handled.

CREATE TABLE orders_new (
    id INTEGER PRIMARY KEY,
    window_id INTEGER NOT NULL REFERENCES windows(id),
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    placed_by INTEGER REFERENCES accounts(id),
    source TEXT NOT NULL DEFAULT 'chat' CHECK (source IN ('chat', 'standing', 'staff', 'walk_in')),
    fulfilment TEXT NOT NULL CHECK (fulfilment IN ('delivery', 'pickup', 'dine_in')),
    status TEXT NOT NULL DEFAULT 'placed' CHECK (status IN (
        'placed', 'confirmed', 'declined', 'cancelled', 'ready', 'out',
        'delivered', 'no_answer', 'refused', 'undelivered', 'collected')),
    price_fen INTEGER NOT NULL CHECK (price_fen >= 0),
    subsidy_fen INTEGER NOT NULL CHECK (subsidy_fen >= 0),
    pay_fen INTEGER NOT NULL CHECK (pay_fen >= 0),
    tier_code TEXT,
    decline_reason TEXT,
    request_key TEXT UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
INSERT INTO orders_new SELECT * FROM orders;
DROP TABLE orders;
ALTER TABLE orders_new RENAME TO orders;
CREATE INDEX orders_by_window ON orders(window_id, status);
CREATE INDEX orders_by_resident ON orders(resident_id, created_at);

CREATE TABLE deliveries_new (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL UNIQUE REFERENCES orders(id),
    window_id INTEGER NOT NULL REFERENCES windows(id),
    volunteer_id INTEGER REFERENCES accounts(id),
    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN (
        'open', 'claimed', 'assigned', 'delivered', 'no_answer', 'refused', 'concern',
        'undelivered')),
    seq INTEGER,
    claimed_at TEXT,
    reported_at TEXT,
    resolved_at TEXT,
    escalated_at TEXT,
    note TEXT,
    reason TEXT                            -- why a meal was not delivered
);
INSERT INTO deliveries_new (id, order_id, window_id, volunteer_id, state, seq, claimed_at,
    reported_at, resolved_at, escalated_at, note)
    SELECT id, order_id, window_id, volunteer_id, state, seq, claimed_at, reported_at,
    resolved_at, escalated_at, note FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;
CREATE INDEX deliveries_by_window ON deliveries(window_id, state);
CREATE INDEX deliveries_by_volunteer ON deliveries(volunteer_id, window_id);

-- A matter about a senior's meal that a person must see to: nobody carries it, nobody
-- answered the door, it was not delivered. Open until someone marks it handled.
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    canteen_id INTEGER NOT NULL REFERENCES canteens(id),
    kind TEXT NOT NULL,
    order_id INTEGER NOT NULL REFERENCES orders(id),
    opened_at TEXT NOT NULL,
    handled_at TEXT,
    handled_by INTEGER REFERENCES accounts(id),
    outcome TEXT
);
CREATE UNIQUE INDEX alerts_open ON alerts(kind, order_id) WHERE handled_at IS NULL;
CREATE INDEX alerts_by_order ON alerts(order_id);
