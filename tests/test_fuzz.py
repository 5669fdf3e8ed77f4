"""Bad input: anything a Telegram client could send, from every kind of user, for thousands
of steps, leaves no unhandled error, no user unanswered, no Bot API violation, and a
consistent store.

A seeded generator (so a failure replays exactly) mixes what people really do (tapping
the buttons they see, which reaches deep into every conversation) with what they could
do: odd and very long text, forged button data, edits, stickers, photos, contacts,
locations, documents, group chatter, commands with junk and deep links with junk.
DOORSTEP_FUZZ_STEPS sets the number of steps and DOORSTEP_FUZZ_SEED the seed. By default
400 steps run (with the default seed they hold every kind of action and time passing);
DOORSTEP_TEST_DEPTH=full runs 2,000.
"""

from __future__ import annotations

import logging
import os
import random
import string
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from bot.sandbox import SandboxUser
from bot.sandbox.models import Upload
from data import accounts, invariants, links
from tests.harness import ADMIN_ID, FULL_DEPTH, KITCHEN_CHAT, Env
from tests.residents_kit import senior
from tests.test_replay import add_volunteer

STEPS = int(os.environ.get("DOORSTEP_FUZZ_STEPS", "2000" if FULL_DEPTH else "400"))
SEED = int(os.environ.get("DOORSTEP_FUZZ_SEED", "20260302"))
BATCH = 8  # actions sent before waiting for the bot to go quiet
COMMANDS = (
    "start", "help", "language", "menu", "orders", "invite", "deliveries", "available",
    "route", "report", "reports", "approvals", "roster", "privacy", "export", "erase",
    "checkin", "audit", "sheet", "ready", "cancel", "admin", "volunteer", "staff", "team",
)  # fmt: skip
ODD = (
    "", " ", "\u200b", "\u202e", "\u0301", "👨‍👩‍👧‍👦", "🏳️‍🌈", "<b>", "</i>", "&amp;", "&", "<",
    ">", '"', "'", "\\", "%s", "{name}", "{}", "$(rm)", "'; DROP TABLE orders; --", "\t", "\n",
    "٣", "〇", "１２", "-1", "0", "99999999999999999999", "1e9", "NaN", "null", "♿", "\ufeff",
)  # fmt: skip
Action = Callable[[], Awaitable[Any]]


