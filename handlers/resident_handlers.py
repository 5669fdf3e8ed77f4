"""The residents' and families' handlers, registered by the composition root (bot/app.py).

/start also drops any half-answered question (in a group after the features, so /start
itself runs first); the main-menu buttons (handlers/home.py, registered before every
feature) start their feature; the step handler answers the current question, or outside
one tries typed words, and comes after every feature, so a menu button always wins over it.
"""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.core import callbacks
from bot.core.callbacks import pattern
from bot.core.ptb import App
from handlers import (
    family,
    home,
    my_orders,
    order_change,
    ordering,
    registration,
    resident_flow,
    senior,
    staff_order,
    standing,
    volunteer,
)

# The residents' and families' buttons that are routes (the one dispatch takes them).
BUTTONS = (*my_orders.BUTTONS, *order_change.BUTTONS, *family.BUTTONS)

DROP_FLOW_GROUP = 1


def register_resident_handlers(app: App, private: filters.BaseFilter) -> None:
    """Add the resident features to the features group (group 0), fallbacks come after."""
    app.add_handler(CommandHandler("start", resident_flow.drop), group=DROP_FLOW_GROUP)
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
    steps = resident_flow.Dispatcher(
        {
            "order": ordering.FEATURE,
            "change": order_change.FEATURE,
            "staff_order": staff_order.FEATURE,
            "register": registration.FEATURE,
            "standing": standing.FEATURE,
            "volunteer": volunteer.FEATURE,
            "senior": senior.FEATURE,
        },
        home.understood,
    )
    answers = filters.TEXT | filters.CONTACT | filters.LOCATION
    app.add_handler(MessageHandler(private & answers & ~filters.COMMAND, steps.on_message))
