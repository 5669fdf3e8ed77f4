"""Every alert about a senior has a person: incidents opened, raised, taken, closed."""

from __future__ import annotations

import re
from typing import Any

from bot.core import callbacks
from bot.services.incidents import handling, messages, raising
from bot.services.kitchen import receipt
from bot.services.kitchen import windows as window_service
from data import invariants
from tests.harness import ADMIN_ID, Env
from tests.lists_kit import busy_lunch
from tests.test_door_outcomes_e2e import card_of, routed
from tests.test_lists_e2e import every_page
from tests.test_no_missed_meal_e2e import lunch_id, place
from tests.test_volunteer_e2e import senior, staff_member, texts, volunteer


def incident_cards(user: Any) -> list[Any]:
    return [m for m in user.messages if "Incident #" in m.text]


async def incident_row(env: Env) -> tuple[Any, ...]:
    rows = await env.rows("SELECT id, kind, level, taken_by, closed_at, outcome FROM incidents")
    assert len(rows) == 1
    return rows[0]


async def test_a_no_answer_is_raised_until_taken_then_closed_and_the_family_told(
    env: Env,
) -> None:
    mei, ann, daughter, _, order = await routed(env)
    admin = env.user(ADMIN_ID, "Admin", "en")
    await ann.click("🚪 No answer", message=card_of(ann))
    await env.drained()
    [card] = incident_cards(mei)
    assert "nobody answered the door" in card.text
    assert "Wang" in card.text
    assert "Daughter" in card.text
    assert "Mei" in card.text
    assert "🙋 I'll handle it" in card.inline_texts
    incident_id, kind, level, taken_by, closed_at, _ = await incident_row(env)
    assert (kind, level, taken_by, closed_at) == ("no_answer", 0, None, None)

    await env.advance(minutes=21)  # past its 20 minutes: raised to the admins
    await env.drained()
    assert (await incident_row(env))[2] == 1
    told = await env.rows(
        "SELECT account_id FROM incident_events WHERE what = 'told' AND account_id = ?",
        (ADMIN_ID,),
    )
    assert told
    assert any("not resolved" in t or "Incident #" in t for t in texts(admin))
    staff_cards = len(incident_cards(mei))

    await env.advance(minutes=20)  # still nobody: staff and admins again
    await env.drained()
    assert (await incident_row(env))[2] == 2
    assert len(incident_cards(mei)) == staff_cards + 1
    raised = incident_cards(mei)[-1]
    assert "Nobody has taken incident" in raised.text

    await mei.click("🙋 I'll handle it", message=raised)
    assert "Mei is handling it" in raised.text
    assert (await incident_row(env))[3] == 2001
    assert (await env.rows("SELECT COUNT(*) FROM alerts WHERE handled_at IS NULL")) == [(0,)]
    before = len(incident_cards(mei)) + len(incident_cards(admin))
    await env.advance(minutes=60)  # taken: raised no more
    await env.drained()
    assert (await incident_row(env))[2] == 2
    assert len(incident_cards(mei)) + len(incident_cards(admin)) == before
    assert any(f"Mei is handling #{incident_id}" in t for t in texts(admin))  # not twice
    assert not any("is handling #" in t for t in texts(mei))

    await mei.click("📝 Add a note", message=raised)
    assert f"note for incident #{incident_id}" in mei.last.text
    await mei.send("Called her, she was at the clinic")
    assert "Called her, she was at the clinic" in mei.last.text

    await mei.click("✅ Close", message=raised)
    assert "How did" in raised.text
    await mei.click("📞 Reached her", message=raised)
    assert "Closed by Mei" in raised.text
    row = await incident_row(env)
    assert row[4] is not None
    assert row[5] == "reached"
    await env.drained()
    told_family = [t for t in texts(daughter) if "The canteen saw to it" in t]
    assert len(told_family) == 1
    assert "Reached her" in told_family[0]
    assert order  # the meal the incident was about
    # A second tap on the closed card's old buttons is answered kindly.
    await mei.press(callbacks.INCIDENT_TAKE.pack(incident_id))
    assert "closed already" in (mei.callback_answers[-1].text or "")
    assert await invariants.check(env.deps.db.conn) == []


