"""The window jobs: open, remind and close each window, and make the coming days' windows.

When each is due is a pure function of a window and the time (tested without a
JobQueue); a window past its cutoff only needs closing. The runner (scheduling/runner.py)
lists them from the windows table and names them `open:window:42`, `remind:window:42`,
`close:window:42` and `ensure-windows`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, time

from bot.core.deps import Deps
from bot.services.kitchen import schedule
from bot.services.kitchen import windows as window_service
from data import windows
from data.models import Window
from scheduling.runner import Due, Kind, next_at

ENSURE_AT = time(0, 1)  # windows for the days ahead are made just after midnight

Moment = Callable[[Window, datetime], datetime | None]


def opening(window: Window, now: datetime) -> datetime | None:
    """A scheduled window opens at its time, unless its cutoff has passed already."""
    if window.state != "scheduled" or window.cutoff_at <= now:
        return None
    return window.opens_at


def reminding(window: Window, now: datetime) -> datetime | None:
    """The reminder an hour before the cutoff, when the window is open by then."""
    remind_at = window.cutoff_at - window_service.REMIND_BEFORE
    if window.cutoff_at <= now or remind_at <= window.opens_at:
        return None
    return remind_at


def closing(window: Window, _now: datetime) -> datetime:
    return window.cutoff_at


def of_windows(moment: Moment) -> Callable[[Deps], Awaitable[list[Due]]]:
    """What is due of one window job: `moment` of every scheduled or open window."""

    async def due(deps: Deps) -> list[Due]:
        now = deps.clock.now()
        found = await windows.in_states(deps.db.reader, ("scheduled", "open"))
        return [(w.id, at) for w in found if (at := moment(w, now)) is not None]

    return due


async def next_ensure(deps: Deps) -> list[Due]:
    """The next run of the daily job that makes windows ahead."""
    now = deps.clock.now()
    today = datetime.combine(now.astimezone(deps.clock.tz).date(), ENSURE_AT, deps.clock.tz)
    return [(None, next_at(today, "day", now, deps.clock.tz))]


async def make_windows(deps: Deps) -> None:
    """Make the coming days' windows; their jobs are planned as the store is listed again."""
    await schedule.ensure_windows(deps)
    deps.jobs_changed()


OPEN = Kind("open:window:{}", window_service.open_window, of_windows(opening), "open", "window")
REMIND = Kind(
    "remind:window:{}",
    window_service.remind,
    of_windows(reminding),
    "remind",
    "window",
    listed_until_done=False,  # a window is open still once reminded
)
CLOSE = Kind("close:window:{}", window_service.close, of_windows(closing), "close", "window")
ENSURE = Kind(
    "ensure-windows", make_windows, next_ensure, "ensure", listed_until_done=False, every="day"
)
KINDS = (OPEN, REMIND, CLOSE, ENSURE)


async def catch_up(deps: Deps) -> list[int]:
    """At start-up, before any job: close every window whose cutoff passed while down."""
    return await window_service.close_overdue(deps)
