"""'Regular meals': a meal placed by itself every weekday, with pause, resume and stop."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.core import callbacks
from bot.core.callbacks import pack, unpack
from bot.core.errors import DomainError, NotAllowedError
from bot.core.i18n import Html, t, voiced
from bot.services.ordering import messages, order_change, placing, standing
from bot.services.ordering.standing import EVERY_DAY, WEEKDAYS_ONLY, Plan
from data.models import Fulfilment, Meal
from handlers import conversation
from handlers.common import Context, deps_of, language_of, refuse, tell
from handlers.conversation import Feature, Flow, Reply, account_of

PREFIX = callbacks.STANDING.prefix
NAME = "standing"
MENU, WHO, MEAL, DAYS, DISH, PORTIONS, HOW, CONFIRM = (
    "menu", "who", "meal", "days", "dish", "portions", "how", "confirm"
)  # fmt: skip
MEALS: tuple[Meal, ...] = ("lunch", "dinner")
Days = Literal["weekdays", "every_day"]
SPANS: tuple[Days, ...] = ("weekdays", "every_day")


class RegularAnswers(BaseModel):
    """A regular meal as set up so far."""

    resident: int | None = None
    meal: Meal | None = None
    days: Days | None = None
    dish: str | None = None  # its code
    portions: int | None = None
    how: Fulfilment | None = None

    def plan(self) -> Plan:
        """The regular meal to save; a step never answered makes the screen stale."""
        resident, meal, days, dish = self.resident, self.meal, self.days, self.dish
        if resident is None or meal is None or days is None or dish is None:
            raise NotAllowedError("core.error.stale_button")
        if self.portions is None or self.how is None:
            raise NotAllowedError("core.error.stale_button")
        weekdays = WEEKDAYS_ONLY if days == "weekdays" else EVERY_DAY
        return Plan(resident, meal, weekdays, dish, self.portions, self.how)

    def senior(self) -> int:
        if self.resident is None:
            raise NotAllowedError("core.error.stale_button")
        return self.resident


Regular = Flow[RegularAnswers]


async def render(update: Update, context: Context) -> tuple[Html, InlineKeyboardMarkup | None]:
    lang = await language_of(update, context)
    deps, account_id = deps_of(context), account_of(update)
    names = {r.id: r.name for r in await placing.residents_of(deps, account_id)}
    lines, buttons = [t(lang, "resident.standing.title")], []
    for plan in await standing.of_account(deps, account_id):
        days = "weekdays" if plan.weekdays == ",".join(WEEKDAYS_ONLY) else "every_day"
        state = "paused" if plan.paused else "active"
        lines.append(
            t(
                lang,
                f"resident.standing.line_{state}",
                name=names.get(plan.resident_id, "?"),
                meal=t(lang, f"resident.meal.{plan.meal}"),
                days=t(lang, f"resident.standing.{days}"),
                dish=plan.dish_code,
                portions=plan.portions,
                fulfilment=t(lang, f"resident.way.{plan.fulfilment}"),
            )
        )
        toggle = "resume" if plan.paused else "pause"
        buttons.append(
            [
                InlineKeyboardButton(
                    t(lang, f"resident.standing.{toggle}"),
                    callback_data=pack(PREFIX, toggle, plan.id),
                ),
                InlineKeyboardButton(
                    t(lang, "resident.standing.stop"), callback_data=pack(PREFIX, "stop", plan.id)
                ),
            ]
        )
    if len(lines) == 1:
        lines.append(t(lang, "resident.standing.none"))
    return Html("\n".join(lines)), InlineKeyboardMarkup(buttons) if buttons else None


async def show(update: Update, context: Context) -> None:
    """List the regular meals and offer to set one up."""
    text, markup = await render(update, context)
    await tell(update, context, text, reply_markup=markup)
    await ask(update, context, conversation.begin(context, NAME, MENU, RegularAnswers()))


async def ask(update: Update, context: Context, flow: Regular) -> None:
    """Ask the question of the current step, with its buttons."""
    deps, lang, step = deps_of(context), await language_of(update, context), flow.step
    rows: conversation.Rows = []
    codes: dict[str, str] = {}  # typed "A" means set A
    question = t(lang, f"resident.standing.ask_{step}")
    if step == MENU:
        rows = [[(t(lang, "resident.standing.new"), "new")]]
    elif step == WHO:
        rows = [[(r.name, str(r.id))] for r in await placing.residents_of(deps, account_of(update))]
    elif step == MEAL:
        rows = [[(t(lang, f"resident.meal.{meal}"), meal) for meal in MEALS]]
    elif step == DAYS:
        rows = [[(t(lang, f"resident.standing.{days}"), days) for days in SPANS]]
    elif step == DISH:
        dishes = await standing.dishes(deps, account_of(update), flow.data.senior(), _meal(flow))
        rows = [
            [(dish.name_en if lang == "en" and dish.name_en else dish.name, dish.code)]
            for dish in dishes
        ]
        codes = {dish.code: dish.code for dish in dishes}
    elif step == PORTIONS:
        rows = [[(str(n), str(n)) for n in range(1, 4)]]
    elif step == HOW:
        resident_id = flow.data.senior()
        ways = await placing.ways(deps, account_of(update), resident_id)
        who = await placing.addressee(deps, account_of(update), resident_id)  # "my door"?
        rows = [[(messages.how_button(lang, way, who), way)] for way in ways]
        key = voiced(lang, "resident.standing.ask_how", who.own)
        question = t(lang, key, name=who.name)
    elif step == CONFIRM:
        rows = [[(t(lang, "resident.standing.save"), "save")]]
    await conversation.ask(update, context, flow, question, rows, aliases=codes)


def _meal(flow: Regular) -> Meal:
    if flow.data.meal is None:
        raise NotAllowedError("core.error.stale_button")
    return flow.data.meal


async def _go(update: Update, context: Context, flow: Regular, step: str) -> None:
    flow.go(step)
    await ask(update, context, flow)


def _tapped(reply: Reply, values: tuple[str, ...] | None = None) -> str:
    if reply.choice is None or (values is not None and reply.choice not in values):
        raise DomainError("resident.flow.tap_button")
    return reply.choice


async def answer_menu(update: Update, context: Context, flow: Regular, reply: Reply) -> None:
    """'Set up a regular meal': for whom, unless she is the only senior."""
    _tapped(reply)
    seniors = await placing.residents_of(deps_of(context), account_of(update))
    if len(seniors) != 1:
        await _go(update, context, flow, WHO)
        return
    flow.data.resident = seniors[0].id  # her own regular meal: no question whom it is for
    await _go(update, context, flow, MEAL)


async def answer_who(update: Update, context: Context, flow: Regular, reply: Reply) -> None:
    flow.data.resident = int(_tapped(reply))
    await _go(update, context, flow, MEAL)


async def answer_meal(update: Update, context: Context, flow: Regular, reply: Reply) -> None:
    choice = _tapped(reply, MEALS)
    flow.data.meal = next(meal for meal in MEALS if meal == choice)
    await _go(update, context, flow, DAYS)


async def answer_days(update: Update, context: Context, flow: Regular, reply: Reply) -> None:
    choice = _tapped(reply, SPANS)
    flow.data.days = next(days for days in SPANS if days == choice)
    await _go(update, context, flow, DISH)


async def answer_dish(update: Update, context: Context, flow: Regular, reply: Reply) -> None:
    flow.data.dish = _tapped(reply)
    await _go(update, context, flow, PORTIONS)


async def answer_portions(update: Update, context: Context, flow: Regular, reply: Reply) -> None:
    flow.data.portions = int(_tapped(reply))
    await _go(update, context, flow, HOW)


async def answer_how(update: Update, context: Context, flow: Regular, reply: Reply) -> None:
    flow.data.how = order_change.way(_tapped(reply))
    await _go(update, context, flow, CONFIRM)


async def answer_confirm(update: Update, context: Context, flow: Regular, reply: Reply) -> None:
    """Save the regular meal: the only write of the whole flow."""
    _tapped(reply, ("save",))
    lang = await language_of(update, context)
    await standing.save(deps_of(context), account_of(update), flow.data.plan())
    await conversation.finish(update, context, t(lang, "resident.standing.saved"))


async def pressed(update: Update, context: Context) -> None:
    """Pause, resume or stop a regular meal (checked again in the service)."""
    query = update.callback_query
    callback = unpack(PREFIX, query.data if query else None)
    try:
        if query is None or callback is None:
            raise NotAllowedError("core.error.stale_button")
        await standing.change(
            deps_of(context), account_of(update), callback.int_arg(0), callback.action
        )
    except (DomainError, ValueError, IndexError) as error:
        await refuse(
            update, context, error if isinstance(error, DomainError) else NotAllowedError()
        )
        return
    await query.answer()
    text, markup = await render(update, context)
    await query.edit_message_text(text, reply_markup=markup)


FEATURE = Feature(
    asks=dict.fromkeys((MENU, WHO, MEAL, DAYS, DISH, PORTIONS, HOW, CONFIRM), ask),
    answers={
        MENU: answer_menu,
        WHO: answer_who,
        MEAL: answer_meal,
        DAYS: answer_days,
        DISH: answer_dish,
        PORTIONS: answer_portions,
        HOW: answer_how,
        CONFIRM: answer_confirm,
    },
    state=RegularAnswers,
)
