"""Incidents in words and buttons: the card, the outcomes, the family's notice, the list.

The services decide who is told and what changes; this module only says it.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from bot.core import callbacks, pager
from bot.core.i18n import Html, t
from bot.core.labels import window_label
from bot.services.delivery.messages import reported_why
from bot.services.notices.notify import Buttons
from data.incidents import Event

if TYPE_CHECKING:  # the services import this module: their types are named for mypy only
    from bot.services.incidents.handling import Listed, View

CLOSE_OUTCOMES = ("reached", "family", "out", "emergency", "other")
LIST_PAGE = 10  # incidents a page of the list shows
# A card fits one message however long its story: the latest alerts and notes, each cut.
STORY_LINES = 6
DETAIL_SHOWN = 300
# What a volunteer reports at the door: the card names the volunteer who said it.
FROM_THE_DOOR = ("no_answer", "undelivered", "concern", "refused")


def _at(moment: datetime, tz: tzinfo) -> str:
    return f"{moment.astimezone(tz):%m-%d %H:%M}"


def what(kind: str, lang: str) -> Html:
    return t(lang, f"incident.kind.{kind}")


def card(seen: View, lang: str, tz: tzinfo, tag: str = "") -> Html:
    """What happened, to whom, who was told, who has it and what was noted."""
    incident = seen.incident
    resident = seen.resident
    place = " ".join(p for p in (resident.building, resident.unit, resident.room) if p)
    lines: list[str] = []
    if tag.startswith("raised"):
        lines.append(t(lang, "incident.raised", id=incident.id))
    lines.append(t(lang, "incident.title", id=incident.id, what=what(incident.kind, lang)))
    lines.append(t(lang, "incident.who", name=resident.name, place=place, phone=resident.phone))
    if seen.window is not None:
        label = window_label(seen.window, lang)
        if incident.order_id is not None:  # the number on the bag, the route and the alerts
            lines.append(t(lang, "incident.meal_order", window=label, id=incident.order_id))
        else:
            lines.append(t(lang, "incident.meal", window=label))
    story = [_story_line(seen, event, lang, tz) for event in seen.events]
    shown = [line for line in story if line]
    if len(shown) > STORY_LINES:  # the latest; the whole story is in the store
        lines.append(t(lang, "incident.earlier", n=len(shown) - STORY_LINES))
        shown = shown[-STORY_LINES:]
    lines += shown
    told = ", ".join(seen.name(a) for a in seen.told)
    lines.append(t(lang, "incident.told", names=told or "—"))
    lines.append(state(seen, lang, tz))
    return Html("\n".join(lines))


def _clip(text: str) -> str:
    return text if len(text) <= DETAIL_SHOWN else text[: DETAIL_SHOWN - 1] + "…"


def _story_line(seen: View, event: Event, lang: str, tz: tzinfo) -> str:
    """An alert or a note as one line of the card; other events are not shown."""
    if event.what == "alert":
        kind = event.kind or seen.incident.kind
        detail = event.detail or ""
        said = reported_why(detail, lang) if kind == "undelivered" else detail
        values = {
            "at": _at(event.at, tz),
            "what": what(kind, lang),
            "detail": f": {_clip(said)}" if said else "",
        }
        if kind in FROM_THE_DOOR and event.account_id:
            volunteer = seen.name(event.account_id)
            return t(lang, "incident.door_line", volunteer=volunteer, **values)
        return t(lang, "incident.alert_line", **values)
    if event.what == "note":
        return t(
            lang,
            "incident.note_line",
            at=_at(event.at, tz),
            name=seen.name(event.account_id),
            text=_clip(event.detail or ""),
        )
    return ""


def state(seen: View, lang: str, tz: tzinfo) -> Html:
    incident = seen.incident
    if incident.closed_at is not None:
        return t(
            lang,
            "incident.state.closed",
            name=seen.name(incident.closed_by) if incident.closed_by else "—",
            at=_at(incident.closed_at, tz),
            outcome=outcome_words(incident.outcome or "other", lang),
        )
    if incident.taken_at is not None:
        return t(
            lang,
            "incident.state.taken",
            name=seen.name(incident.taken_by),
            at=_at(incident.taken_at, tz),
        )
    return t(lang, "incident.state.untaken", due=_at(incident.due_at, tz))


def outcome_words(outcome: str, lang: str) -> Html:
    return t(lang, f"incident.outcome.{outcome}")


def request_buttons(incident_id: int, resident_id: int, lang: str) -> Buttons:
    """What a request asks of staff: order for her, or call her."""
    return [
        [
            (t(lang, "incident.button.order"), callbacks.ORDER_FOR.pack(resident_id)),
            (t(lang, "incident.button.call"), callbacks.INCIDENT_CALL.pack(incident_id)),
        ]
    ]


def voice_caption(lang: str, incident_id: int, name: str) -> Html:
    return t(lang, "incident.request.voice", id=incident_id, name=name)


def asked_again(lang: str, incident_id: int, name: str, text: str) -> Html:
    return t(lang, "incident.request.again", id=incident_id, name=name, text=text or "🎤")


def call(lang: str, name: str, phone: str) -> Html:
    return t(lang, "incident.request.call", name=name, phone=phone)


def told_sender(lang: str, name: str, wait: int, *, own: bool) -> Html:
    """To whoever asked: a person will answer within the canteen's promised minutes."""
    key = "incident.request.sent_own" if own else "incident.request.sent_family"
    return t(lang, key, name=name, minutes=wait)


