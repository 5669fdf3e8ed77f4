-- Which process of a bot acts: several `doorstep run` may share one store (PostgreSQL),
-- and the one holding this row until `expires_at` polls Telegram, runs the jobs and
-- drains the outbox; the others wait. `generation` grows by one each time another process
-- takes the row, and every transaction of the holder checks it (fencing), so a holder
-- that lost the row can write nothing more.
CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    generation INTEGER NOT NULL,
    expires_at TEXT NOT NULL
);