class Fuzzer:
    """Turns seeded random numbers into things a client sends."""

    def __init__(self, env: Env, users: list[SandboxUser], seed: int) -> None:
        self.env = env
        self.users = users
        self.random = random.Random(seed)
        self.kinds: Counter[str] = Counter()
        self.private_sent: Counter[int] = Counter()  # messages that must be answered

    def text(self) -> str:
        r = self.random
        kind = r.random()
        if kind < 0.3:
            return "".join(r.choice(ODD) for _ in range(r.randint(1, 6))) or "?"
        if kind < 0.5:
            return "".join(chr(self.code_point()) for _ in range(r.randint(1, 40)))
        if kind < 0.55:
            return "".join(r.choice(string.printable) for _ in range(r.randint(3000, 4096)))
        if kind < 0.6:
            return "长" * r.randint(1000, 4096)
        if kind < 0.8:
            junk = self.text() if r.random() < 0.5 else str(r.randint(-(10**15), 10**15))
            return f"/{r.choice(COMMANDS)} {junk}"[:4096]
        if kind < 0.9:
            link = r.choice(["join_", "invite_", "fam_", "", "ref"]) + self.token()
            return f"/start {link}"
        return "".join(r.choice(string.ascii_letters + string.digits) for _ in range(8))

    def code_point(self) -> int:
        while True:
            point = self.random.choice(
                [
                    self.random.randint(0x20, 0x7E),
                    self.random.randint(0xA0, 0x2FFF),
                    self.random.randint(0x3000, 0x9FFF),
                    self.random.randint(0x1F300, 0x1FAFF),
                    self.random.randint(0xE000, 0xFFFD),
                    self.random.randint(0x10000, 0x10FFFF),
                ]
            )
            if not 0xD800 <= point <= 0xDFFF:
                return point

    def token(self) -> str:
        alphabet = string.ascii_letters + string.digits + "_-"
        return "".join(self.random.choice(alphabet) for _ in range(self.random.randint(0, 64)))

    def callback_data(self) -> str:
        r = self.random
        seen = self.seen_callbacks()
        if seen and r.random() < 0.8:
            parts = r.choice(seen).split(":")
            for index in range(1, len(parts)):
                if r.random() < 0.5:
                    parts[index] = r.choice(
                        [str(r.randint(0, 50)), str(r.randint(-5, 10**12)), self.token()[:8], ""]
                    )
            if r.random() < 0.2:
                parts.append(str(r.randint(0, 99)))
            if r.random() < 0.1:
                parts[0] = parts[0][:-1] + str(r.randint(0, 9))  # another version
            data = ":".join(parts)
        else:
            data = "".join(chr(self.code_point()) for _ in range(r.randint(1, 30)))
        while len(data.encode()) > 64:
            data = data[:-1]
        return data or "x"

    def seen_callbacks(self) -> list[str]:
        found = []
        for chat in self.env.sandbox.state.chats.values():
            for message in chat.messages[-5:]:
                markup = message.versions[-1].markup or {}
                for row in markup.get("inline_keyboard", []):
                    found += [b["callback_data"] for b in row if "callback_data" in b]
        return sorted(found)

    def message(self, user: SandboxUser, content: dict[str, Any]) -> dict[str, Any]:
        chat = self.env.sandbox.state.chats[user.id]
        return {
            "message_id": chat.next_message_id(),
            "date": self.env.sandbox.state.now(),
            "chat": chat.to_api(),
            "from": user.user.to_api(),
            **content,
        }

    def voice(self) -> dict[str, Any]:
        """A voice message's ids, of a file the sandbox keeps (as Telegram would)."""
        upload = Upload("voice.ogg", self.token().encode() or b"v", "audio/ogg")
        return self.env.sandbox.state.store_file(upload, "voice").ids

    def media(self) -> dict[str, Any]:
        r = self.random
        file = {"file_id": self.token() or "f", "file_unique_id": self.token()[:16] or "u"}
        return r.choice(
            [
                {"sticker": {**file, "type": "regular", "width": 512, "height": 512,
                             "is_animated": False, "is_video": False, "emoji": "😀"}},
                {"photo": [{**file, "width": 90, "height": 90}], "caption": self.text()[:1024]},
                {"document": {**file, "file_name": self.text()[:60]}},
                # Telegram keeps every voice it delivers: its file_id can be sent on.
                {"voice": {**self.voice(), "duration": r.randint(1, 60)}},
                {"contact": {"phone_number": self.text()[:30] or "1", "first_name": "X",
                             "user_id": r.choice([None, r.randint(1, 10**9)])}},
                {"location": {"latitude": r.uniform(-90, 90), "longitude": r.uniform(-180, 180)}},
                {"dice": {"emoji": "🎲", "value": r.randint(1, 6)}},
            ]
        )  # fmt: skip

    def action(self, user: SandboxUser) -> Action:
        """One thing this user does next (not yet sent)."""
        r = self.random
        roll = r.random()
        if roll < 0.35 and (user.keyboard or []):
            label = r.choice([b for row in user.keyboard or [] for b in row])
            return self.counted("tap", user, lambda: user.click(label, wait=False), answer=True)
        if roll < 0.55:
            pressable = [
                (m.message_id, b["callback_data"])
                for m in user.visible[-3:]
                for row in (m.versions[-1].markup or {}).get("inline_keyboard", [])
                for b in row
                if "callback_data" in b
            ]
            if pressable:
                message_id, data = r.choice(pressable)
                return self.counted(
                    "button", user, lambda: user.press(data, message_id, wait=False)
                )
        if roll < 0.65:
            return self.counted(
                "forged", user, lambda: user.press(self.callback_data(), wait=False)
            )
        if roll < 0.8:
            text = self.text()
            return self.counted("text", user, lambda: user.send(text, wait=False), answer=True)
        if roll < 0.87:
            update = {"message": self.message(user, self.media())}
            return self.counted("media", user, lambda: user.send_update(update, wait=False), True)
        if roll < 0.93:
            return self.counted("edit", user, lambda: self.edit(user))
        group = self.env.sandbox.chat(KITCHEN_CHAT)
        text = self.text()
        return self.counted("group", user, lambda: user.send(text, chat=group, wait=False))

    def counted(self, kind: str, user: SandboxUser, act: Action, answer: bool = False) -> Action:
        self.kinds[kind] += 1
        if answer:
            self.private_sent[user.id] += 1
        return act

    async def edit(self, user: SandboxUser) -> Any:
        chat = self.env.sandbox.state.chats[user.id]
        if not chat.user_messages:
            return await user.send("/help", wait=False)
        original = chat.user_messages[self.random.choice(sorted(chat.user_messages))]
        edited = {**original, "edit_date": self.env.sandbox.state.now(), "text": self.text()}
        edited.pop("entities", None)
        return await user.send_update({"edited_message": edited}, wait=False)


async def cast(env: Env) -> list[SandboxUser]:
    """A senior, their daughter, staff, a volunteer, the admin and a stranger."""
    people = [
        env.user(3001, "Ann", "en"),
        env.user(3101, "Dee", "zh-hans"),
        env.user(2001, "Mei", "en"),
        env.user(ADMIN_ID, "Admin", "en"),
        env.user(5001, "Stranger", "de"),
    ]
    for person in people:
        await person.send("/start")
    resident_id = await senior(env, 3001, "Ann Lee")
    now = env.clock.now()
    async with env.deps.db.transaction() as tx:
        await links.create(tx, 3101, resident_id, "family", now)
        await accounts.grant_role(tx, 2001, 1, "staff", None, now)
    people.append(await add_volunteer(env, 4001, "Vic"))
    return people


def replies(env: Env, user: SandboxUser) -> int:
    return len(env.sandbox.chat(user.id).messages)


async def test_thousands_of_random_client_actions_leave_no_error_and_a_consistent_store(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    users = await cast(env)
    fuzzer = Fuzzer(env, users, SEED)
    unanswered: list[str] = []
    for step in range(0, STEPS, BATCH):
        before = {u.id: (replies(env, u), fuzzer.private_sent[u.id]) for u in users}
        actions = [fuzzer.action(fuzzer.random.choice(users)) for _ in range(BATCH)]
        for act in actions:
            await act()
        await env.settle()
        if fuzzer.random.random() < 0.03:  # time passes: windows open and close meanwhile
            await env.advance(minutes=fuzzer.random.choice([5, 30, 90, 240]))
        for user in users:
            shown, asked = before[user.id]
            if replies(env, user) - shown < fuzzer.private_sent[user.id] - asked:
                unanswered.append(f"step {step}: {user.name}")
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in errors] == []
    assert unanswered == []
    assert env.sandbox.unanswered_callbacks == []
    assert await invariants.check(env.deps.db.conn) == []
    assert sum(fuzzer.kinds.values()) >= STEPS
