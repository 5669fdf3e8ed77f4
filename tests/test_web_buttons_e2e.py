"""/app in the chat: one button per screen the person's roles open, each a Mini App."""

from __future__ import annotations

from typing import Any

from bot.core.i18n import t
from data import accounts, links
from tests.harness import ADMIN_ID, Env
from tests.residents_kit import senior
from tests.web_kit import PUBLIC_URL, make_staff

COOK, ANN, SON, STRANGER = 7001, 7101, 7201, 7301


def web_apps(user: Any) -> list[tuple[str, str]]:
    """The Mini App buttons of the last message: (label, address)."""
    markup = user.last.versions[-1].markup or {}
    return [
        (button["text"], button["web_app"]["url"])
        for row in markup.get("inline_keyboard", [])
        for button in row
        if "web_app" in button
    ]


async def test_each_person_gets_the_screens_of_their_roles(web_env: Env) -> None:
    env = web_env
    await make_staff(env, COOK)
    ann_id = await senior(env, ANN, "Ann")
    async with env.deps.db.transaction() as tx:
        await accounts.ensure(tx, SON, env.clock.now())
        await links.create(tx, SON, ann_id, "family", env.clock.now())

    expected = {
        COOK: ["kitchen", "menu"],
        ADMIN_ID: ["kitchen", "menu", "office"],
        ANN: ["planner"],
        SON: ["planner"],
    }
    for account_id, screens in expected.items():
        user = env.user(account_id, "Someone", "en")
        await user.send("/start")
        await user.send("/app")
        assert user.last.text == t("en", "web.chat.choose")
        assert web_apps(user) == [
            (t("en", f"web.chat.{name}"), f"{PUBLIC_URL}/{name}") for name in screens
        ]

    menu_buttons = env.sandbox.menu_buttons
    assert menu_buttons[str(COOK)]["web_app"] == {"url": f"{PUBLIC_URL}/kitchen"}
    assert menu_buttons[str(ADMIN_ID)]["web_app"] == {"url": f"{PUBLIC_URL}/office"}
    assert menu_buttons[str(COOK)]["text"] == t("en", "web.chat.kitchen")

    stranger = env.user(STRANGER, "Nobody", "en")
    await stranger.send("/app")
    assert stranger.last.text == t("en", "web.chat.none")
    assert web_apps(stranger) == []


async def test_without_a_public_address_the_chat_says_the_screens_are_not_set_up(
    env: Env,
) -> None:
    cook = env.user(ADMIN_ID, "Admin", "en")
    await cook.send("/app")
    assert cook.last.text == t("en", "web.chat.not_set_up")
