"""Ordering a meal, one question at a time: who, which meal, dish, portions, how, confirm
(the later questions and the order's answers: handlers/ordering_steps.py)."""

from __future__ import annotations

from datetime import date

from telegram import Update

from bot.core import callbacks
from bot.core.callbacks import unpack
from bot.core.errors import DomainError, NotAllowedError
from bot.core.i18n import Html, t, voiced
from bot.services.ordering import messages, order_history, placing
from handlers import conversation, ordering_steps
from handlers.common import Context, deps_of, language_of, refuse
from handlers.conversation import Feature, Reply, account_of
from handlers.ordering_steps import (
    CONFIRM,
    DISH,
    HOW,
    NAME,
    PORTIONS,
    WHO,
    WINDOW,
    OrderAnswers,
    OrderFlow,
)

PREFIX = callbacks.ORDERING.prefix
SAME = "same"
FOR = "for"  # ord1:for:<resident>: order for this senior
WALK_IN = "walk"  # ord1:walk:<resident>: staff record a walk-in at the counter


async def begin(update: Update, context: Context) -> None:
    """'Order a meal': pick the senior first when acting for several."""
    deps, lang = deps_of(context), await language_of(update, context)
    account_id = account_of(update)
    seniors = await placing.residents_of(deps, account_id)
    if not seniors:
        await conversation.finish(update, context, t(lang, "resident.order.register_first"))
        return
    flow = conversation.begin(context, NAME, WHO, OrderAnswers())
    if len(seniors) == 1:
        flow.data.resident = seniors[0].id
        flow.step = WINDOW
    await FEATURE.asks[flow.step](update, context, flow)


async def begin_for(update: Update, context: Context) -> None:
    """'Order for …' (Family screen, staff search) or a staff walk-in: the same questions
    from the meal (or, for a walk-in, the dish) on; the senior id is checked again."""
    query = update.callback_query
    callback = unpack(PREFIX, query.data if query else None)
    deps, account_id = deps_of(context), account_of(update)
    try:
        if query is None or callback is None or callback.action not in (FOR, WALK_IN):
            raise NotAllowedError("core.error.stale_button")
        answers = OrderAnswers(resident=callback.int_arg(0))
        if callback.action == WALK_IN:
            window = await placing.walk_in_window(deps, account_id, callback.int_arg(0))
            answers.window, answers.walk_in = window.id, True
        else:
            await placing.windows_for(deps, account_id, callback.int_arg(0))
    except (DomainError, ValueError, IndexError) as error:
        await refuse(update, context, _domain(error))
        return
    await query.answer()
    if answers.walk_in:
        await ordering_steps.ask_dish(
            update, context, conversation.begin(context, NAME, DISH, answers)
        )
    else:
        await ask_window(update, context, conversation.begin(context, NAME, WINDOW, answers))


def _domain(error: Exception) -> DomainError:
    return error if isinstance(error, DomainError) else NotAllowedError("core.error.stale_button")


async def ask_who(update: Update, context: Context, flow: OrderFlow) -> None:
    lang, account_id = await language_of(update, context), account_of(update)
    seniors = await placing.residents_of(deps_of(context), account_id)
    rows = [[(senior.name, str(senior.id))] for senior in seniors]
    await conversation.ask(update, context, flow, t(lang, "resident.order.ask_who"), rows)


async def answer_who(update: Update, context: Context, flow: OrderFlow, reply: Reply) -> None:
    if reply.choice is None:
        raise DomainError("resident.flow.tap_button")
    await placing.windows_for(deps_of(context), account_of(update), int(reply.choice))
    flow.data.resident = int(reply.choice)
    flow.go(WINDOW)
    await ask_window(update, context, flow)


async def ask_window(update: Update, context: Context, flow: OrderFlow) -> None:
    deps, lang, account_id = (
        deps_of(context),
        await language_of(update, context),
        account_of(update),
    )
    open_now = await placing.windows_for(deps, account_id, flow.data.senior())
    if not open_now:
        await conversation.finish(update, context, t(lang, "resident.order.none_open"))
        return
    today = deps.clock.now().date()
    rows: list[list[tuple[str, str]]] = [
        [
            (
                t(
                    lang,
                    "resident.order.window_button",
                    window=messages.window_label(lang, w, today),
                    cutoff=f"{w.cutoff_at.astimezone(deps.clock.tz):%H:%M}",
                ),
                str(w.id),
            )
        ]
        for w in open_now
    ]
    text = await _offer_same(update, context, flow, rows, today)
    await conversation.ask(update, context, flow, text, rows)


async def _offer_same(
    update: Update,
    context: Context,
    flow: OrderFlow,
    rows: list[list[tuple[str, str]]],
    today: date,
) -> Html:
    """'Same as last time' first, naming what it orders ('Set A, to your door, 9 yuan'),
    or a word that her last dish is not on the menu now; then the question."""
    deps, lang = deps_of(context), await language_of(update, context)
    resident_id = flow.data.senior()
    flow.data.same, flow.data.same_clashes = None, False
    same = await order_history.same_as_last(deps, account_of(update), resident_id, lang)
    question = t(lang, "resident.order.ask_window")
    if same is None:
        return question
    if same.buying is None or same.draft is None:
        gone = "sold_out" if same.sold_out else "gone"
        who = await placing.addressee(deps, account_of(update), resident_id)
        key = voiced(lang, f"resident.again.{gone}", who.own)
        missing = t(lang, key, name=who.name, dish=same.last.display_name(lang))
        return Html(f"{missing}\n\n{question}")
    buying = same.buying
    flow.data.same, flow.data.same_clashes = same.draft, bool(buying.reasons)
    label = t(
        lang,
        "resident.again.button_clash" if buying.reasons else "resident.again.button",
        dish=messages.short_name(lang, buying.item),
        how=messages.how_words(lang, buying.fulfilment, buying.who),
        pay=messages.money(lang, buying.pay_fen),
    )
    rows.insert(0, [(label, SAME)])
    lines = [t(lang, "resident.again.intro"), *messages.buying_lines(lang, buying, today)]
    return Html("\n".join([*lines, "", question]))


async def answer_window(update: Update, context: Context, flow: OrderFlow, reply: Reply) -> None:
    deps, account_id, data = deps_of(context), account_of(update), flow.data
    if reply.choice == SAME and data.same is not None:
        same = data.same
        if not data.same_clashes:
            await ordering_steps.place(update, context, flow, same)
            return
        # Her dish no longer suits her diet: she sees why before anything is ordered.
        data.window, data.item = same.window_id, same.item_id
        data.portions, data.how = same.portions, same.fulfilment
        flow.go(CONFIRM)
        await ordering_steps.ask_confirm(update, context, flow)
        return
    if reply.choice is None or reply.choice == SAME:
        raise DomainError("resident.flow.tap_button")
    await placing.choose_window(deps, account_id, data.senior(), int(reply.choice))
    data.window = int(reply.choice)
    flow.go(DISH)
    await ordering_steps.ask_dish(update, context, flow)


FEATURE = Feature(
    asks={
        WHO: ask_who,
        WINDOW: ask_window,
        DISH: ordering_steps.ask_dish,
        PORTIONS: ordering_steps.ask_portions,
        HOW: ordering_steps.ask_how,
        CONFIRM: ordering_steps.ask_confirm,
    },
    answers={
        WHO: answer_who,
        WINDOW: answer_window,
        DISH: ordering_steps.answer_dish,
        PORTIONS: ordering_steps.answer_portions,
        HOW: ordering_steps.answer_how,
        CONFIRM: ordering_steps.answer_confirm,
    },
    state=OrderAnswers,
)
