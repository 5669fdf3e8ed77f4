-- Every alert about a senior has a person: an incident is the matter the alert is about
-- (one senior at one meal, or one senior on one day), opened by the first alert and
-- joined by the next ones while it is open. Someone takes it ("I'll handle it"), may add
-- notes, and closes it with an outcome; until someone takes it, it is raised to the next
-- people each time `due_at` passes (`level` counts how often).
CREATE TABLE incidents (
    id INTEGER PRIMARY KEY,
    canteen_id INTEGER NOT NULL REFERENCES canteens(id),
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    matter TEXT NOT NULL,                  -- what joins alerts: "r7:w12" (senior 7, window 12)
    kind TEXT NOT NULL,                    -- the first alert's kind (no_answer, quiet, ...)
    window_id INTEGER REFERENCES windows(id),
    order_id INTEGER REFERENCES orders(id),
    reported_by INTEGER REFERENCES accounts(id),  -- who asked, for a request
    opened_at TEXT NOT NULL,
    due_at TEXT NOT NULL,                  -- raised to the next people then, unless taken
    level INTEGER NOT NULL DEFAULT 0,      -- how often it has been raised
    taken_by INTEGER REFERENCES accounts(id),
    taken_at TEXT,
    closed_by INTEGER REFERENCES accounts(id),
    closed_at TEXT,
    outcome TEXT
);
CREATE UNIQUE INDEX incidents_open ON incidents(matter) WHERE closed_at IS NULL;
CREATE INDEX incidents_by_canteen ON incidents(canteen_id, opened_at);
CREATE INDEX incidents_by_resident ON incidents(resident_id, opened_at);

-- What happened to an incident, in order: each alert that opened or joined it, who was
-- told (one row each), who took it, notes, each raise, and the close.
CREATE TABLE incident_events (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    at TEXT NOT NULL,
    what TEXT NOT NULL CHECK (what IN ('alert', 'told', 'taken', 'note', 'raised', 'closed')),
    kind TEXT,                             -- an alert's kind
    account_id INTEGER REFERENCES accounts(id),  -- who acted, or who was told
    detail TEXT,
    file_id TEXT                           -- a voice message attached to a request
);
CREATE INDEX incident_events_by_incident ON incident_events(incident_id, id);
