"""The week's menu (staff, admins): dishes of the coming days, both names, price, portions,
diet and allergen tags, and a photo residents see when they order in the chat."""

from __future__ import annotations

from aiohttp import web
from telegram import InputFile

from bot.core.deps import Deps
from bot.core.errors import DomainError
from bot.core.i18n import t
from bot.services.ordering import menus
from handlers.web import menu_view
from handlers.web.server import BOT, page, screen_json

PHOTO_LIMIT = 5 * 1024 * 1024
PHOTO_KINDS = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")  # JPEG, PNG


async def _week(deps: Deps, account_id: int, lang: str, request: web.Request) -> str:
    return menu_view.week(await menus.week(deps, account_id), lang)


def _number(value: object) -> int:
    if not isinstance(value, str) or not value.isdigit():
        raise DomainError("core.error.stale_button")
    return int(value)


def _dish(form: object) -> menus.DishEdit:
    def text(name: str) -> str:
        value = form.get(name, "")  # type: ignore[attr-defined]
        return value if isinstance(value, str) else ""

    def many(name: str) -> list[str]:
        return [v for v in form.getall(name, []) if isinstance(v, str)]  # type: ignore[attr-defined]

    return menus.DishEdit(
        text("name"),
        text("name_en"),
        text("price"),
        text("portions"),
        many("tags"),
        many("allergens"),
    )


async def _edit(deps: Deps, account_id: int, lang: str, request: web.Request) -> str:
    form = await request.post()
    item = await menus.edit(deps, account_id, _number(form.get("item")), _dish(form))
    notice = t(lang, "web.menu.saved", dish=item.display_name(lang))
    return menu_view.week(await menus.week(deps, account_id), lang, notice)


async def _add(deps: Deps, account_id: int, lang: str, request: web.Request) -> str:
    form = await request.post()
    item = await menus.add_from(deps, account_id, _number(form.get("window")), _dish(form))
    notice = t(lang, "web.menu.saved", dish=item.display_name(lang))
    return menu_view.week(await menus.week(deps, account_id), lang, notice)


async def _photo(deps: Deps, account_id: int, lang: str, request: web.Request) -> str:
    """The photo goes to Telegram once (to the cook's own chat, as a receipt); its file_id
    is kept, and the chat shows the dish with it from then on."""
    form = await request.post()
    item = await menus.photo_target(deps, account_id, _number(form.get("item")))
    upload = form.get("photo")
    content = upload.file.read(PHOTO_LIMIT + 1) if isinstance(upload, web.FileField) else b""
    if not content.startswith(PHOTO_KINDS) or len(content) > PHOTO_LIMIT:
        raise DomainError("web.menu.bad_photo")
    caption = t(lang, "web.menu.photo_caption", dish=item.display_name(lang))
    sent = await request.app[BOT].send_photo(
        account_id, InputFile(content, filename="dish.jpg"), caption=caption
    )
    await menus.set_photo(deps, account_id, item.id, sent.photo[-1].file_id)
    notice = t(lang, "web.menu.photo_saved", dish=item.display_name(lang))
    return menu_view.week(await menus.week(deps, account_id), lang, notice)


ROUTES = [
    web.get("/menu", page("menu")),
    web.get("/api/menu", screen_json("web.page.menu", _week)),
    web.post("/api/menu/edit", screen_json("web.page.menu", _edit)),
    web.post("/api/menu/add", screen_json("web.page.menu", _add)),
    web.post("/api/menu/photo", screen_json("web.page.menu", _photo)),
]
