"""Idempotent updates: an update Telegram delivers again, or a button pressed twice at once,
places one order, confirms once, claims one delivery, and answers the user once."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bot.core.callbacks import VOLUNTEER
from bot.core.clock import ManualClock
from bot.sandbox import Sandbox, SandboxUser
from data import accounts, invariants
from data import volunteers as volunteer_store
from data.models import Volunteer
from tests.harness import Env, bot_running, make_config
from tests.test_kitchen_e2e import CUTOFF, add_resident, click_starting, make_staff
from tests.test_ordering_e2e import LUNCH_TODAY, ORDER

PLACE = "✅ Place order"
SET_A = "Set A: steamed sea bass, greens, rice · 15 yuan"  # no subsidy tier
TAPS = [ORDER, LUNCH_TODAY, SET_A, "1", "🚪 Bring it to my door", PLACE]
Updates = list[dict[str, Any]]


async def add_volunteer(env: Env, account_id: int, name: str, capacity: int = 4) -> SandboxUser:
    """A volunteer of the Sunrise canteen who helps every day at every meal."""
    now = env.clock.now()
    async with env.deps.db.transaction() as tx:
        await accounts.ensure(tx, account_id, now)
        await accounts.set_language(tx, account_id, "en")
        await accounts.grant_role(tx, account_id, 1, "volunteer", None, now)
        volunteer = Volunteer(
            account_id=account_id,
            canteen_id=1,
            name=name,
            phone="",
            capacity=capacity,
            weekdays="mon,tue,wed,thu,fri,sat,sun",
            meals="lunch,dinner",
            area="",
            lat=None,
            lon=None,
            active=True,
            created_at=now,
        )
        await volunteer_store.save(tx, volunteer, now)
    user: SandboxUser = env.user(account_id, name, "en")
    await user.send("/start")
    return user


async def order_by_chat(user: SandboxUser, sent: Updates | None = None) -> dict[str, Any]:
    """The six taps of an order; returns the update of the last one (Place order)."""
    update: dict[str, Any] = {}
    for tap in TAPS:
        update = await user.click(tap)
        if sent is not None:
            sent.append(update)
    return update


async def confirm_by_staff(staff: SandboxUser, order_id: int, sent: Updates) -> None:
    sent.append(await staff.send("/orders"))
    await click_starting(staff, "Mon 2 Mar lunch")
    sent.append(await staff.click(f"✅ #{order_id}"))


def board_of(user: SandboxUser) -> Any:
    return next(m for m in reversed(user.messages) if "Deliveries for" in m.text)


async def snapshot(env: Env, people: list[SandboxUser]) -> dict[str, Any]:
    """What a replay must not change: rows, and what every person was shown."""
    return {
        "orders": await env.rows("SELECT id, resident_id, window_id, status FROM orders"),
        "deliveries": await env.rows("SELECT id, order_id, volunteer_id, state FROM deliveries"),
        "outbox": await env.rows("SELECT key FROM outbox ORDER BY key"),
        "shown": {p.name: (len(p.messages), len(p.callback_answers)) for p in people},
    }


async def test_a_morning_of_updates_replayed_after_a_restart_changes_nothing(
    sandbox: Sandbox, clock: ManualClock, tmp_path: Path
) -> None:
    """Every update of an order, its confirmation and a claim, delivered again: no effect."""
    config = make_config(sandbox, tmp_path / "doorstep.sqlite3")
    sent: Updates = []
    async with bot_running(sandbox, config, clock) as env:
        mei = await make_staff(env, 2001, "Mei")
        vic = await add_volunteer(env, 4001, "Vic")
        await add_resident(env, 3001, "Ann")
        ann = env.user(3001, "Ann", "en")
        await order_by_chat(ann, sent)
        ((order_id,),) = await env.rows("SELECT id FROM orders")
        await confirm_by_staff(mei, order_id, sent)
        await env.advance(minutes=CUTOFF.minute + 60 - clock.now().minute)  # 09:30: close
        ((delivery_id,),) = await env.rows("SELECT id FROM deliveries")
        sent.append(await vic.click(f"#{delivery_id}", message=board_of(vic)))
        people = [mei, vic, ann]
        before = await snapshot(env, people)
    assert before["deliveries"] == [(delivery_id, order_id, 4001, "claimed")]

    for update in sent:
        sandbox.redeliver(update)
    async with bot_running(sandbox, config, clock) as env:
        await env.settle()
        assert await snapshot(env, people) == before
        assert await invariants.check(env.deps.db.conn) == []
    assert len(sent) == 9  # nine updates replayed, nothing doubled
    assert sandbox.unanswered_callbacks == []


async def test_the_place_order_tap_redelivered_after_a_restart_places_one_order(
    sandbox: Sandbox, clock: ManualClock, tmp_path: Path
) -> None:
    config = make_config(sandbox, tmp_path / "doorstep.sqlite3")
    async with bot_running(sandbox, config, clock) as env:
        await add_resident(env, 3001, "Ann")
        ann = env.user(3001, "Ann", "en")
        place = await order_by_chat(ann)
        shown = len(ann.messages)
    sandbox.redeliver(place)
    async with bot_running(sandbox, config, clock) as env:
        await env.settle()
        assert await env.rows("SELECT COUNT(*) FROM orders") == [(1,)]
    assert len(ann.messages) == shown
    assert sum("Order placed" in m.text for m in ann.messages) == 1


async def test_place_order_tapped_twice_at_once_places_one_order_and_confirms_once(
    env: Env,
) -> None:
    await add_resident(env, 3001, "Ann")
    ann = env.user(3001, "Ann", "en")
    for tap in TAPS[:-1]:
        await ann.click(tap)
    await asyncio.gather(ann.click(PLACE, wait=False), ann.click(PLACE, wait=False))
    await env.settle()
    assert await env.rows("SELECT COUNT(*) FROM orders") == [(1,)]
    assert sum("Order placed" in m.text for m in ann.messages) == 1
    assert "Order placed" not in ann.last.text  # the second tap was answered too


async def test_confirm_pressed_twice_at_once_confirms_once_and_tells_the_senior_once(
    env: Env,
) -> None:
    mei = await make_staff(env, 2001, "Mei")
    await add_resident(env, 3001, "Ann")
    ann = env.user(3001, "Ann", "en")
    await order_by_chat(ann)
    ((order_id,),) = await env.rows("SELECT id FROM orders")
    await mei.send("/orders")
    await click_starting(mei, "Mon 2 Mar lunch")
    board = mei.last
    presses = [mei.click(f"✅ #{order_id}", message=board, wait=False) for _ in range(2)]
    await asyncio.gather(*presses)
    await env.settle()
    assert await env.rows("SELECT status FROM orders") == [("confirmed",)]
    assert await env.rows("SELECT COUNT(*) FROM outbox WHERE key LIKE '%:confirmed:%'") == [(1,)]
    assert sum("confirmed" in m.text.lower() for m in ann.messages) == 1
    assert len(mei.callback_answers) == 3  # the window pick and both presses
    assert env.sandbox.unanswered_callbacks == []


async def test_claim_pressed_twice_at_once_claims_one_delivery_once(env: Env) -> None:
    vic = await add_volunteer(env, 4001, "Vic", capacity=2)
    await add_resident(env, 3001, "Ann")
    ann = env.user(3001, "Ann", "en")
    await order_by_chat(ann)
    async with env.deps.db.transaction() as tx:
        await tx.execute("UPDATE orders SET status = 'confirmed'")
    env.clock.set(CUTOFF)
    await env.settle()
    ((delivery_id,),) = await env.rows("SELECT id FROM deliveries")
    board = board_of(vic)
    data = f"{VOLUNTEER.prefix}:c:{delivery_id}"
    await asyncio.gather(*(vic.press(data, board.message_id, wait=False) for _ in range(2)))
    await env.settle()
    assert await env.rows("SELECT volunteer_id, state FROM deliveries") == [(4001, "claimed")]
    claimed = await env.rows("SELECT COUNT(*) FROM audit_log WHERE action = 'delivery.claim'")
    assert claimed == [(1,)]
    yours = f"Yours: #{delivery_id}. You get the route with addresses at the claim deadline."
    assert [a.text for a in vic.callback_answers] == [yours, yours]  # not "someone else took it"
    assert env.sandbox.unanswered_callbacks == []
    assert await invariants.check(env.deps.db.conn) == []
