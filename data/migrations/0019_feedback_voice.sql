-- rebuilds tables
-- What a senior (or her family) thought of a served meal: one rating per order, in one
-- tap (good, so-so, not good), with reasons picked by buttons (comma-separated codes) and
-- an optional note. A "not good" because it came cold or late opens an incident, kept here.
CREATE TABLE feedback (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL UNIQUE REFERENCES orders(id),
    canteen_id INTEGER NOT NULL REFERENCES canteens(id),
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    rating TEXT NOT NULL CHECK (rating IN ('good', 'so_so', 'bad')),
    reasons TEXT NOT NULL DEFAULT '',
    note TEXT,
    incident_id INTEGER REFERENCES incidents(id),
    rated_at TEXT NOT NULL
);
CREATE INDEX feedback_by_canteen ON feedback(canteen_id, rated_at);

-- A senior's voice message reaches the staff as it is (sent on by its file_id): the
-- outbox takes a fifth kind of message, 'voice'. SQLite changes a CHECK by rebuilding.
CREATE TABLE outbox_new (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    chat_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('text', 'document', 'photo', 'location', 'voice')),
    payload TEXT NOT NULL,                 -- JSON
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'blocked')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    message_id INTEGER,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    unsure INTEGER NOT NULL DEFAULT 0,
    priority INTEGER NOT NULL DEFAULT 0
);
INSERT INTO outbox_new (id, key, chat_id, kind, payload, status, attempts, next_attempt_at,
    last_error, message_id, created_at, sent_at, unsure, priority)
    SELECT id, key, chat_id, kind, payload, status, attempts, next_attempt_at, last_error,
    message_id, created_at, sent_at, unsure, priority FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);

-- Words a senior or her family typed that were not an order, kept for a moment so one
-- tap sends them to the canteen as a request (the button carries only the message id).
-- A voice message of an account acting for several seniors waits here too, until they
-- say which senior it is about.
CREATE TABLE request_drafts (
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    message_id INTEGER NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    file_id TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (account_id, message_id)
);
