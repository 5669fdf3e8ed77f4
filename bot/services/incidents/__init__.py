"""Incidents: every alert about a senior has a person who takes it and closes it."""
