-- rebuilds tables
-- Access that can be taken back, floods that do not drown the admins, and admins of
-- several canteens who say which one they mean.

-- What the sender takes next: an alert about a senior (priority 1) before routine
-- messages (0), each in the order queued. (outbox_due still finds what is due; the few
-- due rows are sorted.)
ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;

-- Which waiting registration each admin has been shown in an approval digest, and when:
-- one digest per admin every few minutes, each registration in one digest.
CREATE TABLE approval_notices (
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    admin_id INTEGER NOT NULL REFERENCES accounts(id),
    sent_at TEXT NOT NULL,
    PRIMARY KEY (resident_id, admin_id)
);
CREATE INDEX approval_notices_by_admin ON approval_notices(admin_id, sent_at);
-- Those waiting already had their card, one per admin, before digests.
INSERT INTO approval_notices (resident_id, admin_id, sent_at)
    SELECT r.id, g.account_id, r.created_at FROM residents r JOIN roles g
    ON g.canteen_id = r.canteen_id AND g.role = 'admin' AND g.status = 'active'
    WHERE r.status = 'pending';
-- How many registrations a canteen took in the last hour.
CREATE INDEX audit_by_action ON audit_log(action, at);

-- A roster file sent by an admin of several canteens waits (canteen_id NULL) until
-- they say which canteen it is for.
CREATE TABLE roster_imports_new (
    id INTEGER PRIMARY KEY,
    canteen_id INTEGER REFERENCES canteens(id),
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    filename TEXT NOT NULL,
    content BLOB NOT NULL,
    created_at TEXT NOT NULL,
    applied_at TEXT
);
INSERT INTO roster_imports_new SELECT * FROM roster_imports;
DROP TABLE roster_imports;
ALTER TABLE roster_imports_new RENAME TO roster_imports;
