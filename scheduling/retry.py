"""A scheduled step that fails is tried again until it is done.

The job runner (scheduling/runner.py) runs every step through `Retries.attempt`. A step
that raises is planned again under its own name after a pause that doubles from
FIRST_PAUSE to at most MAX_PAUSE, for as long as it fails: every service behind a job is
safe to run twice, so trying again is always right. The store stays the schedule (a
restart plans every step still due), so this decides only when to look again.

A step that has failed for `DOORSTEP_STEP_ALERT_MINUTES` is told once per failure
episode to the canteen's staff and admins and the settings admins, and told again when
it is done late. These notices go straight to the Bot API, not through the outbox: the
outbox lives in the database that may be what is failing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from telegram import Bot
from telegram.error import TelegramError

from bot.core.deps import Deps
from bot.core.i18n import Html
from bot.services.notices import messages, step_alerts
from bot.services.notices.step_alerts import Audience, Subject

log = logging.getLogger("doorstep.retry")

FIRST_PAUSE = timedelta(seconds=5)
MAX_PAUSE = timedelta(seconds=60)


def pause(failures: int) -> timedelta:
    """The wait after the n-th failure in a row: 5 s, 10 s, 20 s, 40 s, then 60 s each time."""
    doublings = min(max(failures - 1, 0), 16)  # past the cap anyway; keeps the number small
    return min(FIRST_PAUSE * (1 << doublings), MAX_PAUSE)


@dataclass
class Episode:
    """One step failing since `since`; who was told, to tell them when it is done."""

    since: datetime
    failures: int = 0
    alerted: bool = False
    told: Audience | None = None  # the people reached and the place named


class Retries:
    """The steps failing now, by job name (one table per process), and who hears of them."""

    def __init__(self, bot: Bot, deps: Deps) -> None:
        self.bot = bot
        self.deps = deps
        self.failing: dict[str, Episode] = {}

    async def attempt(
        self, name: str, step: Callable[[], Awaitable[object]], subject: Subject
    ) -> datetime | None:
        """Run `step`; when it fails, the moment to try again (the caller plans it there).

        `name` is the job's name (one failure episode per name); `subject` names the step
        and what it is for, should someone have to be told.
        """
        try:
            await step()
        except Exception as error:
            self.deps.metrics.job_failures.inc()
            episode = self.failing.setdefault(name, Episode(self.deps.clock.now()))
            return await self._failed(episode, name, subject, error)
        done = self.failing.pop(name, None)
        if done is not None:
            log.warning("%s done after %d failed tries", name, done.failures)
            if done.told is not None:
                await self._tell(subject, done.told, done, None)
        return None

    async def _failed(
        self, episode: Episode, name: str, subject: Subject, error: Exception
    ) -> datetime:
        now = self.deps.clock.now()
        episode.failures += 1
        again = now + pause(episode.failures)
        if episode.failures == 1:
            log.exception("%s failed; trying again at %s", name, again)
        else:
            log.warning(
                "%s failed %d times since %s: %s", name, episode.failures, episode.since, error
            )
        alert_at = episode.since + timedelta(minutes=self.deps.config.settings.step_alert_minutes)
        if episode.alerted:
            return again
        if now < alert_at:
            return min(again, alert_at)  # so the alert goes out on time, not a pause later
        episode.alerted = True
        log.error("%s has failed for %s: telling staff and admins", name, now - episode.since)
        everyone = await step_alerts.audience(self.deps, subject)
        episode.told = await self._tell(subject, everyone, episode, error)
        return again

    async def _tell(
        self, subject: Subject, audience: Audience, episode: Episode, error: Exception | None
    ) -> Audience:
        """Send the failing notice (or, with no error, the done-late one); who received it."""
        since = episode.since.astimezone(self.deps.clock.tz)
        reached: dict[int, str] = {}
        for chat_id, lang in audience.people.items():
            place = messages.place(audience, lang)
            body: Html
            if error is None:
                late = self.deps.clock.now() - episode.since
                body = messages.done_text(lang, subject.step, place, late)
            else:
                cause = str(error) or type(error).__name__
                body = messages.failing_text(lang, subject.step, place, since, cause)
            try:
                await self.bot.send_message(chat_id, body)
            except TelegramError:
                log.warning("could not tell %s about %s", chat_id, subject.step, exc_info=True)
                continue
            reached[chat_id] = lang
        return replace(audience, people=reached)
