"""How the meal was: one tap after it is served, reasons by buttons, a digest for staff."""

from __future__ import annotations

from typing import Any

from bot.core import callbacks
from tests.harness import Env
from tests.test_door_outcomes_e2e import card_of, routed
from tests.test_incidents_e2e import incident_cards
from tests.test_volunteer_e2e import texts


def question(user: Any) -> Any:
    return next(m for m in user.messages if "How was" in m.text)


async def test_a_cold_meal_rated_not_good_opens_an_incident_and_the_rater_hears_back(
    env: Env,
) -> None:
    mei, ann, daughter, wang, order = await routed(env)
    await ann.click("✅ Delivered", message=card_of(ann))
    await env.drained()
    asked = question(wang)
    assert "How was your" in asked.text
    assert "How was Wang's" in question(daughter).text
    assert not incident_cards(mei)

    await wang.click("😞 Not good", message=asked)
    assert "What was wrong?" in asked.text
    await wang.click("🥶 Cold", message=asked)
    assert "✅ 🥶 Cold" in asked.inline_texts
    assert "A person at the canteen will look into it" in asked.text
    await env.drained()
    [card] = incident_cards(mei)
    assert "meal rated not good" in card.text
    assert "cold" in card.text
    rows = await env.rows("SELECT rating, reasons, incident_id FROM feedback")
    incidents = await env.rows("SELECT id, kind, order_id, reported_by FROM incidents")
    assert incidents == [(rows[0][2], "meal", order, 3001)]
    assert rows[0][:2] == ("bad", "cold")

    # The daughter's question is answered by the first rating.
    await daughter.click("😊 Good", message=question(daughter))
    assert "rated already" in (daughter.callback_answers[-1].text or "")

    await mei.click("✅ Close", message=card)
    await mei.click("👪 Family took over", message=card)
    await env.drained()
    assert any("seen to what you told us" in t for t in texts(wang))
    assert any("The canteen saw to it" in t for t in texts(daughter))


async def test_a_note_and_the_staff_digest_and_nobody_else_rates(env: Env) -> None:
    mei, ann, _, wang, order = await routed(env)
    await ann.click("✅ Delivered", message=card_of(ann))
    await env.drained()
    asked = question(wang)
    await wang.click("😐 So-so", message=asked)
    await wang.click("🧂 Too salty", message=asked)
    await wang.click("✏️ Write a note", message=asked)
    await wang.send("The rice was fine, the fish too salty")
    assert "too salty" in wang.last.text
    stranger = env.user(7777, "Stranger", "en")
    await stranger.send("/start")
    await stranger.press(callbacks.FEEDBACK_RATE.pack(order, "bad"))
    assert "cannot do that" in (stranger.callback_answers[-1].text or "")
    assert await env.rows("SELECT rating, reasons, note FROM feedback") == [
        ("so_so", "salty", "The rice was fine, the fish too salty")
    ]
    assert not await env.rows("SELECT id FROM incidents")  # so-so and salty: a figure only
    await env.advance(hours=10)  # 20:00, the daily summary time
    await env.drained()
    digest = next(t for t in texts(mei) if "Meal ratings" in t)
    assert "1 (0 good, 1 so-so, 0 not good)" in digest
    assert f"#{order}" in digest
    assert "Too salty" in digest
    assert "the fish too salty" in digest
