"""`doorstep demo`: the bot and a local sandbox in one process, playing a scripted day.

Nothing leaves the machine: the bot long-polls the sandbox over HTTP on 127.0.0.1 and
writes to a fresh SQLite file in a temporary folder. The transcript shows who said
what and which buttons were shown.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.app import build_application
from bot.clock import ManualClock
from bot.deps import Deps
from bot.lifecycle import TrackedApplication, running
from bot.sandbox import Sandbox, SandboxUser, format_transcript
from bot.services import invites
from bot.settings import Config, Settings
from data import canteens

TOKEN = "123456:DEMO-TOKEN"
ADMIN_ID = 9000


@dataclass
class Cast:
    """The people of the demo."""

    wang: SandboxUser  # a senior who lives alone
    tom: SandboxUser  # her son, who speaks English
    admin: SandboxUser
    li: SandboxUser  # canteen staff


Scene = Callable[[Cast, Deps], Awaitable[None]]


async def first_contact(cast: Cast, deps: Deps) -> None:
    await cast.wang.send("/start")
    await cast.wang.click("❓ 帮助")


async def language(cast: Cast, deps: Deps) -> None:
    await cast.tom.send("/start")
    await cast.tom.click("🌐 Language / 语言")
    await cast.tom.click("English")


async def staff_joins(cast: Cast, deps: Deps) -> None:
    canteen = (await canteens.all_canteens(deps.db.conn))[0]
    invite = await invites.create(deps, "staff", canteen.id, ADMIN_ID)
    await cast.li.send(f"/start join_{invite.code}")
    await cast.li.send("/help")


SCENES: list[tuple[str, Scene]] = [
    ("A senior says hello", first_contact),
    ("Her son picks English", language),
    ("A cook joins the canteen team by invite link", staff_joins),
]


async def play(config: Config, workdir: Path, start: datetime) -> str:
    sandbox = Sandbox(token=TOKEN, bot_username="doorstep_bot")
    await sandbox.start()
    try:
        for canteen in config.canteens.canteens:
            sandbox.group(canteen.kitchen_chat_id, f"{canteen.name} kitchen")
        settings = Settings(
            _env_file=None,
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=sandbox.base_url,
            DOORSTEP_DB=str(workdir / "demo.sqlite3"),
            DOORSTEP_TZ=config.settings.tz_name,
            DOORSTEP_ADMIN_IDS=str(ADMIN_ID),
        )
        demo_config = Config(settings=settings, canteens=config.canteens)
        app = build_application(demo_config, ManualClock(start), TrackedApplication)
        assert isinstance(app, TrackedApplication)
        sandbox.busy_probe = app.busy
        async with running(app):
            deps = app.bot_data["deps"]
            assert isinstance(deps, Deps)
            cast = Cast(
                wang=sandbox.user(2001, "王秀英", language_code="zh-hans"),
                tom=sandbox.user(2002, "Tom", language_code="zh-hans"),
                admin=sandbox.user(ADMIN_ID, "Admin", language_code="en"),
                li=sandbox.user(2003, "李师傅", language_code="zh-hans"),
            )
            await sandbox.idle()
            chapters: list[str] = []
            for title, scene in SCENES:
                mark = len(sandbox.transcript)
                await scene(cast, deps)
                await sandbox.idle()
                chapters.append(f"\n── {title} ──\n" + format_transcript(sandbox.transcript[mark:]))
            summary = await summarise(deps)
        sandbox.assert_no_violations()
        return "\n".join(chapters) + "\n\n" + summary
    finally:
        await sandbox.stop()


async def summarise(deps: Deps) -> str:
    db = deps.db
    counts = {
        table: (await db.fetchall(f"SELECT COUNT(*) FROM {table}"))[0][0]
        for table in ("accounts", "roles", "windows", "menu_items", "orders", "outbox")
    }
    lines = ["── Summary (from the store) ──"]
    lines += [f"  {table:<12} {count}" for table, count in counts.items()]
    return "\n".join(lines)


def run_demo(config: Config, *, quiet: bool = False) -> int:
    logging.getLogger().setLevel(logging.WARNING)
    start = datetime(2026, 3, 2, 8, 0, tzinfo=config.settings.tz)
    with tempfile.TemporaryDirectory(prefix="doorstep-demo-") as folder:
        text = asyncio.run(play(config, Path(folder), start))
    if quiet:
        text = text[text.index("── Summary") :]
    print(text)
    return 0
