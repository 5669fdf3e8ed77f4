"""Ordering a meal, one question at a time: who, which meal, dish, portions, how, confirm."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import unpack
from bot.i18n import Html, t
from bot.services import order_history, order_text, ordering
from bot.services.errors import DomainError, NotAllowedError
from bot.services.ordering_rules import FULFILMENTS, SoldOutError
from bot.services.pricing import yuan
from handlers import resident_flow as flow_
from handlers.common import Context, deps_of, language_of, refuse
from handlers.resident_flow import Feature, Flow, Reply

PREFIX = "ord1"
SAME = "same"


def account_of(update: Update) -> int:
    user = update.effective_user
    assert user is not None
    return user.id


async def begin(update: Update, context: Context) -> None:
    """'Order a meal': pick the senior first when acting for several."""
    deps, lang = deps_of(context), await language_of(update, context)
    account_id = account_of(update)
    seniors = await ordering.residents_of(deps, account_id)
    if not seniors:
        await flow_.finish(update, context, t(lang, "resident.order.register_first"))
        return
    flow = flow_.begin(context, "order", "who")
    if len(seniors) == 1:
        flow.data["resident"] = seniors[0].id
        flow.step = "window"
    await FEATURE.asks[flow.step](update, context, flow)


async def begin_for(update: Update, context: Context) -> None:
    """The 'Order for …' button on the Family screen (the senior id is checked again)."""
    query = update.callback_query
    callback = unpack(PREFIX, query.data if query else None)
    account_id = account_of(update)
    try:
        if query is None or callback is None or callback.action != "for":
            raise NotAllowedError("core.error.stale_button")
        resident_id = callback.int_arg(0)
        await ordering.windows_for(deps_of(context), account_id, resident_id)
    except (DomainError, ValueError, IndexError) as error:
        await refuse(update, context, _domain(error))
        return
    await query.answer()
    flow = flow_.begin(context, "order", "window", {"resident": resident_id})
    await ask_window(update, context, flow)


def _domain(error: Exception) -> DomainError:
    return error if isinstance(error, DomainError) else NotAllowedError("core.error.stale_button")


async def ask_who(update: Update, context: Context, flow: Flow) -> None:
    lang, account_id = await language_of(update, context), account_of(update)
    seniors = await ordering.residents_of(deps_of(context), account_id)
    rows = [[(senior.name, str(senior.id))] for senior in seniors]
    await flow_.ask(update, context, flow, t(lang, "resident.order.ask_who"), rows)


async def answer_who(update: Update, context: Context, flow: Flow, reply: Reply) -> None:
    if reply.choice is None:
        raise DomainError("resident.flow.tap_button")
    await ordering.windows_for(deps_of(context), account_of(update), int(reply.choice))
    flow.data["resident"] = int(reply.choice)
    flow.go("window")
    await ask_window(update, context, flow)


async def ask_window(update: Update, context: Context, flow: Flow) -> None:
    deps, lang, account_id = (
        deps_of(context),
        await language_of(update, context),
        account_of(update),
    )
    resident_id = flow.data["resident"]
    open_now = await ordering.windows_for(deps, account_id, resident_id)
    if not open_now:
        await flow_.finish(update, context, t(lang, "resident.order.none_open"))
        return
    today = deps.clock.now().date()
    rows = [
        [
            (
                t(
                    lang,
                    "resident.order.window_button",
                    window=order_text.window_label(lang, w, today),
                    cutoff=f"{w.cutoff_at.astimezone(deps.clock.tz):%H:%M}",
                ),
                str(w.id),
            )
        ]
        for w in open_now
    ]
    same = await order_history.same_as_last(deps, account_id, resident_id)
    if same is not None:
        flow.data["same"] = same
        window = next(w for w in open_now if w.id == same.window_id)
        label = t(
            lang, "resident.order.same_button", window=order_text.window_label(lang, window, today)
        )
        rows.insert(0, [(label, SAME)])
    await flow_.ask(update, context, flow, t(lang, "resident.order.ask_window"), rows)


async def answer_window(update: Update, context: Context, flow: Flow, reply: Reply) -> None:
    deps, account_id = deps_of(context), account_of(update)
    if reply.choice == SAME:
        await _place(update, context, flow.data["same"])
        return
    if reply.choice is None:
        raise DomainError("resident.flow.tap_button")
    await ordering.choose_window(deps, account_id, flow.data["resident"], int(reply.choice))
    flow.data["window"] = int(reply.choice)
    flow.go("dish")
    await ask_dish(update, context, flow)


async def ask_dish(update: Update, context: Context, flow: Flow) -> None:
    deps, lang, account_id = (
        deps_of(context),
        await language_of(update, context),
        account_of(update),
    )
    offered = await ordering.choices(deps, account_id, flow.data["resident"], flow.data["window"])
    lines, rows = [], []
    for choice in offered:
        name, pay = choice.item.display_name(lang), yuan(choice.unit_pay_fen)
        key = (
            "sold_out_line" if choice.sold_out else "clash_line" if choice.clashes else "dish_line"
        )
        lines.append(t(lang, f"resident.menu.{key}", dish=name, pay=pay))
        if not choice.sold_out:
            mark = "⚠️ " if choice.clashes else ""
            rows.append([(f"{mark}{name} · ¥{pay}", str(choice.item.id))])
    text = t(lang, "resident.menu.ask", lines=Html("\n".join(lines)))
    await flow_.ask(update, context, flow, text, rows)


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
    lang = await language_of(update, context)
    senior = next(
        r
        for r in await ordering.residents_of(deps_of(context), account_of(update))
        if r.id == flow.data["resident"]
    )
    ways = [way for way in FULFILMENTS if way != "delivery" or senior.can_have_delivery]
    rows = [[(t(lang, f"resident.fulfilment.{way}"), way)] for way in ways]
    await flow_.ask(update, context, flow, t(lang, "resident.order.ask_how"), rows)


async def answer_how(update: Update, context: Context, flow: Flow, reply: Reply) -> None:
    if reply.choice is None:
        raise DomainError("resident.flow.tap_button")
    flow.data["how"] = reply.choice
    flow.go("confirm")
    await ask_confirm(update, context, flow)


def _draft(flow: Flow) -> ordering.Draft:
    data = flow.data
    return ordering.Draft(
        data["resident"], data["window"], data["item"], data["portions"], data["how"]
    )


async def ask_confirm(update: Update, context: Context, flow: Flow) -> None:
    deps, lang = deps_of(context), await language_of(update, context)
    draft = _draft(flow)
    amounts = await ordering.quote(deps, account_of(update), draft, lang)
    text = t(
        lang,
        "resident.order.confirm",
        pay=yuan(amounts.pay_fen),
        subsidy=yuan(amounts.subsidy_fen),
        price=yuan(amounts.price_fen),
    )
    rows = [[(t(lang, "resident.order.place_button"), "place")]]
    await flow_.ask(update, context, flow, text, rows)


async def answer_confirm(update: Update, context: Context, flow: Flow, reply: Reply) -> None:
    if reply.choice != "place":
        raise DomainError("resident.flow.tap_button")
    await _place(update, context, _draft(flow))


async def _place(update: Update, context: Context, draft: ordering.Draft) -> None:
    deps, lang = deps_of(context), await language_of(update, context)
    flow = flow_.current(context)
    try:
        order = await ordering.place(deps, account_of(update), draft, lang)
    except SoldOutError as error:
        await refuse(update, context, error)
        if flow is not None:
            flow.data["window"], flow.step = draft.window_id, "dish"
            await ask_dish(update, context, flow)
        return
    body = await order_text.summary(deps.db.conn, order, lang, deps.clock.now().date())
    await flow_.finish(update, context, t(lang, "resident.order.placed", summary=body))


FEATURE = Feature(
    asks={
        "who": ask_who,
        "window": ask_window,
        "dish": ask_dish,
        "portions": ask_portions,
        "how": ask_how,
        "confirm": ask_confirm,
    },
    answers={
        "who": answer_who,
        "window": answer_window,
        "dish": answer_dish,
        "portions": answer_portions,
        "how": answer_how,
        "confirm": answer_confirm,
    },
)
