"""A scheduled step that keeps failing: who hears about it.

The job runner (scheduling/retry.py) decides when to tell; this module says to whom: the
canteen's staff and admins and the settings admins, each in their language, and which
window or canteen to name (`bot.services.notices.messages` says what). Finding them reads
the store, which may be what is failing; then the settings admins are still told, in
the default language, and the step is named without its window.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.core.deps import Deps
from bot.core.i18n import DEFAULT_LANGUAGE
from bot.services.notices import notify
from data import accounts, canteens, deliveries, windows
from data.models import Canteen, Window

log = logging.getLogger("doorstep.step_alerts")


@dataclass(frozen=True)
class Subject:
    """Which step, and what it is for, as the job knows it without reading the store."""

    step: str  # a key of `staff.step_failing.step`
    canteen_id: int | None = None
    window_id: int | None = None
    delivery_id: int | None = None


@dataclass(frozen=True)
class Audience:
    """Who to tell (chat id -> language), and the window or canteen to name."""

    people: dict[int, str]
    window: Window | None = None
    canteen: Canteen | None = None


async def audience(deps: Deps, subject: Subject) -> Audience:
    """Staff, admins and settings admins of the subject's canteen; never raises."""
    people = dict.fromkeys(deps.config.settings.admin_ids, DEFAULT_LANGUAGE)
    window: Window | None = None
    canteen: Canteen | None = None
    conn = deps.db.reader
    try:
        window_id = subject.window_id
        if subject.delivery_id is not None:
            stop = await deliveries.stop(conn, subject.delivery_id)
            window_id = stop.window_id if stop else None
        window = await windows.get(conn, window_id) if window_id is not None else None
        canteen_id = window.canteen_id if window else subject.canteen_id
        if canteen_id is not None:
            canteen = await canteens.get(conn, canteen_id)
            for role in ("staff", "admin"):
                for account_id in await accounts.holders(conn, canteen_id, role):
                    people.setdefault(account_id, DEFAULT_LANGUAGE)
        for account_id in people:
            people[account_id] = await notify.language_of(conn, account_id)
    except Exception:  # the store may be what fails: tell whom the settings name
        log.warning("could not read who to tell about %s", subject.step, exc_info=True)
    return Audience(people, window, canteen)
