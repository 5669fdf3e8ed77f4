-- Community admin: roster files waiting for confirmation, daily check-ins of seniors who
-- live alone, and the wellness alerts already raised (so a job run twice alerts once).

CREATE TABLE roster_imports (
    id INTEGER PRIMARY KEY,
    canteen_id INTEGER NOT NULL REFERENCES canteens(id),
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    filename TEXT NOT NULL,
    content BLOB NOT NULL,
    created_at TEXT NOT NULL,
    applied_at TEXT
);

-- One row per senior asked on a day; stamps say what happened next.
CREATE TABLE checkins (
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    day TEXT NOT NULL,
    asked_at TEXT,
    checked_at TEXT,
    family_alerted_at TEXT,
    admin_alerted_at TEXT,
    PRIMARY KEY (resident_id, day)
);
CREATE INDEX checkins_by_day ON checkins(day);
