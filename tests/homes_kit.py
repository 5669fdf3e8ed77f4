"""Shortcuts for the home-screen tests: people with roles, seniors, orders, kept in the store."""

from __future__ import annotations

from typing import Any

from bot.services.ordering import placing
from bot.services.people import registration
from bot.services.people.registration import Answers
from data import accounts, links, windows
from data.db import insert
from data.models import Fulfilment, Role
from tests.harness import MONDAY_8AM, Env

SUNRISE = 1  # the canteen of the bundled example file


async def person(env: Env, user_id: int, name: str, lang: str, roles: tuple[Role, ...] = ()) -> Any:
    """An account that chose `lang`, holding `roles` at Sunrise, not greeted yet."""
    now = env.clock.now()
    async with env.deps.db.transaction() as tx:
        await accounts.ensure(tx, user_id, now)
        await accounts.set_language(tx, user_id, lang)
        for role in roles:
            await accounts.grant_role(tx, user_id, SUNRISE, role, None, now)
    return env.user(user_id, name, "en" if lang == "en" else "zh-hans")


async def linked_senior(env: Env, account_id: int, name: str, status: str = "approved") -> int:
    """A senior of Sunrise that `account_id` cares for (their own account or a family's)."""
    now = env.clock.now()
    async with env.deps.db.transaction() as tx:
        await accounts.ensure(tx, account_id, now)
        resident_id = await insert(
            tx,
            "INSERT INTO residents (canteen_id, name, phone, building, unit, room, lives_alone,"
            " diet, allergies, status, created_at) VALUES (?, ?, '13800000000', '5', '1', '101',"
            " 1, '', '', ?, ?)",
            (SUNRISE, name, status, now.isoformat()),
        )
        await links.create(tx, account_id, resident_id, "self", now)
    return resident_id


async def pending_senior(env: Env, account_id: int, name: str) -> int:
    """A senior who registered herself and waits for the admin's approval."""
    async with env.deps.db.transaction() as tx:
        await accounts.ensure(tx, account_id, env.clock.now())
    answers = Answers(
        name=name,
        phone="13800138000",
        age_band=80,
        building="Building 5",
        room="301",
        lives_alone=True,
        canteen_id=SUNRISE,
    )
    resident = await registration.submit(env.deps, account_id, answers)
    await env.settle()
    return resident.id


async def place(
    env: Env, account_id: int, resident_id: int, how: Fulfilment = "pickup", code: str = "A"
) -> int:
    """An order for Monday's lunch, placed through the ordering service."""
    window = await windows.find(env.deps.db.conn, SUNRISE, MONDAY_8AM.date(), "lunch")
    assert window is not None
    menu = {item.code: item for item in await windows.menu(env.deps.db.conn, window.id)}
    draft = placing.Draft(resident_id, window.id, menu[code].id, 1, how)
    placed = await placing.place(env.deps, account_id, draft, "en")
    await env.settle()
    return placed.id


def labels(keyboard: list[list[str]] | None) -> list[str]:
    """Every button of a reply keyboard, row after row."""
    return [label for row in keyboard or [] for label in row]
