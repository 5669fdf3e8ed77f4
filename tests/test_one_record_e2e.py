"""One record per senior: numbers kept in E.164, and registering someone the canteen has
already (from the roster) links to that record instead of making a copy."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.clock import ManualClock
from bot.core.i18n import t
from bot.sandbox import Sandbox
from bot.services.people import roster
from data import canteens
from data.db import Database
from data.roster import RosterEntry
from tests.harness import ADMIN_ID, Env, bot_running, make_config
from tests.residents_kit import seen

LANG_CODE = {"en": "en", "zh": "zh-hans"}
RESIDENTS = "SELECT name, phone, tier_code, diet, status FROM residents ORDER BY id"


async def on_roster(env: Env, name: str, phone: str, **more: Any) -> int:
    """A senior imported from the community's roster: approved, nobody linked yet."""
    entry = RosterEntry(name=name, phone=phone, building="5", room="301", **more)
    assert await roster.add_new(env.deps, 1, [entry], ADMIN_ID) == 1
    rows = await env.rows("SELECT id FROM residents WHERE name = ?", (name,))
    return int(rows[-1][0])


async def register(
    env: Env, user: Any, lang: str, name: str, *, phone: str | None = None, whom: str = "myself"
) -> None:
    """Answer the registration questions in `lang`; no `phone` shares the Telegram contact."""
    await user.send("/start")
    await user.click(t(lang, "core.button.register"))
    await user.click(t(lang, f"resident.register.{whom}"))
    await user.send(name)
    if phone is None:
        await user.click(t(lang, "resident.register.share_phone"))
    else:
        await user.send(phone)
    await user.click(t(lang, "resident.age.band80"))
    await user.send("5")
    await user.click(t(lang, "resident.register.no_unit"))
    await user.send("301")
    await user.click(t(lang, "resident.register.skip"))
    await user.click(t(lang, "resident.register.yes"))
    await user.click(t(lang, "resident.diet.low_salt"))
    await user.click(t(lang, "resident.register.done"))
    await user.click(t(lang, "resident.register.send"))


