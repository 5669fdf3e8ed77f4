"""Words for the person reading them: "you" to a senior registering or ordering for
herself, her name to a son ordering for her; yuan and weekdays; no "(s)" in English; the
canteen named when a family orders at two; /help with the senior's own canteen's phone."""

from __future__ import annotations

import copy
import tomllib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.canteen_file import CanteenFile, example_text
from bot.core.clock import ManualClock
from bot.core.i18n import catalogue
from bot.sandbox import Sandbox
from bot.services.people import invites, registration, resident_approval
from bot.services.people.registration import Answers
from tests.harness import ADMIN_ID, Env, bot_running, make_config
from tests.residents_kit import approve_by_chat, seen, senior
from tests.test_ordering_e2e import LUNCH_TODAY, ORDER, SET_A

HARBOUR_KITCHEN = -1001000000002


async def answers_to_registration(user: Any, taps: list[tuple[str, str]]) -> list[str]:
    """Each question the bot asks, answering with a typed text or a tap (`>` prefix)."""
    asked = []
    for kind, value in taps:
        asked.append(user.last.text)
        if kind == "tap":
            await user.click(value)
        else:
            await user.send(value)
    return asked


MYSELF_EN = [
    ("tap", "🙋 Myself"),
    ("type", "Ann Lee"),
    ("tap", "📱 Share my phone number"),
    ("tap", "80 or older"),
    ("type", "Building 5"),
    ("tap", "No unit"),
    ("type", "301"),
    ("tap", "Skip"),
    ("tap", "Yes"),
    ("tap", "Low salt"),
    ("tap", "✅ Done"),
    ("tap", "✅ Send for approval"),
]


async def test_a_senior_registering_herself_is_addressed_as_you_in_english(env: Env) -> None:
    admin = env.user(ADMIN_ID, "Admin", language_code="en")
    await admin.send("/start")
    ann = env.user(2001, "Ann", language_code="en")
    await ann.send("/start")
    await ann.click("📝 Register")
    asked = await answers_to_registration(ann, MYSELF_EN)
    assert asked[1:10] == [
        "What is your name?\nPlease type it, or tap your name below.",
        "What is your phone number?\nTap the button, or type the number.",
        "How old are you?",
        "Which building do you live in?\nPlease type the building, like “Building 5”.",
        "Which unit (entrance)?\nType it, or tap “No unit”.",
        "Which room number?",
        "You can share your home location, so volunteers find your door.\nOr tap “Skip”.",
        "Do you live alone?",
        "Do you have any diet needs? Tap each one that applies, then “Done”.",
    ]
    assert ann.last.text.startswith("Thank you! You are registered.")
    await seen(env, admin, "New residents waiting for your approval")
    await approve_by_chat(env, "Ann Lee")
    approved = await seen(env, ann, "Good news")
    assert approved.startswith("🎉 Good news: you are approved.")


async def test_a_senior_registering_herself_is_addressed_as_nin_in_chinese(env: Env) -> None:
    admin = env.user(ADMIN_ID, "Admin", language_code="en")
    await admin.send("/start")
    wang = env.user(2002, "王秀英")
    await wang.send("/start")
    await wang.click("📝 登记")
    taps = [
        ("tap", "🙋 我自己"),
        ("type", "王秀英"),
        ("tap", "📱 发送我的电话号码"),
        ("tap", "80岁及以上"),
        ("type", "5号楼"),
        ("tap", "没有单元"),
        ("type", "301"),
        ("tap", "跳过"),
        ("tap", "是"),
        ("tap", "✅ 好了"),
        ("tap", "✅ 提交审核"),
    ]
    asked = await answers_to_registration(wang, taps)
    assert asked[1:10] == [
        "您叫什么名字？\n请打字输入，或点下面您的名字。",
        "您的电话号码是多少？\n点按钮，或者打字输入号码。",
        "您多大年纪？",
        "您住在哪一栋楼？\n请输入楼号，例如“5号楼”。",
        "哪个单元？\n请输入，或点“没有单元”。",
        "房间号是多少？",
        "可以发送您家的位置，方便志愿者找到您家门。\n也可以点“跳过”。",
        "您是一个人住吗？",
        "您有饮食要求吗？请点选符合的项目，然后点“好了”。",
    ]
    assert wang.last.text.startswith("谢谢！您已经登记好了。")
    await seen(env, admin, "New residents waiting for your approval")
    await approve_by_chat(env, "王秀英")
    approved = await seen(env, wang, "好消息")
    assert approved.startswith("🎉 好消息：您已通过审核。")


