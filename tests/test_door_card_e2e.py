"""One matter, one message per person per step: what happened at the door reaches each
staff member as the meal's incident card, carrying what the door message carried."""

from __future__ import annotations

from typing import Any

from bot.services.delivery.messages import REASONS, reported_why
from bot.services.people import accounts
from tests.harness import ADMIN_ID, Env
from tests.test_door_outcomes_e2e import card_of, routed


def about_wang(user: Any, before: int) -> list[Any]:
    return [m for m in user.messages[before:] if "Wang" in m.text]


async def test_a_no_answer_reaches_each_staff_member_once_as_the_incidents_card(
    env: Env,
) -> None:
    """The card names the volunteer, the meal's number and where and how to reach her,
    and its "I'll handle it" sees to the alert, so the admins are not raised to."""
    mei, ann, _, _, order = await routed(env)
    admin = env.user(ADMIN_ID, "Admin", "en")
    await admin.send("/start")
    before, admin_before = len(mei.messages), len(admin.messages)
    await ann.click("🚪 No answer", message=card_of(ann))
    await env.drained()
    told = about_wang(mei, before)
    assert len(told) == 1, [m.text for m in told]
    [card] = told
    assert "Incident #" in card.text
    assert "nobody answered the door" in card.text
    assert "Ann" in card.text  # the volunteer
    assert f"Meal #{order}" in card.text
    assert "Building 5" in card.text
    assert "13800003001" in card.text
    assert "🙋 I'll handle it" in card.inline_texts
    assert "✅ I am handling it" not in card.inline_texts

    await mei.click("🙋 I'll handle it", message=card)
    assert "Mei is handling it" in card.text
    assert await env.rows("SELECT COUNT(*) FROM alerts WHERE handled_at IS NULL") == [(0,)]
    await env.advance(minutes=30)  # past the escalation time: it is handled
    await env.drained()
    assert about_wang(admin, admin_before) == []


async def test_not_delivered_says_its_reason_in_words_in_both_languages(env: Env) -> None:
    mei, ann, _, _, order = await routed(env)
    await accounts.set_language(env.deps, 2001, "zh")
    before = len(mei.messages)
    card = card_of(ann)
    await ann.click("❌ Not delivered", message=card)
    await ann.click("📍 Could not find the address", message=card)
    await env.drained()
    [told] = [m for m in mei.messages[before:] if "事件 #" in m.text]
    assert "找不到地址" in told.text
    assert ": address" not in told.text
    assert "address" not in told.text
    assert f"餐 #{order}" in told.text
    assert "Ann" in told.text
    await accounts.set_language(env.deps, 2001, "en")
    await mei.send("/incidents")
    await mei.click(f"#{(await env.rows('SELECT id FROM incidents'))[0][0]}")
    assert "could not find the address" in mei.last.text
    assert ": address" not in mei.last.text


async def test_a_note_for_another_reason_is_said_after_the_reason(env: Env) -> None:
    mei, ann, _, _, _ = await routed(env)
    before = len(mei.messages)
    card = card_of(ann)
    await ann.click("❌ Not delivered", message=card)
    await ann.click("✏️ Something else", message=card)
    await ann.send("The building is closed for repairs")
    await env.drained()
    [told] = about_wang(mei, before)
    assert "other: The building is closed for repairs" in told.text
    assert "meal not delivered" in told.text


async def test_a_concern_reaches_staff_once_with_the_note(env: Env) -> None:
    mei, ann, _, _, order = await routed(env)
    before = len(mei.messages)
    await ann.click("⚠️ Delivered, with a concern", message=card_of(ann))
    await ann.send("She looked pale and the stove was on")
    await env.drained()
    [told] = about_wang(mei, before)
    assert "Incident #" in told.text
    assert "She looked pale and the stove was on" in told.text
    assert f"Meal #{order}" in told.text
    assert "Ann" in told.text


async def test_a_door_joining_an_incident_someone_has_still_reaches_staff_once(
    env: Env,
) -> None:
    """No card goes at this step (the meal's incident is someone's already): the staff
    still hear of the door, once, by the door message with its own button."""
    mei, ann, _, _, order = await routed(env)
    await env.advance(minutes=106)  # an hour after serving, nothing reported: an incident
    await env.drained()
    [unreported] = [m for m in mei.messages if "Incident #" in m.text]
    await mei.click("🙋 I'll handle it", message=unreported)
    before = len(mei.messages)
    await ann.click("🚪 No answer", message=card_of(ann))
    await env.drained()
    told = about_wang(mei, before)
    assert len(told) == 1, [m.text for m in told]
    assert "No answer" in told[0].text
    assert f"Meal #{order}" in told[0].text
    assert "✅ I am handling it" in told[0].inline_texts


def test_every_reason_code_reads_as_words_in_both_languages() -> None:
    """Each way a meal could not be delivered, as a card says it, from the catalogues."""
    for lang, words in (
        ("en", ["could not find the address", "could not get in", "not at home", "other"]),
        ("zh", ["找不到地址", "进不了门", "老人不在家", "其他"]),
    ):
        said = [reported_why(reason, lang) for reason in REASONS]
        assert said == words
        assert reported_why("other Gate locked", lang) == f"{words[-1]}: Gate locked"
    assert reported_why("She looked pale", "en") == "She looked pale"  # not a reason code
