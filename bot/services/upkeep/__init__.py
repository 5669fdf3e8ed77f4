"""Keeping the installation well: the store's backups."""
