"""The later questions of an order: dish, portions, how it reaches the senior, confirm;
the order's steps and its answers so far."""

from __future__ import annotations

from pydantic import BaseModel
from telegram import Update

from bot.core.errors import DomainError, NotAllowedError
from bot.core.i18n import Html, t, voiced
from bot.services.ordering import messages, order_change, order_views, placing
from bot.services.ordering.ordering_rules import SoldOutError
from data.models import Fulfilment
from handlers import conversation
from handlers.common import Context, deps_of, language_of, refuse
from handlers.conversation import Flow, Reply, account_of

NAME = "order"
WHO, WINDOW, DISH, PORTIONS, HOW, CONFIRM = "who", "window", "dish", "portions", "how", "confirm"
PLACE = "place"  # the confirm button's value
MAX_PHOTOS = 6  # dish photos shown before the menu question, so it stays in sight


class OrderAnswers(BaseModel):
    """What has been chosen for one order so far."""

    resident: int | None = None
    window: int | None = None
    item: int | None = None
    portions: int | None = None
    how: Fulfilment | None = None
    walk_in: bool = False  # staff record a senior at the counter
    same: placing.Draft | None = None  # "same as last time", offered with the meals
    same_clashes: bool = False  # …whose dish no longer suits her diet

    def draft(self) -> placing.Draft:
        """The order as chosen; a step that was never answered makes the screen stale."""
        resident, window, item = self.resident, self.window, self.item
        if resident is None or window is None or item is None:
            raise NotAllowedError("core.error.stale_button")
        if self.portions is None or self.how is None:
            raise NotAllowedError("core.error.stale_button")
        return placing.Draft(resident, window, item, self.portions, self.how, self.walk_in)

    def senior(self) -> int:
        if self.resident is None:
            raise NotAllowedError("core.error.stale_button")
        return self.resident


OrderFlow = Flow[OrderAnswers]


async def ask_dish(update: Update, context: Context, flow: OrderFlow) -> None:
    deps, lang, account_id = (
        deps_of(context),
        await language_of(update, context),
        account_of(update),
    )
    data = flow.data
    if data.window is None:
        raise NotAllowedError("core.error.stale_button")
    offered = await placing.choices(deps, account_id, data.senior(), data.window, data.walk_in)
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
    await show_photos(update, context, offered, lang)
    text = t(lang, "resident.menu.ask", lines=Html("\n".join(lines)))
    await conversation.ask(update, context, flow, text, rows, aliases=codes)


async def show_photos(
    update: Update, context: Context, offered: list[placing.Choice], lang: str
) -> None:
    """The photos of the dishes she may choose (staff add them in the week's menu), each
    with its name and what she pays, before the question."""
    chat = update.effective_chat
    if chat is None:
        return
    shown = [c for c in offered if c.item.photo_file_id and not c.sold_out][:MAX_PHOTOS]
    for choice in shown:
        photo = choice.item.photo_file_id
        assert photo is not None
        caption = t(
            lang,
            "resident.menu.photo",
            dish=choice.item.display_name(lang),
            pay=messages.money(lang, choice.unit_pay_fen),
        )
        await context.bot.send_photo(chat.id, photo, caption=caption)


async def answer_dish(update: Update, context: Context, flow: OrderFlow, reply: Reply) -> None:
    if reply.choice is None:
        raise DomainError("resident.flow.tap_button")
    flow.data.item = int(reply.choice)
    flow.go(PORTIONS)
    await ask_portions(update, context, flow)


async def ask_portions(update: Update, context: Context, flow: OrderFlow) -> None:
    lang = await language_of(update, context)
    rows = [[(str(n), str(n)) for n in range(1, _max(context) + 1)]]
    await conversation.ask(update, context, flow, t(lang, "resident.order.ask_portions"), rows)


def _max(context: Context) -> int:
    return max(spec.max_portions for spec in deps_of(context).config.canteens.canteens)


async def answer_portions(update: Update, context: Context, flow: OrderFlow, reply: Reply) -> None:
    if reply.choice is None:
        raise DomainError("resident.order.portions", limit=_max(context))
    flow.data.portions = int(reply.choice)
    flow.go(HOW)
    await ask_how(update, context, flow)


async def ask_how(update: Update, context: Context, flow: OrderFlow) -> None:
    """'How will you get the meal?' to the senior herself; her name to anyone else."""
    deps, lang = deps_of(context), await language_of(update, context)
    account_id, resident_id = account_of(update), flow.data.senior()
    ways = await placing.ways(deps, account_id, resident_id, flow.data.walk_in)
    who = await placing.addressee(deps, account_id, resident_id)
    rows = [[(messages.how_button(lang, way, who), way)] for way in ways]
    question = t(lang, voiced(lang, "resident.order.ask_how", who.own), name=who.name)
    await conversation.ask(update, context, flow, question, rows)


async def answer_how(update: Update, context: Context, flow: OrderFlow, reply: Reply) -> None:
    if reply.choice is None:
        raise DomainError("resident.flow.tap_button")
    flow.data.how = order_change.way(reply.choice)
    flow.go(CONFIRM)
    await ask_confirm(update, context, flow)


async def ask_confirm(update: Update, context: Context, flow: OrderFlow) -> None:
    """The review: day, meal, dish, portions, how, what she pays, and any diet clash."""
    deps, lang = deps_of(context), await language_of(update, context)
    buying = await placing.review(deps, account_of(update), flow.data.draft(), lang)
    text = messages.review(lang, buying, deps.clock.now().date())
    rows = [[(t(lang, "resident.order.place_button"), PLACE)]]
    await conversation.ask(update, context, flow, text, rows)


async def answer_confirm(update: Update, context: Context, flow: OrderFlow, reply: Reply) -> None:
    if reply.choice != PLACE:
        raise DomainError("resident.flow.tap_button")
    await place(update, context, flow, flow.data.draft())


async def place(update: Update, context: Context, flow: OrderFlow, draft: placing.Draft) -> None:
    """Place the order; a dish sold out meanwhile asks for the dish again."""
    deps, lang = deps_of(context), await language_of(update, context)
    try:
        order = await placing.place(deps, account_of(update), draft, lang)
    except SoldOutError as error:
        await refuse(update, context, error)
        flow.data.window, flow.step = draft.window_id, DISH
        await ask_dish(update, context, flow)
        return
    seen = await order_views.view(deps.db.reader, order)
    body = messages.summary(lang, seen, deps.clock.now().date())
    if order.source in ("staff", "walk_in"):
        name = await placing.senior_name(deps, account_of(update), order.resident_id)
        text = t(lang, f"staff.order.placed_{order.source}", summary=body, name=name)
    else:
        text = t(lang, "resident.order.placed", summary=body)
    await conversation.finish(update, context, text)
