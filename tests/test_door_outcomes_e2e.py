"""What volunteers say happened at the door, who hears it, and one number per meal."""

from __future__ import annotations

from typing import Any

from bot.services.kitchen import receipt
from bot.services.kitchen import windows as window_service
from data import invariants
from tests.harness import ADMIN_ID, KITCHEN_CHAT, Env
from tests.test_no_missed_meal_e2e import lunch_id, place
from tests.test_volunteer_e2e import family_of, senior, staff_member, texts, volunteer


async def routed(env: Env) -> tuple[Any, Any, Any, Any, int]:
    """Mei (staff), Ann (volunteer) with Wang's lunch on her route, Wang's daughter, and
    Wang's own account; and the order id. The clock is at the claim deadline, 10:45."""
    mei = await staff_member(env, 2001, "Mei")
    ann = await volunteer(env, mei, 5001, "Ann", "4")
    wang = await senior(env, 3001, "Wang", "Building 5", None)
    li = await senior(env, 3002, "Li", "Building 7", None)
    await place(env, 3002, li, "pickup")  # so order and delivery numbers differ
    daughter = await family_of(env, wang, 4001)
    order = await place(env, 3001, wang)
    await receipt.confirm(env.deps, 2001, order)
    await env.advance(minutes=165)
    await window_service.meals_ready(env.deps, 2001, await lunch_id(env))
    await env.drained()
    return mei, ann, daughter, env.sandbox.user(3001, "Wang"), order


def card_of(volunteer: Any) -> Any:
    return next(m for m in volunteer.messages if "Wang" in m.text and "🏠" in m.text)


async def test_not_delivered_with_a_reason_alerts_until_someone_handles_it(env: Env) -> None:
    mei, ann, daughter, wang, order = await routed(env)
    admin = env.user(ADMIN_ID, "Admin", "en")
    card = card_of(ann)
    await ann.click("❌ Not delivered", message=card)
    assert "Why could the meal not be delivered?" in card.text
    await ann.click("🔒 Could not get in", message=card)
    assert (await env.rows("SELECT status FROM orders WHERE id = ?", (order,))) == [
        ("undelivered",)
    ]
    await env.drained()
    staff_alert = next(m for m in mei.messages if "meal not delivered" in m.text)
    assert "could not get in" in staff_alert.text
    assert f"Meal #{order}" in staff_alert.text
    assert any("could not be delivered" in t and "could not get in" in t for t in texts(daughter))
    assert not any("check on" in t for t in texts(wang))  # never to the senior herself

    await env.advance(minutes=10)
    await mei.click("🙋 I'll handle it", message=staff_alert)
    assert "Mei is handling it" in staff_alert.text
    await env.advance(minutes=30)  # past the escalation time: handled, so no escalation
    await env.drained()
    assert not any("not resolved" in t for t in texts(admin))
    assert await invariants.check(env.deps.db.conn) == []


async def test_an_unhandled_not_delivered_reaches_the_admin(env: Env) -> None:
    _, ann, _, _, order = await routed(env)
    admin = env.user(ADMIN_ID, "Admin", "en")
    card = card_of(ann)
    await ann.click("❌ Not delivered", message=card)
    await ann.click("📍 Could not find the address", message=card)
    await env.advance(minutes=20)
    await env.drained()
    raised = [t for t in texts(admin) if "Wang" in t]  # the incident's card, once
    assert len(raised) == 1
    assert "Nobody has taken incident" in raised[0]
    assert "meal not delivered" in raised[0]
    assert await env.rows("SELECT order_id FROM incidents") == [(order,)]


async def test_delivered_with_a_concern_is_delivered_and_the_note_reaches_staff(
    env: Env,
) -> None:
    mei, ann, daughter, _, order = await routed(env)
    await ann.click("⚠️ Delivered, with a concern", message=card_of(ann))
    assert "What worried you?" in ann.last.text
    await ann.send("She looked pale and the stove was on")
    await env.drained()
    assert (await env.rows("SELECT status FROM orders WHERE id = ?", (order,))) == [("delivered",)]
    note = next(m.text for m in mei.messages if "a volunteer is worried" in m.text)
    assert "She looked pale and the stove was on" in note
    assert f"Meal #{order}" in note
    assert any("Wang's lunch arrived" in t for t in texts(daughter))


async def test_not_delivered_for_another_reason_takes_a_note(env: Env) -> None:
    mei, ann, _, _, order = await routed(env)
    card = card_of(ann)
    await ann.click("❌ Not delivered", message=card)
    await ann.click("✏️ Something else", message=card)
    assert "What happened?" in ann.last.text
    await ann.send("The building is closed for repairs")
    await env.drained()
    alert = next(m.text for m in mei.messages if "meal not delivered" in m.text)
    assert "other: The building is closed for repairs" in alert
    assert (await env.rows("SELECT reason FROM deliveries")) == [("other",)]
    assert (await env.rows("SELECT status FROM orders WHERE id = ?", (order,))) == [
        ("undelivered",)
    ]


async def test_a_mis_tap_can_be_undone_for_a_few_minutes(env: Env) -> None:
    mei, ann, daughter, _, order = await routed(env)
    card = card_of(ann)
    await ann.click("🚪 No answer", message=card)
    await env.drained()
    assert any("Nobody answered the door for Wang" in t for t in texts(daughter))
    await env.advance(minutes=2)
    await ann.click("↩️ Undo, that was a mistake", message=card)
    assert "✅ Delivered" in card.inline_texts  # the stop is back on the route
    assert (await env.rows("SELECT status FROM orders WHERE id = ?", (order,))) == [("out",)]
    assert (await env.rows("SELECT COUNT(*) FROM alerts WHERE handled_at IS NULL")) == [(0,)]
    await env.drained()
    assert any("was a mistake" in t for t in texts(daughter))
    assert any("was a mistake" in t for t in texts(mei))
    await env.advance(minutes=30)  # no escalation for a no-answer taken back
    admin = env.user(ADMIN_ID, "Admin", "en")
    assert not any("not resolved" in t for t in texts(admin))

    await ann.click("✅ Delivered", message=card)
    await env.advance(minutes=6)
    await ann.click("↩️ Undo, that was a mistake", message=card)
    assert "too late" in ann.callback_answers[-1].text
    assert (await env.rows("SELECT status FROM orders WHERE id = ?", (order,))) == [("delivered",)]
    assert await invariants.check(env.deps.db.conn) == []


async def test_the_bag_label_and_the_card_carry_the_same_number(env: Env) -> None:
    """One number per meal: the kitchen sheet's label, the volunteer's card, the alerts."""
    mei, ann, _, _, order = await routed(env)
    await env.drained()
    sheet = "\n".join(m.text for m in env.sandbox.chat(KITCHEN_CHAT).messages)
    assert f"#{order} Wang" in sheet
    card = card_of(ann)
    assert f"(#{order})" in card.text
    await ann.click("🚪 No answer", message=card)
    await env.drained()
    assert any(f"Meal #{order}" in t for t in texts(mei) if "nobody answered the door" in t)
