"""`doorstep demo`: the bot and a local sandbox in one process, playing a whole day.

Nothing leaves the machine: the bot long-polls the sandbox over HTTP on 127.0.0.1 and
writes to a fresh SQLite file in a temporary folder. The clock jumps from scene to scene;
the transcript shows who said what and which buttons were shown, and the closing figures
are read back from the store.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bot.app import build_application
from bot.canteen_file import Canteen, CanteenFile
from bot.core.clock import ManualClock
from bot.core.deps import Deps
from bot.demo.figures import all_checks_pass, closing_figures
from bot.demo.script import ADMIN_ID, Day, play_day
from bot.lifecycle import TrackedApplication, running
from bot.sandbox import Sandbox
from bot.settings import Config, Settings
from scheduling.ratelimit import SendLimits

TOKEN = "123456:DEMO-TOKEN"
# The clock is compressed, so the sandbox lets the sender go twenty times faster than
# Telegram would; the sender still keeps the same proportions (see scheduling/ratelimit).
DEMO_LIMITS = SendLimits(per_second=600, private_interval=0.05, group_per_minute=400)


def in_language(canteens: CanteenFile, lang: str) -> CanteenFile:
    """The canteen file with the kitchen sheet in the day's language (the kitchen too
    reads English in the English day)."""
    if lang == "zh":
        return canteens
    spoken = [c.model_copy(update={"kitchen_language": lang}) for c in canteens.canteens]
    return canteens.model_copy(update={"canteens": spoken})


def kitchen_title(canteen: Canteen, lang: str) -> str:
    return f"{canteen.name_en or canteen.name} kitchen" if lang == "en" else f"{canteen.name} 厨房"


async def play(
    config: Config, workdir: Path, lang: str = "zh", day_class: type[Day] = Day
) -> tuple[str, bool]:
    """Play the day in `lang` (zh: Chinese, with two English speakers; en: all English);
    `day_class` may record more as it goes (the guides' screenshots: scripts/guides.py)."""
    sandbox = Sandbox(token=TOKEN, bot_username="doorstep_bot")
    await sandbox.start()
    try:
        kitchen = config.canteens.canteens[0].kitchen_chat_id
        for canteen in config.canteens.canteens:
            sandbox.group(canteen.kitchen_chat_id, kitchen_title(canteen, lang))
        settings = Settings(
            _env_file=None,
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=sandbox.base_url,
            DOORSTEP_DB=str(workdir / "demo.sqlite3"),
            DOORSTEP_TZ=config.settings.tz_name,
            DOORSTEP_ADMIN_IDS=str(ADMIN_ID),
        )
        clock = ManualClock(datetime(2026, 3, 1, 15, 0, tzinfo=settings.tz))
        demo_config = Config(settings=settings, canteens=in_language(config.canteens, lang))
        app = build_application(demo_config, clock, TrackedApplication, DEMO_LIMITS)
        assert isinstance(app, TrackedApplication)
        sandbox.busy_probe = app.busy
        async with running(app):
            deps = app.bot_data["deps"]
            assert isinstance(deps, Deps)
            day = day_class(sandbox, deps, clock, lang)
            await play_day(day)
            figures = await closing_figures(deps, sandbox, kitchen, clock.now().date())
        return "\n".join(day.book.chapters) + "\n" + figures, all_checks_pass(figures)
    finally:
        await sandbox.stop()


def run_demo(config: Config, *, quiet: bool = False, lang: str = "zh") -> int:
    logging.getLogger().setLevel(logging.WARNING)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="doorstep-demo-") as folder:
        text, ok = asyncio.run(play(config, Path(folder), lang))
    if quiet:
        text = text[text.index("━━ The day in figures") :]
    print(text)
    print(f"\n   (played in {time.monotonic() - started:.1f} s of wall time)")
    return 0 if ok else 1
