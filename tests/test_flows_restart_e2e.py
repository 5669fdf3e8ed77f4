"""A half-answered question survives the bot: stopped and started again on the same store,
the person answers the next question and finishes as if nothing had happened."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import pytest

from bot.core.clock import ManualClock
from bot.sandbox import Sandbox
from tests.harness import ADMIN_ID, Env, bot_running, make_config
from tests.homes_kit import person
from tests.residents_kit import seen, senior
from tests.test_kitchen_e2e import click_starting
from tests.test_ordering_e2e import LUNCH_TODAY, ORDER, ORDERS_SQL, SET_A
from tests.test_roster_e2e import csv_file

Run = Callable[[], AbstractAsyncContextManager[Env]]
FLOW_SQL = "SELECT account_id, name, step FROM flows ORDER BY account_id"


@pytest.fixture
def run(sandbox: Sandbox, clock: ManualClock, tmp_path: Path) -> Run:
    """Start a bot on the same store and sandbox; leaving the block stops it for good
    (its process state, user_data included, is gone)."""
    config = make_config(sandbox, tmp_path / "doorstep.sqlite3")

    def start() -> AbstractAsyncContextManager[Env]:
        return bot_running(sandbox, config, clock)

    return start


async def test_a_senior_registering_carries_on_after_a_restart(run: Run) -> None:
    async with run() as env:
        ann = env.user(2001, "Ann", language_code="en")
        await ann.send("/start")
        await ann.click("📝 Register")
        await ann.click("🙋 Myself")
        await ann.send("Ann Lee")
        await ann.click("📱 Share my phone number")
        await ann.click("80 or older")
        assert ann.last.text.startswith("Which building")
    async with run() as env:
        await ann.send("Building 5")
        assert ann.last.text.startswith("Which unit")
        await ann.click("⬅️ Back")  # the way back survived too
        assert ann.last.text.startswith("Which building")
        await ann.send("Building 6")
    async with run() as env:
        await ann.click("No unit")  # a button of the screen she still sees
        await ann.send("301")
        await ann.click("Skip")
        await ann.click("Yes")
        await ann.click("Low salt")
    async with run() as env:
        await ann.click("✅ Done")  # the ticked diet was kept across the restart
        assert "Low salt" in ann.last.text
        await ann.click("✅ Send for approval")
        await seen(env, ann, "You are registered")
        registered = await env.rows(
            "SELECT name, phone, age_band, building, unit, room, lives_alone, diet, status"
            " FROM residents"
        )
        assert registered == [
            ("Ann Lee", "+8613800002001", 80, "Building 6", "", "301", 1, "low_salt", "pending")
        ]
        assert await env.rows(FLOW_SQL) == []


async def test_an_order_half_way_carries_on_after_a_restart(run: Run) -> None:
    async with run() as env:
        resident_id = await senior(env, 3001, "Ann Lee")
        ann = env.user(3001, "Ann", language_code="en")
        await ann.send("/start")
        await ann.click(ORDER)
        await ann.click(LUNCH_TODAY)
        await ann.click(SET_A)
        assert ann.last.text.startswith("How many portions")
    async with run() as env:
        await ann.click("2")
        await ann.click("🚪 Bring it to my door")
        assert "Set A" in ann.last.text  # the review names the dish chosen before
        await ann.click("✅ Place order")
        text = await seen(env, ann, "Order placed")
        assert "Set A: steamed sea bass, greens, rice × 2" in text
        (placed,) = await env.rows(ORDERS_SQL)
        assert (placed[0], placed[2], placed[3]) == (resident_id, "delivery", "placed")
        assert await env.rows("SELECT portions FROM order_items") == [(2,)]
        assert await env.rows(FLOW_SQL) == []


async def test_the_question_is_in_the_store_until_it_is_finished_or_cancelled(run: Run) -> None:
    async with run() as env:
        await senior(env, 3001, "Ann Lee")
        ann = env.user(3001, "Ann", language_code="en")
        await ann.send("/start")
        await ann.click(ORDER)
        assert await env.rows(FLOW_SQL) == [(3001, "order", "window")]
        await ann.click(LUNCH_TODAY)
        assert await env.rows(FLOW_SQL) == [(3001, "order", "dish")]
        await ann.click("✖️ Cancel")
        assert await env.rows(FLOW_SQL) == []
        await ann.click(ORDER)
        await ann.send("/start")  # /start leaves the question too
        assert await env.rows(FLOW_SQL) == []
        await ann.click(ORDER)
        await ann.click(LUNCH_TODAY)
        await ann.click(SET_A)
        await ann.click("1")
        await ann.click("🚪 Bring it to my door")
        await ann.click("✅ Place order")
        await seen(env, ann, "Order placed")
        assert await env.rows(FLOW_SQL) == []


async def test_a_question_of_yesterday_expires_kindly_after_a_restart(run: Run) -> None:
    async with run() as env:
        await senior(env, 3001, "Ann Lee")
        ann = env.user(3001, "Ann", language_code="en")
        await ann.send("/start")
        await ann.click(ORDER)
    async with run() as env:
        await env.advance(hours=23, minutes=30)  # Tuesday 07:30
        await ann.click(LUNCH_TODAY)
        assert ann.last.text.startswith("That question was from an earlier day")
        assert await env.rows("SELECT COUNT(*) FROM orders") == [(0,)]
        assert await env.rows(FLOW_SQL) == []


async def test_a_dish_half_added_carries_on_after_a_restart(run: Run) -> None:
    async with run() as env:
        mei = await person(env, 2001, "Mei", "en", ("staff",))
        await mei.send("/start")
        await mei.send("/menu")
        await click_starting(mei, "Mon 2 Mar lunch")
        await mei.click("➕ Add dish")
        await mei.send("Tofu stew")
        assert mei.last.text.startswith("Price of Tofu stew")
    async with run() as env:
        await mei.send("12")
        tags = mei.last
        await mei.click("▫️ soft", message=tags)
    async with run() as env:
        await mei.click("Next ➡️", message=tags)
        await mei.send("20")
        added = await env.rows(
            "SELECT name, price_fen, tags, capacity FROM menu_items WHERE name = 'Tofu stew'"
        )
        assert added == [("Tofu stew", 1200, "soft", 20)]
        assert await env.rows(FLOW_SQL) == []


async def test_a_roster_checked_before_a_restart_is_imported_after_it(
    run: Run, tmp_path: Path
) -> None:
    """The roster's dry run is kept in the store with the file, its buttons name it."""
    async with run() as env:
        admin = env.user(ADMIN_ID, "Admin", language_code="en")
        await admin.send("/start")
        await admin.send_document("roster.csv", csv_file(tmp_path).read_bytes())
        assert "• new residents to add: 2" in admin.last.text
    async with run() as env:
        await admin.click("✅ Import the new residents (2)")
        assert "Residents imported: 2" in admin.last.text
        assert await env.rows("SELECT COUNT(*) FROM residents") == [(2,)]


async def test_a_kept_question_that_no_longer_fits_is_let_go_kindly(run: Run) -> None:
    """A row written by another version (a step's answer of another shape) is no question
    any more: the person hears what the bot does, and the row is gone."""
    async with run() as env:
        await senior(env, 3001, "Ann Lee")
        ann = env.user(3001, "Ann", language_code="en")
        await ann.send("/start")
        await ann.click(ORDER)
        async with env.deps.db.transaction() as tx:
            await tx.execute("UPDATE flows SET state = ?", ('{"resident": "Ann"}',))
        await ann.click(LUNCH_TODAY)
        assert ann.last.text.startswith("I can order lunch or dinner")
        assert await env.rows(FLOW_SQL) == []
        assert await env.rows("SELECT COUNT(*) FROM orders") == [(0,)]
