-- One record per senior. Phone numbers are kept in E.164, parsed with the canteen's country
-- as default; numbers stored before are rewritten by a start-up step in Python
-- (bot/services/phones.normalise_stored), since SQL cannot parse phone numbers.
ALTER TABLE canteens ADD COLUMN country TEXT NOT NULL DEFAULT 'CN';
-- How to reach the door (gate code, which bell, "knock loudly"), for the volunteer's card.
ALTER TABLE residents ADD COLUMN door_notes TEXT NOT NULL DEFAULT '';
