"""Volunteers: their rounds, their hours, and thanks."""