async def test_a_son_registering_his_father_reads_about_him_not_you(env: Env) -> None:
    tom = env.user(2003, "Tom", language_code="en")
    await tom.send("/start")
    await tom.click("📝 Register")
    await tom.click("👵 Someone I care for")
    assert tom.last.text == "What is the name of the person who will eat?\nPlease type it."
    await tom.send("Zhang Jianguo")
    assert tom.last.text.startswith("What is their phone number?")


async def test_the_door_button_says_my_door_to_her_and_her_name_to_her_son(env: Env) -> None:
    ann = env.user(3001, "Ann", language_code="en")
    resident_id = await senior(env, 3001, "Ann Lee")
    await ann.send("/start")
    for tap in (ORDER, LUNCH_TODAY, SET_A, "1"):
        await ann.click(tap)
    assert ann.last.text == "How will you get the meal?"
    assert ["🚪 Bring it to my door"] in (ann.keyboard or [])

    ben = env.user(4001, "Ben", language_code="en")
    await ben.send("/start")
    invite = await invites.create(env.deps, "family", 1, ADMIN_ID, resident_id)
    await invites.redeem(env.deps, 4001, invite.code)
    await ben.send("/start")
    for tap in (ORDER, LUNCH_TODAY, SET_A, "1"):
        await ben.click(tap)
    assert ben.last.text == "How will Ann Lee get the meal?"
    assert ["🚪 Bring it to Ann Lee's door"] in (ben.keyboard or [])
    await ben.click("🚪 Bring it to Ann Lee's door")
    assert "👵 For Ann Lee" in ben.last.text
    assert "🚪 to Ann Lee's door" in ben.last.text
    await ben.click("✅ Place order")
    told = await seen(env, ann, "A meal was ordered")
    assert told.startswith("🍱 A meal was ordered for you.")
    assert "🚪 to the door" in told


async def test_the_door_button_names_his_mother_in_chinese(env: Env) -> None:
    mother = env.user(3002, "王秀英")
    resident_id = await senior(env, 3002, "王秀英")
    await mother.send("/start")
    son = env.user(4002, "王小明")
    await son.send("/start")
    invite = await invites.create(env.deps, "family", 1, ADMIN_ID, resident_id)
    await invites.redeem(env.deps, 4002, invite.code)
    await son.send("/start")
    for tap in ("🍱 订餐", "今天午餐（09:30前订）", "套餐A：清蒸鲈鱼、青菜、米饭 · 9元", "1"):
        await son.click(tap)
    assert son.last.text == "王秀英怎么拿到饭？"
    assert (son.keyboard or [])[:3] == [
        ["🚪 送到王秀英家门口"],
        ["🥡 到食堂来取"],
        ["🍽️ 王秀英在食堂吃"],
    ]
    await son.click("🚪 送到王秀英家门口")
    await son.click("✅ 确认下单")
    told = await seen(env, mother, "已为您订餐")
    assert told.startswith("🍱 已为您订餐。")
    assert "应付：9元（补贴6元）" in told


async def test_a_son_setting_up_his_mothers_regular_meal_reads_her_name(env: Env) -> None:
    resident_id = await senior(env, 3001, "Ann Lee")
    ben = env.user(4001, "Ben", language_code="en")
    await ben.send("/start")
    invite = await invites.create(env.deps, "family", 1, ADMIN_ID, resident_id)
    await invites.redeem(env.deps, 4001, invite.code)
    await ben.send("/start")
    await ben.click("🔁 Regular meals")
    for tap in ("➕ Set up a regular meal", "Lunch", "every weekday"):
        await ben.click(tap)
    await ben.click("Set A: steamed sea bass, greens, rice")
    await ben.click("1")
    assert ben.last.text == "How will Ann Lee get the meal?"
    await ben.click("🚪 Bring it to Ann Lee's door")
    await ben.click("✅ Save")
    await seen(env, ben, "Saved")
    await ben.click("🔁 Regular meals")
    listing = next(m.text for m in reversed(ben.messages) if "Regular meals" in m.text)
    assert "🚪 to the door" in listing
    assert "Bring it to my door" not in listing


