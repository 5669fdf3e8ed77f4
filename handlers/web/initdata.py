"""Telegram's `initData`: who opened the Mini App, signed by Telegram with the bot's token.

Validated as Telegram's Web Apps documentation says: the data-check-string is every
received field except `hash`, as `key=value` lines sorted by key; the secret key is
HMAC-SHA256 of the bot token with the key "WebAppData"; the hash is HMAC-SHA256 of the
data-check-string with that secret, in hex. `auth_date` must be recent, so a copied
link stops working.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

# A little clock skew between Telegram's servers and ours is not a forgery.
SKEW = timedelta(minutes=1)


class UnauthorisedError(Exception):
    """The initData is missing, malformed, forged or stale."""


@dataclass(frozen=True)
class WebUser:
    """The Telegram user the initData names."""

    id: int
    first_name: str
    language_code: str | None


def _secret(token: str) -> bytes:
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def _hash(fields: dict[str, str], token: str) -> str:
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    return hmac.new(_secret(token), check.encode(), hashlib.sha256).hexdigest()


def _fields(init_data: str) -> dict[str, str]:
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise UnauthorisedError("malformed") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise UnauthorisedError("a field given twice")
    return fields


def validate(init_data: str, token: str, now: datetime, max_age: timedelta) -> WebUser:
    """The user, when `init_data` is signed with `token` and no older than `max_age`."""
    if not init_data:
        raise UnauthorisedError("missing")
    fields = _fields(init_data)
    received = fields.pop("hash", "")
    if not hmac.compare_digest(received.encode(), _hash(fields, token).encode()):
        raise UnauthorisedError("bad hash")
    try:
        signed_at = datetime.fromtimestamp(int(fields["auth_date"]), UTC)
        user = json.loads(fields["user"])
        user_id = int(user["id"])
    except (KeyError, ValueError, TypeError):
        raise UnauthorisedError("no user or auth_date") from None
    if not (now - max_age <= signed_at <= now + SKEW):
        raise UnauthorisedError("stale")
    language = user.get("language_code")
    return WebUser(user_id, str(user.get("first_name", "")), language if language else None)


def sign(token: str, user: dict[str, object], auth_date: datetime, **extra: str) -> str:
    """initData as Telegram would send it (for the tests, the bench and the demo)."""
    fields = {
        "auth_date": str(int(auth_date.timestamp())),
        "user": json.dumps(user, separators=(",", ":"), ensure_ascii=False),
        **extra,
    }
    return urlencode({**fields, "hash": _hash(fields, token)})
