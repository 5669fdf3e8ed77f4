"""The outbox sender: drains queued messages within Telegram's limits, retrying safely.

Each message is marked `sending` (and its attempt counted) in its own transaction before
the request and `sent` right after it. Telegram offers no idempotency key, so a message
can reach a person twice only when a request left whole and no answer came back: a
crash during the request, or an answer lost on the way (a read timeout, a connection
dropped after the request was written). The sender narrows that window as far as the
Bot API allows:
- it waits ANSWER_TIMEOUT (30 s) for Telegram's answer, not PTB's 5 s, so a slow answer
  is not taken for a lost one;
- only those attempts count as unsure; a connection that could not be opened, a request
  that could not be written, or an error Telegram answered, means nothing was sent, and
  the message is retried as before;
- every unsure attempt is counted in the row (`outbox.unsure`) and logged by key, and
  after MAX_UNSURE of them the message is given up: at most that many copies.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
from asyncio import FIRST_COMPLETED
from datetime import timedelta
from typing import Any

import httpx
from telegram import Bot, InlineKeyboardMarkup, InputFile, Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.core.deps import Deps
from data import outbox
from data.models import OutboxMessage
from scheduling.ratelimit import Limiter

log = logging.getLogger("doorstep.outbox")
MAX_ATTEMPTS = 8
# Requests out at once, each to a different chat: against the real Telegram a round trip
# takes 50-100 ms, so one at a time would stay well under 30 messages a second.
MAX_IN_FLIGHT = 8
# Seconds to wait for Telegram's answer to a send. The sender works in the background, so
# waiting costs nobody a reply; giving up early risks a second copy.
ANSWER_TIMEOUT = 30.0
# Attempts whose fate is unknown before a message is given up: at most this many copies.
MAX_UNSURE = 3
# What httpx raises when the whole request was written and no answer came back.
UNANSWERED = (httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError)


def unanswered(error: TelegramError) -> bool:
    """Did Telegram get the whole request and send no answer? Then it may have done it."""
    return isinstance(error, NetworkError) and isinstance(error.__cause__, UNANSWERED)


def never_started(error: Forbidden) -> bool:
    """Telegram's 403 to a first message to someone who never opened the bot's chat."""
    return "can't initiate conversation" in error.message


class Sender:
    """One long-running task per process; it sends at once when `deps.outbox_queued()`."""

    def __init__(self, bot: Bot, deps: Deps, limiter: Limiter | None = None) -> None:
        self.bot = bot
        self.deps = deps
        self.limiter = limiter or Limiter()
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._draining = False
        self._in_flight: dict[int, asyncio.Task[None]] = {}  # chat id -> its one request
        self.backlog = 0  # due messages the last round had to leave for later
        self.sent = 0

    def start(self) -> None:
        self.deps.outbox_queued.listen(self.wake)
        self._task = asyncio.create_task(self._run(), name="outbox-sender")

    async def stop(self) -> None:
        tasks = [*self._in_flight.values(), *([self._task] if self._task else [])]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._task = None
        self._in_flight.clear()

    def wake(self) -> None:
        self._wakeup.set()

    def busy(self) -> bool:
        """True while messages are being sent, are queued, or wait for a chat's limit."""
        return self._draining or self.backlog > 0 or self._wakeup.is_set() or bool(self._in_flight)

    async def _run(self) -> None:
        while True:
            self._draining = True
            self._wakeup.clear()
            try:
                pause = await self.drain_once()
            except Exception:  # keep the sender alive whatever one batch did
                log.exception("outbox batch failed")
                pause = 1.0
            finally:
                self._draining = False
            if pause > 0:
                # Not wait_for: on Python 3.11 it swallows a cancel that comes as the
                # wake-up does, and stop() would then wait for this loop forever.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(pause):
                        await self._wakeup.wait()

    async def drain_once(self) -> float:
        """Start what is due and allowed now; return how long to wait before the next try.

        Each chat has at most one request out, and its messages go in the order they
        were queued, an alert about a senior before any routine one (`outbox.due`): a
        chat that must wait (one message a second to a person, twenty a minute to a
        group) or is still sending is skipped in this round, with all its later
        messages, so it never holds up the others.
        """
        batch = await outbox.due(self.deps.db.reader, self.deps.clock.now())
        waits = [0.5]
        skipped: set[int] = set()
        for message in batch:
            chat = message.chat_id
            if chat in skipped or chat in self._in_flight:
                skipped.add(chat)
                continue
            delay = self.limiter.chat_wait(chat)
            if delay > 0:
                skipped.add(chat)
                waits.append(delay)
                continue
            await self._room()
            self._start(message)
        self.backlog = len(skipped)
        return min(waits)

    async def _room(self) -> None:
        """Wait until one more request may go out (the overall limit, MAX_IN_FLIGHT)."""
        while True:
            wait = self.limiter.overall_wait(len(self._in_flight))
            if wait <= 0 and len(self._in_flight) < MAX_IN_FLIGHT:
                return
            out = list(self._in_flight.values())
            if out:
                await asyncio.wait(out, timeout=wait or None, return_when=FIRST_COMPLETED)
            else:
                await asyncio.sleep(wait)  # only the overall limit holds: time will lift it

    def _start(self, message: OutboxMessage) -> None:
        chat = message.chat_id
        task = asyncio.create_task(self._send_one(message), name=f"outbox:{message.key}")
        self._in_flight[chat] = task

        def done(finished: asyncio.Task[None]) -> None:
            self._in_flight.pop(chat, None)
            if not finished.cancelled() and finished.exception() is not None:
                log.error("outbox send failed", exc_info=finished.exception())
            self.wake()

        task.add_done_callback(done)

    async def _send_one(self, message: OutboxMessage) -> None:
        async with self.deps.db.transaction() as tx:
            if not await outbox.mark_sending(tx, message.id, message.attempts):
                return  # read before another send of it finished: nothing to do
        # Still `sending` when read: a request of it was cut short by a crash.
        unsure = message.unsure + (message.status == "sending")
        if unsure >= MAX_UNSURE:
            async with self.deps.db.transaction() as tx:
                await outbox.give_up(tx, message.id, "failed", f"{unsure} unsure attempts")
            self.deps.metrics.outbox_failed.labels("unsure").inc()
            return
        try:
            sent = await self._request(message)
        except RetryAfter as error:
            wait = error.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            self.deps.metrics.waited_429.inc()
            self.deps.metrics.waited_429_seconds.inc(seconds)
            await self._later(message, seconds, f"429 retry after {seconds}s")
        except Forbidden as error:
            if never_started(error):
                await self._held(message, str(error))
            else:
                await self._blocked(message, str(error))
        except BadRequest as error:
            await self._refused(message, str(error))
        except (NetworkError, TelegramError) as error:
            if unanswered(error):
                await self._unanswered(message, unsure + 1, error)
            elif message.attempts + 1 >= MAX_ATTEMPTS:
                async with self.deps.db.transaction() as tx:
                    await outbox.give_up(tx, message.id, "failed", str(error))
                self.deps.metrics.outbox_failed.labels("attempts").inc()
            else:
                await self._later(message, min(2.0**message.attempts, 300.0), str(error))
        else:
            async with self.deps.db.transaction() as tx:
                await outbox.mark_sent(tx, message.id, sent.message_id, self.deps.clock.now())
            self.sent += 1
            self.deps.metrics.outbox_sent.inc()

    async def _later(self, message: OutboxMessage, seconds: float, error: str) -> None:
        # Telegram's pause is in real seconds whatever the domain clock does, and holding
        # the whole chat keeps its later messages behind this one.
        self.limiter.hold(message.chat_id, seconds)
        async with self.deps.db.transaction() as tx:
            await outbox.retry_later(tx, message.id, self.deps.clock.now(), error)

    async def _refused(self, message: OutboxMessage, error: str) -> None:
        """Telegram will never take this one; when it was for its length, staff are told."""
        from bot.services.notices import refused

        log.error("outbox %s refused by Telegram: %s", message.key, error)
        async with self.deps.db.transaction() as tx:
            await outbox.give_up(tx, message.id, "failed", error)
        self.deps.metrics.outbox_failed.labels("refused").inc()
        if refused.is_length(error):
            await refused.too_long(self.deps, message)

    async def _unanswered(self, message: OutboxMessage, unsure: int, error: TelegramError) -> None:
        """The request left whole and no answer came: the message may be in the chat."""
        cause = type(error.__cause__).__name__
        log.warning(
            "outbox %s: no answer to a whole request (%s), unsure %s", message.key, cause, unsure
        )
        last = unsure >= MAX_UNSURE
        reason = f"{cause}: no answer to {unsure} whole request(s); it may have arrived"
        seconds = min(2.0**message.attempts, 300.0)
        if not last:
            self.limiter.hold(message.chat_id, seconds)
        async with self.deps.db.transaction() as tx:
            await outbox.unanswered(tx, message.id, self.deps.clock.now(), reason, last=last)

    async def _held(self, message: OutboxMessage, error: str) -> None:
        """Its receiver never pressed Start: kept, and sent when they do (accounts.touch)."""
        log.warning("outbox %s held: its receiver has not started the bot", message.key)
        async with self.deps.db.transaction() as tx:
            await outbox.hold(tx, message.id, error)
        self.deps.metrics.outbox_failed.labels("held").inc()

    async def _blocked(self, message: OutboxMessage, error: str) -> None:
        from bot.services.notices import blocked

        async with self.deps.db.transaction() as tx:
            await outbox.give_up(tx, message.id, "blocked", error)
        self.deps.metrics.outbox_failed.labels("blocked").inc()
        await blocked.chat_blocked(self.deps, message.chat_id)

    async def _request(self, message: OutboxMessage) -> Message:
        # Counted when the answer is back: Telegram saw the request no later than that,
        # so the next one to this chat reaches it at least a full interval later.
        try:
            return await self._call(message)
        finally:
            self.limiter.record(message.chat_id)

    async def _call(self, message: OutboxMessage) -> Message:
        payload: dict[str, Any] = json.loads(message.payload)
        chat = message.chat_id
        if message.kind == "text":
            markup = payload.get("reply_markup")
            return await self.bot.send_message(
                chat,
                payload["text"],
                reply_markup=InlineKeyboardMarkup.de_json(markup, self.bot) if markup else None,
                read_timeout=ANSWER_TIMEOUT,
            )
        if message.kind == "location":
            # PTB adds the default parse_mode to sendLocation, which has none: send it as None.
            return await self.bot.send_location(
                chat,
                payload["lat"],
                payload["lon"],
                api_kwargs={"parse_mode": None},
                read_timeout=ANSWER_TIMEOUT,
            )
        if message.kind == "voice":  # a voice Telegram keeps, sent on by its file_id
            markup = payload.get("reply_markup")
            return await self.bot.send_voice(
                chat,
                payload["file_id"],
                caption=payload["caption"] or None,
                reply_markup=InlineKeyboardMarkup.de_json(markup, self.bot) if markup else None,
                read_timeout=ANSWER_TIMEOUT,
            )
        content = InputFile(base64.b64decode(payload["content_b64"]), filename=payload["filename"])
        caption = payload["caption"] or None
        if message.kind == "document":
            return await self.bot.send_document(
                chat, content, caption=caption, read_timeout=ANSWER_TIMEOUT
            )
        return await self.bot.send_photo(
            chat, content, caption=caption, read_timeout=ANSWER_TIMEOUT
        )
