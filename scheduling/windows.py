"""The window schedule as jobs to run: which job, for which window, due when.

Pure planning from the windows table, so it is tested without a JobQueue; the names are
deterministic (`close:window:42`) so planning again replaces jobs instead of adding them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from typing import Literal

from bot.services.kitchen.windows import REMIND_BEFORE
from data.models import Window

JobKind = Literal["open", "remind", "close", "ensure"]
ENSURE_AT = time(0, 1)  # windows for the days ahead are made just after midnight
ENSURE_NAME = "ensure-windows"


@dataclass(frozen=True)
class Planned:
    """One job: what to run, for which window, at what moment of the domain clock."""

    kind: JobKind
    due: datetime
    window_id: int | None = None

    @property
    def name(self) -> str:
        if self.window_id is None:
            return ENSURE_NAME
        return f"{self.kind}:window:{self.window_id}"


def plan_window(window: Window, now: datetime) -> list[Planned]:
    """The jobs a scheduled or open window still needs; only the close once the cutoff passed."""
    if window.state not in ("scheduled", "open"):
        return []
    close = Planned("close", window.cutoff_at, window.id)
    if window.cutoff_at <= now:
        return [close]
    jobs = []
    if window.state == "scheduled":
        jobs.append(Planned("open", window.opens_at, window.id))
    remind_at = window.cutoff_at - REMIND_BEFORE
    if remind_at > window.opens_at:
        jobs.append(Planned("remind", remind_at, window.id))
    return [*jobs, close]


def next_ensure(now: datetime, tz: tzinfo) -> Planned:
    """The next run of the daily job that makes windows ahead."""
    local = now.astimezone(tz)
    due = datetime.combine(local.date(), ENSURE_AT, tzinfo=tz)
    if due <= local:
        due = datetime.combine(local.date() + timedelta(days=1), ENSURE_AT, tzinfo=tz)
    return Planned("ensure", due)


def plan(windows: list[Window], now: datetime, tz: tzinfo) -> list[Planned]:
    """Every job for these windows, plus the daily ensure-windows job."""
    jobs = [job for window in windows for job in plan_window(window, now)]
    return [*jobs, next_ensure(now, tz)]
