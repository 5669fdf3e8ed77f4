"""Feedback on the meal: one tap after it is served, reasons by buttons, a daily digest."""
