"""What happened at the door, and who must hear about it.

Delivered: the family is told when lunch arrived. No answer: staff and family at once,
the volunteer waits and knocks again, and the admins hear if nobody resolved it in
time. Refused and concern go to the staff. Every message is queued with the change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import aiosqlite

from bot.deps import Deps
from bot.i18n import Html, t
from bot.services.deliveries import (
    address,
    family_of,
    held,
    local_time,
    meal_word,
    rules,
    staff_of,
    tell,
)
from bot.services.errors import DomainError
from bot.services.labels import window_label
from data import accounts, audit, kitchen, windows
from data import deliveries as store
from data.deliveries import Stop
from data.models import DeliveryState, OrderStatus, Window

NOTE_LIMIT = 200
OUTCOMES: dict[str, tuple[DeliveryState, OrderStatus]] = {
    "ok": ("delivered", "delivered"),
    "na": ("no_answer", "no_answer"),
    "rf": ("refused", "refused"),
    "cn": ("concern", "delivered"),
}
FROM_ORDER: tuple[OrderStatus, ...] = ("confirmed", "ready", "out", "no_answer")


async def report(
    deps: Deps, account_id: int, delivery_id: int, action: str, note: str = ""
) -> Stop:
    """The holder reports the door: `ok`, `na` (no answer), `rf` (refused), `cn` (concern)."""
    if action not in OUTCOMES:
        raise DomainError("core.error.stale_button")
    stop = await held(deps, account_id, delivery_id)
    window = await windows.get(deps.db.conn, stop.window_id)
    assert window is not None
    state, order_status = OUTCOMES[action]
    clean = " ".join(note.split())[:NOTE_LIMIT] or None
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        if not await store.report(tx, delivery_id, account_id, state, now, clean):
            raise DomainError("volunteer.report.already", id=delivery_id)
        await kitchen.move(tx, stop.order_id, FROM_ORDER, order_status, now)
        await audit.record(
            tx, now, account_id, f"delivery.{state}", f"delivery:{delivery_id}", clean or ""
        )
        await _tell(tx, deps, stop, window, state, clean or "")
    deps.outbox_queued()
    if state == "no_answer":
        deps.jobs_changed()
    return stop


async def _tell(
    tx: aiosqlite.Connection, deps: Deps, stop: Stop, window: Window, state: str, note: str
) -> None:
    key = f"{state}:delivery:{stop.id}"
    at = local_time(deps, deps.clock.now())
    volunteer = await _volunteer_name(tx, stop)

    def staff_text(lang: str) -> Html:
        return t(
            lang,
            f"volunteer.staff.{state}",
            id=stop.id,
            name=stop.name,
            address=address(stop),
            phone=stop.phone,
            volunteer=volunteer,
            at=at,
            note=note,
        )

    def family_text(lang: str) -> Html:
        what = "arrived" if state in ("delivered", "concern") else state
        return t(
            lang, f"volunteer.family.{what}", name=stop.name, meal=meal_word(window, lang), at=at
        )

    if state != "delivered":
        await tell(tx, deps, await staff_of(tx, stop.canteen_id), key, staff_text)
    if state in ("delivered", "concern", "no_answer"):
        await tell(tx, deps, await family_of(tx, stop), f"family:{key}", family_text)


async def _volunteer_name(conn: aiosqlite.Connection, stop: Stop) -> str:
    account = await accounts.get(conn, stop.volunteer_id or 0)
    return (account.first_name if account else "") or str(stop.volunteer_id)


async def answered(deps: Deps, account_id: int, delivery_id: int) -> Stop:
    """After a no-answer the door opened: the meal is delivered, everyone is told."""
    stop = await held(deps, account_id, delivery_id)
    window = await windows.get(deps.db.conn, stop.window_id)
    assert window is not None
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        if not await store.resolve(tx, delivery_id, account_id, now):
            raise DomainError("volunteer.report.already", id=delivery_id)
        await kitchen.move(tx, stop.order_id, FROM_ORDER, "delivered", now)
        await audit.record(tx, now, account_id, "delivery.answered", f"delivery:{delivery_id}")
        await _tell(tx, deps, stop, window, "delivered", "")
        await _tell_resolved(tx, deps, stop)
    deps.outbox_queued()
    return stop


async def _tell_resolved(tx: aiosqlite.Connection, deps: Deps, stop: Stop) -> None:
    at = local_time(deps, deps.clock.now())
    staff = await staff_of(tx, stop.canteen_id)

    def text(lang: str) -> Html:
        return t(lang, "volunteer.staff.resolved", id=stop.id, name=stop.name, at=at)

    await tell(tx, deps, staff, f"resolved:delivery:{stop.id}", text)


async def escalate(deps: Deps, delivery_id: int) -> bool:
    """Nobody resolved a no-answer in time: the community admins are told (once)."""
    stop = await store.stop(deps.db.conn, delivery_id)
    if stop is None or stop.state != "no_answer" or stop.resolved_at or stop.escalated_at:
        return False
    minutes = (await rules(deps, stop.canteen_id)).no_answer_escalate_minutes
    assert stop.reported_at is not None
    if deps.clock.now() < stop.reported_at + timedelta(minutes=minutes):
        return False
    async with deps.db.transaction() as tx:
        if not await store.mark_escalated(tx, delivery_id, deps.clock.now()):
            return False
        admins = await accounts.holders(tx, stop.canteen_id, "admin")
        volunteer = await _volunteer_name(tx, stop)
        since = local_time(deps, stop.reported_at)
        await tell(
            tx,
            deps,
            admins,
            f"escalate:delivery:{delivery_id}",
            _escalation(stop, volunteer, since, minutes),
        )
        await audit.record(
            tx, deps.clock.now(), None, "delivery.escalate", f"delivery:{delivery_id}"
        )
    deps.outbox_queued()
    return True


def _escalation(stop: Stop, volunteer: str, since: str, minutes: int) -> Callable[[str], Html]:
    def text(lang: str) -> Html:
        return t(
            lang,
            "volunteer.admin.escalate",
            name=stop.name,
            address=address(stop),
            phone=stop.phone,
            since=since,
            minutes=minutes,
            volunteer=volunteer,
        )

    return text


async def unreported(deps: Deps, window_id: int) -> int:
    """Deliveries nobody reported this long after serving: the staff are alerted (once)."""
    window = await windows.get(deps.db.conn, window_id)
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
            names = [f"#{s.id} {s.name} ({await _volunteer_name(tx, s)})" for s in late]
            await tell(
                tx,
                deps,
                staff,
                f"unreported:window:{window_id}:{late[0].id}",
                _late(window, names, minutes),
            )
    deps.outbox_queued()
    return len(late)


def _late(window: Window, names: list[str], minutes: int) -> Callable[[str], Html]:
    def text(lang: str) -> Html:
        return t(
            lang,
            "volunteer.staff.unreported",
            window=window_label(window, lang),
            minutes=minutes,
            stops="\n".join(names),
        )

    return text
