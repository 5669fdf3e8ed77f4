-- Each account's home screen (the main keyboard of one of its roles): how often each one
-- is used, and when one was picked with the switch button. The newest pick is home;
-- without a pick, the most used; without uses, the first of staff, admin, volunteer,
-- resident.
CREATE TABLE home_screens (
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    home TEXT NOT NULL CHECK (home IN ('resident', 'staff', 'volunteer', 'admin')),
    uses INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0),
    picked_at TEXT,
    PRIMARY KEY (account_id, home)
);
