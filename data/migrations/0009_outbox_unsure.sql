-- Attempts of a message whose fate is unknown: the whole request went to Telegram and no
-- answer came back (a read timeout), or the process died during the request. Each may
-- have put a copy in front of the person, so a sent message with unsure = 2 may have
-- been seen up to three times. The sender stops after three such attempts.
ALTER TABLE outbox ADD COLUMN unsure INTEGER NOT NULL DEFAULT 0;
