"""What happened at the door, and who must hear about it.

Delivered: the family is told the meal arrived. Delivered with a concern: the same, and
the volunteer's note goes to the staff. No answer, or not delivered (with a reason): the
staff and the family at once, an alert that stays open until a person marks it handled
(or the door opens after all), and the admins after the escalation time. Refused: the
staff. What the staff get is the meal's incident card, one message each (the door's own
message only when no incident opened with the report). A report can be taken back for a
few minutes (a mis-tap), and whoever was told hears the correction. Every message is
queued with the change. Alerts about a senior go to the staff and her family, never to
the senior herself.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from bot.core.deps import Deps
from bot.core.errors import DomainError
from bot.services.delivery import messages
from bot.services.delivery.deliveries import family_of, held, local_time, rules, staff_of, tell
from bot.services.feedback import rating
from bot.services.incidents import handling, raising
from bot.services.notices import notify
from data import accounts, alerts, audit, kitchen, windows
from data import deliveries as store
from data.alerts import AlertKind
from data.db import Session
from data.deliveries import Stop
from data.models import DeliveryState, OrderStatus, Window

NOTE_LIMIT = 200
UNDO_MINUTES = 5
OUTCOMES: dict[str, tuple[DeliveryState, OrderStatus]] = {
    "ok": ("delivered", "delivered"),
    "cn": ("concern", "delivered"),
    "na": ("no_answer", "no_answer"),
    "nd": ("undelivered", "undelivered"),
    "rf": ("refused", "refused"),
}
# Why a meal was not delivered; "refused" is its own outcome, "other" needs a note.
REASONS = messages.REASONS
NEEDS_NOTE = ("cn",)
# The states that leave a senior without her meal until a person sees to it.
ALERTING: dict[DeliveryState, AlertKind] = {"no_answer": "no_answer", "undelivered": "undelivered"}
# Every report about a senior that staff hear of opens (or joins) an incident.
INCIDENT_STATES: tuple[DeliveryState, ...] = ("no_answer", "undelivered", "concern", "refused")
FROM_ORDER: tuple[OrderStatus, ...] = ("confirmed", "ready", "out", "no_answer", "undelivered")
REPORTED: tuple[OrderStatus, ...] = ("delivered", "no_answer", "refused", "undelivered")


def _clean(note: str) -> str:
    return " ".join(note.split())[:NOTE_LIMIT]


async def report(
    deps: Deps, account_id: int, delivery_id: int, action: str, note: str = "", reason: str = ""
) -> Stop:
    """The holder reports the door: `ok`, `cn` (delivered, with a concern and a note),
    `na` (no answer), `nd` (not delivered, with a reason), `rf` (refused)."""
    if action not in OUTCOMES or (action == "nd") != (reason in REASONS):
        raise DomainError("core.error.stale_button")
    clean = _clean(note)
    if (action in NEEDS_NOTE or reason == "other") and not clean:
        raise DomainError("volunteer.concern.ask")
    stop = await held(deps, account_id, delivery_id)
    window = await windows.get(deps.db.reader, stop.window_id)
    assert window is not None
    state, order_status = OUTCOMES[action]
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        if not await store.report(
            tx, delivery_id, account_id, state, now, clean or None, reason or None
        ):
            raise DomainError("volunteer.report.already", id=stop.order_id)
        await kitchen.move(tx, stop.order_id, FROM_ORDER, order_status, now)
        detail = " ".join(part for part in (reason, clean) if part)
        await audit.record(
            tx, now, account_id, f"delivery.{state}", f"delivery:{delivery_id}", detail
        )
        alert_id = None
        if state in ALERTING:
            alert_id = await alerts.open_alert(
                tx, stop.canteen_id, ALERTING[state], stop.order_id, now
            )
        carded = state in INCIDENT_STATES and await _raise(tx, deps, stop, state, detail)
        await _tell(tx, deps, stop, window, state, clean, reason, alert_id, carded=carded)
        if state in ("delivered", "concern"):
            await rating.ask(tx, deps, stop.order_id)
    deps.outbox_queued()
    if state in ALERTING or state in INCIDENT_STATES:
        deps.jobs_changed()
    return stop


async def _raise(tx: Session, deps: Deps, stop: Stop, state: DeliveryState, detail: str) -> bool:
    """The report's incident: told were the staff, and her family unless she refused; the
    card names the volunteer. True when it opened now, so its card (with the volunteer,
    the reason, the meal's number and her address and phone) is what the staff get."""
    told = await staff_of(tx, stop.canteen_id)
    if state != "refused":
        told += await family_of(tx, stop)
    opening = raising.about_meal(
        stop.canteen_id, stop.resident_id, stop.window_id, stop.order_id, state
    )
    _, fresh = await raising.raise_alert(tx, deps, opening, told, detail, by=stop.volunteer_id)
    return fresh


def can_undo(deps: Deps, stop: Stop) -> bool:
    """A report is taken back only by its volunteer, and only for a few minutes."""
    return stop.reported_at is not None and deps.clock.now() - stop.reported_at < timedelta(
        minutes=UNDO_MINUTES
    )


async def undo(deps: Deps, account_id: int, delivery_id: int) -> Stop:
    """A mis-tap: the report is taken back, the meal is on its way again, and whoever was
    told about it hears the correction."""
    stop = await held(deps, account_id, delivery_id)
    if not can_undo(deps, stop):
        raise DomainError("volunteer.undo.too_late")
    window = await windows.get(deps.db.reader, stop.window_id)
    assert window is not None
    now = deps.clock.now()
    since = now - timedelta(minutes=UNDO_MINUTES)
    async with deps.db.transaction() as tx:
        if not await store.unreport(tx, delivery_id, account_id, since):
            raise DomainError("volunteer.undo.too_late")
        back: OrderStatus = "out" if window.ready_at is not None else "confirmed"
        await kitchen.move(tx, stop.order_id, REPORTED, back, now)
        await alerts.handle_for_order(
            tx, stop.order_id, ("no_answer", "undelivered"), account_id, "undone", now
        )
        matter = raising.meal_matter(stop.resident_id, stop.window_id)
        await raising.settle(tx, matter, INCIDENT_STATES, "undone", now, account_id)
        await audit.record(tx, now, account_id, "delivery.undo", f"delivery:{delivery_id}")
        await _tell_undone(tx, deps, stop, window)
    deps.outbox_queued()
    again = await store.stop(deps.db.reader, delivery_id)
    assert again is not None
    return again


async def _tell(
    tx: Session,
    deps: Deps,
    stop: Stop,
    window: Window,
    state: str,
    note: str,
    reason: str,
    alert_id: int | None,
    *,
    carded: bool = False,
) -> None:
    """The staff and her family hear what happened at the door. `carded`: the meal's
    incident opened with this report and its card went to the staff, with its buttons
    (taking it sees to the alert), so they get nothing besides; otherwise (no incident
    opened now: it joined one, or there is none) the door's own message goes to them, with
    its "I am handling it" when an alert waits, so the staff always hear."""
    key = f"{state}:delivery:{stop.id}:{deps.clock.now().isoformat()}"
    at = local_time(deps, deps.clock.now())
    volunteer = await _volunteer_name(tx, stop)
    staff_text = partial(messages.door_staff, stop, state, volunteer, at, note, reason)
    family_text = partial(messages.door_family, stop, window, state, at, note, reason)

    def handle_button(lang: str) -> notify.Buttons | None:
        return [[messages.handled_button(alert_id, lang)]] if alert_id is not None else None

    urgent = state != "delivered"  # about the senior: before any routine message
    if urgent and not carded:
        staff = await staff_of(tx, stop.canteen_id)
        await tell(tx, deps, staff, key, staff_text, handle_button, urgent=True)
    if state in ("delivered", "concern", "no_answer", "undelivered"):
        family = await family_of(tx, stop)
        await tell(tx, deps, family, f"family:{key}", family_text, urgent=urgent)


async def _tell_undone(tx: Session, deps: Deps, stop: Stop, window: Window) -> None:
    """Whoever heard of the report hears that it was a mistake."""
    key = f"undone:delivery:{stop.id}:{deps.clock.now().isoformat()}"
    told = [*await family_of(tx, stop)]
    if stop.state != "delivered":
        told += await staff_of(tx, stop.canteen_id)
    await tell(tx, deps, told, key, partial(messages.undone, stop, window))


async def _volunteer_name(conn: Session, stop: Stop) -> str:
    account = await accounts.get(conn, stop.volunteer_id or 0)
    return (account.first_name if account else "") or str(stop.volunteer_id)


async def answered(deps: Deps, account_id: int, delivery_id: int) -> Stop:
    """After a no-answer the door opened: the meal is delivered, everyone is told."""
    stop = await held(deps, account_id, delivery_id)
    window = await windows.get(deps.db.reader, stop.window_id)
    assert window is not None
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        if not await store.resolve(tx, delivery_id, account_id, now):
            raise DomainError("volunteer.report.already", id=stop.order_id)
        await kitchen.move(tx, stop.order_id, FROM_ORDER, "delivered", now)
        await alerts.handle_for_order(tx, stop.order_id, ("no_answer",), account_id, "fed", now)
        matter = raising.meal_matter(stop.resident_id, stop.window_id)
        await raising.settle(tx, matter, ("no_answer",), "answered", now, account_id)
        await rating.ask(tx, deps, stop.order_id)
        await audit.record(tx, now, account_id, "delivery.answered", f"delivery:{delivery_id}")
        await _tell(tx, deps, stop, window, "delivered", "", "", None)
        await _tell_resolved(tx, deps, stop)
    deps.outbox_queued()
    return stop


async def _tell_resolved(tx: Session, deps: Deps, stop: Stop) -> None:
    at = local_time(deps, deps.clock.now())
    staff = await staff_of(tx, stop.canteen_id)
    text = partial(messages.resolved, stop, at)
    await tell(tx, deps, staff, f"resolved:delivery:{stop.id}", text)


async def escalate(deps: Deps, delivery_id: int) -> bool:
    """Nobody saw to a meal that did not arrive in time: the community admins hear of it
    (once). Its incident is raised to them, so what each admin gets is the incident's card,
    with its buttons, and nothing besides; only when no open incident waits for a person
    (someone took it for an earlier alert on the meal) does this escalation's own message
    go to them, so the admins always hear of it."""
    stop = await store.stop(deps.db.reader, delivery_id)
    if stop is None or stop.state not in ALERTING or stop.escalated_at:
        return False
    if not await alerts.open_for_order(deps.db.reader, stop.order_id):
        return False  # a person has handled it
    minutes = (await rules(deps, stop.canteen_id)).no_answer_escalate_minutes
    assert stop.reported_at is not None
    if deps.clock.now() < stop.reported_at + timedelta(minutes=minutes):
        return False
    async with deps.db.transaction() as tx:
        if not await store.mark_escalated(tx, delivery_id, deps.clock.now()):
            return False
        matter = raising.meal_matter(stop.resident_id, stop.window_id)
        if not await handling.raise_to_admins(tx, deps, matter):
            admins = await accounts.holders(tx, stop.canteen_id, "admin") or list(
                deps.config.settings.admin_ids
            )
            volunteer = await _volunteer_name(tx, stop)
            since = local_time(deps, stop.reported_at)
            await tell(
                tx,
                deps,
                admins,
                f"escalate:delivery:{delivery_id}",
                partial(messages.escalation, stop, volunteer, since, minutes),
                urgent=True,
            )
        await audit.record(
            tx, deps.clock.now(), None, "delivery.escalate", f"delivery:{delivery_id}"
        )
    deps.outbox_queued()
    deps.jobs_changed()  # its incident is due again later
    return True


async def unreported(deps: Deps, window_id: int) -> int:
    """Deliveries nobody reported this long after serving: the staff are alerted (once)."""
    window = await windows.get(deps.db.reader, window_id)
    if window is None or window.dispatched_at is None:
        return 0
    minutes = (await rules(deps, window.canteen_id)).unreported_after_minutes
    now = deps.clock.now()
    if now < window.serve_at + timedelta(minutes=minutes):
        return 0
    async with deps.db.transaction() as tx:
        late = [
            s
            for s in await store.stops(tx, window_id)
            if s.state in store.HELD and s.volunteer_id and not s.escalated_at
        ]
        for stop in late:
            await store.mark_escalated(tx, stop.id, now)
        if late:
            staff = await staff_of(tx, window.canteen_id)
            named = [(s, await _volunteer_name(tx, s)) for s in late]
            await tell(
                tx,
                deps,
                staff,
                f"unreported:window:{window_id}:{late[0].id}",
                partial(messages.unreported, window, named, minutes),
                urgent=True,
            )
            raised = [
                (
                    raising.about_meal(
                        stop.canteen_id,
                        stop.resident_id,
                        stop.window_id,
                        stop.order_id,
                        "unreported",
                    ),
                    staff,
                )
                for stop in late
            ]
            await raising.raise_many(tx, deps, raised, "unreported")
    deps.outbox_queued()
    if late:
        deps.jobs_changed()
    return len(late)
