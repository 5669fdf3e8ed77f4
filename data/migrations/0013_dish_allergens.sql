-- A dish may name its allergens (peanut, shellfish, egg, ...), so a senior's allergies are
-- checked against them. NULL: the dish does not say; '': it says it has none.
ALTER TABLE menu_items ADD COLUMN allergens TEXT;
