"""Access that can be taken back: settings admins, staff, volunteers and family links.

A person removed by an admin is refused at once, whatever old button or command they
still have, and reads nothing about a senior; every grant and removal is in the audit log.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.core.clock import ManualClock
from bot.sandbox import Sandbox
from bot.sandbox.faults import Fault, is_sending
from bot.services.people import invites, team
from data import accounts
from tests.harness import ADMIN_ID, Env, bot_running, make_config
from tests.test_volunteer_e2e import (
    answers_of,
    delivery_of,
    family_of,
    lunch_order,
    senior,
    staff_member,
    texts,
    volunteer,
)

NEAR = (31.2314, 121.4747)
WANG_PHONE = "13800003001"
LI_PHONE = "13800003002"
REFUSALS = (
    "Sorry, you cannot do that.",
    "This is for the canteen's volunteers. Ask the canteen staff for an invite link.",
)


async def remove(env: Env, label: str) -> Any:
    """The admin opens /team, taps the person, and says yes."""
    admin = env.user(ADMIN_ID, "Admin", "en")
    await admin.send("/team")
    await admin.click(label)
    assert "Remove" in admin.last.text
    await admin.click("✅ Yes, remove")
    return admin


def private_bits(text: str) -> list[str]:
    """A senior's name, address or phone where a removed volunteer could read them."""
    bits = ("Wang", "Building 5 101", WANG_PHONE, "Building 7 101", LI_PHONE)
    return [bit for bit in bits if bit in text]


async def test_a_volunteer_removed_before_the_deadline_cannot_claim_with_an_old_button(
    env: Env,
) -> None:
    mei = await staff_member(env, 2001, "Mei")
    ann = await volunteer(env, mei, 5001, "Ann", "4")
    wang = await senior(env, 3001, "Wang", "Building 5", NEAR)
    order = await lunch_order(env, 3001, wang, 2001)
    await env.advance(minutes=90)  # 09:30: the board goes out
    board = next(m for m in ann.messages if "Deliveries for" in m.text)
    await ann.click("Take Building 5 (1)", message=board)
    delivery = (await delivery_of(env, order))[0]
    assert (await delivery_of(env, order))[1:] == (5001, "claimed")

    admin = await remove(env, "Ann · Volunteer")
    assert "Ann is no longer Volunteer" in admin.last.text
    assert (await delivery_of(env, order))[1:] == (None, "open")  # back on the board
    await env.settle()
    assert any("You are no longer Volunteer" in text for text in texts(ann))

    seen_before = len(ann.messages)
    await ann.press(f"vol1:c:{delivery}")
    await ann.press(f"vol1:g:{delivery}")
    await ann.press(f"vol1:see:{delivery}")
    await ann.send("/deliveries")
    await ann.send("/route")
    assert (await delivery_of(env, order))[1:] == (None, "open")
    assert all(answer in REFUSALS for answer in answers_of(ann)[-3:]), answers_of(ann)[-3:]
    for said in [*answers_of(ann), *texts(ann)[seen_before:]]:
        assert private_bits(said) == [], said
    commands = [c.command for c in env.sandbox.commands[f"chat:{ann.id}"]]
    assert "deliveries" not in commands
    audit = await env.rows("SELECT account_id, action, subject, detail FROM audit_log")
    assert (ADMIN_ID, "role.remove.volunteer", "account:5001", "canteen:1") in audit


async def test_a_volunteer_removed_after_the_routes_reads_nothing_and_the_meal_is_carried(
    env: Env,
) -> None:
    mei = await staff_member(env, 2001, "Mei")
    ann = await volunteer(env, mei, 5001, "Ann", "4")
    bob = await volunteer(env, mei, 5002, "Bob", "4")
    wang = await senior(env, 3001, "Wang", "Building 5", NEAR)
    li = await senior(env, 3002, "Li", "Building 7", None)
    order = await lunch_order(env, 3001, wang, 2001)
    li_order = await lunch_order(env, 3002, li, 2001)
    await env.advance(minutes=90)
    delivery = (await delivery_of(env, order))[0]
    li_delivery = (await delivery_of(env, li_order))[0]
    await ann.press(f"vol1:c:{delivery}")
    await ann.press(f"vol1:c:{li_delivery}")
    await env.advance(minutes=75)  # 10:45: routes and stop cards go out
    card = next(m for m in ann.messages if "Wang" in m.text and "🏠" in m.text)
    assert WANG_PHONE in card.text
    li_card = next(m for m in ann.messages if LI_PHONE in m.text and "🏠" in m.text)
    await ann.click("✅ Delivered", message=li_card)  # reported: still "hers" in the store

    await remove(env, "Ann · Volunteer")
    await env.settle()
    assert (await delivery_of(env, order))[1] == 5002  # placed with Bob at once
    assert any("Wang" in m.text and "🏠" in m.text for m in bob.messages)

    seen_before = len(ann.messages)
    await ann.click("✅ Delivered", message=card)
    await ann.click("🚪 No answer", message=card)
    for action in ("see", "nd", "cn", "bk", "un", "ans"):
        await ann.press(f"vol1:{action}:{delivery}", card.message_id)
    for action in ("see", "un"):
        await ann.press(f"vol1:{action}:{li_delivery}", li_card.message_id)
    await ann.send("/route")
    assert (await delivery_of(env, order))[1:] == (5002, "assigned")
    assert (await delivery_of(env, li_order))[1:] == (5001, "delivered")
    for said in [*answers_of(ann)[-10:], *texts(ann)[seen_before:]]:
        assert private_bits(said) == [], said
    assert all(answer in REFUSALS for answer in answers_of(ann)[-10:]), answers_of(ann)[-10:]


