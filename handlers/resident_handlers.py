"""The residents' and families' handlers, registered by the composition root (bot/app.py),
and the flow machine with every flow.

/start also drops any half-answered question (in a group after the features, so /start
itself runs first); the main-menu buttons (handlers/home.py, registered before every
feature) start their feature; the step handler answers the current question, or outside
one tries typed words, and comes after every feature, so a menu button always wins over it.
"""

from __future__ import annotations

from dataclasses import replace

from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.core import callbacks
from bot.core.callbacks import pattern
from bot.core.ptb import App
from handlers import (
    conversation,
    family,
    feedback,
    home,
    incidents,
    menu_draft,
    my_orders,
    order_change,
    ordering,
    ordering_steps,
    registration,
    senior,
    staff_order,
    standing,
    volunteer,
)
from handlers.order_change import ChangeShape
from handlers.senior import SeniorShape

# The residents' and families' buttons that are routes (the one dispatch takes them).
BUTTONS = (*my_orders.BUTTONS, *order_change.BUTTONS, *family.BUTTONS)

DROP_FLOW_GROUP = 1


def flow_machine() -> conversation.Flows:
    """Every step-by-step question, by the name of its flow."""
    return conversation.Flows(
        {
            ordering_steps.NAME: ordering.FEATURE,
            order_change.NAME: replace(order_change.FEATURE, state=ChangeShape),
            staff_order.NAME: staff_order.FEATURE,
            registration.NAME: registration.FEATURE,
            standing.NAME: standing.FEATURE,
            volunteer.NAME: volunteer.FEATURE,
            volunteer.NOTE_FLOW: volunteer.NOTE_FEATURE,
            "senior": replace(senior.FEATURE, state=SeniorShape),
            menu_draft.NAME: menu_draft.FEATURE,
            incidents.NOTE_FLOW: incidents.NOTE_FEATURE,
            feedback.NOTE_FLOW: feedback.NOTE_FEATURE,
        },
        home.understood,
    )


def register_resident_handlers(
    app: App, private: filters.BaseFilter, flows: conversation.Flows
) -> None:
    """Add the resident features to the features group (group 0), fallbacks come after."""
    app.add_handler(CommandHandler("start", conversation.drop), group=DROP_FLOW_GROUP)
    # /order: staff and admins choose whom to order for (or a walk-in), others their seniors
    app.add_handler(CommandHandler("order", staff_order.order_command, filters=private))
    app.add_handler(CommandHandler("myorders", my_orders.show, filters=private))
    # the step-by-step flows' buttons, still read by prefix in their modules
    for feature, on_press in (
        (callbacks.ORDERING, ordering.begin_for),
        (callbacks.STANDING, standing.pressed),
        (callbacks.REGISTRATION, registration.decided),
    ):
        app.add_handler(CallbackQueryHandler(on_press, pattern=pattern(feature.prefix)))
    answers = filters.TEXT | filters.CONTACT | filters.LOCATION
    app.add_handler(MessageHandler(private & answers & ~filters.COMMAND, flows.on_message))
