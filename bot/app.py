"""The composition root: build the Application, register handlers, start jobs."""

from __future__ import annotations

import os
from collections.abc import Callable

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.concurrency import PerChatUpdateProcessor
from bot.core.clock import Clock
from bot.core.deps import Deps, Signal
from bot.core.logs import keep_private
from bot.core.metrics import Metrics
from bot.core.ptb import CONTEXT_TYPES, DEPS, App
from bot.health import HealthServer
from bot.services.kitchen import schedule
from bot.services.people import accounts, phones
from bot.settings import Config
from data import canteens
from data.db import Database
from handlers import (
    admin,
    alerts,
    approval_digest,
    buttons,
    claims,
    errors,
    fallback,
    feedback,
    guards,
    home,
    hours,
    incidents,
    language,
    mini_app,
    requests,
    resident_handlers,
    route,
    setup,
    staff,
    start,
    team,
    volunteer,
    wellness,
)
from handlers.command_menus import publish_default, publish_for
from handlers.web import kitchen as web_kitchen
from handlers.web import menu as web_menu
from handlers.web import office as web_office
from handlers.web import planner as web_planner
from handlers.web.server import WebServer
from handlers.web.server import build as build_web
from scheduling import jobs
from scheduling.outbox import Sender
from scheduling.ratelimit import Limiter, SendLimits

# Handler groups, in the order PTB runs them. Guards come first and may stop an update
# (a redelivered one); then the question the person is in the middle of is read from the
# store; features share group 0, where the first match wins, so the main-keyboard buttons
# are registered first in it and the catch-all fallbacks last. Later groups tidy up after
# a feature ran: /start drops a half-answered question (1), any command or other button
# ends a dish being added (2), commands count towards the home screen a person uses most
# (3); last, the question is written back to the store as the update left it.
GUARDS_ONCE = -3
GUARDS_ACCOUNT = -2
FLOW_LOADED = -1
FEATURES = 0
FLOW_KEPT = 9
# Updates of different chats handled at once (each chat's still one at a time).
CONCURRENT_UPDATES = 16


def build_application(
    config: Config,
    clock: Clock,
    application_class: type[App] = Application,
    send_limits: SendLimits | None = None,
    fence: Callable[[Database], None] | None = None,
) -> App:
    """Build the bot: settings, store, handlers and jobs, ready for polling. `fence` is
    given the store as soon as it is open (the leader's lease: bot/leader.py)."""
    # Opt in to PTB's coming behaviour: durations such as RetryAfter.retry_after are
    # timedelta (our code reads both), instead of a deprecation warning on every 429.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    keep_private()
    token = config.settings.token
    if token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is required to build the bot")

    metrics = Metrics()

    async def post_init(app: App) -> None:
        db = await Database.open(config.settings.db)
        if fence is not None:
            fence(db)
        # The sender and the job runner listen to these once they start.
        outbox_queued, jobs_changed = Signal(), Signal()
        deps = Deps(
            config,
            db,
            clock,
            outbox_queued=outbox_queued,
            jobs_changed=jobs_changed,
            metrics=metrics,
        )
        app.bot_data[DEPS] = deps
        async with db.transaction() as tx:
            await canteens.sync(tx, config.canteens.canteens)
        await phones.normalise_stored(deps)  # numbers stored before they were kept in E.164
        changed = await accounts.grant_settings_admins(deps)
        await schedule.ensure_windows(deps)
        sender = Sender(app.bot, deps, Limiter(send_limits or SendLimits()))
        app.bot_data["sender"] = sender
        sender.start()
        await jobs.install(app, deps)
        await publish_default(app.bot, deps)
        for account_id in sorted({*config.settings.admin_ids, *changed}):
            await publish_for(app.bot, deps, account_id)
        await start_health(app, deps)
        settings = config.settings
        if settings.web_port is not None:
            web = WebServer(
                build_web(deps, app.bot, WEB_ROUTES),
                settings.web_host,
                settings.web_port,
            )
            await web.start()
            app.bot_data["web"] = web

    async def post_stop(app: App) -> None:
        sender = app.bot_data.get("sender")
        if isinstance(sender, Sender):
            await sender.stop()
        web = app.bot_data.pop("web", None)
        if isinstance(web, WebServer):
            await web.stop()

    async def post_shutdown(app: App) -> None:
        health = app.bot_data.get("health")
        if isinstance(health, HealthServer):
            await health.stop()
        deps = app.bot_data.get(DEPS)
        if isinstance(deps, Deps):
            await deps.db.close()

    app = (
        ApplicationBuilder()
        .application_class(application_class)
        .context_types(CONTEXT_TYPES)
        .token(token.get_secret_value())
        .base_url(config.settings.api_base_url)
        .base_file_url(config.settings.file_base_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=config.settings.tz))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(PerChatUpdateProcessor(CONCURRENT_UPDATES, metrics.handled))
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
        .build()
    )
    register_handlers(app)
    return app


