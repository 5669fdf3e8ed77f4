"""A month for the funder: only served meals are claimed, and the days add up to the month.

The bot plays March 2026 day by day on the manual clock. On four days seniors order
lunch; their meals are delivered, collected, eaten in, or not served (nobody at the
door, refused, cooked but never collected); some orders are declined or cancelled. The
admin gets a daily summary every evening and the monthly report on 1 April.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.canteen_file import CanteenFile, example_text
from bot.core.clock import ManualClock
from bot.sandbox import BotMessage, Sandbox, SandboxUser
from bot.services.delivery import outcomes
from bot.services.kitchen import receipt
from bot.services.kitchen import windows as window_service
from bot.services.ordering import order_history, placing
from data import windows
from data.models import Fulfilment
from tests.harness import ADMIN_ID, TZ, Env, bot_running, make_config
from tests.test_reports_e2e import arrived
from tests.test_volunteer_e2e import senior, staff_member, volunteer

STAFF, VOLUNTEER = 2001, 5001
PEOPLE = {"Wang": 3001, "Zhao": 3002, "Li": 3003, "Sun": 3004, "Zhou": 3005, "Qian": 3006}
SERVED_FATES = ("delivered", "concern", "collected")
# what the not-served meals must be listed with
REASONS = {
    "no_answer": "nobody answered the door",
    "refused": "refused at the door",
    "uncollected": "cooked but never collected",
}


@dataclass(frozen=True)
class Meal:
    who: str
    dish: str
    portions: int
    how: Fulfilment
    fate: str  # delivered, concern, no_answer, refused, collected, uncollected, declined, cancelled
    note: str = ""


MONTH: dict[int, list[Meal]] = {
    2: [
        Meal("Wang", "A", 1, "delivery", "delivered"),
        Meal("Zhao", "A", 1, "delivery", "no_answer"),
        Meal("Li", "C", 1, "pickup", "collected"),
        Meal("Zhou", "A", 1, "dine_in", "collected"),
        Meal("Sun", "C", 2, "pickup", "uncollected"),
        Meal("Qian", "A", 1, "delivery", "declined"),
    ],
    3: [
        Meal("Wang", "A", 2, "delivery", "refused"),
        Meal("Zhao", "A", 1, "delivery", "delivered"),
        Meal("Li", "C", 1, "pickup", "uncollected"),
        Meal("Sun", "A", 1, "dine_in", "collected"),
        Meal("Zhou", "C", 1, "pickup", "cancelled"),
    ],
    17: [
        Meal("Wang", "A", 1, "delivery", "no_answer", "gate locked"),
        Meal("Zhao", "C", 1, "delivery", "delivered"),
        Meal("Li", "A", 1, "dine_in", "collected"),
        Meal("Qian", "A", 1, "pickup", "collected"),
    ],
    31: [
        Meal("Wang", "A", 1, "delivery", "delivered"),
        Meal("Zhao", "A", 1, "delivery", "delivered"),
        Meal("Qian", "A", 1, "delivery", "concern", "looked tired"),
        Meal("Sun", "C", 1, "pickup", "collected"),
        Meal("Zhou", "A", 1, "dine_in", "uncollected"),
    ],
}
HOW = {"delivery": "Delivery", "pickup": "Pickup", "dine_in": "Dine-in"}
ACTION = {"delivered": "ok", "concern": "cn", "no_answer": "na", "refused": "rf"}


@pytest.fixture
async def env(sandbox: Sandbox, clock: ManualClock, tmp_path: Path) -> AsyncIterator[Env]:
    """The example canteen, set up so a month plays in seconds of real time: no daily
    check-in and a month-long wellness watch (else a month of calls to the admin), the
    kitchen sheets to the cook's own chat (a group takes 20 messages a minute, in real
    time)."""
    text = example_text().replace("daily_checkin = true", "daily_checkin = false")
    text = text.replace("wellness_quiet_days = 3", "wellness_quiet_days = 60")
    text = text.replace("kitchen_chat_id = -1001000000001", f"kitchen_chat_id = {STAFF}")
    canteens = CanteenFile.model_validate(tomllib.loads(text))
    config = make_config(sandbox, tmp_path / "db.sqlite3", canteens)
    async with bot_running(sandbox, config, clock) as running:
        yield running


async def to(env: Env, day: int, hour: int, minute: int = 0) -> None:
    """Move the clock to this moment of March 2026 (or after), running what falls due."""
    moment = datetime(2026, 3, 1, hour, minute, tzinfo=TZ) + timedelta(days=day - 1)
    await env.advance(seconds=(moment - env.clock.now()).total_seconds())


async def place(env: Env, people: dict[str, int], day: int, meals: list[Meal]) -> dict[int, Meal]:
    """Each senior orders their lunch; staff decline one, a senior cancels one, the rest is
    confirmed."""
    window = await windows.find(env.deps.db.conn, 1, date(2026, 3, day), "lunch")
    assert window is not None
    menu = {item.code: item for item in await windows.menu(env.deps.db.conn, window.id)}
    placed: dict[int, Meal] = {}
    for meal in meals:
        draft = placing.Draft(
            people[meal.who], window.id, menu[meal.dish].id, meal.portions, meal.how
        )
        order = await placing.place(env.deps, PEOPLE[meal.who], draft, "en")
        placed[order.id] = meal
        if meal.fate == "declined":
            await receipt.decline(env.deps, STAFF, order.id, "sold_out")
        if meal.fate == "cancelled":
            await order_history.cancel(env.deps, PEOPLE[meal.who], order.id)
    await receipt.confirm_all(env.deps, STAFF, window.id)
    await env.settle()
    return placed


async def serve(env: Env, vol: SandboxUser, placed: dict[int, Meal]) -> None:
    """At the doors and the counter, each meal meets its fate."""
    for order_id, meal in placed.items():
        if meal.how == "delivery" and meal.fate in ACTION:
            rows = await env.rows("SELECT id FROM deliveries WHERE order_id = ?", (order_id,))
            delivery = rows[0][0]
            if meal.note:  # what the volunteer wrote down at the door
                await outcomes.report(env.deps, VOLUNTEER, delivery, ACTION[meal.fate], meal.note)
            else:
                await vol.press(f"vol1:{ACTION[meal.fate]}:{delivery}")
        elif meal.fate == "collected":
            await receipt.collected(env.deps, STAFF, order_id)
    await env.settle()


async def play_lunch(
    env: Env, vol: SandboxUser, people: dict[str, int], day: int
) -> dict[int, Meal]:
    await to(env, day, 8)
    placed = await place(env, people, day, MONTH[day])
    await to(env, day, 9, 30)  # the cutoff: the kitchen sheet goes out
    window = await windows.find(env.deps.db.conn, 1, date(2026, 3, day), "lunch")
    assert window is not None
    await window_service.meals_ready(env.deps, STAFF, window.id)
    await to(env, day, 10, 45)  # the claim deadline: the route goes to the volunteer
    await to(env, day, 11, 40)
    await serve(env, vol, placed)
    return placed


@dataclass(frozen=True)
class Daily:
    day: str
    served: int
    subsidy: Decimal
    unserved: int
    text: str


def daily_of(message: BotMessage) -> Daily:
    text = message.text
    day = re.search(r"Today at .+ \((\d{4}-\d\d-\d\d)\)", text)
    subsidy = re.search(r"Subsidy to claim: ¥(\d+\.\d\d)", text)
    unserved = re.search(r"Meals not served: (\d+)", text)
    served = re.findall(r"^(?:Lunch|Dinner): (\d+) meals? served", text, re.MULTILINE)
    assert day, text
    assert subsidy, text
    assert len(served) == 2, text
    assert unserved or "Not served: none" in text, text
    return Daily(
        day.group(1),
        sum(int(n) for n in served),
        Decimal(subsidy.group(1)),
        int(unserved.group(1)) if unserved else 0,
        text,
    )


async def test_a_month_claims_only_served_meals_and_the_days_add_up_to_the_month(
    env: Env,
) -> None:
    admin = env.user(ADMIN_ID, "Admin", language_code="en")
    await admin.send("/start")
    mei = await staff_member(env, STAFF, "Mei")
    vol = await volunteer(env, mei, VOLUNTEER, "Ann", "4")
    people = {
        name: await senior(env, account, name, f"Building {n}", None)
        for n, (name, account) in enumerate(PEOPLE.items(), start=1)
    }
    placed: dict[int, Meal] = {}
    for day in range(2, 32):
        if day in MONTH:
            placed |= await play_lunch(env, vol, people, day)
        await to(env, day, 20)  # the daily summary
    await to(env, 32, 7)  # 1 April 07:00: last month's report has gone out at 06:00
    await env.drained()

    # The store agrees with the plan: what was served is exactly what the plan served.
    statuses = dict(await env.rows("SELECT id, status FROM orders"))
    for order_id, meal in placed.items():
        served = statuses[order_id] in ("delivered", "collected")
        assert served == (meal.fate in SERVED_FATES), (meal, statuses[order_id])
    served_orders = [i for i, m in placed.items() if m.fate in SERVED_FATES]
    unserved_orders = {
        i: m for i, m in placed.items() if m.fate in ("no_answer", "refused", "uncollected")
    }
    marks = ",".join("?" * len(served_orders))
    ((claimable,),) = await env.rows(
        f"SELECT SUM(subsidy_fen) FROM orders WHERE id IN ({marks})", tuple(served_orders)
    )
    ((priced_for_all,),) = await env.rows(
        "SELECT SUM(subsidy_fen) FROM orders WHERE status NOT IN ('declined', 'cancelled')"
    )
    assert claimable < priced_for_all  # the unserved meals carried a subsidy; it is not claimed
    served_meals = sum(placed[i].portions for i in served_orders)
    unserved_meals = sum(m.portions for m in unserved_orders.values())

    # Every evening of March from the 2nd, one summary; together they make the month.
    dailies = [daily_of(m) for m in admin.messages if "Today at" in m.text]
    assert [d.day for d in dailies] == [f"2026-03-{n:02d}" for n in range(2, 32)]
    assert sum(d.served for d in dailies) == served_meals
    assert sum(d.subsidy for d in dailies) == Decimal(claimable) / 100
    assert sum(d.unserved for d in dailies) == unserved_meals
    second = next(d for d in dailies if d.day == "2026-03-02")
    assert "Lunch: 3 meals served (1 delivered to the door, 1 pickup, 1 dine-in)" in second.text
    assert "Meals not served: 3, no subsidy claimed" in second.text
    assert "Zhao · Lunch · Delivery · meals: 1 · nobody answered the door" in second.text
    assert "Sun · Lunch · Pickup · meals: 2 · cooked but never collected" in second.text
    assert "Qian" not in second.text  # declined: never a meal

    # The monthly report: the same figures, the unserved listed apart with their reasons.
    files = await arrived(env, admin, 4)
    by_name = {f.document.filename: f.document.content for f in files if f.document}
    book = load_workbook(io.BytesIO(by_name["doorstep-2026-03-canteen1.xlsx"]))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert summary["Meals served"] == served_meals
    assert summary["Meals not served"] == unserved_meals
    assert summary["Subsidy (yuan)"] == claimable / 100
    residents = list(book["Residents"].iter_rows(values_only=True))
    assert residents[-1][2:5:2] == (served_meals, claimable / 100)
    days = {row[0]: row[1:] for row in book["Days"].iter_rows(values_only=True)}
    for daily in dailies:
        assert sum(days[daily.day][:3]) == daily.served
        assert days[daily.day][3] == daily.unserved

    listed = list(book["Not served"].iter_rows(values_only=True))
    assert listed[0] == ("Day", "Meal", "Order", "Resident id", "Name", "How", "Meals",
                         "Reason (no subsidy claimed)")  # fmt: skip
    found = {row[2]: row for row in listed[1:]}
    assert set(found) == set(unserved_orders)
    for order_id, meal in unserved_orders.items():
        reason = REASONS[meal.fate] + (f" ({meal.note})" if meal.note else "")
        assert found[order_id][4:] == (meal.who, HOW[meal.how], meal.portions, reason)
    table = list(csv.reader(io.StringIO(by_name["doorstep-2026-03-canteen1-not-served.csv"]
                                        .decode("utf-8-sig"))))  # fmt: skip
    assert [row[2] for row in table[1:]] == [str(row[2]) for row in listed[1:]]
    assert [row[7] for row in table[1:]] == [row[7] for row in listed[1:]]

    text = next(m.text for m in admin.messages if "Monthly report" in m.text)
    assert f"Meals served: {served_meals} · residents:" in text
    assert f"Subsidy to claim: ¥{Decimal(claimable) / 100:.2f}" in text
    assert f"Meals not served: {unserved_meals}, no subsidy claimed" in text
