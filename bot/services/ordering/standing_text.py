"""A regular meal that could not be placed, in words: to the senior's family and the staff.

A missed regular meal is the worst quiet failure of the service (the senior counts on the
meal coming by itself), so both sides hear about it in the transaction that opens the
window, under keys that make a second run queue nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from bot.core.i18n import Html, t
from bot.core.labels import window_label
from bot.services.notices import notify
from bot.services.ordering import order_text
from data import accounts, canteens, links
from data.db import Session
from data.models import MenuItem, Resident, StandingOrder, Window

Reason = Literal["sold_out", "not_on_menu", "no_delivery", "portions", "other"]


@dataclass(frozen=True)
class Missed:
    """One regular meal not placed at one window, and why."""

    plan: StandingOrder
    resident: Resident
    window: Window
    reason: Reason
    dish: MenuItem | None  # None when the dish is not on this window's menu

    def dish_name(self, lang: str) -> str:
        return self.dish.display_name(lang) if self.dish else self.plan.dish_code


def family_text(missed: Missed, lang: str, phone: str, today: date) -> Html:
    return t(
        lang,
        "resident.standing_missed.family",
        name=missed.resident.name,
        window=order_text.window_label(lang, missed.window, today),
        reason=t(lang, f"resident.standing_missed.{missed.reason}", dish=missed.dish_name(lang)),
        button=t(lang, "core.button.order"),
        phone=phone,
    )


def staff_text(missed: Missed, lang: str) -> Html:
    return t(
        lang,
        "staff.standing_missed.text",
        name=missed.resident.name,
        id=missed.resident.id,
        window=Html(window_label(missed.window, lang)),
        dish=missed.dish_name(lang),
        portions=missed.plan.portions,
        reason=t(lang, f"resident.standing_missed.{missed.reason}", dish=missed.dish_name(lang)),
    )


async def tell(tx: Session, missed: Missed, now: datetime) -> int:
    """Queue the notice to the senior's linked accounts and the canteen's staff (once each)."""
    canteen = await canteens.get(tx, missed.window.canteen_id)
    phone = canteen.phone if canteen else ""
    base = f"standing:{missed.plan.id}:{missed.window.id}:missed"
    queued = 0
    linked = await links.accounts_of(tx, missed.resident.id)
    family = [link.account_id for link in linked if link.notify]
    today = now.date()  # `now` is the clock's local time, as for the order notices
    for account_id in family:
        lang = await notify.language_of(tx, account_id)
        body = family_text(missed, lang, phone, today)
        queued += await notify.text(tx, f"{base}:acct:{account_id}", account_id, body, now)
    staff = await accounts.holders(tx, missed.window.canteen_id, "staff")
    for account_id in staff or await accounts.holders(tx, missed.window.canteen_id, "admin"):
        if account_id in family:
            continue  # one notice per person: family wording already tells them
        lang = await notify.language_of(tx, account_id)
        body = staff_text(missed, lang)
        queued += await notify.text(tx, f"{base}:acct:{account_id}", account_id, body, now)
    return queued