async def test_a_removed_volunteer_holding_the_only_bag_leaves_staff_told_by_name(
    env: Env,
) -> None:
    mei = await staff_member(env, 2001, "Mei")
    ann = await volunteer(env, mei, 5001, "Ann", "4")
    wang = await senior(env, 3001, "Wang", "Building 5", NEAR)
    order = await lunch_order(env, 3001, wang, 2001)
    await env.advance(minutes=90)
    await ann.press(f"vol1:c:{(await delivery_of(env, order))[0]}")
    await env.advance(minutes=75)
    await remove(env, "Ann · Volunteer")
    await env.settle()
    assert (await delivery_of(env, order))[1] is None
    told = [text for text in texts(mei) if "no volunteer" in text.lower()]
    assert told, texts(mei)[-3:]
    assert "Wang" in told[-1]


async def test_removed_staff_are_refused_at_once_and_told(env: Env) -> None:
    mei = await staff_member(env, 2001, "Mei")
    await mei.send("/orders")
    assert "Sorry" not in mei.last.text
    await remove(env, "Mei · Staff")
    await env.settle()
    assert any("You are no longer Staff" in text for text in texts(mei))
    for command in ("/orders", "/menu", "/sheet", "/invite"):
        await mei.send(command)
        assert mei.last.text == "Sorry, you cannot do that.", command
    commands = [c.command for c in env.sandbox.commands[f"chat:{mei.id}"]]
    assert "orders" not in commands
    grants = await env.rows(
        "SELECT account_id, action FROM audit_log WHERE action LIKE 'invite.redeem.%'"
        " OR action LIKE 'role.%'"
    )
    assert (2001, "invite.redeem.staff") in grants
    assert (ADMIN_ID, "role.remove.staff") in grants


async def test_an_unlinked_family_member_cannot_order_for_the_senior(env: Env) -> None:
    wang = await senior(env, 3001, "Wang", "Building 5", NEAR)
    daughter = await family_of(env, wang, 4001)
    admin = env.user(ADMIN_ID, "Admin", "en")
    await admin.send("/team")
    await admin.click("👪 Family links")
    assert "Wang ← Daughter" in admin.last.text
    await admin.click("✂️ Daughter → Wang")
    await admin.click("✅ Yes, unlink")
    assert "Daughter is no longer linked to Wang" in admin.last.text
    await env.settle()
    assert any("You are no longer linked to Wang" in text for text in texts(daughter))

    await daughter.press(f"ord1:for:{wang}")
    assert daughter.callback_answers[-1].text == "Sorry, you cannot do that."
    await daughter.send("/start")
    assert all("Order a meal" not in row for row in daughter.keyboard or [])
    assert await env.rows("SELECT COUNT(*) FROM orders") == [(0,)]
    audit = await env.rows("SELECT account_id, action, subject, detail FROM audit_log")
    assert (ADMIN_ID, "link.remove.family", f"resident:{wang}", "account:4001") in audit


async def test_staff_cannot_remove_anyone_with_a_forged_button(env: Env) -> None:
    mei = await staff_member(env, 2001, "Mei")
    await mei.press("tem1:rm:1:2001:staff")
    await mei.press("tem1:rm:1:5001:volunteer")
    assert mei.callback_answers[-1].text.startswith("Sorry, only the community admin")
    roles = await env.rows("SELECT role, status FROM roles WHERE account_id = 2001")
    assert roles == [("staff", "active")]


