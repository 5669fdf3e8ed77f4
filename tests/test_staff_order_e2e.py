"""Staff order for seniors without Telegram, and record walk-ins at the counter."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.i18n import t
from bot.services.kitchen import kitchen_sheet
from bot.services.people import privacy, roster
from bot.services.reports import figures
from data.roster import RosterEntry
from tests.harness import ADMIN_ID, MONDAY_8AM, Env
from tests.residents_kit import seen, senior
from tests.test_kitchen_e2e import lunch, make_staff
from tests.test_staff_roles import snapshot, volunteer

PHONE = "13911112222"
STORED = "+8613911112222"  # the same number as it is kept (E.164) and shown
ORDERS_SQL = "SELECT resident_id, placed_by, source, fulfilment, status FROM orders ORDER BY id"


async def imported(env: Env, name: str = "Zhao Lan", phone: str = PHONE) -> int:
    """A senior from the roster file: approved, and no account linked to her."""
    entry = RosterEntry(name=name, phone=phone, building="7", unit="2", room="402")
    assert await roster.add_new(env.deps, 1, [entry], ADMIN_ID) == 1
    rows = await env.rows("SELECT id FROM residents WHERE name = ?", (name,))
    return int(rows[0][0])


async def family_of(env: Env, resident_id: int) -> Any:
    """A daughter links to the imported senior with the admin's family invite."""
    invite = await privacy.family_invite(env.deps, ADMIN_ID, resident_id)
    daughter = env.user(6001, "Mei Zhao", "en")
    await daughter.send(f"/start join_{invite.code}")
    return daughter


async def tap_dish(person: Any, prefix: str) -> None:
    """Tap the dish button whose label starts with `prefix` (its price depends on the tier)."""
    labels = [label for row in person.keyboard or [] for label in row]
    await person.click(next(label for label in labels if label.startswith(prefix)))


async def find(person: Any, query: str, walk_in: bool = False) -> None:
    await person.send("/order")
    assert "For whom?" in person.last.text
    if walk_in:
        await person.click("🚶 Walk-in")
        assert "who is at the counter" in person.last.text
    await person.send(query)


async def test_staff_order_lunch_for_a_senior_without_telegram_and_the_family_is_told(
    env: Env,
) -> None:
    zhao = await imported(env)
    daughter = await family_of(env, zhao)
    mei = await make_staff(env, 2001, "Mei")
    await find(mei, "Zhao")
    assert mei.last.inline_texts == [f"Zhao Lan · {STORED} · #{zhao}"]
    await mei.click(f"Zhao Lan · {STORED} · #{zhao}")
    await mei.click("Lunch today (order by 09:30)")
    await tap_dish(mei, "Set A")
    for tap in ("1", "🥡 Picked up at the canteen", "✅ Place order"):
        await mei.click(tap)
    assert mei.last.text.startswith("✅ Order placed for Zhao Lan.")
    assert await env.rows(ORDERS_SQL) == [(zhao, mei.id, "staff", "pickup", "placed")]
    text = await seen(env, daughter, "A meal was ordered for Zhao Lan")
    assert "Set A" in text


async def test_staff_find_a_senior_by_phone_among_their_canteens_approved_residents(
    env: Env,
) -> None:
    zhao = await imported(env)
    await imported(env, "Qian Bo", "13922223333")
    mei = await make_staff(env, 2001, "Mei")
    await find(mei, PHONE[-6:])
    assert mei.last.inline_texts == [f"Zhao Lan · {STORED} · #{zhao}"]
    await mei.send("no such person")
    assert "No approved resident of your canteen matches" in mei.last.text


async def test_staff_cancel_an_order_they_placed_before_the_cutoff(env: Env) -> None:
    """The ordering rule covers cancelling: staff of the canteen may cancel for the senior."""
    zhao = await imported(env)
    mei = await make_staff(env, 2001, "Mei")
    await find(mei, "Zhao")
    await mei.click(f"Zhao Lan · {STORED} · #{zhao}")
    await mei.click("Lunch today (order by 09:30)")
    await tap_dish(mei, "Set A")
    for tap in ("1", "🍽️ Zhao Lan eats at the canteen", "✅ Place order"):
        await mei.click(tap)
    (order_id,) = (await env.rows("SELECT id FROM orders"))[0]
    await mei.press(f"myo1:cancel:{order_id}")
    assert mei.last.text == "Cancel Zhao Lan's lunch on Monday 2 March, Set A?"
    await mei.click("✅ Yes, cancel it")
    assert mei.callback_answers[-1].text == f"Order #{order_id} is cancelled."
    assert await env.rows("SELECT status FROM orders") == [("cancelled",)]


