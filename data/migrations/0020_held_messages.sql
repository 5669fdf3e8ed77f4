-- A message Telegram refused because its receiver never pressed Start in the bot's chat
-- (403 "bot can't initiate conversation with a user") is held, not lost: status
-- 'blocked' with held = 1, and queued again when that person first writes to the bot.
ALTER TABLE outbox ADD COLUMN held INTEGER NOT NULL DEFAULT 0;

CREATE INDEX outbox_held ON outbox (chat_id, held);
