"""The rules of Doorstep: plain values in, results or a DomainError out. No Telegram here."""
