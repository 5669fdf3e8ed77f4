"""The kitchen board (staff, admins): today's meals live, with confirm buttons."""

from __future__ import annotations

from aiohttp import web

from bot.core.deps import Deps
from bot.core.errors import DomainError
from bot.services.kitchen import live_board, receipt
from bot.services.kitchen import windows as kitchen_windows
from handlers.web import kitchen_view
from handlers.web.server import page, screen_json


async def _board(deps: Deps, account_id: int, lang: str, request: web.Request) -> str:
    return kitchen_view.board(await live_board.today(deps, account_id, lang), lang)


async def _number(request: web.Request, field: str) -> int:
    form = await request.post()
    value = form.get(field)
    if not isinstance(value, str) or not value.isdigit():
        raise DomainError("core.error.stale_button")
    return int(value)


async def _confirm(deps: Deps, account_id: int, lang: str, request: web.Request) -> str:
    await receipt.confirm(deps, account_id, await _number(request, "order"))
    return await _board(deps, account_id, lang, request)


async def _confirm_all(deps: Deps, account_id: int, lang: str, request: web.Request) -> str:
    await receipt.confirm_all(deps, account_id, await _number(request, "window"))
    return await _board(deps, account_id, lang, request)


async def _collected(deps: Deps, account_id: int, lang: str, request: web.Request) -> str:
    await receipt.collected(deps, account_id, await _number(request, "order"))
    return await _board(deps, account_id, lang, request)


async def _ready(deps: Deps, account_id: int, lang: str, request: web.Request) -> str:
    await kitchen_windows.meals_ready(deps, account_id, await _number(request, "window"))
    return await _board(deps, account_id, lang, request)


ROUTES = [
    web.get("/kitchen", page("kitchen", live=True)),
    web.get("/api/kitchen", screen_json("web.page.kitchen", _board)),
    web.post("/api/kitchen/confirm", screen_json("web.page.kitchen", _confirm)),
    web.post("/api/kitchen/confirm_all", screen_json("web.page.kitchen", _confirm_all)),
    web.post("/api/kitchen/collected", screen_json("web.page.kitchen", _collected)),
    web.post("/api/kitchen/ready", screen_json("web.page.kitchen", _ready)),
]
