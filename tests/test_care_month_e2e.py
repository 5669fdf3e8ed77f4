"""The month's care figures (incidents, meal ratings, volunteers' hours) match the store,
a volunteer sees their month, and each volunteer is thanked on the 1st."""

from __future__ import annotations

import io
import math
import statistics
from datetime import datetime
from typing import Any

from openpyxl import load_workbook

from bot.services.kitchen import receipt
from bot.services.kitchen import windows as window_service
from tests.harness import ADMIN_ID, TZ, Env
from tests.test_door_outcomes_e2e import card_of
from tests.test_incidents_e2e import incident_cards
from tests.test_no_missed_meal_e2e import lunch_id, place
from tests.test_volunteer_e2e import senior, staff_member, texts, volunteer

WANG_HOME = (31.2330, 121.4760)
CANTEEN = (31.2304, 121.4737)  # the example canteen file's location


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


async def a_month(env: Env) -> tuple[Any, Any, Any, Any, int, int]:
    """Wang's lunch carried by Ann and rated cold (an incident Mei takes and closes); Li's
    pickup collected and rated good."""
    mei = await staff_member(env, 2001, "Mei")
    ann = await volunteer(env, mei, 5001, "Ann", "4")
    wang_id = await senior(env, 3001, "Wang", "Building 5", WANG_HOME)
    li_id = await senior(env, 3002, "Li", "Building 7", None)
    li_order = await place(env, 3002, li_id, "pickup")
    order = await place(env, 3001, wang_id)
    await receipt.confirm(env.deps, 2001, order)
    await receipt.confirm(env.deps, 2001, li_order)
    await env.advance(minutes=165)
    await window_service.meals_ready(env.deps, 2001, await lunch_id(env))
    await env.drained()
    await env.advance(minutes=20)
    await ann.click("✅ Delivered", message=card_of(ann))
    await receipt.collected(env.deps, 2001, li_order)
    await env.drained()
    wang, li = env.sandbox.user(3001, "Wang"), env.sandbox.user(3002, "Li")
    asked = next(m for m in wang.messages if "How was" in m.text)
    await wang.click("😞 Not good", message=asked)
    await wang.click("🥶 Cold", message=asked)
    await li.click("😊 Good", message=next(m for m in li.messages if "How was" in m.text))
    await env.drained()
    [card] = incident_cards(mei)
    await env.advance(minutes=12)
    await mei.click("🙋 I'll handle it", message=card)
    await env.advance(minutes=25)
    await mei.click("✅ Close", message=card)
    await mei.click("📞 Reached her", message=card)
    return mei, ann, wang, li, order, li_order


async def test_the_months_care_figures_match_the_store_and_volunteers_are_thanked(
    env: Env,
) -> None:
    _, ann, _, _, _, _ = await a_month(env)
    admin = env.user(ADMIN_ID, "Admin", "en")

    # What the store holds, read here on its own.
    incidents = await env.rows("SELECT opened_at, taken_at, closed_at, kind FROM incidents")
    take = [
        (datetime.fromisoformat(t) - datetime.fromisoformat(o)).total_seconds() // 60
        for o, t, _, _ in incidents
        if t
    ]
    close = [
        (datetime.fromisoformat(c) - datetime.fromisoformat(o)).total_seconds() // 60
        for o, _, c, _ in incidents
        if c
    ]
    ratings = dict(await env.rows("SELECT rating, COUNT(*) FROM feedback GROUP BY rating"))
    carried = await env.rows(
        "SELECT d.volunteer_id, COUNT(DISTINCT d.window_id), SUM(i.portions), COUNT(*)"
        " FROM deliveries d JOIN order_items i ON i.order_id = d.order_id"
        " WHERE d.state = 'delivered' GROUP BY d.volunteer_id"
    )
    assert carried == [(5001, 1, 1, 1)]
    walk = 2 * metres(CANTEEN, WANG_HOME)  # out to her door and back
    assert (len(incidents), len(take), len(close)) == (1, 1, 1)
    assert take == [12.0]
    assert close == [37.0]
    assert ratings == {"good": 1, "bad": 1}

    # Ann sees her month.
    await ann.send("/hours")
    assert f"this month: 1 round, 1 meal, {round(walk / 1000, 1):g} km" in ann.last.text

    # The report of March, asked for now.
    await admin.send("/report")
    await admin.click("📊 Sunrise Community Canteen · 2026-03")
    await env.drained()
    care = next(t for t in texts(admin) if "Care in 2026-03" in t)
    median_take, median_close = statistics.median(take), statistics.median(close)
    assert (
        f"Incidents: 1 opened, 1 taken by a person (median {median_take:g} min to take),"
        f" 1 closed (median {median_close:g} min to close), 0 still open." in care
    )
    assert "meal rated not good 1" in care
    assert "Meal ratings: 2 (1 good, 0 so-so, 1 not good)." in care
    km = f"{round(walk / 1000, 1):g}"
    assert f"Volunteers: 1 person carried 1 meal on 1 round, about {km} km" in care
    book = next(
        m for m in admin.messages if m.document and m.document.filename.endswith("-care.xlsx")
    )
    assert book.document is not None
    sheets = load_workbook(io.BytesIO(book.document.content))
    dishes = [tuple(r) for r in sheets["Ratings by dish"].iter_rows(values_only=True)]
    assert dishes[0] == ("Dish", "Ratings", "Good", "So-so", "Not good")
    assert [d[1:] for d in dishes[1:]] == [(2, 1, 0, 1)]  # both had Set A
    weeks = [tuple(r) for r in sheets["Ratings by week"].iter_rows(values_only=True)]
    assert weeks[1:] == [("2026-W10", 2, 1, 0, 1)]
    people = [tuple(r) for r in sheets["Volunteers"].iter_rows(values_only=True)]
    assert people[1][:5] == ("Ann", 5001, 1, 1, 1)
    assert people[1][6] == round(walk / 1000, 1)

    # On 1 April, Ann is thanked for March.
    await env.advance(
        seconds=(datetime(2026, 4, 1, 6, 1, tzinfo=TZ) - env.clock.now()).total_seconds()
    )
    await env.drained()
    thanks = [t for t in texts(ann) if "Thank you, Ann!" in t]
    assert len(thanks) == 1
    assert "In 2026-03 you carried 1 meal to 1 door on 1 round" in thanks[0]


async def test_hours_says_kindly_when_there_is_nothing_to_show(env: Env) -> None:
    mei = await staff_member(env, 2001, "Mei")
    ann = await volunteer(env, mei, 5001, "Ann", "4")
    await ann.send("/hours")
    assert "no rounds yet this month" in ann.last.text
    await mei.send("/hours")
    assert "You are not a volunteer of a canteen" in mei.last.text
