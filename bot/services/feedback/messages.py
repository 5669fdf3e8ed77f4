"""Feedback in words and buttons: the question, the reasons, the digest, the month.

The services decide; this module only says it.
"""

from __future__ import annotations

from collections import Counter

from bot.core import callbacks
from bot.core.i18n import Html, t
from bot.core.labels import window_label
from bot.services.notices.notify import Buttons
from data.feedback import Feedback, Rated
from data.models import Window

RATINGS = ("good", "so_so", "bad")
REASONS = ("salty", "hard", "cold", "little", "late")


def ask(lang: str, name: str, window: Window, *, own: bool) -> Html:
    key = "feedback.ask_own" if own else "feedback.ask_family"
    return t(lang, key, name=name, window=window_label(window, lang))


def ask_buttons(order_id: int, lang: str) -> Buttons:
    """Three big buttons, one row each."""
    return [
        [(t(lang, f"feedback.rating.{r}"), callbacks.FEEDBACK_RATE.pack(order_id, r))]
        for r in RATINGS
    ]


def after_rating(found: Feedback, lang: str) -> Html:
    """Thanks; for a meal not good, what was wrong (buttons) or a note."""
    lines = [t(lang, "feedback.thanks", rating=t(lang, f"feedback.rating.{found.rating}"))]
    if found.rating != "good":
        lines.append(t(lang, "feedback.why"))
    if found.reason_list:
        picked = ", ".join(t(lang, f"feedback.reason.{r}") for r in found.reason_list)
        lines.append(t(lang, "feedback.picked", reasons=picked))
    if found.note:
        lines.append(t(lang, "feedback.noted", note=found.note))
    if found.incident_id:
        lines.append(t(lang, "feedback.passed_on"))
    return Html("\n".join(lines))


def reason_buttons(found: Feedback, lang: str) -> Buttons:
    """Each reason (ticked when picked), a note, and done; none for a good meal."""
    if found.rating == "good":
        return []
    picked = set(found.reason_list)
    rows: Buttons = []
    for reason in REASONS:
        mark = "✅ " if reason in picked else ""
        label = f"{mark}{t(lang, f'feedback.reason.{reason}')}"
        rows.append([(label, callbacks.FEEDBACK_REASON.pack(found.order_id, reason))])
    rows.append([(t(lang, "feedback.button.note"), callbacks.FEEDBACK_NOTE.pack(found.order_id))])
    return rows


def digest(lang: str, day: str, found: list[Rated]) -> Html:
    """The day's ratings for the staff: counts, then each not-good or so-so with why."""
    orders = {r.feedback_id: r for r in found}
    counts = Counter(r.rating for r in orders.values())
    lines = [
        t(
            lang,
            "feedback.digest.title",
            day=day,
            count=len(orders),
            good=counts["good"],
            so_so=counts["so_so"],
            bad=counts["bad"],
        )
    ]
    dishes: dict[int, list[str]] = {}
    for r in found:
        dishes.setdefault(r.feedback_id, []).append(r.dish_name(lang))
    for feedback_id, r in orders.items():
        if r.rating == "good":
            continue
        reasons = ", ".join(t(lang, f"feedback.reason.{x}") for x in r.reasons.split(",") if x)
        lines.append(
            t(
                lang,
                "feedback.digest.line",
                id=r.order_id,
                rating=t(lang, f"feedback.rating.{r.rating}"),
                dish=" + ".join(dishes[feedback_id]),
                reasons=reasons or "—",
                note=f" «{r.note}»" if r.note else "",
            )
        )
    return Html("\n".join(lines))
