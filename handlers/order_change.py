"""Changing an order, one question at a time: what, the new value, (staff: why), save.

Started by '✏️ Change order No. 12' under My orders (the senior or her family: portions or
how the meal reaches her) or '✏️ #12' on the staff's orders board (also another dish, or
cancel, and after the kitchen sheet still cancel or how). Staff say why; their reason saves
the change. Cancelling asks once more. The service checks everything again on saving.
"""

from __future__ import annotations

from telegram import Update
from typing_extensions import TypedDict

from bot.core import callbacks
from bot.core.callbacks import Order
from bot.core.errors import DomainError
from bot.core.i18n import Html, t, voiced
from bot.services.ordering import messages, order_change, order_views
from bot.services.ordering.order_change import Change, Correctable
from handlers import conversation
from handlers.buttons import Button, answer
from handlers.common import Context, language_of
from handlers.conversation import Feature, Flow, Reply, account_of


class ChangeShape(TypedDict, total=False):
    """Changing an order (handlers/order_change.py)."""

    order: int
    change: Change | None
    why: str


PREFIX = callbacks.CHANGE.prefix  # handlers/staff_order.py still packs by prefix
NAME = "change"


async def begin(update: Update, context: Context, tap: Order, _: str) -> None:
    """A ✏️ button: check the order may be changed by this account now, then ask what."""
    await order_change.correctable(context.deps, account_of(update), tap.order)
    await answer(update)
    await ask_what(update, context, conversation.begin(context, NAME, "what", {"order": tap.order}))


async def _found(update: Update, context: Context, flow: Flow) -> Correctable:
    return await order_change.correctable(context.deps, account_of(update), flow.data["order"])


async def ask_what(update: Update, context: Context, flow: Flow) -> None:
    deps, lang = context.deps, await language_of(update, context)
    found = await _found(update, context, flow)
    seen = await order_views.view(deps.db.reader, found.order)
    summary = messages.summary(lang, seen, deps.clock.now().date())
    rows = [[(_what_label(lang, what, found), what)] for what in found.what]
    text = t(lang, "resident.change.ask_what", summary=summary)
    await conversation.ask(update, context, flow, text, rows)


def _what_label(lang: str, what: str, found: Correctable) -> Html:
    key = voiced(lang, f"resident.change.{what}", found.who.own)
    return t(lang, key, name=found.who.name)


async def answer_what(update: Update, context: Context, flow: Flow, reply: Reply) -> None:
    if reply.choice not in order_change.WHAT:
        raise DomainError("resident.flow.tap_button")
    flow.go(reply.choice)
    await FEATURE.asks[reply.choice](update, context, flow)


async def ask_dish(update: Update, context: Context, flow: Flow) -> None:
    deps, lang = context.deps, await language_of(update, context)
    offered = await order_change.dishes(deps, account_of(update), flow.data["order"])
    lines, rows = [], []
    for item, pay_fen, reasons in offered:
        name, pay = item.display_name(lang), messages.money(lang, pay_fen)
        why = messages.clash_words(lang, reasons)
        key = "clash_line" if reasons else "dish_line"
        lines.append(t(lang, f"resident.menu.{key}", dish=name, pay=pay, why=why))
        rows.append([(f"{'⚠️ ' if reasons else ''}{name} · {pay}", str(item.id))])
    text = t(lang, "resident.change.ask_dish", lines=Html("\n".join(lines)))
    await conversation.ask(update, context, flow, text, rows)


async def ask_portions(update: Update, context: Context, flow: Flow) -> None:
    lang = await language_of(update, context)
    found = await _found(update, context, flow)
    rows = [[(str(n), str(n)) for n in range(1, found.max_portions + 1)]]
    text = t(lang, "resident.change.ask_portions", now=found.portions)
    await conversation.ask(update, context, flow, text, rows)


async def ask_how(update: Update, context: Context, flow: Flow) -> None:
    lang = await language_of(update, context)
    found = await _found(update, context, flow)
    rows = [[(messages.how_button(lang, way, found.who), way)] for way in found.ways]
    question = voiced(lang, "resident.order.ask_how", found.who.own)
    await conversation.ask(update, context, flow, t(lang, question, name=found.who.name), rows)


async def answer_value(update: Update, context: Context, flow: Flow, reply: Reply) -> None:
    """The new dish, portions or way: staff say why next, others check and save."""
    if reply.choice is None:
        raise DomainError("resident.flow.tap_button")
    if flow.step == "dish":
        change = Change(item_id=int(reply.choice))
    elif flow.step == "portions":
        change = Change(portions=int(reply.choice))
    else:
        change = Change(fulfilment=order_change.way(reply.choice))
    flow.data["change"] = change
    found = await _found(update, context, flow)
    flow.go("why" if found.staff else "confirm")
    await FEATURE.asks[flow.step](update, context, flow)


