"""Volunteers end to end: join, claim at the close, routes at the deadline, the door."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from bot.sandbox import SandboxUser
from bot.services.kitchen import receipt
from bot.services.ordering import placing
from bot.services.people import accounts, invites, registration, resident_approval
from bot.services.people.registration import Answers
from data import canteens, windows
from tests.harness import ADMIN_ID, MONDAY_8AM, Env

CANTEEN = (31.2304, 121.4737)


async def staff_member(env: Env, user_id: int, name: str) -> SandboxUser:
    admin = env.user(ADMIN_ID, "Admin", "en")
    await admin.send("/invite")
    await admin.click("Staff")
    code = re.search(r"start=join_([A-Z0-9]+)", admin.last.text)
    assert code is not None
    person = env.user(user_id, name, "en")
    await person.send(f"/start join_{code.group(1)}")
    return person


async def volunteer(env: Env, staff: SandboxUser, user_id: int, name: str, bag: str) -> Any:
    """Staff invite a volunteer, who joins and answers the questions with buttons."""
    await staff.send("/invite")
    await staff.click("Volunteer")
    code = re.search(r"start=join_([A-Z0-9]+)", staff.last.text)
    assert code is not None
    person = env.user(user_id, name, "en")
    await person.send(f"/start join_{code.group(1)}")
    await person.click("🗓 When can I help?")
    assert "On which days can you help?" in person.last.text
    await person.click("Every day")
    await person.click("Both")
    await person.click(bag)
    await person.click("Skip")
    assert "carry up to" in person.last.text
    return person


async def senior(
    env: Env, account_id: int, name: str, building: str, place: tuple[float, float] | None
) -> int:
    """A senior living alone, registered by themselves and approved; writes in English."""
    canteen = await canteens.by_code(env.deps.db.conn, "sunrise")
    assert canteen is not None
    user = env.user(account_id, name, "en")
    await user.send("/start")
    await accounts.set_language(env.deps, account_id, "en")
    answers = Answers(
        name=name,
        phone=f"1380000{account_id}",
        age_band=80,
        building=building,
        room="101",
        lat=place[0] if place else None,
        lon=place[1] if place else None,
        lives_alone=True,
        canteen_id=canteen.id,
    )
    resident = await registration.submit(env.deps, account_id, answers)
    await resident_approval.decide(env.deps, ADMIN_ID, resident.id, True)
    return resident.id


async def family_of(env: Env, resident_id: int, account_id: int) -> SandboxUser:
    user = env.user(account_id, "Daughter", "en")
    await user.send("/start")
    await accounts.set_language(env.deps, account_id, "en")
    invite = await invites.create(env.deps, "family", 1, ADMIN_ID, resident_id)
    await invites.redeem(env.deps, account_id, invite.code)
    return user


async def lunch_order(env: Env, account_id: int, resident_id: int, staff_id: int) -> int:
    window = await windows.find(env.deps.db.conn, 1, MONDAY_8AM.date(), "lunch")
    assert window is not None
    menu = {item.code: item for item in await windows.menu(env.deps.db.conn, window.id)}
    draft = placing.Draft(resident_id, window.id, menu["A"].id, 1, "delivery")
    placed = await placing.place(env.deps, account_id, draft, "en")
    await receipt.confirm(env.deps, staff_id, placed.id)
    return placed.id


async def delivery_of(env: Env, order_id: int) -> tuple[int, int | None, str]:
    rows = await env.rows(
        "SELECT id, volunteer_id, state FROM deliveries WHERE order_id = ?", (order_id,)
    )
    return rows[0]


def texts(user: Any) -> list[str]:
    return [message.text for message in user.messages]


def answers_of(user: Any) -> list[str]:
    return [answer.text or "" for answer in user.callback_answers]


async def test_claims_deadline_routes_delivered_and_no_answer_escalation(env: Env) -> None:
    """Two volunteers claim, the rest is assigned at the deadline, and the door is reported."""
    mei = await staff_member(env, 2001, "Mei")
    admin = env.user(ADMIN_ID, "Admin", "en")
    ann = await volunteer(env, mei, 5001, "Ann", "4")
    bob = await volunteer(env, mei, 5002, "Bob", "1")
    near = (31.2314, 121.4747)
    people = [
        (3001, "Wang", "Building 5", near),
        (3002, "Li", "Building 5", None),
        (3003, "Zhao", "Building 7", (31.2330, 121.4760)),
        (3004, "Sun", "Building 9", (31.2290, 121.4720)),
        (3005, "Zhou", "Building 9", None),
    ]
    residents = {name: await senior(env, uid, name, b, p) for uid, name, b, p in people}
    orders = {
        name: await lunch_order(env, uid, residents[name], 2001) for uid, name, _, _ in people
    }
    daughter = await family_of(env, residents["Wang"], 4001)
    zhao_family = await family_of(env, residents["Zhao"], 4003)

    await env.advance(minutes=90)  # 09:30: the window closes, the board goes out
    board = next(m for m in ann.messages if "Deliveries for" in m.text)
    assert "Building 5" in board.text
    assert "Wang" not in board.text
    await ann.click("Take Building 5 (2)", message=board)
    assert (await delivery_of(env, orders["Wang"]))[1:] == (5001, "claimed")

    zhao = (await delivery_of(env, orders["Zhao"]))[0]
    await asyncio.gather(
        ann.press(f"vol1:c:{zhao}", wait=False), bob.press(f"vol1:c:{zhao}", wait=False)
    )
    await env.settle()
    holder = (await delivery_of(env, orders["Zhao"]))[1]
    loser = bob if holder == 5001 else ann
    assert any("someone else took" in a for a in answers_of(loser))
    sun = (await delivery_of(env, orders["Sun"]))[0]
    zhou = (await delivery_of(env, orders["Zhou"]))[0]
    if holder != 5002:
        await bob.press(f"vol1:c:{sun}")
        assert (await delivery_of(env, orders["Sun"]))[1] == 5002
    await bob.press(f"vol1:c:{zhou}")
    assert "more than the 1 meal you can carry" in answers_of(bob)[-1]

    await env.advance(minutes=75)  # 10:45: the claim deadline
    rows = await env.rows("SELECT volunteer_id, seq, state FROM deliveries ORDER BY id")
    assert all(volunteer_id in (5001, 5002) for volunteer_id, _, _ in rows)
    for account in (5001, 5002):
        seqs = sorted(seq for vid, seq, _ in rows if vid == account)
        assert seqs == list(range(1, len(seqs) + 1))
    assert "assigned" in {state for _, _, state in rows}
    assert any("Your route for" in text for text in texts(ann))
    assert any("Your route for" in text for text in texts(bob))
    wang_card = next(m for m in ann.messages if "Wang" in m.text and "🏠" in m.text)
    assert "Building 5 101" in wang_card.text
    assert "13800003001" in wang_card.text
    assert any(m.kind == "location" for m in ann.messages)

    wang = (await delivery_of(env, orders["Wang"]))[0]
    await bob.press(f"vol1:see:{wang}")  # forged: Wang is not Bob's
    assert "not" in answers_of(bob)[-1].lower()
    assert not any("Building 5 101" in text for text in texts(bob))
    await bob.press(f"vol1:ok:{wang}")
    assert (await delivery_of(env, orders["Wang"]))[2] in ("claimed", "assigned")

    await env.advance(minutes=55)  # 11:40
    await ann.click("✅ Delivered", message=wang_card)
    assert any("Wang's lunch arrived at 11:40" in text for text in texts(daughter))
    assert (await env.rows("SELECT status FROM orders WHERE id = ?", (orders["Wang"],))) == [
        ("delivered",)
    ]

    zhao_holder = ann if holder == 5001 else bob
    zhao_card = next(m for m in zhao_holder.messages if "Zhao" in m.text and "🏠" in m.text)
    await zhao_holder.click("🚪 No answer", message=zhao_card)
    await env.drained()
    told = [text for text in texts(mei) if "Zhao" in text and "🏠" not in text]
    assert len(told) == 1, told  # the incident's card, and nothing besides
    assert "nobody answered the door" in told[0]
    assert any("Nobody answered the door for Zhao" in text for text in texts(zhao_family))
    assert "🔔 They answered" in zhao_card.inline_texts
    assert not any("Zhao" in text for text in texts(admin))

    await env.advance(minutes=20)  # nobody resolved it: the admins get its incident's card
    await env.drained()
    raised = [text for text in texts(admin) if "Zhao" in text]
    assert len(raised) == 1
    assert "Nobody has taken incident" in raised[0]
    assert "nobody answered the door" in raised[0]


async def test_hand_back_reassign_answered_and_unreported_alert(env: Env) -> None:
    """A volunteer hands one back, staff move one, a door opens late, and silence is flagged."""
    mei = await staff_member(env, 2001, "Mei")
    ann = await volunteer(env, mei, 5001, "Ann", "4")
    bob = await volunteer(env, mei, 5002, "Bob", "4")
    wang = await senior(env, 3001, "Wang", "Building 5", None)
    li = await senior(env, 3002, "Li", "Building 7", None)
    wang_order = await lunch_order(env, 3001, wang, 2001)
    li_order = await lunch_order(env, 3002, li, 2001)

    await env.advance(minutes=90)
    first = (await delivery_of(env, wang_order))[0]
    await ann.press(f"vol1:c:{first}")
    await ann.press(f"vol1:bk:{first}")
    assert (await delivery_of(env, wang_order))[1:] == (None, "open")

    await env.advance(minutes=75)  # both are assigned at the deadline
    second = (await delivery_of(env, li_order))[0]
    holder = (await delivery_of(env, li_order))[1]
    other = "Bob" if holder == 5001 else "Ann"
    await mei.send("/deliveries")
    await mei.click(mei.last.inline_texts[0])
    await mei.click(f"↪️ #{second}")
    await mei.click(other)
    assert "has a new volunteer" in mei.last.text
    new_holder = bob if other == "Bob" else ann
    assert (await delivery_of(env, li_order))[1] == new_holder.id
    card = next(m for m in reversed(new_holder.messages) if "Li" in m.text and "🏠" in m.text)

    await env.advance(minutes=50)  # 11:35
    await new_holder.click("🚪 No answer", message=card)
    await new_holder.click("🔔 They answered", message=card)
    assert (await delivery_of(env, li_order))[2] == "delivered"
    assert any("answered after all" in text for text in texts(mei))

    await env.advance(minutes=60)  # 12:35: Wang's delivery was never reported
    assert any("not reported 60 minutes after serving" in text for text in texts(mei))
    await env.advance(minutes=30)  # the alert is raised once
    alerts = [text for text in texts(mei) if "not reported" in text]
    assert len(alerts) == 1
