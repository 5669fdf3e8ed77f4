"""Doorstep."""
