"""A flood of registrations does not drown the admins, and an alert about a senior is
never queued behind routine cards."""

from __future__ import annotations

import tomllib
import zlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.canteen_file import CanteenFile, example_text
from bot.core.clock import ManualClock
from bot.core.errors import DomainError
from bot.sandbox import Sandbox
from bot.services.notices import notify
from bot.services.people import registration
from bot.services.people.registration import Answers
from bot.settings import Config
from data import accounts, outbox
from tests.harness import ADMIN_ID, Env, bot_running, make_config
from tests.residents_kit import register_by_chat, seen
from tests.test_volunteer_e2e import (
    delivery_of,
    lunch_order,
    senior,
    staff_member,
    texts,
    volunteer,
)

DIGEST = "waiting for your approval"


async def register(env: Env, account_id: int, name: str) -> int:
    """`account_id` registers `name` for someone they care for (no chat)."""
    async with env.deps.db.transaction() as tx:
        await accounts.upsert(tx, account_id, f"Helper{account_id}", None, env.clock.now(), "en")
    answers = Answers(
        relation="family",
        name=name,
        phone=f"139{zlib.crc32(name.encode()) % 10**8:08d}",  # each senior her own number
        age_band=80,
        building="Building 5",
        room="301",
        canteen_id=1,
    )
    return (await registration.submit(env.deps, account_id, answers)).id


def digests(user: object) -> list[str]:
    return [text for text in texts(user) if DIGEST in text]


def about(user: object, names: list[str]) -> list[str]:
    """The messages to `user` that name any of these seniors."""
    return [text for text in texts(user) if any(name in text for name in names)]


async def test_one_account_may_have_three_registrations_waiting_at_once(env: Env) -> None:
    for name in ("Gran One", "Gran Two", "Gran Three"):
        await register(env, 4001, name)
    helper = env.user(4001, "Helper", "en")
    await helper.send("/start")
    await helper.click("👪 Family")
    await helper.click("📝 Register another person")
    assert "3 registrations waiting" in helper.last.text
    with pytest.raises(DomainError):
        await register(env, 4001, "Gran Four")
    assert await env.rows("SELECT COUNT(*) FROM residents") == [(3,)]
    other = env.user(4002, "Other", "en")
    await register_by_chat(env, other, "Someone Else")  # another account is not held back
    await seen(env, other, "You are registered")


def taking(sandbox: Sandbox, path: Path, per_hour: int) -> Config:
    """The example canteen, taking `per_hour` registrations an hour."""
    text = example_text().replace(
        "registrations_per_hour = 30", f"registrations_per_hour = {per_hour}", 1
    )
    assert f"registrations_per_hour = {per_hour}" in text
    return make_config(sandbox, path, CanteenFile.model_validate(tomllib.loads(text)))


@pytest.fixture
async def two_an_hour(sandbox: Sandbox, clock: ManualClock, tmp_path: Path) -> AsyncIterator[Env]:
    async with bot_running(sandbox, taking(sandbox, tmp_path / "db.sqlite3", 2), clock) as env:
        yield env


@pytest.fixture
async def roomy(sandbox: Sandbox, clock: ManualClock, tmp_path: Path) -> AsyncIterator[Env]:
    async with bot_running(sandbox, taking(sandbox, tmp_path / "db.sqlite3", 500), clock) as env:
        yield env


async def test_a_canteen_takes_a_set_number_of_registrations_an_hour(two_an_hour: Env) -> None:
    env = two_an_hour
    await register(env, 4001, "Gran One")
    await register(env, 4002, "Gran Two")
    late = env.user(4003, "Late", "en")
    await register_by_chat(env, late, "Gran Three")
    assert "Many people are registering" in late.last.text
    assert "021-5555-0100" in late.last.text  # the canteen's phone
    assert ["📝 Register"] in (late.keyboard or [])  # the questions are over
    assert await env.rows("SELECT COUNT(*) FROM residents") == [(2,)]
    await env.advance(minutes=61)
    await register_by_chat(env, late, "Gran Three")
    await seen(env, late, "You are registered")


