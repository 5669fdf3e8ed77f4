"""The one error a service raises when a rule says no; it carries a catalogue key."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule refused the action; `key` names the sentence that tells the user why."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


class NotAllowedError(DomainError):
    """This account may not do this to this record now."""

    def __init__(self, key: str = "core.error.not_allowed", **values: Any) -> None:
        super().__init__(key, **values)
