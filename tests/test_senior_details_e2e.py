"""/senior: staff and admins change a senior's details from the chat, every change audited."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.core.i18n import t
from bot.services.kitchen import receipt
from bot.services.kitchen import windows as window_service
from bot.services.people import privacy
from tests.harness import ADMIN_ID, Env
from tests.test_door_outcomes_e2e import card_of
from tests.test_no_missed_meal_e2e import lunch_id, place
from tests.test_volunteer_e2e import senior, volunteer

LANG_CODE = {"en": "en", "zh": "zh-hans"}
AUDIT = "SELECT action, detail FROM audit_log WHERE action LIKE 'resident.edit.%' ORDER BY id"


async def staff_in(env: Env, user_id: int, lang: str) -> Any:
    """A cook invited by the admin, who reads the bot in `lang`."""
    admin = env.user(ADMIN_ID, "Admin", "en")
    await admin.send("/invite")
    await admin.click("Staff")
    code = re.search(r"start=join_([A-Z0-9]+)", admin.last.text)
    assert code is not None
    person = env.user(user_id, "Mei", LANG_CODE[lang])
    await person.send(f"/start join_{code.group(1)}")
    return person


CARDS = {
    "en": "👵 Wang (No. 1) · +86 138 0000 3001\n"
    "🏠 Building: Building 5 · unit: 2 · room: 101\n"
    "🔔 Door notes for volunteers: -\n"
    "🥗 Diet: Soft food, Vegetarian\n"
    "⚠️ Allergies: -\n"
    "💰 Subsidy tier: Hardship (pays nothing)\n"
    "🛵 Delivery to the door: yes (lives alone)\n\n"
    "Tap what to change:",
    "zh": "👵 Wang（1号）· +86 138 0000 3001\n"
    "🏠 楼栋：Building 5 · 单元：2 · 房间：101\n"
    "🔔 给志愿者的门口提示：-\n"
    "🥗 饮食：软食, 素食\n"
    "⚠️ 过敏：-\n"
    "💰 补贴类别：困难补贴（全免）\n"
    "🛵 送餐上门：可以（独居）\n\n"
    "请点要修改的项目：",
}


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_staff_change_diet_tier_delivery_and_unit_and_each_change_is_audited(
    env: Env, lang: str
) -> None:
    wang = await senior(env, 3001, "Wang", "Building 5", None)
    mei = await staff_in(env, 2001, lang)
    await mei.send("/senior Wang")
    card = mei.last
    await mei.click(t(lang, "staff.senior.field.diet"), message=card)
    for tag in ("soft", "vegetarian"):
        await mei.click(t(lang, f"resident.diet.{tag}"), message=card)
    await mei.click(t(lang, "staff.senior.save"), message=card)
    await mei.click(t(lang, "staff.senior.field.tier"), message=card)
    await mei.click(t(lang, "staff.senior.tier_by_age"), message=card)  # as it was: no change
    await mei.click(t(lang, "staff.senior.field.tier"), message=card)
    hardship = "Hardship (pays nothing)" if lang == "en" else "困难补贴（全免）"
    await mei.click(hardship, message=card)
    await mei.click(t(lang, "staff.senior.field.delivery"), message=card)
    await mei.click(t(lang, "staff.senior.delivery_set_yes"), message=card)
    await mei.click(t(lang, "staff.senior.field.unit"), message=card)
    assert mei.last.text == t(lang, "staff.senior.ask_unit", now="-")
    await mei.send("2")
    assert mei.messages[-2].text == t(lang, "staff.senior.saved", name="Wang")
    assert mei.last.text == CARDS[lang]

    rows = await env.rows(
        "SELECT diet, tier_code, delivery_eligible, unit FROM residents WHERE id = ?", (wang,)
    )
    assert rows == [("soft,vegetarian", "hardship", 1, "2")]
    assert await env.rows(AUDIT) == [
        ("resident.edit.diet", ""),
        ("resident.edit.tier", "- → hardship"),
        ("resident.edit.delivery", "no → yes"),
        ("resident.edit.unit", "- → 2"),
    ]
    who = await env.rows(
        "SELECT DISTINCT account_id FROM audit_log WHERE action LIKE 'resident.edit.%'"
    )
    assert who == [(2001,)]


async def test_door_notes_reach_the_volunteers_stop_card_and_only_it(env: Env) -> None:
    mei = await staff_in(env, 2001, "en")
    ann = await volunteer(env, mei, 5001, "Ann", "4")
    wang = await senior(env, 3001, "Wang", "Building 5", None)
    await mei.send("/senior Wang")
    await mei.click("🔔 Door notes")
    await mei.send("Ring twice, she is hard of hearing")
    assert mei.messages[-2].text == "✅ Saved for Wang."
    order = await place(env, 3001, wang)
    await receipt.confirm(env.deps, 2001, order)
    await env.advance(minutes=165)
    await window_service.meals_ready(env.deps, 2001, await lunch_id(env))
    await env.drained()
    assert "🔔 At the door: Ring twice, she is hard of hearing" in card_of(ann).text
    wang_user = env.sandbox.user(3001, "Wang")
    assert all("Ring twice" not in m.text for m in wang_user.messages)
    assert await env.rows(AUDIT) == [
        ("resident.edit.door_notes", "- → Ring twice, she is hard of hearing")
    ]


async def test_a_new_building_drops_the_old_map_pin_and_too_long_notes_are_refused(
    env: Env,
) -> None:
    await senior(env, 3001, "Wang", "Building 5", (31.23, 121.47))
    mei = await staff_in(env, 2001, "en")
    await mei.send("/senior 3001")  # the phone's digits
    await mei.click("🔔 Door notes")
    await mei.send("x" * 201)
    assert mei.last.text == "That is too long. Please keep it under 200 characters."
    await mei.click("✖️ Cancel")
    await mei.send("/senior Wang")
    await mei.click("🏢 Building")
    await mei.send("Building 7")
    assert mei.messages[-2].text == (
        "✅ Saved for Wang. The old map pin was removed, so volunteers go by the new address."
    )
    assert await env.rows("SELECT building, lat, lon, door_notes FROM residents") == [
        ("Building 7", None, None, "")
    ]


async def test_someone_who_is_not_staff_cannot_see_or_change_a_senior(env: Env) -> None:
    wang = await senior(env, 3001, "Wang", "Building 5", None)
    li = env.user(3002, "Li", "en")
    await li.send("/start")
    await li.send("/senior Wang")
    assert li.last.text == "Sorry, you cannot do that."
    await li.press(f"sen1:t:{wang}:hardship")
    assert li.callback_answers[-1].text == "Sorry, you cannot do that."
    await li.press(f"sen1:f:{wang}:door_notes")
    assert li.callback_answers[-1].text == "Sorry, you cannot do that."
    assert await env.rows("SELECT tier_code FROM residents") == [(None,)]
    assert await env.rows(AUDIT) == []


async def test_erasure_blanks_door_notes_and_the_values_in_the_audit(env: Env) -> None:
    wang = await senior(env, 3001, "Wang", "Building 5", None)
    admin = env.user(ADMIN_ID, "Admin", "en")
    await admin.send(f"/senior {wang}")
    await admin.click("🔔 Door notes")
    await admin.send("Key under the mat")
    await privacy.erase(env.deps, ADMIN_ID, wang)
    assert await env.rows("SELECT door_notes, status FROM residents") == [("", "erased")]
    assert await env.rows(AUDIT) == [("resident.edit.door_notes", "")]