def test_no_english_sentence_counts_with_a_bracketed_plural() -> None:
    """'1 order(s)' reads badly; sentences count with 'Orders: 1' or say it without a count."""
    found = {key: text for key, text in catalogue("en").items() if "(s)" in text or "(es)" in text}
    assert found == {}


@pytest.fixture
async def two_canteens(sandbox: Sandbox, clock: ManualClock, tmp_path: Path) -> AsyncIterator[Env]:
    data = tomllib.loads(example_text())
    harbour = copy.deepcopy(data["canteens"][0])
    harbour |= {
        "code": "harbour",
        "name": "海港社区食堂",
        "name_en": "Harbour Community Canteen",
        "phone": "021-5555-0200",
        "kitchen_chat_id": HARBOUR_KITCHEN,
    }
    data["canteens"].append(harbour)
    sandbox.group(HARBOUR_KITCHEN, "Harbour kitchen")
    config = make_config(sandbox, tmp_path / "db.sqlite3", CanteenFile.model_validate(data))
    async with bot_running(sandbox, config, clock) as env:
        yield env


async def cared_for(env: Env, account_id: int, name: str, canteen_id: int) -> int:
    """A senior without Telegram, registered by a family account at this canteen."""
    answers = Answers(
        relation="family",
        name=name,
        phone="13800138000",
        age_band=80,
        building="Building 5",
        room="301",
        lives_alone=True,
        canteen_id=canteen_id,
    )
    resident = await registration.submit(env.deps, account_id, answers)
    await resident_approval.decide(env.deps, ADMIN_ID, resident.id, True)
    await env.settle()
    return resident.id


async def test_a_family_ordering_at_two_canteens_sees_the_canteen_on_every_order(
    two_canteens: Env,
) -> None:
    env = two_canteens
    mei = env.user(4001, "Mei", language_code="en")
    await mei.send("/start")
    await cared_for(env, 4001, "Mother", 1)
    await cared_for(env, 4001, "Father", 2)
    await mei.send("/start")
    for tap in (ORDER, "Mother", LUNCH_TODAY, SET_A, "1", "🚪 Bring it to Mother's door"):
        await mei.click(tap)
    await mei.click("✅ Place order")
    assert "📍 Sunrise Community Canteen" in mei.last.text
    for tap in (ORDER, "Father", LUNCH_TODAY, SET_A, "1", "🚪 Bring it to Father's door"):
        await mei.click(tap)
    assert "📍 Harbour Community Canteen" in mei.last.text
    await mei.click("✅ Place order")
    await mei.click("📋 My orders")
    listing = mei.last.text
    assert "📍 Sunrise Community Canteen" in listing
    assert "📍 Harbour Community Canteen" in listing

    ann = env.user(3001, "Ann", language_code="en")
    await senior(env, 3001, "Ann Lee")  # one canteen only: no need to name it
    await ann.send("/start")
    for tap in (ORDER, LUNCH_TODAY, SET_A, "1", "🚪 Bring it to my door", "✅ Place order"):
        await ann.click(tap)
    assert "Order placed" in ann.last.text
    assert "📍" not in ann.last.text


async def test_help_gives_the_phone_of_the_seniors_own_canteen(two_canteens: Env) -> None:
    env = two_canteens
    son = env.user(4002, "Son", language_code="en")
    await son.send("/start")
    await cared_for(env, 4002, "Father", 2)
    await son.send("/help")
    assert "Call the canteen: 021-5555-0200." in son.last.text
    ann = env.user(3001, "Ann", language_code="en")
    await senior(env, 3001, "Ann Lee")
    await ann.send("/help")
    assert "Call the canteen: 021-5555-0100." in ann.last.text
