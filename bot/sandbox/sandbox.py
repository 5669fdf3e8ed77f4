"""`Sandbox`: start the fake Bot API, create users and groups, wait for the bot to settle."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, Literal

from bot.sandbox.client import ChatView, SandboxChat, SandboxUser
from bot.sandbox.contract import Contract, load_contract
from bot.sandbox.faults import FaultPolicy, RateLimiter, RateLimits
from bot.sandbox.models import ApiRequest, ChatState, Command, UserState
from bot.sandbox.server import Injected, SandboxServer
from bot.sandbox.state import SandboxState
from bot.sandbox.transcript import Event, format_transcript

SHANGHAI = (31.2304, 121.4737)
# Seconds without a request that count as quiet when no busy probe says more.
QUIET = 0.05
# Seconds between looks while the bot is busy.
POLL = 0.002


class Sandbox:
    """A local Telegram for one bot token: point PTB's base_url at `sandbox.base_url`."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "doorstep_bot",
        *,
        bot_name: str = "Doorstep",
        faults: FaultPolicy | None = None,
        rate_limits: bool | RateLimits = False,
        clock: Callable[[], float] = time.time,
        contract: Contract | None = None,
    ) -> None:
        bot_user = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": bot_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.state = SandboxState(bot_user=bot_user, clock=clock)
        self.token = token
        self.server = SandboxServer(self.state, token, contract or load_contract())
        self.server.faults = faults
        if rate_limits:
            limits = rate_limits if isinstance(rate_limits, RateLimits) else RateLimits()
            self.server.rate_limiter = RateLimiter(limits)
        self._users: dict[int, SandboxUser] = {}
        # Set by whoever runs the bot in-process: True while it is still working on
        # something (an update or a job) that may yet send a request.
        self.busy_probe: Callable[[], bool] | None = None

    async def start(self) -> None:
        """Listen on a free port on 127.0.0.1."""
        await self.server.start()

    async def stop(self) -> None:
        """Close the server, releasing any pending long poll at once."""
        await self.server.stop()

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """PTB's base_url form ("http://127.0.0.1:PORT/bot"); PTB appends the token."""
        return f"http://127.0.0.1:{self.server.port}/bot"

    @property
    def base_file_url(self) -> str:
        """PTB's base_file_url form."""
        return f"http://127.0.0.1:{self.server.port}/file/bot"

    def user(
        self,
        user_id: int,
        first_name: str,
        *,
        language_code: str | None = None,
        username: str | None = None,
        last_name: str | None = None,
        phone: str | None = None,
        location: tuple[float, float] = SHANGHAI,
    ) -> SandboxUser:
        """A user (the same object for the same id); their chat id is their user id."""
        if user_id not in self._users:
            state = UserState(user_id, first_name, username, language_code, last_name, phone)
            self.state.users[user_id] = state
            self._users[user_id] = SandboxUser(self.state, state, self.idle, location)
        return self._users[user_id]

    def group(
        self, chat_id: int, title: str, *, username: str | None = None, bot_status: str = "member"
    ) -> SandboxChat:
        """A group the bot is a member of (ids starting -100 are supergroups); `bot_status`
        "restricted" makes one where it may not post."""
        if chat_id not in self.state.chats:
            kind: Literal["group", "supergroup"] = (
                "supergroup" if str(chat_id).startswith("-100") else "group"
            )
            self.state.chats[chat_id] = ChatState(
                chat_id, kind, title, username=username, bot_status=bot_status
            )
        return SandboxChat(self.state, chat_id, self.idle)

    def chat(self, chat_id: int) -> ChatView:
        """A view of any chat by id (a user's private chat or a group)."""
        if chat_id in self._users:
            return self._users[chat_id]
        return SandboxChat(self.state, chat_id, self.idle)

    # The brief names the parameter `timeout`; it bounds a poll loop, not one await.
    async def idle(self, settle: float | None = None, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until the bot is quiet; TimeoutError says what was still busy.

        Quiet means: every queued update was fetched by getUpdates and confirmed by a later
        offset (PTB polls again only after handing the batch to the Application), no
        request other than getUpdates is in flight, and `busy_probe` (if set) says False,
        still so one event-loop turn later (a callback the last piece of work scheduled has
        run by then). The probe is what knows the bot is thinking between requests; without
        one, `settle` (default QUIET) seconds must also have passed since the last request,
        fetch or confirmation. With one, `settle` defaults to none at all.
        """
        loop = asyncio.get_running_loop()
        if settle is None:
            settle = QUIET if self.busy_probe is None else 0.0
        deadline = loop.time() + timeout
        while True:
            busy = self._busy()
            quiet = loop.time() - self._last_activity()
            if not busy and quiet >= settle:
                await asyncio.sleep(0)
                if not self._busy():
                    return
            elif loop.time() >= deadline:
                raise TimeoutError(self._busy_report(timeout))
            else:
                await asyncio.sleep(POLL if busy else settle - quiet)

    def _busy(self) -> bool:
        queue = self.state.queue
        return bool(
            queue.unfetched
            or queue.unconfirmed
            or self.server.activity.in_flight
            or (self.busy_probe is not None and self.busy_probe())
        )

    def _last_activity(self) -> float:
        queue = self.state.queue
        return max(self.server.activity.last, queue.last_fetch, queue.last_confirm)

    def _busy_report(self, timeout: float) -> str:
        unfetched = self.state.queue.unfetched
        unconfirmed = self.state.queue.unconfirmed
        in_flight = self.server.activity.in_flight_methods
        reasons = []
        if unfetched:
            reasons.append(
                f"{unfetched} update(s) never fetched by getUpdates (is the bot polling"
                f" with base_url={self.base_url!r}?)"
            )
        if unconfirmed:
            reasons.append(f"{unconfirmed} fetched update(s) never confirmed by a later offset")
        if in_flight:
            reasons.append(f"requests still in flight: {', '.join(in_flight)}")
        if self.busy_probe is not None and self.busy_probe():
            reasons.append("busy_probe says the bot is still working")
        if not reasons:
            reasons.append("the bot kept sending requests without a pause")
        return f"sandbox not idle after {timeout}s: " + "; ".join(reasons)

    def redeliver(self, update: dict[str, Any]) -> None:
        """Deliver an update the bot already had once more, with the same update_id."""
        self.state.queue.redeliver(update)

    @property
    def requests(self) -> list[ApiRequest]:
        """Every request the bot sent, as (method, params), in order."""
        return self.state.requests

    def sent(self, method: str) -> list[dict[str, Any]]:
        """Parameters of every request of one method."""
        return [r.params for r in self.state.requests if r.method == method]

    @property
    def commands(self) -> dict[str, list[Command]]:
        """setMyCommands by scope key: 'default', 'all_private_chats', 'chat:1001', '...@zh'."""
        return self.state.commands

    @property
    def menu_buttons(self) -> dict[str, dict[str, Any]]:
        """setChatMenuButton by chat id (as a string) or 'default'."""
        return self.state.menu_buttons

    @property
    def transcript(self) -> list[Event]:
        """Chronological user and bot events."""
        return self.state.transcript

    def format_transcript(self) -> str:
        """The transcript rendered for a terminal."""
        return format_transcript(self.state.transcript)

    @property
    def violations(self) -> list[str]:
        """Every contract violation the bot committed, readable."""
        return self.state.violations

    def assert_no_violations(self) -> None:
        """Fail (AssertionError) listing every request that broke the Bot API contract."""
        if self.state.violations:
            listed = "\n  ".join(self.state.violations)
            raise AssertionError(f"{len(self.state.violations)} Bot API violation(s):\n  {listed}")

    @property
    def unanswered_callbacks(self) -> list[str]:
        """Callback data of button presses the bot never answered (spinner left turning)."""
        return [q.data for q in self.state.callback_queries.values() if not q.answered]

    @property
    def faults(self) -> FaultPolicy | None:
        """The fault policy consulted before each request (None: no faults)."""
        return self.server.faults

    @faults.setter
    def faults(self, policy: FaultPolicy | None) -> None:
        self.server.faults = policy

    @property
    def injected(self) -> list[Injected]:
        """Faults and rate-limit refusals answered so far."""
        return self.server.injected
