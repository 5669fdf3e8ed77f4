"""Requests by voice or in words: they reach the staff as an incident, and staff act."""

from __future__ import annotations

from bot.core import callbacks
from data import invariants
from tests.harness import Env
from tests.test_incidents_e2e import incident_cards
from tests.test_staff_order_e2e import tap_dish
from tests.test_volunteer_e2e import family_of, senior, staff_member, texts


async def test_a_voice_message_reaches_staff_and_becomes_an_order_placed_for_her(
    env: Env,
) -> None:
    mei = await staff_member(env, 2001, "Mei")
    wang_id = await senior(env, 3001, "Wang", "Building 5", None)
    daughter = await family_of(env, wang_id, 4001)
    wang = env.sandbox.user(3001, "Wang")
    await wang.send_voice(b"OggS please bring me lunch")
    assert "A person will answer you within 60 minutes" in wang.last.text
    await env.drained()
    voices = [m for m in mei.messages if m.kind == "voice"]
    assert len(voices) == 1
    assert voices[0].file is not None
    assert voices[0].file.upload.content == b"OggS please bring me lunch"  # her own voice
    assert "Wang" in voices[0].text
    [card] = incident_cards(mei)
    assert "a request" in card.text
    rows = await env.rows("SELECT kind, reported_by, resident_id FROM incidents")
    assert rows == [("request", 3001, wang_id)]

    await mei.click("📞 Call her", message=voices[0])
    assert "13800003001" in mei.last.text

    await mei.click("🍱 Order for her", message=voices[0])
    await mei.click("Lunch today (order by 09:30)")
    await tap_dish(mei, "Set A")
    for tap in ("1", "🚪 Bring it to Wang's door", "✅ Place order"):
        await mei.click(tap)
    assert mei.last.text.startswith("✅ Order placed for Wang.")
    assert await env.rows("SELECT resident_id, placed_by, source FROM orders") == [
        (wang_id, 2001, "staff")
    ]
    closed = await env.rows("SELECT outcome, closed_by FROM incidents")
    assert closed == [("ordered", 2001)]
    await env.drained()
    assert any("seen to what you told us" in t and "ordered" in t for t in texts(wang))
    assert any("The canteen saw to it" in t for t in texts(daughter))
    assert await invariants.check(env.deps.db.conn) == []


async def test_words_not_understood_are_sent_to_the_canteen_with_one_tap(env: Env) -> None:
    mei = await staff_member(env, 2001, "Mei")
    await senior(env, 3001, "Wang", "Building 5", None)
    wang = env.sandbox.user(3001, "Wang")
    await wang.send("I am not well today, please call me")
    offer = next(m for m in wang.messages if "Shall I send" in m.text)
    assert "I can order lunch or dinner" in wang.last.text  # the keyboard still comes last
    assert not await env.rows("SELECT id FROM incidents")
    await wang.click("📨 Send to the canteen", message=offer)
    assert "A person will answer you within 60 minutes" in offer.text
    await env.drained()
    [card] = incident_cards(mei)
    assert "I am not well today, please call me" in card.text
    assert "📞 Call her" in card.inline_texts
    # A second tap on the same offer sends nothing more.
    await wang.press(callbacks.REQUEST_SEND.pack(0, 0), offer.message_id)
    assert len(await env.rows("SELECT id FROM incident_events WHERE what = 'alert'")) == 1
    # Someone who is not staff cannot read her number.
    await wang.press(callbacks.INCIDENT_CALL.pack(1))
    assert "cannot do that" in (wang.callback_answers[-1].text or "")


async def test_someone_who_acts_for_two_seniors_says_whom_a_voice_is_about(env: Env) -> None:
    mei = await staff_member(env, 2001, "Mei")
    wang_id = await senior(env, 3001, "Wang", "Building 5", None)
    li_id = await senior(env, 3002, "Li", "Building 7", None)
    son = await family_of(env, wang_id, 4001)
    await family_of(env, li_id, 4001)
    await son.send_voice(b"OggS mum is not answering")
    assert "Which senior is this about?" in son.last.text
    assert not await env.rows("SELECT id FROM incidents")
    await son.click("📨 About Li")
    assert "Sent to the canteen about Li" in son.last.text
    await env.drained()
    assert await env.rows("SELECT resident_id, reported_by FROM incidents") == [(li_id, 4001)]
    voices = [m for m in mei.messages if m.kind == "voice"]
    assert len(voices) == 1
    assert "Li" in voices[0].text
    # Nobody registered: the voice is answered kindly and goes nowhere.
    stranger = env.user(7777, "Stranger", "en")
    await stranger.send("/start")
    await stranger.send_voice()
    assert "once you are registered" in stranger.last.text
    assert len(await env.rows("SELECT id FROM incidents")) == 1
