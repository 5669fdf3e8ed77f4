"""Two `doorstep run` processes on one PostgreSQL, one bot: the leader is killed with
SIGKILL three times in one lunch, and the day ends as if nothing had happened.

A lunch is scripted in real time (the processes keep the real clock): ordering closes two
minutes after the test starts and routes go out half a minute later. The leader is
killed while residents order (one half-way through her order), right after the kitchen
sheet arrives (between the close and the dispatch), and as the first route arrives
(while routes are sent); each time a new standby is started, so two processes always
run. The day must end with one kitchen sheet (and its CSV), one route per volunteer,
every notice of the outbox exactly once (or, for a request in flight at a kill, as many
times as its row counts unsure), and the store's invariants holding. The takeover time
(kill to the new leader's lease) is printed.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.canteen_file import load_canteen_file
from bot.sandbox import Sandbox, SandboxUser
from data import accounts, canteens, invariants, leases, links
from data import volunteers as volunteer_store
from data.db import Database, insert
from data.models import Volunteer
from tests.harness import ADMIN_ID, KITCHEN_CHAT, TOKEN

pytestmark = pytest.mark.postgres_only
WAIT = 40.0  # seconds for a process to start, take over and answer, on a busy machine
RESIDENTS = (3001, 3002, 3003, 3004, 3005, 3006)
VOLUNTEERS = (4001, 4002)
LEASE = "bot:123456"
EXAMPLE = Path(__file__).resolve().parent.parent / "bot" / "canteens.example.toml"


def lunch_in_real_time(folder: Path, now: datetime, tz: str) -> Path:
    """The example canteen with one lunch a day: ordering closes 120 s from now, routes
    go out 30 s later (the claim deadline is the serving time), orders confirm by
    themselves, no check-ins. Two minutes leave room for a takeover and a busy machine."""
    from zoneinfo import ZoneInfo

    local = now.astimezone(ZoneInfo(tz))
    cutoff = local + timedelta(seconds=120)
    serve = cutoff + timedelta(seconds=30)
    text = EXAMPLE.read_text("utf-8")
    head, _, rest = text.partition("[[canteens.windows]]")
    dishes = rest[rest.index("[[canteens.dishes]]") :]
    head = (
        head.replace("auto_confirm = false", "auto_confirm = true")
        .replace("claim_minutes_before_serving = 45", "claim_minutes_before_serving = 0")
        .replace("daily_checkin = true", "daily_checkin = false")
    )
    window = (
        '[[canteens.windows]]\nmeal = "lunch"\n'
        'weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\n'
        f'opens = "00:00:00"\nopens_days_before = 0\ncutoff = "{cutoff:%H:%M:%S}"\n'
        f'serve = "{serve:%H:%M:%S}"\n\n'
    )
    path = folder / "canteens.toml"
    path.write_text(head + window + dishes, "utf-8")
    return path


def zone_at_midday(now: datetime) -> str:
    """A time zone where it is about noon now, so the lunch never crosses midnight."""
    offset = (12 - now.hour) % 24
    offset = offset - 24 if offset > 12 else offset
    return "UTC" if offset == 0 else f"Etc/GMT{-offset:+d}"  # Etc/GMT-8 is UTC+8


async def seed(url: str, canteen_file: Path, now: datetime) -> None:
    """Residents who live alone and order themselves; two volunteers with room."""
    db = await Database.open(url)
    try:
        async with db.transaction() as tx:
            await canteens.sync(tx, load_canteen_file(canteen_file).canteens)
            for n, account_id in enumerate(RESIDENTS):
                await accounts.ensure(tx, account_id, now)
                await accounts.set_language(tx, account_id, "en")
                resident_id = await insert(
                    tx,
                    "INSERT INTO residents (canteen_id, name, phone, building, unit, room,"
                    " lives_alone, delivery_eligible, status, created_at)"
                    " VALUES (1, ?, ?, ?, '1', '101', 1, 1, 'approved', ?)",
                    (f"R{n}", f"+861380000{account_id}", str(n % 3 + 1), now.isoformat()),
                )
                await links.create(tx, account_id, resident_id, "self", now)
            for account_id in VOLUNTEERS:
                await accounts.ensure(tx, account_id, now)
                await accounts.set_language(tx, account_id, "en")
                await accounts.grant_role(tx, account_id, 1, "volunteer", None, now)
                volunteer = Volunteer(
                    account_id=account_id,
                    canteen_id=1,
                    name=f"V{account_id}",
                    phone="",
                    capacity=10,
                    weekdays="mon,tue,wed,thu,fri,sat,sun",
                    meals="lunch,dinner",
                    area="",
                    lat=None,
                    lon=None,
                    active=True,
                    created_at=now,
                )
                await volunteer_store.save(tx, volunteer, now)
    finally:
        await db.close()


class Cluster:
    """The `doorstep run` processes of one bot, and the store they share."""

    def __init__(self, url: str, env: dict[str, str]) -> None:
        self.url, self.env = url, env
        self.processes: dict[int, asyncio.subprocess.Process] = {}
        self.takeovers: list[float] = []

    async def start(self) -> asyncio.subprocess.Process:
        script = Path(sys.executable).with_name("doorstep")
        command = [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]
        process = await asyncio.create_subprocess_exec(
            *command,
            "run",
            env=self.env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        self.processes[process.pid] = process
        return process

    async def leader(self) -> tuple[int, int]:
        """(pid, generation) of the process holding the lease, once one does."""
        db = await Database.open(self.url)
        try:
            async with asyncio.timeout(WAIT):
                while True:
                    held = await leases.holder(db.reader, LEASE)
                    expires = datetime.fromisoformat(held[2]) if held and held[2] else None
                    if held and expires and expires > datetime.now(UTC):
                        return int(held[0].rsplit(":", 1)[1]), held[1]
                    await asyncio.sleep(0.05)
        finally:
            await db.close()

    async def kill_leader(self) -> None:
        """SIGKILL the leader, measure until another process holds the lease, and start a
        new standby so that two processes run again."""
        pid, generation = await self.leader()
        killed = self.processes.pop(pid)
        killed.send_signal(signal.SIGKILL)
        await killed.wait()
        start = time.perf_counter()
        await self.start()
        while (await self.leader())[1] == generation:  # noqa: ASYNC110 - another process
            await asyncio.sleep(0.05)
        self.takeovers.append(time.perf_counter() - start)

    async def stop(self) -> None:
        for process in self.processes.values():
            if process.returncode is None:
                process.send_signal(signal.SIGKILL)
                await process.wait()


@asynccontextmanager
async def cluster(
    sandbox: Sandbox, url: str, canteen_file: Path, tz: str
) -> AsyncIterator[Cluster]:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": sandbox.base_url,
        "DOORSTEP_DB": url,
        "DOORSTEP_ADMIN_IDS": str(ADMIN_ID),
        "DOORSTEP_CANTEENS": str(canteen_file),
        "DOORSTEP_TZ": tz,
    }
    running = Cluster(url, env)
    try:
        yield running
    finally:
        await running.stop()


async def until(seen: Callable[[], bool], limit: float = WAIT) -> None:
    async with asyncio.timeout(limit):
        while not seen():  # noqa: ASYNC110 - the bot is another process
            await asyncio.sleep(0.05)


def button(user: SandboxUser, start: str) -> str:
    """The button on the user's screen whose text starts so."""
    for row in user.keyboard or []:
        for text in row:
            if text.startswith(start):
                return str(text)
    for message in reversed(user.messages):
        for row in (message.versions[-1].markup or {}).get("inline_keyboard", []):
            for one in row:
                if str(one["text"]).startswith(start):
                    return str(one["text"])
    raise AssertionError(f"no button starting {start!r}; last: {user.last.text!r}")