def offer(lang: str) -> Html:
    return t(lang, "incident.request.offer")


def offer_buttons(message_id: int, seniors: list[tuple[int, str]], lang: str) -> Buttons:
    """One button to send the words; one per senior for someone who acts for several."""
    if len(seniors) == 1:
        label = t(lang, "incident.button.send")
        return [[(label, callbacks.REQUEST_SEND.pack(message_id, seniors[0][0]))]]
    return [
        [
            (
                t(lang, "incident.button.send_about", name=name),
                callbacks.REQUEST_SEND.pack(message_id, rid),
            )
        ]
        for rid, name in seniors
    ]


def which(lang: str) -> Html:
    return t(lang, "incident.request.which")


def card_buttons(seen: View, lang: str) -> Buttons:
    """Take it (while nobody has), add a note, close it; nothing once closed. A request
    has "order for her" and "call her" too."""
    incident = seen.incident
    if incident.closed_at is not None:
        return []
    rows: Buttons = []
    if incident.kind == "request":
        rows += request_buttons(incident.id, incident.resident_id, lang)
    if incident.taken_at is None:
        rows.append([(t(lang, "incident.button.take"), callbacks.INCIDENT_TAKE.pack(incident.id))])
    rows.append(
        [
            (t(lang, "incident.button.note"), callbacks.INCIDENT_NOTE.pack(incident.id)),
            (t(lang, "incident.button.close"), callbacks.INCIDENT_CLOSE.pack(incident.id)),
        ]
    )
    return rows


def outcome_buttons(incident_id: int, lang: str) -> Buttons:
    """One button per way it ended, and back to the card."""
    rows: Buttons = [
        [(outcome_words(o, lang), callbacks.INCIDENT_OUTCOME.pack(incident_id, o))]
        for o in CLOSE_OUTCOMES
    ]
    rows.append([(t(lang, "incident.button.back"), callbacks.INCIDENT_SEE.pack(incident_id))])
    return rows


def taken_notice(seen: View, lang: str) -> Html:
    """To the others who had its card: who has it now."""
    return t(
        lang,
        "incident.taken_by",
        id=seen.incident.id,
        name=seen.name(seen.incident.taken_by),
        what=what(seen.incident.kind, lang),
        senior=seen.resident.name,
    )


def closed_notice(seen: View, lang: str, at: str, *, own: bool) -> Html:
    """To her family (or the person who asked): the canteen saw to it, and how."""
    key = "incident.closed_own" if own else "incident.closed_family"
    return t(
        lang,
        key,
        name=seen.resident.name,
        what=what(seen.incident.kind, lang),
        outcome=outcome_words(seen.incident.outcome or "other", lang),
        by=seen.name(seen.incident.closed_by),
        at=at,
    )


def many_opened(lang: str, count: int, kind: str) -> Html:
    """To the staff: one alert opened many incidents at once."""
    return t(lang, "incident.many", count=count, what=what(kind, lang))


def age(opened: datetime, now: datetime, lang: str) -> Html:
    minutes = max(0, int((now - opened).total_seconds() // 60))
    if minutes < 120:
        return t(lang, "incident.age.minutes", n=minutes)
    if minutes < 48 * 60:
        return t(lang, "incident.age.hours", n=minutes // 60)
    return t(lang, "incident.age.days", n=minutes // (24 * 60))


def list_pages(found: list[Listed], lang: str, now: datetime) -> pager.Pager:
    """The open incidents, oldest first, a button each to open its card."""
    entries = []
    for item in found:
        incident = item.incident
        who = (
            t(lang, "incident.list.taken", name=item.taker)
            if item.taker
            else t(lang, "incident.list.untaken")
        )
        line = t(
            lang,
            "incident.list.line",
            id=incident.id,
            age=age(incident.opened_at, now, lang),
            what=what(incident.kind, lang),
            name=item.resident.name,
            who=who,
        )
        entries.append(
            pager.Entry(line, flow=((f"#{incident.id}", callbacks.INCIDENT_SEE.pack(incident.id)),))
        )
    return pager.Pager(
        lang,
        t(lang, "incident.list.title", count=len(found)),
        entries,
        lambda n: callbacks.INCIDENTS_PAGE.pack(n),
        empty=t(lang, "incident.list.empty"),
        most=LIST_PAGE,
        flow_width=5,
    )
