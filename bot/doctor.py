"""`doorstep doctor`: what can break day one, checked with the real token, each problem
said with how to fix it, in the operator's language.

Telegram is asked, not guessed: the token (getMe); each admin (a "typing…" action is
refused with 403 to someone who never pressed Start, the same refusal that would keep an
approval card from them); each kitchen group (getChatMember of the bot itself). The rest
is read locally: the canteen file's times, the time zone, disk space, the newest backup.
"""

from __future__ import annotations

import asyncio
import html
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from telegram import Bot, ChatMemberRestricted
from telegram.constants import ChatAction
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError

from bot.canteen_file import Canteen
from bot.core.i18n import t
from bot.services.upkeep import backups
from bot.settings import Config
from data import accounts
from data.db import DatabaseError, read_only

# Minutes the kitchen needs at least between the cutoff and serving.
LEAST_COOKING_MINUTES = 30
LOW_DISK_GB = 1.0
BACKUP_HOURS = 36  # a daily backup, with some slack


@dataclass(frozen=True)
class Finding:
    """One check's result: what was seen, and how to fix it when it is a problem."""

    text: str
    fix: str | None = None

    @property
    def ok(self) -> bool:
        return self.fix is None


def _name(canteen: Canteen, lang: str) -> str:
    return (canteen.name_en or canteen.name) if lang == "en" else canteen.name


def _say(lang: str, key: str, **values: object) -> str:
    return html.unescape(str(t(lang, f"doctor.{key}", **values)))


async def diagnose(config: Config, lang: str) -> list[Finding]:
    """Every check, in the order an operator would fix them."""
    found = await _telegram(config, lang)
    found += [_times(lang, canteen) for canteen in config.canteens.canteens]
    found += [_zone(config, lang), _disk(config, lang), _backups(config, lang)]
    return found


async def _telegram(config: Config, lang: str) -> list[Finding]:
    settings = config.settings
    assert settings.token is not None
    bot = Bot(settings.token.get_secret_value(), base_url=settings.api_base_url)
    try:
        async with bot:
            me = bot.bot
            found = [Finding(_say(lang, "token.ok", username=me.username))]
            found += await _admins(bot, config, lang)
            for canteen in config.canteens.canteens:
                found.append(await _group(bot, canteen, lang))
            return found
    except (InvalidToken, Forbidden):
        return [Finding(_say(lang, "token.bad"), _say(lang, "token.bad_fix"))]
    except NetworkError as error:
        url = settings.api_base_url
        return [
            Finding(
                _say(lang, "token.unreachable", url=url, error=str(error)),
                _say(lang, "token.unreachable_fix"),
            )
        ]


async def _admins(bot: Bot, config: Config, lang: str) -> list[Finding]:
    ids = config.settings.admin_ids
    if not ids:
        return [Finding(_say(lang, "admin.none"), _say(lang, "admin.none_fix"))]
    names = await _names(config, ids)
    found = []
    for admin_id in ids:
        values = {"id": admin_id, "name": names.get(admin_id, str(admin_id)), "bot": bot.username}
        try:
            await bot.send_chat_action(admin_id, ChatAction.TYPING)
        except Forbidden:
            found.append(
                Finding(
                    _say(lang, "admin.not_started", **values),
                    _say(lang, "admin.not_started_fix", **values),
                )
            )
        except BadRequest:
            found.append(
                Finding(
                    _say(lang, "admin.unknown", **values), _say(lang, "admin.unknown_fix", **values)
                )
            )
        else:
            found.append(Finding(_say(lang, "admin.ok", **values)))
    return found


async def _names(config: Config, ids: Sequence[int]) -> dict[int, str]:
    """The admins' first names as the store knows them (none when there is no store yet)."""
    try:
        async with read_only(config.settings.db) as session:
            known = [await accounts.get(session, admin_id) for admin_id in ids]
    except (FileNotFoundError, *DatabaseError):
        return {}
    return {a.id: a.first_name for a in known if a is not None and a.first_name}


async def _group(bot: Bot, canteen: Canteen, lang: str) -> Finding:
    values = {"canteen": _name(canteen, lang), "id": canteen.kitchen_chat_id, "bot": bot.username}
    try:
        member = await bot.get_chat_member(canteen.kitchen_chat_id, bot.id)
    except (BadRequest, Forbidden):
        return Finding(
            _say(lang, "group.missing", **values), _say(lang, "group.missing_fix", **values)
        )
    if member.status in ("left", "kicked"):
        return Finding(
            _say(lang, "group.missing", **values), _say(lang, "group.missing_fix", **values)
        )
    if isinstance(member, ChatMemberRestricted) and not member.can_send_messages:
        return Finding(_say(lang, "group.muted", **values), _say(lang, "group.muted_fix", **values))
    return Finding(_say(lang, "group.ok", **values))


