-- The question a person is in the middle of (registering, ordering, adding a dish, …):
-- one row per account, written after each answer, so a restart or another process goes
-- on at the same question. `state` holds the flow's answers so far (JSON, read back
-- through the flow's own typed model); `options` and `aliases` say what the buttons on
-- the person's screen mean; `history` the steps Back returns to; `day` the day the
-- questions were asked ("today" on a button means that day).
CREATE TABLE flows (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    step TEXT NOT NULL,
    state TEXT NOT NULL,
    options TEXT NOT NULL,
    aliases TEXT NOT NULL,
    history TEXT NOT NULL,
    day TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Questions nobody came back to are let go by day.
CREATE INDEX flows_by_day ON flows (day);
