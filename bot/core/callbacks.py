"""Callback data: `<prefix><version>:<action>:<ids...>`, short and never trusted.

A button from an older version of a feature carries an old prefix and is answered as out
of date; every action is checked again in the service before anything changes.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_BYTES = 64


@dataclass(frozen=True)
class Callback:
    action: str
    args: tuple[str, ...]

    def int_arg(self, index: int) -> int:
        """An id argument; ValueError when missing or not a number (a forged button)."""
        value = self.args[index]
        if not value.isdigit() or len(value) > 12:
            raise ValueError(f"bad id {value!r}")
        return int(value)

    def int_arg_or(self, index: int, default: int) -> int:
        """An optional number (a page), `default` on a button made before it was added."""
        return self.int_arg(index) if len(self.args) > index else default


def pack(prefix: str, action: str, *args: object) -> str:
    data = ":".join([prefix, action, *map(str, args)])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data}")
    return data


def unpack(prefix: str, data: str | None) -> Callback | None:
    """The callback for `prefix`, or None when the data is not (or no longer) ours."""
    if not data:
        return None
    parts = data.split(":")
    if parts[0] != prefix or len(parts) < 2:
        return None
    return Callback(action=parts[1], args=tuple(parts[2:]))


def pattern(prefix: str) -> str:
    """The regex PTB uses to route this prefix's buttons to their handler."""
    return rf"^{prefix}:"