async def tap(user: SandboxUser, start: str) -> None:
    """Tap a button and wait for the bot's answer (from whichever process leads)."""
    before = len(user.messages)
    await user.click(button(user, start), wait=False)
    await until(lambda: len(user.messages) > before)


async def order_lunch(user: SandboxUser, *, steps: slice = slice(None)) -> None:
    for text in ["🍱 Order a meal", "Lunch today", "Set A:", "1", "🚪 Bring it to my door"][steps]:
        await tap(user, text)


async def place(user: SandboxUser) -> None:
    await tap(user, "✅ Place order")


def routes(user: SandboxUser) -> list[str]:
    return [m.text for m in user.messages if m.text.startswith("🗺 Your route")]


def sent_texts(sandbox: Sandbox) -> list[tuple[int, str]]:
    return [(int(p["chat_id"]), str(p["text"])) for p in sandbox.sent("sendMessage")]


async def test_the_leader_killed_three_times_in_a_lunch_leaves_one_of_everything(
    sandbox: Sandbox, store: str, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    tz = zone_at_midday(now)
    url = store  # a new PostgreSQL database (this test runs in the PostgreSQL run only)
    canteen_file = lunch_in_real_time(tmp_path, now, tz)
    await seed(url, canteen_file, now)
    users = [sandbox.user(a, f"R{n}", language_code="en") for n, a in enumerate(RESIDENTS)]
    carriers = [sandbox.user(a, f"V{a}", language_code="en") for a in VOLUNTEERS]
    kitchen = sandbox.chat(KITCHEN_CHAT)
    async with cluster(sandbox, url, canteen_file, tz) as bots:
        await bots.start()
        await bots.leader()
        await bots.start()  # the standby
        for user in [*users, *carriers]:
            before = len(user.messages)
            await user.send("/start", wait=False)
            await until(lambda user=user, before=before: len(user.messages) > before)

        # 1. during ordering: one resident is half-way through her order
        await order_lunch(users[0])
        await place(users[0])
        await order_lunch(users[1], steps=slice(0, 3))
        await bots.kill_leader()
        await order_lunch(users[1], steps=slice(3, None))  # the new leader goes on
        await place(users[1])
        for user in users[2:]:
            await order_lunch(user)
            await place(user)

        # 2. between the close and the dispatch
        await until(lambda: len(kitchen.messages) >= 1, limit=120)
        await bots.kill_leader()

        # 3. while routes are sent
        await until(lambda: any(routes(c) for c in carriers), limit=120)
        await bots.kill_leader()
        await until(lambda: all(routes(c) for c in carriers), limit=120)
        db = await Database.open(url)
        try:
            async with asyncio.timeout(120):
                waiting = "SELECT 1 FROM outbox WHERE status IN ('pending', 'sending')"
                while await db.fetchall(waiting):  # noqa: ASYNC110 - other processes send
                    await asyncio.sleep(0.2)
            rows = [
                tuple(r)
                for r in await db.fetchall(
                    "SELECT key, chat_id, kind, status, unsure, payload FROM outbox ORDER BY id"
                )
            ]
            problems = await invariants.check(db.reader)
            state = await db.fetchall("SELECT state FROM windows")
        finally:
            await db.close()

    print(f"takeover after SIGKILL: {', '.join(f'{s:.1f} s' for s in bots.takeovers)}")
    assert problems == []
    # today's closed once (routes out, meals not marked ready yet); tomorrow's scheduled
    assert sorted(tuple(r) for r in state) == [("closed",), ("scheduled",)]
    keys = [str(r[0]) for r in rows]
    assert sum(k.startswith("sheet:window:") for k in keys) == 1
    assert sum(k.startswith("sheet-csv:window:") for k in keys) == 1
    assert sorted(k for k in keys if k.startswith("route:")) == sorted(
        f"route:window:1:account:{a}" for a in VOLUNTEERS
    )
    texts = sent_texts(sandbox)
    for key, chat_id, kind, status, unsure, payload in rows:
        assert status == "sent", key
        if kind != "text":
            continue
        copies = texts.count((int(chat_id), json.loads(payload)["text"]))
        assert 1 <= copies <= 1 + int(unsure), (key, copies, unsure)
    documents = [p for p in sandbox.sent("sendDocument") if int(p["chat_id"]) == KITCHEN_CHAT]
    unsure_csv = sum(int(r[4]) for r in rows if str(r[0]).startswith("sheet-csv:"))
    assert 1 <= len(documents) <= 1 + unsure_csv
    assert all(s < 15 for s in bots.takeovers), bots.takeovers
