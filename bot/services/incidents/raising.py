"""An alert about a senior opens an incident, or joins the open one of the same matter.

A matter is one senior at one meal (`r7:w12`), else one senior on one day (`r7:d20260302`),
or one senior's requests (`r7:req`). The first alert opens the incident and its card
goes to the canteen's staff (its admins when it has no staff) with the buttons to take
it, add a note and close it; each alert names who was told. Every function here runs
inside the caller's transaction, beside the alert it records, so both are kept or neither.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.core.deps import Deps
from bot.services.incidents import messages
from bot.services.notices import notify
from data import accounts, canteens, incidents
from data.db import Session
from data.incidents import Opening

# Every kind of alert about a senior (each has its minutes in the canteen file).
KINDS = (
    "no_answer",
    "undelivered",
    "no_carrier",
    "concern",
    "refused",
    "unreported",
    "quiet",
    "checkin",
    "blocked",
    "meal",
    "request",
)


def meal_matter(resident_id: int, window_id: int) -> str:
    return f"r{resident_id}:w{window_id}"


def day_matter(resident_id: int, day: date) -> str:
    return f"r{resident_id}:d{day:%Y%m%d}"


def request_matter(resident_id: int) -> str:
    return f"r{resident_id}:req"


def about_meal(
    canteen_id: int, resident_id: int, window_id: int, order_id: int, kind: str
) -> Opening:
    """An alert about one senior's meal: its matter is that senior at that meal."""
    return Opening(
        canteen_id=canteen_id,
        resident_id=resident_id,
        matter=meal_matter(resident_id, window_id),
        kind=kind,
        window_id=window_id,
        order_id=order_id,
    )


def about_day(canteen_id: int, resident_id: int, day: date, kind: str) -> Opening:
    """An alert about a senior on a day (quiet, a check-in missed, her chat blocked)."""
    return Opening(
        canteen_id=canteen_id,
        resident_id=resident_id,
        matter=day_matter(resident_id, day),
        kind=kind,
    )


async def minutes(tx: Session, deps: Deps, canteen_id: int, kind: str) -> int:
    """How long an incident of this kind waits to be taken, from the canteen file."""
    canteen = await canteens.get(tx, canteen_id)
    assert canteen is not None
    spec = deps.config.canteens.canteen(canteen.code)
    return int(getattr(spec.incident_minutes, kind))


async def first_people(tx: Session, canteen_id: int) -> list[int]:
    """Who hears of a new incident: the canteen's staff, else its admins."""
    return await accounts.holders(tx, canteen_id, "staff") or await accounts.holders(
        tx, canteen_id, "admin"
    )


async def raise_alert(
    tx: Session,
    deps: Deps,
    opening: Opening,
    told: list[int],
    detail: str = "",
    *,
    file_id: str | None = None,
    card: bool = True,
    known: tuple[int, list[int]] | None = None,
    by: int | None = None,
) -> tuple[int, bool]:
    """Record an alert on its matter's incident (opened now if none is open) and who was
    told of it; a new incident's card goes to the staff (unless `card` is False: one alert
    about many seniors says so once, `many_opened`). `known`: its minutes and first people,
    when the caller read them already. `by`: who reported this alert (the volunteer at the
    door), named on the card; unlike the opening's `reported_by`, they are not told how it
    ends. (id, opened just now)."""
    now = deps.clock.now()
    if known is None:
        known = (
            await minutes(tx, deps, opening.canteen_id, opening.kind),
            await first_people(tx, opening.canteen_id),
        )
    wait, first = known
    incident_id, fresh = await incidents.open_or_join(
        tx, opening, now, now + timedelta(minutes=wait)
    )
    await incidents.add_event(
        tx,
        incident_id,
        "alert",
        now,
        kind=opening.kind,
        account_id=by if by is not None else opening.reported_by,
        detail=detail or None,
        file_id=file_id,
    )
    people = first if fresh else []
    for account_id in dict.fromkeys([*told, *people]):
        await incidents.add_event(tx, incident_id, "told", now, account_id=account_id)
    if fresh and card:
        await send_card(tx, deps, incident_id, people, "open")
    return incident_id, fresh


# One alert about more seniors than this opens their incidents with one notice, not a
# card each (hundreds of deliveries nobody reported would otherwise be hundreds of cards).
CARDS_AT_MOST = 3


async def raise_many(
    tx: Session, deps: Deps, raised: list[tuple[Opening, list[int]]], kind: str
) -> list[int]:
    """Open (or join) an incident for each (opening, who was told); a card each for a
    few, else one notice that names how many and points to /incidents. The ids opened
    just now."""
    cards = len(raised) <= CARDS_AT_MOST
    opened = []
    known: dict[tuple[int, str], tuple[int, list[int]]] = {}
    for opening, told in raised:
        place = (opening.canteen_id, opening.kind)
        if place not in known:
            wait = await minutes(tx, deps, opening.canteen_id, opening.kind)
            known[place] = (wait, await first_people(tx, opening.canteen_id))
        incident_id, fresh = await raise_alert(
            tx, deps, opening, told, card=cards, known=known[place]
        )
        if fresh:
            opened.append(incident_id)
    if opened and not cards:
        canteen_id = raised[0][0].canteen_id
        now = deps.clock.now()
        for account_id in await first_people(tx, canteen_id):
            lang = await notify.language_of(tx, account_id)
            body = messages.many_opened(lang, len(opened), kind)
            key = f"incidents:many:{kind}:{opened[0]}:account:{account_id}"
            await notify.text(tx, key, account_id, body, now, urgent=True)
    return opened


async def send_card(tx: Session, deps: Deps, incident_id: int, people: list[int], tag: str) -> None:
    """The incident's card, with its buttons, to each of `people` in their language."""
    from bot.services.incidents.handling import view  # the card is read as people see it

    seen = await view(tx, incident_id)
    now = deps.clock.now()
    for account_id in dict.fromkeys(people):
        lang = await notify.language_of(tx, account_id)
        body = messages.card(seen, lang, deps.clock.tz, tag)
        buttons = messages.card_buttons(seen, lang)
        key = f"incident:{incident_id}:{tag}:{now.isoformat()}:account:{account_id}"
        await notify.text(tx, key, account_id, body, now, buttons, urgent=True)


async def settle(
    tx: Session,
    matter: str,
    kinds: tuple[str, ...],
    outcome: str,
    now: datetime,
    by: int | None = None,
) -> bool:
    """The matter ended by itself (the door opened, a carrier was found, she checked in):
    its incident closes, when every alert on it was of these kinds; else a person closes
    it. Nobody is told here: whoever heard of the alert hears how it ended from its own
    service."""
    found = await incidents.open_of(tx, matter)
    if found is None:
        return False
    raised = {e.kind for e in await incidents.events(tx, found.id) if e.what == "alert"}
    if not raised <= set(kinds) or not await incidents.close(tx, found.id, None, outcome, now):
        return False
    await incidents.add_event(tx, found.id, "closed", now, account_id=by, detail=outcome)
    return True
