-- A dish may have a photo (Telegram's file_id, kept once the photo was sent to Telegram),
-- shown to residents when they choose a dish in the chat. NULL: no photo.
ALTER TABLE menu_items ADD COLUMN photo_file_id TEXT;