WORDS = {
    "en": (
        "Thank you! Wang Fang is already on the canteen’s list, so you are now linked to that"
        " record.\nYou can order meals now with “Order a meal”.",
        "🔗 Wang Fang (No. 1) was already on your list. Wang Fang registered as the senior and"
        " is now linked to that record: no copy was made, and the tier and diet stay as they were.",
    ),
    "zh": (
        "谢谢！Wang Fang已经在食堂的名册里，您已关联到这份档案。\n现在就可以点“订餐”了。",
        "🔗 Wang Fang（1号）已经在名册里。Wang Fang以本人身份登记，已关联到这份档案：没有重复建档，"
        "补贴类别和饮食要求保持不变。",
    ),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_senior_sharing_her_telegram_contact_is_linked_to_her_roster_record(
    env: Env, lang: str
) -> None:
    admin = env.user(ADMIN_ID, "Admin", language_code=LANG_CODE[lang])
    await admin.send("/start")
    wang = await on_roster(
        env, "Wang Fang", "138 0000 2001", tier_code="hardship", diet="soft", lives_alone=True
    )
    user = env.user(2001, "Wang Fang", language_code=LANG_CODE[lang])
    await register(env, user, lang, "Wang Fang")  # Telegram shares +8613800002001

    told_her, told_admin = WORDS[lang]
    assert user.last.text == told_her
    assert [t(lang, "core.button.order")] in [row[:1] for row in user.keyboard or []]
    assert await env.rows(RESIDENTS) == [
        ("Wang Fang", "+8613800002001", "hardship", "soft", "approved")
    ]
    assert await env.rows("SELECT account_id, resident_id, relation FROM links") == [
        (2001, wang, "self")
    ]
    assert await seen(env, admin, "🔗") == told_admin
    actions = await env.rows(
        "SELECT action, detail FROM audit_log WHERE subject = ?", (f"resident:{wang}",)
    )
    assert ("resident.link", "self") in actions


async def test_a_son_typing_his_fathers_number_is_linked_and_a_second_person_is_refused(
    env: Env,
) -> None:
    zhang = await on_roster(env, "Zhang Jianguo", "13912345678", tier_code="age80")
    tom = env.user(3201, "Tom", language_code="en")
    await register(env, tom, "en", "zhang jianguo", phone="+86 139-1234-5678", whom="someone")
    assert "Zhang Jianguo is already on the canteen’s list" in tom.last.text
    assert await env.rows("SELECT account_id, resident_id, relation FROM links") == [
        (3201, zhang, "family")
    ]

    stranger = env.user(3301, "Sam", language_code="en")
    await register(env, stranger, "en", "Zhang Jianguo", phone="0086 139 1234 5678", whom="someone")
    assert stranger.last.text == (
        "Zhang Jianguo is already registered with the canteen. Please ask Zhang Jianguo to send"
        " you a family invite (“Family” → “Invite a family member”), or call the canteen."
    )
    assert await env.rows("SELECT COUNT(*) FROM residents") == [(1,)]
    assert await env.rows("SELECT COUNT(*) FROM links") == [(1,)]


async def test_the_same_number_under_another_name_is_a_new_senior_the_admin_checks(
    env: Env,
) -> None:
    """A couple sharing a landline are two seniors: no link, and the admin is asked to check."""
    admin = env.user(ADMIN_ID, "Admin", language_code="en")
    await admin.send("/start")
    husband = await on_roster(env, "Zhang Jianguo", "021 6123 4567")
    wife = env.user(3202, "Li Shuhua", language_code="en")
    await register(env, wife, "en", "Li Shuhua", phone="02161234567")
    assert "You are registered" in wife.last.text
    assert await env.rows("SELECT name, phone, status FROM residents ORDER BY id") == [
        ("Zhang Jianguo", "+862161234567", "approved"),
        ("Li Shuhua", "+862161234567", "pending"),
    ]
    warning = await seen(env, admin, "has the same phone number")
    assert f"Zhang Jianguo (No. {husband})" in warning


@pytest.mark.parametrize(
    ("lang", "answer"),
    [
        (
            "en",
            "Sorry, “12345” does not look like a whole phone number. Please type all of it,"
            " like 131 2345 6789. For a landline, add the area code.",
        ),
        (
            "zh",
            "抱歉，“12345”好像不是完整的电话号码。请输入完整号码，例如 131 2345 6789。"
            "座机请加区号。",
        ),
    ],
)
async def test_a_number_that_is_not_whole_is_answered_kindly_and_asked_again(
    env: Env, lang: str, answer: str
) -> None:
    user = env.user(2001, "Ann", language_code=LANG_CODE[lang])
    await user.send("/start")
    await user.click(t(lang, "core.button.register"))
    await user.click(t(lang, "resident.register.myself"))
    await user.send("Ann")
    await user.send("12345")
    assert user.last.text == answer
    await user.send("138 0013 8000")
    assert user.last.text == t(lang, "resident.you.register.ask_age")  # to herself


async def test_a_roster_written_another_way_adds_nobody_already_registered(env: Env) -> None:
    """The senior registered by chat as +86 139…; the roster has 139… and one row twice."""
    admin = env.user(ADMIN_ID, "Admin", language_code="en")
    await admin.send("/start")
    user = env.user(2001, "Wang Fang", language_code="en")
    await register(env, user, "en", "Wang Fang", phone="+86 139 0000 0001")
    content = (
        b"name,phone,building\n"
        b"Wang Fang,13900000001,5\n"
        b"Li Ming,139-0000-0002,7\n"
        b"Li Ming,+86 139 0000 0002,7\n"
        b"Zhao Lei,61234567,9\n"
    )
    await admin.send_document("roster.csv", content)
    dry_run = admin.last.text
    assert "• new residents to add: 1" in dry_run
    assert "• already on the roster (same phone), left as they are: 1" in dry_run
    assert "row 4: the same phone number is on row 3" in dry_run
    assert "row 5: phone 61234567 is not a phone number" in dry_run
    await admin.click("✅ Import the new residents (1)")
    assert await env.rows("SELECT name, phone FROM residents ORDER BY id") == [
        ("Wang Fang", "+8613900000001"),
        ("Li Ming", "+8613900000002"),
    ]


async def test_admins_and_staff_find_a_senior_by_the_number_written_any_way(env: Env) -> None:
    await on_roster(env, "Zhao Lan", "13911112222")
    admin = env.user(ADMIN_ID, "Admin", language_code="en")
    await admin.send("/start")
    await admin.send("/audit +86 139 1111 2222")
    assert "Zhao Lan (resident #1, approved)" in admin.last.text
    await admin.send("/order")
    await admin.send("139-1111-2222")
    assert admin.last.inline_texts == ["Zhao Lan · +8613911112222 · #1"]


async def test_numbers_stored_before_are_rewritten_in_e164_when_the_bot_starts(
    sandbox: Sandbox, clock: ManualClock, fresh_store: str
) -> None:
    """The start-up step: each number with its canteen's country; one that is not a whole
    number is kept as it was, so nothing is lost."""
    config = make_config(sandbox, fresh_store)
    db = await Database.open(config.settings.db)
    written = ["138 0013 8000", "0086-139-1234-5678", "+86 137 0000 0001", "61234567", ""]
    async with db.transaction() as tx:
        await canteens.sync(tx, config.canteens.canteens)
        for n, phone in enumerate(written):
            await tx.execute(
                "INSERT INTO residents (canteen_id, name, phone, building, status, created_at)"
                " VALUES (1, ?, ?, '5', 'approved', ?)",
                (f"Senior {n}", phone, clock.now().isoformat()),
            )
    await db.close()
    async with bot_running(sandbox, config, clock) as env:
        assert [row[0] for row in await env.rows("SELECT phone FROM residents ORDER BY id")] == [
            "+8613800138000",
            "+8613912345678",
            "+8613700000001",
            "61234567",
            "",
        ]
