"""/order for canteen staff and admins: find the senior (or a walk-in at the counter).

Typing a name, phone or resident number lists matching seniors as buttons; a tap starts
the residents' own order questions for that senior (`handlers.ordering.begin_for`), so
there is one ordering flow. Accounts without a staff role get the residents' /order.
"""

from __future__ import annotations

from pydantic import BaseModel
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.core.callbacks import pack
from bot.core.i18n import t
from bot.core.labels import window_label
from bot.services.ordering import order_change, placing
from bot.services.people import staff
from handlers import conversation
from handlers import order_change as order_change_handlers
from handlers import ordering as ordering_handlers
from handlers.common import Context, deps_of, language_of, tell
from handlers.conversation import Feature, Flow, Reply, account_of

NAME = "staff_order"
FIND = "find"  # step: whom to order ahead for
WALK = "walk"  # step: who is at the counter now


class Finding(BaseModel):
    """Nothing to remember: the seniors found come as buttons that start their order."""


Searching = Flow[Finding]


async def order_command(update: Update, context: Context) -> None:
    """/order: staff and admins pick whom to order for; anyone else orders for their seniors."""
    if not await staff.canteens_of(deps_of(context), account_of(update)):
        await ordering_handlers.begin(update, context)
        return
    await ask_find(update, context, conversation.begin(context, NAME, FIND, Finding()))


async def ask_find(update: Update, context: Context, flow: Searching) -> None:
    lang = await language_of(update, context)
    rows = [[(t(lang, "staff.order.walk_in_button"), WALK)]]
    await conversation.ask(update, context, flow, t(lang, "staff.order.ask_who"), rows)


async def ask_walk(update: Update, context: Context, flow: Searching) -> None:
    lang = await language_of(update, context)
    await conversation.ask(update, context, flow, t(lang, "staff.order.ask_walk_in"), [])


async def answer_find(update: Update, context: Context, flow: Searching, reply: Reply) -> None:
    if reply.choice == WALK:
        flow.go(WALK)
        await ask_walk(update, context, flow)
        return
    await show_found(update, context, reply.text, ordering_handlers.FOR)


async def answer_walk(update: Update, context: Context, flow: Searching, reply: Reply) -> None:
    await show_found(update, context, reply.text, ordering_handlers.WALK_IN)


async def show_found(update: Update, context: Context, query: str, action: str) -> None:
    """The matching seniors as buttons; the staff member may type again to narrow it down."""
    lang = await language_of(update, context)
    found = await placing.find_for_staff(deps_of(context), account_of(update), query)
    if not found:
        await tell(update, context, t(lang, "staff.order.none_found", query=query.strip()[:40]))
        return
    rows = [
        [
            InlineKeyboardButton(
                f"{senior.name} · {senior.phone} · #{senior.id}",
                callback_data=pack(ordering_handlers.PREFIX, action, senior.id),
            )
        ]
        for senior in found
    ]
    walk_in = action == ordering_handlers.WALK_IN
    question = t(lang, "staff.order.choose_walk_in" if walk_in else "staff.order.choose")
    names = {senior.id: senior.name for senior in found}
    fixes = [] if walk_in else await _correctable_rows(update, context, names)
    if fixes:  # a senior who phones about her order: ✏️ it straight away
        rows += fixes
        question = t(lang, "staff.change.choose")
    await tell(update, context, question, reply_markup=InlineKeyboardMarkup(rows))


async def _correctable_rows(
    update: Update, context: Context, names: dict[int, str]
) -> list[list[InlineKeyboardButton]]:
    lang, deps = await language_of(update, context), deps_of(context)
    found = await order_change.open_orders(deps, account_of(update), list(names))
    return [
        [
            InlineKeyboardButton(
                t(
                    lang,
                    "staff.change.found",
                    id=order.id,
                    name=names[order.resident_id],
                    window=window_label(window, lang),
                ),
                callback_data=pack(order_change_handlers.PREFIX, "o", order.id),
            )
        ]
        for order, window in found
    ]


FEATURE = Feature(
    asks={FIND: ask_find, WALK: ask_walk},
    answers={FIND: answer_find, WALK: answer_walk},
    state=Finding,
)
