"""The later questions of an order: dish, portions, how it reaches the senior, confirm."""

from __future__ import annotations

from telegram import Update

from bot.core.errors import DomainError
from bot.core.i18n import Html, t, voiced
from bot.services.ordering import messages, order_views, placing
from bot.services.ordering.ordering_rules import SoldOutError
from handlers import resident_flow as flow_
from handlers.common import Context, deps_of, language_of, refuse
from handlers.resident_flow import Flow, Reply, account_of


async def ask_dish(update: Update, context: Context, flow: Flow) -> None:
    deps, lang, account_id = (
        deps_of(context),
        await language_of(update, context),
        account_of(update),
    )
    data = flow.data
    offered = await placing.choices(
        deps, account_id, data["resident"], data["window"], data.get("walk_in", False)
    )
    lines, rows, codes = [], [], {}
    for choice in offered:
        name, pay = choice.item.display_name(lang), messages.money(lang, choice.unit_pay_fen)
        key = (
            "sold_out_line" if choice.sold_out else "clash_line" if choice.clashes else "dish_line"
        )
        why = messages.clash_words(lang, choice.reasons)
        lines.append(t(lang, f"resident.menu.{key}", dish=name, pay=pay, why=why))
        if not choice.sold_out:
            mark = "⚠️ " if choice.clashes else ""
            rows.append([(f"{mark}{name} · {pay}", str(choice.item.id))])
            codes[choice.item.code] = str(choice.item.id)  # typed "A" means set A
    text = t(lang, "resident.menu.ask", lines=Html("\n".join(lines)))
    await flow_.ask(update, context, flow, text, rows, aliases=codes)


async def answer_dish(update: Update, context: Context, flow: Flow, reply: Reply) -> None:
    if reply.choice is None:
        raise DomainError("resident.flow.tap_button")
    flow.data["item"] = int(reply.choice)
    flow.go("portions")
    await ask_portions(update, context, flow)


async def ask_portions(update: Update, context: Context, flow: Flow) -> None:
    lang = await language_of(update, context)
    rows = [[(str(n), str(n)) for n in range(1, _max(context) + 1)]]
    await flow_.ask(update, context, flow, t(lang, "resident.order.ask_portions"), rows)


def _max(context: Context) -> int:
    return max(spec.max_portions for spec in deps_of(context).config.canteens.canteens)


async def answer_portions(update: Update, context: Context, flow: Flow, reply: Reply) -> None:
    if reply.choice is None:
        raise DomainError("resident.order.portions", limit=_max(context))
    flow.data["portions"] = int(reply.choice)
    flow.go("how")
    await ask_how(update, context, flow)


async def ask_how(update: Update, context: Context, flow: Flow) -> None:
    """'How will you get the meal?' to the senior herself; her name to anyone else."""
    deps, lang = deps_of(context), await language_of(update, context)
    account_id = account_of(update)
    resident_id, walk_in = flow.data["resident"], flow.data.get("walk_in", False)
    ways = await placing.ways(deps, account_id, resident_id, walk_in)
    who = await placing.addressee(deps, account_id, resident_id)
    rows = [[(messages.how_button(lang, way, who), way)] for way in ways]
    question = t(lang, voiced(lang, "resident.order.ask_how", who.own), name=who.name)
    await flow_.ask(update, context, flow, question, rows)


async def answer_how(update: Update, context: Context, flow: Flow, reply: Reply) -> None:
    if reply.choice is None:
        raise DomainError("resident.flow.tap_button")
    flow.data["how"] = reply.choice
    flow.go("confirm")
    await ask_confirm(update, context, flow)


def _draft(flow: Flow) -> placing.Draft:
    data = flow.data
    return placing.Draft(
        data["resident"],
        data["window"],
        data["item"],
        data["portions"],
        data["how"],
        data.get("walk_in", False),
    )


async def ask_confirm(update: Update, context: Context, flow: Flow) -> None:
    """The review: day, meal, dish, portions, how, what she pays, and any diet clash."""
    deps, lang = deps_of(context), await language_of(update, context)
    buying = await placing.review(deps, account_of(update), _draft(flow), lang)
    text = messages.review(lang, buying, deps.clock.now().date())
    rows = [[(t(lang, "resident.order.place_button"), "place")]]
    await flow_.ask(update, context, flow, text, rows)


async def answer_confirm(update: Update, context: Context, flow: Flow, reply: Reply) -> None:
    if reply.choice != "place":
        raise DomainError("resident.flow.tap_button")
    await place(update, context, _draft(flow))


async def place(update: Update, context: Context, draft: placing.Draft) -> None:
    deps, lang = deps_of(context), await language_of(update, context)
    flow = flow_.current(context)
    try:
        order = await placing.place(deps, account_of(update), draft, lang)
    except SoldOutError as error:
        await refuse(update, context, error)
        if flow is not None:
            flow.data["window"], flow.step = draft.window_id, "dish"
            await ask_dish(update, context, flow)
        return
    seen = await order_views.view(deps.db.reader, order)
    body = messages.summary(lang, seen, deps.clock.now().date())
    if order.source in ("staff", "walk_in"):
        name = await placing.senior_name(deps, account_of(update), order.resident_id)
        text = t(lang, f"staff.order.placed_{order.source}", summary=body, name=name)
    else:
        text = t(lang, "resident.order.placed", summary=body)
    await flow_.finish(update, context, text)
