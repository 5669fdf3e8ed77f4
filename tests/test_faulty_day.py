"""A whole lunch under 10 % injected faults, with Telegram's rate limits enforced: every
notification of the day reaches its chat exactly once, and the sender never hits a 429.

The people act through the services their buttons call, so that what is under test is
what must arrive (the outbox): order notices to families, confirmations and a decline,
a cancellation, the kitchen sheet and its CSV, the claim boards, the routes with a card
per stop, and what happened at each door, to families and staff.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from bot.sandbox import RandomFaults
from bot.sandbox.faults import RateLimiter, RateLimits
from bot.services.delivery import outcomes
from bot.services.kitchen import receipt
from bot.services.kitchen import windows as window_service
from bot.services.ordering import order_history
from data import accounts, invariants, links
from data.models import Fulfilment
from scheduling import dispatch
from tests.harness import KITCHEN_CHAT, Env
from tests.test_crash import CLAIM_UNTIL, CLOSE_AT, READY_AT, STAFF
from tests.test_kitchen_e2e import add_resident, lunch, order
from tests.test_replay import add_volunteer

SENIORS = range(3001, 3009)
FAMILY = 3101  # the daughter of the first two seniors (a couple)
VOLUNTEERS = (4001, 4002)

pytestmark = pytest.mark.paced  # the sender must keep Telegram's limits under faults


@pytest.fixture(autouse=True)
def quick_routing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dispatch, "SOLVE_SECONDS", 0.05)


async def people(env: Env) -> list[int]:
    """Eight seniors with their own accounts, a daughter, staff and two volunteers."""
    now = env.clock.now()
    residents = []
    for n, account_id in enumerate(SENIORS):
        resident = await add_resident(env, account_id, f"S{n}", building=f"{n % 3 + 1}")
        residents.append(resident)
    async with env.deps.db.transaction() as tx:
        for account_id in (FAMILY, STAFF):
            await accounts.ensure(tx, account_id, now)
            await accounts.set_language(tx, account_id, "en")
        await accounts.grant_role(tx, STAFF, 1, "staff", None, now)
        for resident in residents[:2]:
            await links.create(tx, FAMILY, resident, "family", now)
        await tx.execute("UPDATE residents SET delivery_eligible = 1")
    for account_id, name in ((FAMILY, "Dee"), (STAFF, "Mei")):
        await env.user(account_id, name, "en").send("/start")
    for account_id in VOLUNTEERS:
        await add_volunteer(env, account_id, f"V{account_id}", capacity=4)
    return residents


async def test_a_lunch_under_ten_percent_faults_delivers_every_notice_exactly_once(
    env: Env,
) -> None:
    residents = await people(env)
    start = {chat: len(env.sandbox.chat(chat).messages) for chat in chats(env)}
    env.sandbox.server.rate_limiter = RateLimiter(RateLimits())
    env.sandbox.faults = RandomFaults(share=0.10, seed=6, hang=5.5)

    placed = []
    for n, (account_id, resident) in enumerate(zip(SENIORS, residents, strict=True)):
        how: Fulfilment = "pickup" if n == 7 else "delivery"
        placed.append(await order(env, account_id, resident, "A", 1 + n % 2, how))
    await order_history.cancel(env.deps, SENIORS[6], placed[6])
    window_id = (await lunch(env)).id
    await receipt.decline(env.deps, STAFF, placed[5], "area")
    await receipt.confirm_all(env.deps, STAFF, window_id)

    await env.advance(minutes=(CLOSE_AT - env.clock.now()).total_seconds() / 60)  # close
    await env.advance(minutes=(CLAIM_UNTIL - env.clock.now()).total_seconds() / 60)  # routes
    env.clock.set(READY_AT)
    await window_service.meals_ready(env.deps, STAFF, window_id)
    stops = await env.rows("SELECT id, volunteer_id FROM deliveries ORDER BY id")
    for n, (delivery_id, volunteer_id) in enumerate(stops):
        await outcomes.report(env.deps, volunteer_id, delivery_id, "na" if n == 0 else "ok")
    await env.drained()

    rows = await env.rows("SELECT chat_id, message_id, status FROM outbox ORDER BY id")
    assert Counter(status for _, _, status in rows) == {"sent": len(rows)}  # nothing lost
    received = {
        chat: [m.message_id for m in env.sandbox.chat(chat).messages[seen:]]
        for chat, seen in start.items()
    }
    queued: defaultdict[int, list[int]] = defaultdict(list)
    for chat, message_id, _ in rows:
        queued[chat].append(message_id)
    assert {chat: ids for chat, ids in received.items() if ids} == dict(queued)  # none doubled
    injected = Counter(item.kind for item in env.sandbox.injected)
    assert injected["rate_limit"] == 0
    assert sum(injected.values()) >= 3, "the faults were not exercised"
    assert len(rows) >= 25
    assert await invariants.check(env.deps.db.conn) == []


def chats(env: Env) -> list[int]:
    return [*SENIORS, FAMILY, STAFF, *VOLUNTEERS, KITCHEN_CHAT]
