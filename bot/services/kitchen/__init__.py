"""The kitchen: receipt, windows as time passes, the kitchen sheet."""
