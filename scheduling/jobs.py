"""Every kind of job Doorstep runs, and how they start.

The window jobs (scheduling/windows.py), the admins' daily and monthly jobs
(scheduling/admin_jobs.py) and the dispatch jobs (scheduling/dispatch.py) are all kinds
of the one runner (scheduling/runner.py), which plans, names, puts and runs them.
"""

from __future__ import annotations

import logging

from bot.core.deps import Deps
from bot.core.ptb import App
from scheduling import admin_jobs, care, dispatch, upkeep, windows
from scheduling.runner import Kind, Runner

log = logging.getLogger("doorstep.jobs")

KINDS: tuple[Kind, ...] = (
    *windows.KINDS,
    *admin_jobs.KINDS,
    *dispatch.KINDS,
    *care.KINDS,
    *upkeep.KINDS,
)


async def install(app: App, deps: Deps) -> Runner:
    """At start-up: what fell due while the bot was down is done first (a window closed,
    its claim board opened), then every job is planned from the store."""
    closed = await windows.catch_up(deps)
    if closed:
        log.info("closed overdue windows at start-up: %s", closed)
    await dispatch.reopen_boards(deps)
    runner = Runner(app, deps, KINDS)
    await runner.start()
    return runner
