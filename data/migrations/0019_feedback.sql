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
