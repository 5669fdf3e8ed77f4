"""Delivery: claims, assignment of a plan, carrying, what happened at the door."""