async def test_a_walk_in_after_the_cutoff_is_collected_and_counted_by_the_kitchen(
    env: Env,
) -> None:
    zhao = await imported(env)
    mei = await make_staff(env, 2001, "Mei")
    await env.advance(hours=3)  # 11:00: lunch closed at 09:30, serving at 11:30
    await find(mei, "Zhao", walk_in=True)
    await mei.click(f"Zhao Lan · {STORED} · #{zhao}")
    assert "Choose a dish" in mei.last.text
    await tap_dish(mei, "Set A")
    await mei.click("1")
    assert (mei.keyboard or [])[:2] == [
        ["🥡 Picked up at the canteen"],
        ["🍽️ Zhao Lan eats at the canteen"],
    ]
    await mei.click("🍽️ Zhao Lan eats at the canteen")
    await mei.click("✅ Place order")
    assert mei.last.text.startswith("✅ Walk-in recorded for Zhao Lan")
    assert await env.rows(ORDERS_SQL) == [(zhao, mei.id, "walk_in", "dine_in", "collected")]
    window = await lunch(env)
    sheet = await kitchen_sheet.on_demand(env.deps, mei.id, window.id, "en")
    assert sheet.fulfilment["dine_in"] == 1
    report = await figures.monthly(env.deps, 1, 2026, 3, "en")
    assert report.days[MONDAY_8AM.date()]["dine_in"] == 1


async def walk_in_until_confirm(mei: Any, zhao: int) -> None:
    await find(mei, "Zhao", walk_in=True)
    await mei.click(f"Zhao Lan · {STORED} · #{zhao}")
    await tap_dish(mei, "Set A")
    await mei.click("1")
    await mei.click("🥡 Picked up at the canteen")


async def test_walk_ins_end_two_hours_after_serving(env: Env) -> None:
    zhao = await imported(env)
    mei = await make_staff(env, 2001, "Mei")
    await env.advance(hours=5)  # 13:00: lunch was served at 11:30
    await walk_in_until_confirm(mei, zhao)
    await env.advance(minutes=40)  # 13:40
    await mei.click("✅ Place order")
    assert "no longer takes walk-ins" in mei.last.text
    assert await env.rows("SELECT COUNT(*) FROM orders") == [(0,)]


async def test_a_walk_in_is_still_refused_a_sold_out_dish(env: Env) -> None:
    zhao = await imported(env)
    mei = await make_staff(env, 2001, "Mei")
    await env.advance(hours=3)
    await walk_in_until_confirm(mei, zhao)
    async with env.deps.db.transaction() as tx:
        await tx.execute("UPDATE menu_items SET sold_out = 1 WHERE code = 'A'")
    await mei.click("✅ Place order")
    assert "is sold out" in mei.messages[-2].text
    assert await env.rows("SELECT COUNT(*) FROM orders") == [(0,)]


async def test_a_resident_cannot_order_or_record_a_walk_in_for_an_unlinked_senior(
    env: Env,
) -> None:
    await senior(env, 3001, "Ann Lee")
    ann = env.user(3001, "Ann", "en")
    await ann.send("/start")
    zhao = await imported(env)
    for data in (f"ord1:for:{zhao}", f"ord1:walk:{zhao}"):
        await ann.press(data)
        assert ann.callback_answers[-1].text == "Sorry, you cannot do that.", data
    await ann.send("/order")
    assert "For whom?" not in ann.last.text
    assert await env.rows("SELECT COUNT(*) FROM orders") == [(0,)]


@pytest.mark.parametrize("who", ["volunteer", "stranger"])
async def test_a_volunteer_or_stranger_typing_order_is_kindly_refused(env: Env, who: str) -> None:
    zhao = await imported(env)
    if who == "volunteer":
        person = await volunteer(env)
    else:
        person = env.user(5001, "Stranger", "en")
        await person.send("/start")
    before = await snapshot(env)
    await person.send("/order")
    assert person.last.text == "Please register first: tap “Register”."
    await person.send(PHONE)
    assert f"#{zhao}" not in person.last.text
    await person.press(f"ord1:walk:{zhao}")
    assert person.callback_answers[-1].text == "Sorry, you cannot do that."
    assert await snapshot(env) == before


async def test_staff_see_order_in_their_command_menu_and_help(env: Env) -> None:
    mei = await make_staff(env, 2001, "Mei")
    await mei.send("/start")
    commands = {c.command: c.description for c in env.sandbox.commands[f"chat:{mei.id}"]}
    assert commands["order"] == t("en", "core.commands.order_staff")  # her Telegram's language
    await mei.send("/help")
    assert "/order — order for a senior, or record a walk-in" in mei.last.text
