"""The Mini App's web server: pages, their static files, and the screens' data.

The pages and static files carry no one's data and are served to anyone: Telegram hands
the page its `initData` in the address's fragment, which a browser never sends. Everything
under `api/` carries the initData in the `X-Telegram-Init-Data` header and gets 401 and
nothing else when it is missing, forged or stale. Each screen then asks the same services
as the chat whether this account may see it (403 with a kind sentence when not).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from importlib import resources
from typing import Any

from aiohttp import web
from telegram import Bot

from bot.core.deps import Deps
from bot.core.errors import DomainError
from bot.core.i18n import t
from bot.services.people import accounts
from handlers.web import initdata, pages

log = logging.getLogger(__name__)

DEPS = web.AppKey("deps", Deps)
TOKEN = web.AppKey("token", str)
BOT = web.AppKey("bot", Bot)
MAX_AGE = web.AppKey("max_age", timedelta)
ACCOUNT = web.RequestKey("account_id", int)
CLIENT_LANGUAGE = web.RequestKey("client_language", str)
HEADER = "X-Telegram-Init-Data"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# A screen's data: (deps, account id, language, request) -> the HTML of the screen's body.
Screen = Callable[[Deps, int, str, web.Request], Awaitable[str]]


@web.middleware
async def signed_in(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every `api/` request names its Telegram user with valid initData, or gets 401."""
    if not request.path.startswith("/api/"):
        return await handler(request)
    deps = request.app[DEPS]
    try:
        user = initdata.validate(
            request.headers.get(HEADER, ""),
            request.app[TOKEN],
            deps.clock.now(),
            request.app[MAX_AGE],
        )
    except initdata.UnauthorisedError as error:
        log.info("web request refused: %s", error)
        return web.Response(status=401, text="401: Unauthorized")
    request[ACCOUNT] = user.id
    request[CLIENT_LANGUAGE] = user.language_code or ""
    return await handler(request)


def screen_json(title_key: str, screen: Screen) -> Handler:
    """An `api/` handler: the screen's body for this account, in its language."""

    async def handle(request: web.Request) -> web.StreamResponse:
        deps, account_id = request.app[DEPS], request[ACCOUNT]
        lang = await accounts.language(deps, account_id, request[CLIENT_LANGUAGE] or None)
        reply: dict[str, Any] = {"lang": lang, "title": t(lang, title_key)}
        try:
            reply["html"] = await screen(deps, account_id, lang, request)
        except DomainError as error:
            key = error.key if error.key != "core.error.not_allowed" else "web.page.not_allowed"
            status = 403 if key == "web.page.not_allowed" else 409
            reply["html"] = f'<p class="refused" role="alert">{t(lang, key, **error.values)}</p>'
            return web.json_response(reply, status=status)
        return web.json_response(reply)

    return handle


async def static(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    folder = resources.files("handlers.web").joinpath("static")
    if "/" in name or name.startswith(".") or not folder.joinpath(name).is_file():
        raise web.HTTPNotFound()
    kinds = {"js": "text/javascript", "css": "text/css"}
    kind = kinds.get(name.rsplit(".", 1)[-1], "application/octet-stream")
    body = folder.joinpath(name).read_bytes()
    return web.Response(body=body, content_type=kind, charset="utf-8")


def page(screen: str, live: bool = False) -> Handler:
    async def handle(request: web.Request) -> web.StreamResponse:
        return web.Response(text=pages.shell(screen, live), content_type="text/html")

    return handle


def build(deps: Deps, bot: Bot, routes: list[web.RouteDef]) -> web.Application:
    """The web application: the signed-in check, the static files, and each screen's routes."""
    app = web.Application(middlewares=[signed_in], client_max_size=8 * 1024 * 1024)
    app[DEPS] = deps
    app[BOT] = bot
    token = bot.token
    app[TOKEN] = token
    app[MAX_AGE] = timedelta(hours=deps.config.settings.web_login_hours)
    app.add_routes([web.get("/static/{name}", static), *routes])
    return app


class WebServer:
    """The web application on its own port, started and stopped with the bot."""

    def __init__(self, app: web.Application, host: str, port: int) -> None:
        self.app = app
        self._runner = web.AppRunner(app, access_log=None)
        self._host, self._port = host, port

    async def start(self) -> None:
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        for address in self._runner.addresses:  # the bound port, when 0 asked for any
            self._port = int(address[1])
        log.info("web server on http://%s:%s", self._host, self._port)

    @property
    def url(self) -> str:
        return f"http://{self._host}:{self._port}"

    async def stop(self) -> None:
        await self._runner.cleanup()
