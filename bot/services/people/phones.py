"""Phone numbers in one form: E.164 (`+8613800138000`), the canteen's country by default.

A contact shared from Telegram (`+86 138…`, or `86138…` from some clients), a number typed
with spaces or dashes, and the roster's `138…` all become the same text, so a senior is
found, matched and imported once whichever way their number was written.
"""

from __future__ import annotations

import logging

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from bot.core.deps import Deps
from bot.core.errors import DomainError
from data import canteens, residents

log = logging.getLogger("doorstep")

DEFAULT_COUNTRY = "CN"
TYPED = set("0123456789+- ().")  # what a typed number may hold besides its digits
_MOBILE_FIRST = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


def e164(text: str, country: str) -> str | None:
    """The number in E.164, or None when it is not a valid number (for `country` when it
    has no country code of its own)."""
    value = text.strip()
    if not value or not set(value) <= TYPED:
        return None
    try:
        number = phonenumbers.parse(value, country)
    except NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def normalise(text: str, country: str) -> str:
    """The number in E.164; a kind refusal naming an example when it is not a number."""
    found = e164(text, country)
    if found is None:
        shown = text.strip()[:30]
        raise DomainError("resident.phone.invalid", number=shown, example=example(country))
    return found


def from_contact(text: str, country: str) -> str:
    """A number from a shared Telegram contact: international, sometimes without '+' (and
    from a few clients national): the international reading first, else the canteen's."""
    value = text.strip()
    if value and value[0].isdigit() and (found := e164(f"+{value}", country)) is not None:
        return found
    return normalise(value, country)


def example(country: str) -> str:
    """A mobile number of the country, as people there write it (for the refusal)."""
    for kind in _MOBILE_FIRST:
        number = phonenumbers.example_number_for_type(country, kind)
        if number is not None:
            return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return "+1 202 555 0100"


def display(stored: str) -> str:
    """A stored number as people read it (`+86 138 0013 8000`); anything else unchanged."""
    if not stored.startswith("+"):
        return stored
    try:
        number = phonenumbers.parse(stored, None)
    except NumberParseException:
        return stored
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def search_form(query: str, country: str) -> str:
    """What to look for in stored numbers: the E.164 form of a whole number, the digits of
    part of one (`0013 8000` → `00138000`), or the query as typed (a name, say)."""
    value = query.strip()
    whole = e164(value, country)
    if whole is not None:
        return whole
    digits = "".join(ch for ch in value if ch.isdigit())
    if digits and set(value) <= TYPED:
        return digits
    return value


async def search_form_at(deps: Deps, canteen_ids: list[int], query: str) -> str:
    """`search_form` with the country of the first of these canteens."""
    canteen = await canteens.get(deps.db.reader, canteen_ids[0]) if canteen_ids else None
    return search_form(query, canteen.country if canteen else DEFAULT_COUNTRY)


async def normalise_stored(deps: Deps) -> int:
    """Start-up step: rewrite residents' numbers stored before E.164 (typed or imported
    as `138 0013 8000`, `0086…`), each with its canteen's country; how many changed.

    A number that is not valid stays as it was (and is logged), so nothing is lost; it
    still matches by its digits. Safe to run at every start: it only reads numbers that
    do not start with '+'.
    """
    changed = 0
    async with deps.db.transaction() as tx:
        for row in await residents.phones_to_normalise(tx):
            found = e164(row.phone, row.country)
            if found is None:
                log.warning("resident %s: phone %r is not a valid number", row.id, row.phone)
                continue
            await residents.set_phone(tx, row.id, found)
            changed += 1
    if changed:
        log.info("%d resident phone numbers rewritten in E.164", changed)
    return changed