async def test_a_second_alert_about_the_same_meal_joins_the_open_incident(env: Env) -> None:
    mei, ann, _, _, order = await routed(env)
    await env.advance(minutes=106)  # 12:31, an hour after serving: nothing reported yet
    await env.drained()
    assert any("not reported" in t.lower() for t in texts(mei))
    [card] = incident_cards(mei)
    assert "no report yet from the volunteer" in card.text
    await ann.click("🚪 No answer", message=card_of(ann))
    await env.drained()
    assert len(incident_cards(mei)) == 1  # joined: no second card
    rows = await env.rows("SELECT id, kind, order_id FROM incidents")
    assert len(rows) == 1
    assert rows[0][1:] == ("unreported", order)
    alerts = await env.rows("SELECT kind FROM incident_events WHERE what = 'alert' ORDER BY id", ())
    assert alerts == [("unreported",), ("no_answer",)]
    await mei.click("🙋 I'll handle it", message=card)
    assert "no report yet from the volunteer" in card.text
    assert "nobody answered the door" in card.text


async def test_incidents_lists_the_open_ones_oldest_first_and_refuses_others(env: Env) -> None:
    mei, ann, _, _, _ = await routed(env)
    await ann.click("🚪 No answer", message=card_of(ann))
    await env.drained()
    await mei.send("/incidents")
    assert "Open incidents: 1" in mei.last.text
    assert "nobody answered the door" in mei.last.text
    await mei.click(f"#{(await incident_row(env))[0]}")
    assert "🙋 I'll handle it" in mei.last.inline_texts
    stranger = env.user(7777, "Stranger", "en")
    await stranger.send("/start")
    await stranger.send("/incidents")
    assert "Open incidents" not in stranger.last.text
    await stranger.press(callbacks.INCIDENT_TAKE.pack((await incident_row(env))[0]))
    assert "cannot do that" in (stranger.callback_answers[-1].text or "")
    assert (await incident_row(env))[3] is None


async def test_one_alert_about_many_seniors_opens_their_incidents_with_one_notice(
    env: Env,
) -> None:
    mei = await staff_member(env, 2001, "Mei")
    await volunteer(env, mei, 5001, "Ann", "4")
    for number in range(4):
        resident = await senior(env, 3001 + number, f"Senior{number}", "Building 5", None)
        await receipt.confirm(env.deps, 2001, await place(env, 3001 + number, resident))
    await env.advance(minutes=165)  # the claim deadline: Ann has all four
    await window_service.meals_ready(env.deps, 2001, await lunch_id(env))
    await env.advance(minutes=106)  # an hour after serving, nothing reported
    await env.drained()
    assert await env.rows("SELECT COUNT(*) FROM incidents WHERE kind = 'unreported'") == [(4,)]
    assert not incident_cards(mei)  # no card each
    notices = [t for t in texts(mei) if "4 new incidents" in t]
    assert len(notices) == 1
    await mei.send("/incidents")
    assert "Open incidents: 4" in mei.last.text


