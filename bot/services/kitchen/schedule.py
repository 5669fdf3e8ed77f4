"""Windows made ahead from the canteen file's schedule, each with the default menu."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from bot.canteen_file import WEEKDAYS, Canteen, WindowRule
from bot.core.deps import Deps
from data import canteens, windows


def day_due(now: datetime, at: time, deps: Deps) -> date:
    """The day whose `at` passed last: a daily job that runs late acts for the day it was
    due (after a restart or a clock jump), not for the day it happens to run on."""
    local = now.astimezone(deps.clock.tz)
    return local.date() if local.time() >= at else local.date() - timedelta(days=1)


def fen(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def _at(day: date, moment: time, deps: Deps) -> datetime:
    return datetime.combine(day, moment, tzinfo=deps.clock.tz)


def times_of(rule: WindowRule, canteen: Canteen, day: date, deps: Deps) -> dict[str, datetime]:
    serve = _at(day, rule.serve, deps)
    return {
        "opens_at": _at(day - timedelta(days=rule.opens_days_before), rule.opens, deps),
        "cutoff_at": _at(day, rule.cutoff, deps),
        "serve_at": serve,
        "claim_until": max(
            serve - timedelta(minutes=canteen.claim_minutes_before_serving),
            _at(day, rule.cutoff, deps),
        ),
    }


async def ensure_windows(deps: Deps, today: date | None = None) -> list[int]:
    """Create the windows of today and `days_ahead` days after (safe to run again).

    A window whose cutoff has already passed is not created: on a first start in the
    afternoon, the morning's lunch would only produce an empty kitchen sheet.
    """
    today = today or deps.clock.now().date()
    created: list[int] = []
    async with deps.db.transaction() as tx:
        for spec in deps.config.canteens.canteens:
            canteen = await canteens.by_code(tx, spec.code)
            assert canteen is not None, "canteens are synced before windows are made"
            for offset in range(spec.days_ahead + 1):
                day = today + timedelta(days=offset)
                for rule in spec.windows:
                    if WEEKDAYS[day.weekday()] not in rule.weekdays:
                        continue
                    times = times_of(rule, spec, day, deps)
                    if times["cutoff_at"] <= deps.clock.now():
                        continue  # nobody could ever have ordered it: not worth a window
                    window_id = await windows.create(tx, canteen.id, day, rule.meal, **times)
                    if window_id is None:
                        continue
                    created.append(window_id)
                    for dish in spec.dishes:
                        if rule.meal in dish.meals:
                            await windows.add_menu_item(
                                tx,
                                window_id,
                                dish.code,
                                dish.name,
                                dish.name_en,
                                fen(dish.price),
                                list(dish.tags),
                                dish.portions,
                                None if dish.allergens is None else list(dish.allergens),
                            )
    return created