async def test_approval_cards_are_gathered_into_one_message_every_few_minutes(env: Env) -> None:
    admin = env.user(ADMIN_ID, "Admin", "en")
    await admin.send("/start")
    await register(env, 4001, "Gran One")
    await env.settle()
    assert len(about(admin, ["Gran One"])) == 1  # the first is not kept waiting

    names = [f"Gran {n}" for n in range(2, 7)]
    for number, name in enumerate(names):
        await register(env, 4100 + number, name)
    await env.settle()
    assert about(admin, names) == []  # the rest wait for the next digest

    await env.advance(minutes=5)
    assert len(about(admin, names)) == 1  # one message for the five
    assert len(digests(admin)) == 2
    gathered = next(m for m in reversed(admin.messages) if DIGEST in m.text)
    assert all(name in gathered.text for name in names)
    assert len([label for label in gathered.inline_texts if label.startswith("✅")]) == 5

    await admin.click("✅ Approve Gran 4", message=gathered)
    status = await env.rows("SELECT name, status FROM residents WHERE name = 'Gran 4'")
    assert status == [("Gran 4", "approved")]
    assert "Gran 4 is approved" in gathered.text  # the same message, Gran 4 taken off
    assert "✅ Approve Gran 4" not in gathered.inline_texts
    assert "✅ Approve Gran 5" in gathered.inline_texts
    await env.advance(minutes=10)
    assert len(digests(admin)) == 2  # nothing new, nothing sent again


async def test_a_flood_is_paged_within_telegrams_limits(roomy: Env) -> None:
    env = roomy
    admin = env.user(ADMIN_ID, "Admin", "en")
    await admin.send("/start")
    await register(env, 4000, "First Gran")
    await env.settle()
    names = [f"Gran Number {n:03d}" for n in range(120)]
    for number, name in enumerate(names):
        await register(env, 5000 + number // 3, name)
    await env.advance(minutes=5)
    pages = [m for m in admin.messages if DIGEST in m.text][1:]
    assert len(pages) > 1
    for page in pages:
        assert len(page.text) <= 4096
        assert sum(len(row) for row in page.buttons) <= 100
    shown = "\n".join(page.text for page in pages)
    assert all(shown.count(name) == 1 for name in names)


async def test_the_store_hands_out_an_alert_before_older_routine_messages(env: Env) -> None:
    async with env.deps.db.transaction() as tx:
        for n in range(150):
            await notify.text(tx, f"routine:{n}", ADMIN_ID + n, f"Routine {n}", env.clock.now())
        await notify.text(tx, "alert:1", ADMIN_ID, "Alert", env.clock.now(), urgent=True)
        due = await outbox.due(tx, env.clock.now())
        await tx.execute("DELETE FROM outbox")  # nobody is listening in this test
    assert due[0].key == "alert:1"


@pytest.mark.paced  # the routine cards wait their turn only when the sender keeps the limits
async def test_an_escalation_about_a_senior_goes_out_before_routine_cards(env: Env) -> None:
    admin = env.user(ADMIN_ID, "Admin", "en")
    await admin.send("/start")
    mei = await staff_member(env, 2001, "Mei")
    ann = await volunteer(env, mei, 5001, "Ann", "4")
    wang = await senior(env, 3001, "Wang", "Building 5", None)
    order = await lunch_order(env, 3001, wang, 2001)
    await env.advance(minutes=90)
    await ann.press(f"vol1:c:{(await delivery_of(env, order))[0]}")
    await env.advance(minutes=75)
    card = next(m for m in ann.messages if "Wang" in m.text and "🏠" in m.text)
    await ann.click("🚪 No answer", message=card)
    before = len(admin.messages)

    async with env.deps.db.transaction() as tx:  # a backlog of routine cards to the admin
        for n in range(6):
            await notify.text(tx, f"routine:{n}", ADMIN_ID, f"Routine {n}", env.clock.now())
    env.deps.outbox_queued()
    await env.advance(minutes=20)  # nobody saw to Wang: the admins are alerted
    await env.drained()
    got = [m.text for m in admin.messages[before:]]
    alert = next(i for i, text in enumerate(got) if "Nobody has taken incident" in text)
    routine = [i for i, text in enumerate(got) if text.startswith("Routine")]
    assert len(routine) == 6
    assert alert < routine[-3], got
    priority = await env.rows("SELECT priority FROM outbox WHERE key LIKE 'incident:%:raised1:%'")
    assert priority
    assert all(value > 0 for (value,) in priority)
