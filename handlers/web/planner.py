"""The family planner (families, and seniors who order for themselves)."""

from __future__ import annotations

from aiohttp import web

from bot.core.deps import Deps
from bot.core.errors import DomainError
from bot.services.ordering import order_change, week_plan
from handlers.web import planner_view
from handlers.web.server import page, screen_json


def _number(value: object) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None


async def _week(deps: Deps, account_id: int, lang: str, request: web.Request) -> str:
    chosen = _number(request.query.get("resident"))
    return planner_view.page(await week_plan.week(deps, account_id, chosen), lang)


def wanted_of(form: dict[str, str]) -> list[week_plan.Wanted]:
    """The meals the form asks for: new orders (a dish chosen), cancels, new portions."""
    wanted = []
    for name, value in form.items():
        kind, _, rest = name.partition("-")
        number, _, field = rest.partition("-")
        key = _number(number)
        if key is None:
            continue
        portions = _number(form.get(f"{kind}-{key}-portions")) or 0
        if kind == "new" and field == "dish" and _number(value) is not None:
            how = order_change.way(form.get(f"new-{key}-how", "delivery"))
            wanted.append(week_plan.Wanted(key, None, _number(value), portions, how))
        elif kind == "order" and field == "window":
            window_id = _number(value)
            if window_id is None:
                raise DomainError("core.error.stale_button")
            if form.get(f"order-{key}-cancel") == "1":
                wanted.append(week_plan.Wanted(window_id, key, cancel=True))
            elif portions and portions != _number(form.get(f"order-{key}-was")):
                wanted.append(week_plan.Wanted(window_id, key, portions=portions))
    return wanted


async def _save(deps: Deps, account_id: int, lang: str, request: web.Request) -> str:
    form = {name: value for name, value in (await request.post()).items() if isinstance(value, str)}
    resident_id = _number(form.get("resident"))
    if resident_id is None:
        raise DomainError("core.error.stale_button")
    done = await week_plan.save(deps, account_id, resident_id, wanted_of(form), lang)
    shown = await week_plan.week(deps, account_id, resident_id)
    return planner_view.results(done, lang) + planner_view.page(shown, lang)


ROUTES = [
    web.get("/planner", page("planner")),
    web.get("/api/planner", screen_json("web.page.planner", _week)),
    web.post("/api/planner/save", screen_json("web.page.planner", _save)),
]
