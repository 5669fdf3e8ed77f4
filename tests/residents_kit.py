"""Shortcuts for the resident tests: a senior registered and approved, by chat or directly."""

from __future__ import annotations

from typing import Any

from bot.services.people import registration, resident_approval
from bot.services.people.registration import Answers
from data import canteens
from tests.harness import ADMIN_ID, Env


async def register_by_chat(env: Env, user: Any, name: str, building: str = "Building 5") -> None:
    """Answer every registration question the quickest way (English buttons)."""
    await user.send("/start")
    await user.click("📝 Register")
    await user.click("🙋 Myself")
    await user.send(name)
    await user.click("📱 Share my phone number")
    await user.click("80 or older")
    await user.send(building)
    await user.click("No unit")
    await user.send("301")
    await user.click("Skip")
    await user.click("Yes")
    await user.click("Low salt")
    await user.click("✅ Done")
    await user.click("✅ Send for approval")


async def approve_by_chat(env: Env, resident_name: str) -> Any:
    """The settings admin presses Approve for this resident on the approval digest."""
    admin = env.user(ADMIN_ID, "Admin", language_code="en")
    card = next(m for m in reversed(admin.messages) if resident_name in m.text)
    await admin.click(f"✅ Approve {resident_name}", message=card)
    return admin


async def senior(
    env: Env, account_id: int, name: str, *, alone: bool = True, diet: list[str] | None = None
) -> int:
    """A senior registered for themselves by `account_id` and approved (no chat)."""
    canteen = await canteens.by_code(env.deps.db.conn, "sunrise")
    assert canteen is not None
    answers = Answers(
        name=name,
        phone="13800138000",
        age_band=80,
        building="Building 5",
        room="301",
        lives_alone=alone,
        diet=diet or [],
        canteen_id=canteen.id,
    )
    async with env.deps.db.transaction() as tx:
        from data import accounts

        await accounts.ensure(tx, account_id, env.clock.now())
    resident = await registration.submit(env.deps, account_id, answers)
    await resident_approval.decide(env.deps, ADMIN_ID, resident.id, True)
    await env.settle()
    return resident.id


async def seen(env: Env, user: Any, needle: str, rounds: int = 60) -> str:
    """The newest message to `user` containing `needle`, once the bot is quiet."""
    for _ in range(rounds):
        for message in reversed(user.messages):
            if needle in message.text:
                return str(message.text)
        await env.settle()
    raise AssertionError(f"{needle!r} never reached {user.name}; last: {user.last.text!r}")