async def _preview(update: Update, context: Context, flow: Flow) -> Html:
    """What the order becomes: the change in words, then day, dish, how and what she pays."""
    deps, lang = context.deps, await language_of(update, context)
    change: Change = flow.data["change"]
    outcome = await order_change.preview(deps, account_of(update), flow.data["order"], change, lang)
    words = messages.what_changed(lang, order_change.changes(outcome))
    head = t(lang, "resident.change.review", what=words)
    lines = messages.buying_lines(lang, outcome.buying, deps.clock.now().date())
    return Html("\n".join([head, *lines]))


async def ask_confirm(update: Update, context: Context, flow: Flow) -> None:
    lang = await language_of(update, context)
    text = await _preview(update, context, flow)
    rows = [[(t(lang, "resident.change.save"), "save")]]
    await conversation.ask(update, context, flow, text, rows)


async def answer_confirm(update: Update, context: Context, flow: Flow, reply: Reply) -> None:
    if reply.choice != "save":
        raise DomainError("resident.flow.tap_button")
    await _save(update, context, flow, None)


async def ask_why(update: Update, context: Context, flow: Flow) -> None:
    """Staff: the change as it would be, then why (the reason's tap saves it)."""
    lang = await language_of(update, context)
    rows = [[(t(lang, f"staff.change_why.{why}"), why)] for why in order_change.WHY]
    if flow.data.get("change") is None:  # cancelling: why, then once more Yes / No
        await conversation.ask(update, context, flow, t(lang, "staff.change.ask_why_cancel"), rows)
        return
    text = Html(f"{await _preview(update, context, flow)}\n\n{t(lang, 'staff.change.ask_why')}")
    await conversation.ask(update, context, flow, text, rows)


async def answer_why(update: Update, context: Context, flow: Flow, reply: Reply) -> None:
    if reply.choice not in order_change.WHY:
        raise DomainError("resident.flow.tap_button")
    if flow.data.get("change") is None:
        flow.data["why"] = reply.choice
        flow.go("sure")
        await ask_sure(update, context, flow)
        return
    await _save(update, context, flow, reply.choice)


async def _save(update: Update, context: Context, flow: Flow, why: str | None) -> None:
    deps, lang = context.deps, await language_of(update, context)
    order = await order_change.apply(
        deps, account_of(update), flow.data["order"], flow.data["change"], why, lang
    )
    seen = await order_views.view(deps.db.reader, order)
    summary = messages.summary(lang, seen, deps.clock.now().date())
    text = t(lang, "resident.change.saved", id=order.id, summary=summary)
    await conversation.finish(update, context, text)


async def ask_cancel(update: Update, context: Context, flow: Flow) -> None:
    """'Cancel this order': staff say why first; the senior's family go straight to Yes / No."""
    flow.data["change"] = None
    found = await _found(update, context, flow)
    if found.staff:
        flow.step = "why"
        await ask_why(update, context, flow)
        return
    flow.step = "sure"
    await ask_sure(update, context, flow)


async def ask_sure(update: Update, context: Context, flow: Flow) -> None:
    """'Cancel lunch on Tuesday 3 March, Set A?' Yes / No."""
    lang = await language_of(update, context)
    found = await _found(update, context, flow)
    question = messages.cancel_words(lang, found)
    rows = [[(t(lang, "resident.cancel.yes"), "yes"), (t(lang, "resident.cancel.no"), "no")]]
    await conversation.ask(update, context, flow, question, rows)


async def answer_sure(update: Update, context: Context, flow: Flow, reply: Reply) -> None:
    deps, lang, order_id = context.deps, await language_of(update, context), flow.data["order"]
    if reply.choice == "no":
        await conversation.finish(update, context, t(lang, "resident.cancel.kept", id=order_id))
        return
    if reply.choice != "yes":
        raise DomainError("resident.flow.tap_button")
    order = await order_change.cancel(deps, account_of(update), order_id, flow.data.get("why"))
    seen = await order_views.view(deps.db.reader, order)
    summary = messages.summary(lang, seen, deps.clock.now().date())
    text = t(lang, "resident.orders.cancelled", id=order.id)
    await conversation.finish(update, context, Html(f"{text}\n\n{summary}"))


FEATURE = Feature(
    asks={
        "what": ask_what,
        "dish": ask_dish,
        "portions": ask_portions,
        "how": ask_how,
        "cancel": ask_cancel,
        "why": ask_why,
        "confirm": ask_confirm,
        "sure": ask_sure,
    },
    answers={
        "what": answer_what,
        "dish": answer_value,
        "portions": answer_value,
        "how": answer_value,
        "why": answer_why,
        "confirm": answer_confirm,
        "sure": answer_sure,
    },
)


BUTTONS = (Button(callbacks.CHANGE_ORDER, begin),)
