"""Least sight: a volunteer reads a senior's allergies only on a delivery they hold."""

from __future__ import annotations

from bot.services.kitchen import receipt
from tests.harness import Env
from tests.test_no_missed_meal_e2e import place
from tests.test_volunteer_e2e import senior, staff_member, volunteer


async def test_the_claim_board_shows_no_allergies_the_route_card_does(env: Env) -> None:
    mei = await staff_member(env, 2001, "Mei")
    ann = await volunteer(env, mei, 5001, "Ann", "4")
    wang = await senior(env, 3001, "Wang", "Building 5", None)
    await env.deps.db.conn.execute(
        "UPDATE residents SET allergies = 'peanuts', diet = 'soft' WHERE id = ?", (wang,)
    )
    order = await place(env, 3001, wang)
    await receipt.confirm(env.deps, 2001, order)
    await env.advance(minutes=90)  # 09:30: the board goes out
    await env.drained()
    board = next(m for m in ann.messages if "Deliveries for" in m.text)
    assert "soft" in board.text
    assert "peanuts" not in board.text
    await env.advance(minutes=75)  # 10:45: the route, with the card she now holds
    await env.drained()
    card = next(m for m in ann.messages if "Wang" in m.text and "🏠" in m.text)
    assert "peanuts" in card.text
