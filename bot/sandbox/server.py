"""The HTTP side: `/bot<token>/<method>` on 127.0.0.1, answering like api.telegram.org.

Every request is decoded, logged, validated against the contract, offered to the fault
policy and rate limiter, then run by its implementation in `methods`. Requests other
than getUpdates are counted while in flight so `Sandbox.idle()` can tell when the bot
has gone quiet. `/file/bot<token>/<file_path>` serves the files getFile points at.

Once the bot calls setWebhook, a delivery task POSTs each queued update to its URL over
real HTTP, one at a time and in order, with the secret in the
X-Telegram-Bot-Api-Secret-Token header, as Telegram does; an update the webhook does not
answer with 2xx is delivered again a moment later.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout, web

from bot.sandbox.contract import Contract
from bot.sandbox.entities import EntityParseError
from bot.sandbox.faults import Fault, FaultPolicy, RateLimiter, is_sending
from bot.sandbox.methods import METHODS
from bot.sandbox.models import ApiRequest, Upload
from bot.sandbox.state import ApiError, SandboxState, Webhook
from bot.sandbox.validation import decode_params, validate

MAX_UPLOAD = 50 * 1024 * 1024  # the Bot API's upload limit
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Seconds before an update the webhook refused is delivered again.
REDELIVER_AFTER = 0.1


@dataclass(frozen=True, slots=True)
class Injected:
    """A fault or rate-limit refusal the sandbox answered instead of the real result."""

    method: str
    kind: str
    chat_id: object = None


@dataclass(slots=True)
class Activity:
    """What idle() looks at: requests in flight and when anything last happened."""

    in_flight: int = 0
    last: float = 0.0
    in_flight_methods: list[str] = field(default_factory=list)


class SandboxServer:
    """An aiohttp server bound to a free port on 127.0.0.1."""

    def __init__(self, state: SandboxState, token: str, contract: Contract) -> None:
        self.state = state
        self.token = token
        self.contract = contract
        self.faults: FaultPolicy | None = None
        self.rate_limiter: RateLimiter | None = None
        self.injected: list[Injected] = []
        self.activity = Activity()
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._closing = asyncio.Event()
        self._delivery: asyncio.Task[None] | None = None

    async def start(self) -> int:
        """Listen on a free local port and return it."""
        app = web.Application(client_max_size=MAX_UPLOAD)
        app.router.add_route("*", "/bot{token}/{method}", self.handle)
        app.router.add_route("*", "/file/bot{token}/{path:.*}", self.handle_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        self._delivery = asyncio.create_task(self._deliver(), name="sandbox-webhook")
        return self.port

    async def stop(self) -> None:
        """Release waiting long polls and hung requests, then close the server."""
        self._closing.set()
        self.state.queue.close()
        if self._delivery is not None:
            self._delivery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._delivery
            self._delivery = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def handle(self, request: web.Request) -> web.Response:
        """Entry point for every Bot API call."""
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        name = request.match_info["method"]
        method = self.contract.method(name)
        if method == "getUpdates":  # a waiting long poll is not the bot being busy
            return await self._answer(name, method, request)
        self._touch(+1, name)
        try:
            return await self._answer(name, method, request)
        finally:
            self._touch(-1, name)

    async def handle_file(self, request: web.Request) -> web.Response:
        """A download: `/file/bot<token>/<file_path>` from getFile answers with the bytes."""
        if request.match_info["token"] != self.token:
            return _error(404, "Not Found")
        self.activity.last = asyncio.get_running_loop().time()  # the bot is at work
        stored = self.state.file_at(request.match_info["path"])
        if stored is None:
            return _error(404, "Not Found")
        content_type = stored.upload.content_type
        return web.Response(body=stored.upload.content, headers={"Content-Type": content_type})

    async def _deliver(self) -> None:
        """While a webhook is set, POST each pending update to it until it answers 2xx."""
        queue = self.state.queue
        timeout = ClientTimeout(total=10)
        async with ClientSession(timeout=timeout) as session:
            while not queue.closed:
                hook = self.state.webhook
                update = queue.take() if hook is not None else None
                if hook is None or update is None:
                    await queue.changed(wait=0.5)
                    continue
                status = await _post(session, hook, update)
                hook.answers.append(status)
                if 200 <= status < 300:
                    queue.delivered(update["update_id"])
                else:
                    queue.undelivered(update["update_id"])
                    await self._stall(REDELIVER_AFTER)

    def _touch(self, delta: int, name: str) -> None:
        activity = self.activity
        activity.in_flight += delta
        if delta > 0:
            activity.in_flight_methods.append(name)
        else:
            activity.in_flight_methods.remove(name)
        activity.last = asyncio.get_running_loop().time()

    async def _answer(self, name: str, method: str | None, request: web.Request) -> web.Response:
        if method is None:
            self.state.violations.append(f"{name}: unknown method")
            return _error(404, "Not Found")
        params = decode_params(self.contract.methods[method], await read_params(request))
        self.state.requests.append(ApiRequest(method, params))
        problems = validate(self.contract, method, params)
        if problems:
            self.state.violations.extend(p.render(method) for p in problems)
            return _error(400, problems[0].description)
        implementation = METHODS.get(method)
        if implementation is None:
            self.state.violations.append(f"{method}: not implemented by the sandbox")
            return _error(400, f"Bad Request: {method} is not supported by the sandbox")
        fault = self.faults.decide(method, params) if self.faults else None
        accepted = fault is not None and fault.kind == "timeout" and fault.accepted
        if fault is not None and not accepted:
            self.injected.append(Injected(method, fault.kind, params.get("chat_id")))
            return await self._inject(fault)
        if refusal := self._rate_limited(method, params):
            return refusal
        if fault is not None:
            self.injected.append(Injected(method, "timeout_accepted", params.get("chat_id")))
        try:
            result = await implementation(self.state, params)
        except ApiError as error:
            return _error(error.code, error.description, error.parameters)
        except EntityParseError as error:
            return _error(400, f"Bad Request: {error}")
        if fault is not None:  # accepted, then answered late: lost to a client gone by then
            await self._stall(fault.hang)
        return web.json_response({"ok": True, "result": result})

    def _rate_limited(self, method: str, params: dict[str, Any]) -> web.Response | None:
        """A rate-limit 429, or None to go ahead."""
        chat_id = params.get("chat_id")
        if self.rate_limiter and is_sending(method) and isinstance(chat_id, int):
            wait = self.rate_limiter.retry_after(chat_id)
            if wait is not None:
                self.injected.append(Injected(method, "rate_limit", chat_id))
                return _retry_after(wait)
        return None

    async def _inject(self, fault: Fault) -> web.Response:
        if fault.kind == "retry_after":
            return _retry_after(fault.retry_after)
        if fault.kind == "server_error":
            return _error(500, "Internal Server Error")
        await self._stall(fault.hang)
        return _error(504, "Gateway Timeout")

    async def _stall(self, seconds: float) -> None:
        """Wait, or less if the server is stopping."""
        with contextlib.suppress(TimeoutError):  # asyncio.timeout: see state.get
            async with asyncio.timeout(seconds):
                await self._closing.wait()


async def read_params(request: web.Request) -> dict[str, Any]:
    """Parameters from the query string, a JSON body, a form or a multipart body."""
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            params.update(body)
    elif request.body_exists:
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                params[key] = Upload(value.filename, value.file.read(), value.content_type)
            elif isinstance(value, bytes | bytearray):
                params[key] = bytes(value).decode("utf-8")
            else:
                params[key] = value
    return params


async def _post(session: ClientSession, hook: Webhook, update: dict[str, Any]) -> int:
    """One delivery: the webhook's HTTP status, or 0 when it could not be reached."""
    headers = {SECRET_HEADER: hook.secret_token} if hook.secret_token else {}
    try:
        async with session.post(hook.url, json=update, headers=headers) as answer:
            await answer.read()
            return answer.status
    except (ClientError, TimeoutError):
        return 0


def _retry_after(seconds: int) -> web.Response:
    return _error(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})


def _error(code: int, description: str, parameters: dict[str, Any] | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=code)