def _times(lang: str, canteen: Canteen) -> Finding:
    day = date(2000, 1, 3)
    for rule in canteen.windows:
        cooking = datetime.combine(day, rule.serve) - datetime.combine(day, rule.cutoff)
        if cooking < timedelta(minutes=LEAST_COOKING_MINUTES):
            values = {
                "canteen": _name(canteen, lang),
                "meal": rule.meal,
                "cutoff": f"{rule.cutoff:%H:%M}",
                "serve": f"{rule.serve:%H:%M}",
                "minutes": int(cooking.total_seconds() // 60),
                "least": LEAST_COOKING_MINUTES,
            }
            return Finding(
                _say(lang, "times.short", **values), _say(lang, "times.short_fix", **values)
            )
    last = max(rule.serve for rule in canteen.windows)
    if canteen.daily_summary < last:
        values = {
            "canteen": _name(canteen, lang),
            "summary": f"{canteen.daily_summary:%H:%M}",
            "serve": f"{last:%H:%M}",
        }
        return Finding(
            _say(lang, "times.summary", **values), _say(lang, "times.summary_fix", **values)
        )
    return Finding(_say(lang, "times.ok", canteen=_name(canteen, lang)))


def _zone(config: Config, lang: str) -> Finding:
    now = datetime.now(config.settings.tz)
    return Finding(_say(lang, "zone.ok", zone=config.settings.tz_name, now=f"{now:%Y-%m-%d %H:%M}"))


def _disk(config: Config, lang: str) -> Finding:
    # the store's folder; on PostgreSQL, the folder the bot runs in (its logs, backups)
    settings = config.settings
    folder = Path.cwd() if settings.on_postgres else settings.db_path.resolve().parent
    while not folder.exists():  # a store not made yet: the disk it will be on
        folder = folder.parent
    free = round(shutil.disk_usage(folder).free / 1e9, 1)
    if free < LOW_DISK_GB:
        return Finding(_say(lang, "disk.low", free=free, folder=folder), _say(lang, "disk.low_fix"))
    return Finding(_say(lang, "disk.ok", free=free))


def _backups(config: Config, lang: str) -> Finding:
    settings = config.settings
    if settings.on_postgres:  # the database's own backups, which the bot cannot see
        return Finding(_say(lang, "backups.postgres"))
    if settings.backup_keep == 0:
        return Finding(_say(lang, "backups.off"), _say(lang, "backups.off_fix"))
    folder = backups.folder(settings)
    at = f"{settings.backup_at:%H:%M}"
    taken = backups.backups_in(folder) if folder.is_dir() else []
    if not taken:
        return Finding(
            _say(lang, "backups.none", folder=folder),
            _say(lang, "backups.none_fix", folder=folder, at=at),
        )
    newest = taken[-1]
    hours = int((time.time() - newest.stat().st_mtime) // 3600)
    values = {"hours": hours, "name": newest.name, "at": at}
    if hours > BACKUP_HOURS:
        return Finding(_say(lang, "backups.old", **values), _say(lang, "backups.old_fix", **values))
    return Finding(_say(lang, "backups.ok", **values))


def report(findings: list[Finding], lang: str) -> str:
    """What the operator reads: ✅ or ❌ per check, the fix under each problem."""
    lines = [_say(lang, "title"), ""]
    for finding in findings:
        lines.append(f"{'✅' if finding.ok else '❌'} {finding.text}")
        if finding.fix:
            lines.append(f"   → {_say(lang, 'fix')}: {finding.fix}")
    problems = sum(not f.ok for f in findings)
    lines += [
        "",
        _say(lang, "problems", count=problems)
        if problems
        else _say(lang, "ok_all", count=len(findings)),
    ]
    return "\n".join(lines)


def run(config: Config, lang: str) -> int:
    """Print the report; 0 when every check passed, 1 when something needs fixing."""
    findings = asyncio.run(diagnose(config, lang))
    print(report(findings, lang))
    return 0 if all(f.ok for f in findings) else 1