async def start_health(app: App, deps: Deps) -> None:
    """/healthz and /metrics on their own port, when DOORSTEP_HEALTH_PORT is set."""
    settings = deps.config.settings
    if settings.health_port is None:
        return
    queue = app.job_queue
    health = HealthServer(deps, lambda: len(queue.jobs()) if queue is not None else 0)
    await health.start(settings.health_listen, settings.health_port)
    app.bot_data["health"] = health


# The Mini App's screens (handlers/web/), served on their own port when it is set.
WEB_ROUTES = [*web_kitchen.ROUTES, *web_planner.ROUTES, *web_menu.ROUTES, *web_office.ROUTES]

# Every screen's route buttons, for the one callback dispatch (handlers/buttons.py).
BUTTONS = (
    *language.BUTTONS,
    *claims.BUTTONS,
    *route.BUTTONS,
    *alerts.BUTTONS,
    *staff.BUTTONS,
    *resident_handlers.BUTTONS,
    *admin.BUTTONS,
    *team.BUTTONS,
    *approval_digest.BUTTONS,
    *wellness.BUTTONS,
    *volunteer.BUTTONS,
    *incidents.BUTTONS,
    *feedback.BUTTONS,
    *requests.BUTTONS,
)


def register_handlers(app: App) -> None:
    app.add_handler(TypeHandler(Update, guards.once), group=GUARDS_ONCE)
    app.add_handler(TypeHandler(Update, guards.record_account), group=GUARDS_ACCOUNT)
    flows = resident_handlers.flow_machine()
    app.add_handler(TypeHandler(Update, flows.load), group=FLOW_LOADED)
    app.add_handler(TypeHandler(Update, flows.keep), group=FLOW_KEPT)

    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("start", start.start, filters=private), group=FEATURES)
    app.add_handler(CommandHandler("help", start.help_command, filters=private), group=FEATURES)
    app.add_handler(CommandHandler("language", language.ask, filters=private), group=FEATURES)
    # (setting up) anyone's own id, and a group's when the bot is added to it
    app.add_handler(CommandHandler("whoami", setup.whoami), group=FEATURES)
    app.add_handler(
        ChatMemberHandler(setup.added_to_group, ChatMemberHandler.MY_CHAT_MEMBER), group=FEATURES
    )
    app.add_handler(CommandHandler("app", mini_app.open_app, filters=private), group=FEATURES)
    # (every role) the main-keyboard buttons: before any handler that takes typed text
    home.register(app, FEATURES)
    # Every inline button that is a route: before the handlers of the flows' buttons, which
    # still take a whole prefix (the volunteer's, the admin's) and get what is left of it.
    buttons.register(app, FEATURES, BUTTONS)

    # (canteen staff) before the residents': its text handler only takes a dish being added
    staff.register(app, FEATURES)

    # (residents and families)
    resident_handlers.register_resident_handlers(app, private, flows)

    # (volunteers)
    volunteer.register(app, FEATURES)

    # (community admin)
    admin.register(app, FEATURES)

    # (staff and admins) incidents: every alert about a senior has a person
    incidents.register(app, FEATURES)
    # (seniors and families) a voice message is a request to the canteen
    requests.register(app, FEATURES)
    # (volunteers) their month
    hours.register(app, FEATURES)

    # Fallbacks: last in the features group.
    app.add_handler(MessageHandler(private, fallback.unknown_text), group=FEATURES)
    app.add_handler(CallbackQueryHandler(fallback.stale_button), group=FEATURES)
    app.add_error_handler(errors.on_error)
