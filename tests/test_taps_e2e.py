"""How many taps a senior needs, measured by ordering through the sandbox, and the README's
"How many taps" table checked against the measure."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bot.core.i18n import t
from bot.demo.stage import label
from bot.sandbox.transcript import UserEvent
from tests.harness import Env
from tests.residents_kit import senior

README = Path(__file__).resolve().parent.parent / "README.md"
LANG = "en"


def taps(env: Env, user: Any) -> int:
    """Everything this person did in the chat so far (taps and typed messages)."""
    return sum(
        1 for e in env.sandbox.transcript if isinstance(e, UserEvent) and e.user == user.name
    )


def asked(text: str, key: str) -> bool:
    return text.startswith(label(LANG, key))


def meals(keyboard: list[list[str]]) -> list[str]:
    """The meal buttons (not "same as last time", not Back or Cancel)."""
    skip = (
        label(LANG, "resident.again.button"),
        t(LANG, "core.button.back"),
        t(LANG, "core.button.cancel"),
    )
    return [b for row in keyboard for b in row if not b.startswith(skip)]


async def usual_order(env: Env, user: Any, open_meals: int) -> int:
    """Order a meal answering whatever the bot asks (the first meal, Set A, 1, to the door,
    place it); the taps it took. `open_meals`: how many meals the senior may choose from."""
    before = taps(env, user)
    await user.click(t(LANG, "core.button.order"))

    def first_meal() -> str:
        offered = meals(user.keyboard or [])
        assert len(offered) == open_meals, offered
        return offered[0]

    answers = {
        "resident.order.ask_window": first_meal,
        "resident.menu.ask": lambda: next(
            b for row in user.keyboard or [] for b in row if b.startswith("Set A")
        ),
        "resident.order.ask_portions": lambda: "1",
        "resident.order.ask_how": lambda: t(LANG, "resident.fulfilment.delivery"),
        "resident.review.title": lambda: t(LANG, "resident.order.place_button"),
    }
    while not asked(user.last.text, "resident.order.placed"):
        question = next((key for key in answers if asked(user.last.text, key)), None)
        assert question is not None, f"an unexpected question: {user.last.text!r}"
        await user.click(answers[question]())
        assert taps(env, user) - before < 10
    return taps(env, user) - before


async def same_as_last_time(env: Env, user: Any) -> int:
    before = taps(env, user)
    await user.click(t(LANG, "core.button.order"))
    same = label(LANG, "resident.again.button")
    await user.click(next(b for row in user.keyboard or [] for b in row if b.startswith(same)))
    assert asked(user.last.text, "resident.order.placed"), user.last.text
    return taps(env, user) - before


def readme_taps() -> dict[str, int]:
    """The README's "How many taps" table: what → taps."""
    section = README.read_text("utf-8").split("## How many taps", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (.+?) \| (\d+) \|$", section, flags=re.MULTILINE)
    return {what.split(":")[0]: int(count) for what, count in rows}


async def test_the_readme_states_the_taps_measured_for_the_usual_orders(env: Env) -> None:
    ann, bob = 3001, 3002
    measured = {}
    for account_id, name in ((ann, "Ann"), (bob, "Bob")):
        await senior(env, account_id, name)
        await env.user(account_id, name, LANG).send("/start")
    # Monday 08:00: lunch and dinner both take orders.
    measured["the usual order, two meals open"] = await usual_order(env, env.user(ann, "Ann"), 2)
    # 10:00: lunch closed at 09:30, tomorrow's meals open at 16:00; only dinner is open.
    await env.advance(hours=2)
    measured["the usual order, one meal open"] = await usual_order(env, env.user(bob, "Bob"), 1)
    # 16:05: tomorrow's meals are open; Ann orders what she had.
    await env.advance(hours=6, minutes=5)
    measured['"same as last time"'] = await same_as_last_time(env, env.user(ann, "Ann"))
    assert readme_taps() == measured