async def test_a_thousand_open_incidents_are_one_paged_list(env: Env) -> None:
    lunch = await busy_lunch(env.deps, 1000)
    raised = [
        (raising.about_meal(1, resident, lunch.window.id, order, "no_carrier"), [])
        for resident, order in zip(lunch.resident_ids, lunch.order_ids, strict=True)
    ]
    async with env.deps.db.transaction() as tx:
        opened = await raising.raise_many(tx, env.deps, raised, "no_carrier")
    assert len(opened) == 1000
    env.deps.outbox_queued()
    admin = env.user(ADMIN_ID, "Admin", "en")
    await admin.send("/start")
    await env.drained()  # the one notice of a thousand first, then the list
    found = await handling.open_list(env.deps, ADMIN_ID)
    pages = every_page(messages.list_pages(found, "en", env.clock.now()))
    ids = [i for page in pages for i in re.findall(r"^#(\d+) ", page, re.MULTILINE)]
    assert sorted(map(int, ids)) == sorted(opened)  # each once, on one page or another
    await admin.send("/incidents")
    listing = admin.last
    assert listing.text == pages[0]
    assert "Open incidents: 1000" in listing.text
    await admin.press(callbacks.INCIDENTS_PAGE.pack(len(pages) - 1), listing.message_id)
    assert listing.text == pages[-1]
    assert len(listing.text) <= 4096
    assert sum(len(row) for row in listing.buttons) <= 100
    await admin.click(f"#{opened[-1]}", message=listing)
    assert "🙋 I'll handle it" in listing.inline_texts


async def test_a_card_with_a_long_story_still_fits_one_message(env: Env) -> None:
    mei, ann, _, _, _ = await routed(env)
    await ann.click("🚪 No answer", message=card_of(ann))
    incident_id = (await incident_row(env))[0]
    for number in range(10):
        await handling.note(env.deps, 2001, incident_id, f"Call {number}: " + "no reply " * 60)
    await mei.send("/incidents")
    await mei.click(f"#{incident_id}")
    card = mei.last
    assert len(card.text) <= 4096
    assert "5 earlier" in card.text  # the alert and four notes
    assert "Call 9:" in card.text
    assert "Call 3:" not in card.text
    assert len(await env.rows("SELECT id FROM incident_events WHERE what = 'note'")) == 10


async def test_an_unanswered_door_reaches_each_admin_once_as_the_incidents_card(env: Env) -> None:
    """One matter, one message per person per step: when nobody has seen to a door nobody
    answered, each admin gets the incident's card (with its buttons), not the card and a
    second escalation besides; and the next raise is one card again."""
    _, ann, _, _, order = await routed(env)
    admin = env.user(ADMIN_ID, "Admin", "en")
    await admin.send("/start")
    before = len(admin.messages)
    await ann.click("🚪 No answer", message=card_of(ann))
    await env.advance(minutes=21)  # past the escalation and the incident's minutes
    await env.drained()
    about_wang = [m for m in admin.messages[before:] if "Wang" in m.text]
    assert len(about_wang) == 1, [m.text for m in about_wang]
    [card] = about_wang
    assert "Nobody has taken incident" in card.text
    assert "nobody answered the door" in card.text
    assert "🙋 I'll handle it" in card.inline_texts
    await env.advance(minutes=20)  # still nobody: the next step, one card again
    await env.drained()
    assert len([m for m in admin.messages[before:] if "Wang" in m.text]) == 2
    await admin.click("🙋 I'll handle it", message=admin.messages[-1])
    assert (await incident_row(env))[3] == ADMIN_ID
    assert order


async def test_an_unanswered_door_with_no_incident_still_reaches_the_admins(env: Env) -> None:
    """A door nobody answered with no incident open for it (reported before incidents
    existed, as after an upgrade): the admins still hear, once, by the escalation's own
    message."""
    _, ann, _, _, order = await routed(env)
    admin = env.user(ADMIN_ID, "Admin", "en")
    await admin.send("/start")
    before = len(admin.messages)
    await ann.click("🚪 No answer", message=card_of(ann))
    await env.deps.db.conn.execute("DELETE FROM incident_events")
    await env.deps.db.conn.execute("DELETE FROM incidents")
    await env.advance(minutes=21)
    await env.drained()
    about_wang = [m.text for m in admin.messages[before:] if "Wang" in m.text]
    assert len(about_wang) == 1, about_wang
    assert "No answer not resolved" in about_wang[0]
    assert f"Meal #{order}" in about_wang[0]
