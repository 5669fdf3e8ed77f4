"""'Regular meals': a meal placed by itself every weekday, with pause, resume and stop."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.core.callbacks import pack, unpack
from bot.core.errors import DomainError, NotAllowedError
from bot.core.i18n import Html, t, voiced
from bot.services.ordering import messages, placing, standing
from bot.services.ordering.standing import EVERY_DAY, WEEKDAYS_ONLY, Plan
from handlers import resident_flow as flow_
from handlers.common import Context, deps_of, language_of, refuse, tell
from handlers.resident_flow import Feature, Flow, Reply, account_of

PREFIX = "std1"
NEXT = {
    "menu": "who",
    "who": "meal",
    "meal": "days",
    "days": "dish",
    "dish": "portions",
    "portions": "how",
    "how": "confirm",
}


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
    flow = flow_.begin(context, "standing", "menu")
    await ask(update, context, flow)


async def ask(update: Update, context: Context, flow: Flow) -> None:
    deps, lang, step = deps_of(context), await language_of(update, context), flow.step
    rows: flow_.Rows = []
    codes: dict[str, str] = {}  # typed "A" means set A
    question = t(lang, f"resident.standing.ask_{step}")
    if step == "menu":
        rows = [[(t(lang, "resident.standing.new"), "new")]]
    elif step == "who":
        rows = [[(r.name, str(r.id))] for r in await placing.residents_of(deps, account_of(update))]
    elif step == "meal":
        rows = [[(t(lang, f"resident.meal.{meal}"), meal) for meal in ("lunch", "dinner")]]
    elif step == "days":
        rows = [
            [
                (t(lang, "resident.standing.weekdays"), "weekdays"),
                (t(lang, "resident.standing.every_day"), "every_day"),
            ]
        ]
    elif step == "dish":
        dishes = await standing.dishes(
            deps, account_of(update), flow.data["who"], flow.data["meal"]
        )
        rows = [
            [(dish.name_en if lang == "en" and dish.name_en else dish.name, dish.code)]
            for dish in dishes
        ]
        codes = {dish.code: dish.code for dish in dishes}
    elif step == "portions":
        rows = [[(str(n), str(n)) for n in range(1, 4)]]
    elif step == "how":
        resident_id = int(flow.data["who"])
        ways = await placing.ways(deps, account_of(update), resident_id)
        who = await placing.addressee(deps, account_of(update), resident_id)  # "my door"?
        rows = [[(messages.how_button(lang, way, who), way)] for way in ways]
        key = voiced(lang, "resident.standing.ask_how", who.own)
        question = t(lang, key, name=who.name)
    elif step == "confirm":
        rows = [[(t(lang, "resident.standing.save"), "save")]]
    await flow_.ask(update, context, flow, question, rows, aliases=codes)


async def answer(update: Update, context: Context, flow: Flow, reply: Reply) -> None:
    if reply.choice is None:
        raise DomainError("resident.flow.tap_button")
    if flow.step == "confirm":
        await _save(update, context, flow)
        return
    flow.data[flow.step] = reply.choice
    flow.go(NEXT[flow.step])
    if flow.step == "who":
        seniors = await placing.residents_of(deps_of(context), account_of(update))
        if len(seniors) == 1:
            flow.data["who"], flow.step = str(seniors[0].id), "meal"
    await ask(update, context, flow)


async def _save(update: Update, context: Context, flow: Flow) -> None:
    data, lang = flow.data, await language_of(update, context)
    days = WEEKDAYS_ONLY if data["days"] == "weekdays" else EVERY_DAY
    plan = Plan(
        int(data["who"]), data["meal"], days, data["dish"], int(data["portions"]), data["how"]
    )
    await standing.save(deps_of(context), account_of(update), plan)
    await flow_.finish(update, context, t(lang, "resident.standing.saved"))


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
    asks=dict.fromkeys((*NEXT, "confirm"), ask), answers=dict.fromkeys((*NEXT, "confirm"), answer)
)
