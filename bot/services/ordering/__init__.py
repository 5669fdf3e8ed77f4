"""Ordering: placing, the rules, prices, menus, regular meals, changes."""
