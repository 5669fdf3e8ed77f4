"""Lists at a thousand orders: how long a tap takes to draw one, and its largest message.

One store is seeded through the data layer (tests/lists_kit.py: a thousand seniors with
an order each at one lunch, a care worker linked to all of them, a thousand more waiting
for approval, a history of a thousand entries), and the day is moved along by the real
services: the window closes (kitchen sheet, claim board), every delivery is taken, the
routes are marked sent and nobody reports (the unreported alert). For each list, "tap"
is what answering one button costs: read it from the store, cut it into pages, draw a
page (median of five); the unreported alert is a job, timed once as the job queues it.
"Largest" is over every page or part, in the characters Telegram counts (UTF-16 code
units before HTML parsing: never fewer than Telegram's), and in inline buttons.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from bench._common import Target, header, seeded_store, table, verdicts
from bot.core import pager
from bot.core.clock import ManualClock
from bot.core.deps import Deps
from bot.services.delivery import claims, deliveries, outcomes
from bot.services.delivery.messages import claim_pages
from bot.services.incidents import handling
from bot.services.incidents import messages as incident_messages
from bot.services.kitchen import kitchen_sheet, messages, receipt
from bot.services.kitchen import windows as window_service
from bot.services.people import approvals
from bot.services.reports import audit_view
from data import accounts
from data import deliveries as delivery_store
from data import kitchen as orders_view
from handlers import my_orders
from handlers.approvals import queue_pages
from handlers.claims import staff_pages
from handlers.privacy import history_pages
from handlers.receipt import board_pages
from tests.harness import MONDAY_8AM
from tests.lists_kit import (
    ORDERS,
    busy_lunch,
    long_history,
    monday_lunch,
    volunteer,
    waiting_seniors,
)

LANG = "en"  # the longer of the two languages, so the largest messages
ADMIN, CARER, VOLUNTEERS = 9000, 4001, (5001, 5002, 5003)
TAP_SECONDS = 0.5  # a list drawn within half a second of the tap
JOB_SECONDS = 2.0  # a job that queues a notice (the unreported alert)
TEXT_LIMIT, BUTTON_LIMIT = 4096, 100
Row = tuple[str, int, int, int, float]  # list, pages, largest chars, largest buttons, tap


async def timed(
    draw: Callable[[], Awaitable[pager.Pager]], runs: int = 5
) -> tuple[pager.Pager, float]:
    """The list as a tap draws it, and the median seconds to draw page one."""
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        book = await draw()
        book.page(0)
        seconds.append(time.perf_counter() - start)
    return book, statistics.median(seconds)


def measured(name: str, book: pager.Pager, seconds: float) -> Row:
    pages = [book.page(number) for number in range(book.count)]
    chars = max(pager.size(page.text) for page in pages)
    buttons = max(sum(len(row) for row in page.rows) for page in pages)
    return name, book.count, chars, buttons, seconds


async def parts(name: str, draw: Callable[[], Awaitable[list[str]]], runs: int = 5) -> Row:
    """A text sent in parts (the kitchen sheet): the parts, and the median seconds."""
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        texts = await draw()
        seconds.append(time.perf_counter() - start)
    return name, len(texts), max(map(pager.size, texts)), 0, statistics.median(seconds)


async def queued(deps: Deps, name: str, pattern: str, seconds: float) -> Row:
    """A notice a job queued: its parts in the outbox, and the seconds the job took."""
    rows = await deps.db.fetchall("SELECT payload FROM outbox WHERE key LIKE ?", (pattern,))
    payloads = [json.loads(row[0]) for row in rows]
    if not payloads:
        raise AssertionError(f"{name}: nothing queued under {pattern}")
    chars = max(pager.size(p["text"]) for p in payloads)
    markups = [p.get("reply_markup", {}).get("inline_keyboard", []) for p in payloads]
    return name, len(payloads), chars, max(sum(map(len, m)) for m in markups), seconds


async def people(deps: Deps, canteen_id: int) -> None:
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        for account_id, name in ((ADMIN, "Admin"), (CARER, "Carer")):
            await accounts.upsert(tx, account_id, name, None, now, LANG)
        await accounts.grant_role(tx, ADMIN, canteen_id, "admin", None, now)
    for account_id in VOLUNTEERS:
        await volunteer(deps, account_id, f"Volunteer {account_id}", canteen_id)


async def the_day(deps: Deps, clock: ManualClock) -> list[Row]:
    """The lunch from orders to the unreported alert, each list measured on the way."""
    await people(deps, (await monday_lunch(deps)).canteen_id)
    window = (await busy_lunch(deps, status="placed", follower=CARER)).window

    async def orders_board() -> pager.Pager:
        return board_pages(await receipt.board(deps, ADMIN, window.id), LANG)

    rows = [measured("staff orders board (/orders)", *await timed(orders_board))]
    async with deps.db.transaction() as tx:  # the staff confirmed them all
        await orders_view.move_all(tx, window.id, ("placed",), "confirmed", clock.now())
    clock.advance(window.cutoff_at - clock.now() + timedelta(minutes=1))
    await window_service.close(deps, window.id)

    async def sheet() -> list[str]:
        return pager.split(
            messages.sheet(await kitchen_sheet.on_demand(deps, ADMIN, window.id, LANG), LANG)
        )

    rows.append(await parts("kitchen sheet (/sheet)", sheet))

    async def claim_board() -> pager.Pager:
        return claim_pages(await claims.board(deps, VOLUNTEERS[0], window.id), LANG, "10:45")

    rows.append(measured("claim board", *await timed(claim_board)))
    now = clock.now()
    async with deps.db.transaction() as tx:  # every delivery taken, the routes sent
        stops = await delivery_store.stops(tx, window.id)
        for number, stop in enumerate(stops):
            await delivery_store.claim(tx, stop.id, VOLUNTEERS[number % len(VOLUNTEERS)], now)
        await delivery_store.mark_dispatched(tx, window.id, now)

    async def staff_deliveries() -> pager.Pager:
        found = await deliveries.for_staff(deps, ADMIN, window.id)
        return staff_pages(*found, LANG, clock.tz)

    rows.append(measured("staff deliveries (/deliveries)", *await timed(staff_deliveries)))
    clock.advance(window.serve_at + timedelta(hours=1) - clock.now())
    start = time.perf_counter()
    late = await outcomes.unreported(deps, window.id)
    alerted = time.perf_counter() - start
    if late != len(stops):
        raise AssertionError(f"unreported: {late} of {len(stops)} deliveries")
    rows.append(await queued(deps, "unreported alert (job, queued)", "unreported:%", alerted))

    async def open_incidents() -> pager.Pager:  # the unreported alert opened one each
        found = await handling.open_list(deps, ADMIN)
        return incident_messages.list_pages(found, LANG, clock.now())

    rows.append(measured("open incidents (/incidents)", *await timed(open_incidents)))

    async def orders_of_carer() -> pager.Pager:
        return (await my_orders.pages(deps, CARER, LANG))[0]

    rows.append(measured("my orders (a carer of all)", *await timed(orders_of_carer)))
    return rows


async def the_office(deps: Deps, clock: ManualClock) -> list[Row]:
    """A thousand seniors waiting for approval, and one with a thousand entries of history."""
    waiting = await waiting_seniors(deps, ORDERS, seed=11)
    await long_history(deps, waiting[0])

    async def queue() -> pager.Pager:
        return queue_pages(LANG, await approvals.queue(deps, ADMIN))

    async def history() -> pager.Pager:
        found = await audit_view.history(deps, ADMIN, waiting[0])
        return history_pages(LANG, found, clock.tz)

    return [
        measured("approvals (/approvals)", *await timed(queue)),
        measured("audit history (/audit)", *await timed(history)),
    ]


async def measure() -> list[Row]:
    clock = ManualClock(MONDAY_8AM)
    with tempfile.TemporaryDirectory() as folder:
        async with seeded_store(Path(folder), clock) as deps:
            return [*await the_day(deps, clock), *await the_office(deps, clock)]


def main() -> int:
    """Draws every list at a thousand orders; prints each and the verdicts."""
    header(
        f"Lists at {ORDERS} orders (one lunch; {ORDERS} seniors waiting; {ORDERS} entries of "
        f"history), in {LANG!r}: one tap's read, pages and draw (median of 5), or the "
        "queueing service; the largest page or part in characters and inline buttons"
    )
    rows = asyncio.run(measure())
    table(
        ["list", "pages", "largest chars", "largest buttons", "tap (job) ms"],
        [
            (name, pages, chars, buttons, seconds * 1000)
            for name, pages, chars, buttons, seconds in rows
        ],
    )
    targets = []
    for name, _, chars, buttons, seconds in rows:
        short = name.split(" (")[0]
        targets.append(Target(f"{short}: largest message", chars, TEXT_LIMIT + 1, "chars"))
        targets.append(Target(f"{short}: most buttons", buttons, BUTTON_LIMIT + 1, "buttons"))
        if "job" in name:
            targets.append(Target(f"{short}: job", seconds, JOB_SECONDS, "s"))
        else:
            targets.append(Target(f"{short}: tap", seconds, TAP_SECONDS, "s"))
    return verdicts(targets)
