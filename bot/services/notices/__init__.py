"""Messages that must arrive, and what happens when one cannot."""
