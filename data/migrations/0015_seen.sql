-- When an account last did anything in the chat: a tap is a sign of life of a senior.
ALTER TABLE accounts ADD COLUMN seen_at TEXT;