async def test_an_id_taken_out_of_the_settings_loses_admin_at_the_next_start(
    sandbox: Sandbox, clock: ManualClock, tmp_path: Path
) -> None:
    """Settings admins are exactly the settings' ids; an admin by invite stays."""
    path = tmp_path / "doorstep.sqlite3"
    both = make_config(sandbox, path, DOORSTEP_ADMIN_IDS=f"{ADMIN_ID},9001")
    async with bot_running(sandbox, both, clock) as env:
        former = env.user(9001, "Former", "en")
        await former.send("/approvals")
        assert former.last.text == "Nobody is waiting for approval. 🎉"
        invite = await invites.create(env.deps, "admin", 1, ADMIN_ID)
        invited = env.user(9002, "Invited", "en")
        await invited.send(f"/start join_{invite.code}")
    only_first = make_config(sandbox, path, DOORSTEP_ADMIN_IDS=str(ADMIN_ID))
    async with bot_running(sandbox, only_first, clock) as env:
        await former.send("/approvals")
        assert former.last.text.startswith("Sorry, only the community admin")
        await invited.send("/approvals")
        assert invited.last.text == "Nobody is waiting for approval. 🎉"
        commands = [c.command for c in env.sandbox.commands[f"chat:{former.id}"]]
        assert "approvals" not in commands
        audit = await env.rows(
            "SELECT account_id, action, subject FROM audit_log WHERE action LIKE 'role.%'"
        )
        assert (None, "role.grant.admin", "account:9001") in audit
        assert (None, "role.revoke.admin", "account:9001") in audit
        assert not any(
            subject == "account:9002" for _, action, subject in audit if "revoke" in action
        )
        roles = await env.rows("SELECT account_id, status FROM roles WHERE role = 'admin'")
        assert sorted(roles) == [(ADMIN_ID, "active"), (9001, "revoked"), (9002, "active")]


@dataclass
class HoldChat:
    """Telegram fails (500) every message for one chat while `on` (not a 429: PTB would
    retry that itself, keeping the request out for seconds)."""

    chat_id: int
    on: bool = True
    refused: asyncio.Event = field(default_factory=asyncio.Event)

    def decide(self, method: str, params: dict[str, Any]) -> Fault | None:
        if self.on and is_sending(method) and str(params.get("chat_id")) == str(self.chat_id):
            self.refused.set()
            return Fault("server_error")
        return None

    async def next_refusal(self) -> None:
        """Until a request to the chat is refused after this call began."""
        self.refused.clear()
        await asyncio.wait_for(self.refused.wait(), timeout=20)


async def test_a_stop_card_not_sent_yet_is_withdrawn_when_the_volunteer_is_removed(
    env: Env,
) -> None:
    mei = await staff_member(env, 2001, "Mei")
    ann = await volunteer(env, mei, 5001, "Ann", "4")
    wang = await senior(env, 3001, "Wang", "Building 5", NEAR)
    order = await lunch_order(env, 3001, wang, 2001)
    await env.advance(minutes=90)
    await ann.press(f"vol1:c:{(await delivery_of(env, order))[0]}")
    hold = HoldChat(ann.id)
    env.sandbox.faults = hold
    env.clock.advance(timedelta(minutes=75))  # routes are queued; Ann's chat fails
    await hold.next_refusal()
    mine = "SELECT key, status FROM outbox WHERE chat_id = 5001 AND (key LIKE 'card:%'"
    mine += " OR key LIKE 'pin:%' OR key LIKE 'route:%') ORDER BY id"
    assert len(await env.rows(mine)) == 3  # the route, Wang's card and her map pin

    await team.remove(env.deps, ADMIN_ID, 1, 5001, "volunteer")
    await hold.next_refusal()  # one request at a time per chat: none from before is out
    hold.on = False
    await env.drained()
    assert [status for _, status in await env.rows(mine)] == ["failed"] * 3
    assert all(private_bits(text) == [] for text in texts(ann))
    assert not any("Your route" in text for text in texts(ann))
    assert any("You are no longer Volunteer" in text for text in texts(ann))


async def test_the_team_is_listed_a_page_at_a_time(env: Env) -> None:
    now = env.clock.now()
    async with env.deps.db.transaction() as tx:
        for n in range(23):
            await accounts.upsert(tx, 6000 + n, f"Helper {n:02d}", None, now, "en")
            await accounts.grant_role(tx, 6000 + n, 1, "volunteer", ADMIN_ID, now)
    admin = env.user(ADMIN_ID, "Admin", "en")
    await admin.send("/team")
    first = admin.last
    assert "(1/3)" in first.text
    people = [label for label in first.inline_texts if "· Volunteer" in label]
    assert people == [f"Helper {n:02d} · Volunteer" for n in range(10)]
    await admin.click("▶️", message=first)
    await admin.click("▶️", message=first)
    assert "(3/3)" in first.text
    assert [label for label in first.inline_texts if "· Volunteer" in label] == [
        f"Helper {n:02d} · Volunteer" for n in range(20, 23)
    ]
    assert "▶️" not in first.inline_texts
