"""Every list at a thousand orders, through the real bot and the sandbox.

The sandbox refuses what Telegram refuses (4,096 characters, 100 inline buttons, 8 a
row), and a test fails on any refusal; here each list is also turned page by page to
its end, to see every order once, and acted on from a late page, to see it stay there.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from bot.core import pager
from bot.core.labels import window_label
from bot.sandbox import BotMessage
from bot.sandbox.entities import parse_text
from bot.services.people import approvals
from bot.services.reports import audit_view
from data import deliveries
from handlers import my_orders
from handlers.approvals import queue_pages
from handlers.privacy import history_pages
from tests.harness import ADMIN_ID, KITCHEN_CHAT, Env
from tests.lists_kit import ORDERS, busy_lunch, long_history, volunteer, waiting_seniors

LINE_NUMBER = re.compile(r"^\s*#(\d+) ", re.MULTILINE)


async def walk(user: Any, message: BotMessage) -> list[str]:
    """Every page of a paged message, turning ▶ to the last; checks each fits Telegram."""
    pages: list[str] = []
    while True:
        assert len(message.text) <= 4096
        assert sum(len(row) for row in message.buttons) <= 100
        pages.append(message.text)
        forward = [label for label in message.inline_texts if label.endswith(" ▶")]
        if not forward:
            return pages
        await user.click(forward[0], message=message)
        assert len(pages) < 200, "the pages never end"


def numbers(texts: list[str], pattern: re.Pattern[str] = LINE_NUMBER) -> list[int]:
    return [int(found) for text in texts for found in pattern.findall(text)]


async def admin_of(env: Env) -> Any:
    admin = env.user(ADMIN_ID, "Admin", language_code="en")
    await admin.send("/start")
    return admin


async def pick(user: Any, command: str, lunch_label: str) -> BotMessage:
    await user.send(command)
    button = next(label for label in user.last.inline_texts if label.startswith(lunch_label))
    await user.click(button)
    return user.last  # type: ignore[no-any-return]


async def test_the_orders_board_shows_a_thousand_orders_on_pages_and_acting_stays_there(
    env: Env,
) -> None:
    lunch = await busy_lunch(env.deps, status="placed")
    admin = await admin_of(env)
    board = await pick(admin, "/orders", window_label(lunch.window, "en"))
    pages = await walk(admin, board)
    assert len(pages) > 10
    assert numbers(pages) == lunch.order_ids  # every order once, in order
    assert all(f"Orders: {ORDERS}, waiting: {ORDERS}." in page for page in pages)

    last = numbers(pages[-1:])[-1]
    await admin.click(f"✅ #{last}", message=board)
    assert admin.callback_answers[-1].text == f"Order #{last} confirmed."
    assert f"Page {len(pages)} of {len(pages)}" in board.text
    assert f"✅ #{last}" not in board.inline_texts
    await admin.click("✅ Confirm all waiting", message=board)
    # every order confirmed, fewer buttons, fewer pages: the last page, not the first
    shown = re.search(r"Page (\d+) of (\d+)", board.text)
    assert shown is not None
    assert shown.group(1) == shown.group(2) != "1"
    assert await env.rows("SELECT DISTINCT status FROM orders") == [("confirmed",)]


async def test_a_thousand_orders_close_into_a_sheet_a_board_and_deliveries_that_all_fit(
    env: Env,
) -> None:
    """The kitchen sheet and the claim board at the close, the overflow at the deadline,
    and the staff's deliveries list with the outcomes the volunteer reported."""
    lunch = await busy_lunch(env.deps)
    admin = await admin_of(env)
    vic = env.user(5001, "Vic", language_code="en")
    await vic.send("/start")
    await volunteer(env.deps, 5001, "Vic", lunch.window.canteen_id)
    await env.advance(minutes=90)  # 09:30: the window closes
    await env.drained()

    kitchen = env.sandbox.chat(KITCHEN_CHAT).messages
    sheet = [message.text for message in kitchen if message.kind == "text"]
    assert len(sheet) > 1
    assert sorted(numbers(sheet)) == lunch.order_ids  # one label a bag, every bag
    document = next(message for message in kitchen if message.kind == "document")
    assert document.document is not None
    rows = list(csv.reader(io.StringIO(document.document.content.decode("utf-8-sig"))))
    assert sorted({int(row[0]) for row in rows[1:]}) == lunch.order_ids

    board = next(message for message in vic.messages if "Deliveries for" in message.text)
    pages = await walk(vic, board)
    assert len(pages) > 5
    assert sorted(numbers(pages)) == lunch.delivery_orders  # by order number, as on the bag
    wanted = numbers(pages[-1:])[-1]
    await vic.click(f"#{wanted}", message=board)
    assert vic.callback_answers[-1].text == (
        f"Yours: #{wanted}. You get the route with addresses at the claim deadline."
    )
    assert f"Page {len(pages)} of {len(pages)}" in board.text
    held = await env.rows("SELECT volunteer_id FROM deliveries WHERE order_id = ?", (wanted,))
    assert held == [(5001,)]

    seen = len(admin.messages)
    await env.advance(minutes=75)  # 10:45: the deadline; Vic's bag takes eight meals
    await env.drained()
    alert = [message.text for message in admin.messages[seen:]]
    (left,) = (await env.rows("SELECT COUNT(*) FROM deliveries WHERE volunteer_id IS NULL"))[0]
    assert left > 500
    assert len(numbers(alert, re.compile(r"#(\d+)"))) == left

    cards = [message for message in vic.messages if "🏠" in message.text]
    await vic.click("🚪 No answer", message=cards[0])
    await vic.click("✅ Delivered", message=cards[1])
    listing = await pick(admin, "/deliveries", window_label(lunch.window, "en"))
    pages = await walk(admin, listing)
    assert sorted(numbers(pages)) == lunch.delivery_orders  # reported ones stay listed
    first, second = LINE_NUMBER.search(pages[0]), pages[0].split("\n")
    assert first is not None
    no_answer = await deliveries.stop(env.deps.db.conn, await delivery_id(env, first))
    assert no_answer is not None
    assert no_answer.state == "no_answer"  # the door nobody opened comes first
    assert any(line.endswith("no answer 10:45") for line in second)
    assert any(line.endswith("delivered 10:45") for page in pages for line in page.split("\n"))


async def delivery_id(env: Env, line: re.Match[str]) -> int:
    rows = await env.rows("SELECT id FROM deliveries WHERE order_id = ?", (int(line.group(1)),))
    return int(rows[0][0])


async def test_the_unreported_alert_for_hundreds_of_deliveries_arrives_in_parts(
    env: Env,
) -> None:
    lunch = await busy_lunch(env.deps)
    admin = await admin_of(env)
    for account_id in (5001, 5002, 5003):
        await env.user(account_id, f"V{account_id}", language_code="en").send("/start")
        await volunteer(env.deps, account_id, f"V{account_id}", lunch.window.canteen_id)
    await env.advance(minutes=90)  # the close makes the deliveries
    now = env.clock.now()
    async with env.deps.db.transaction() as tx:  # every one taken, and the routes sent
        for number, stop in enumerate(await deliveries.stops(tx, lunch.window.id)):
            assert await deliveries.claim(tx, stop.id, 5001 + number % 3, now)
        assert await deliveries.mark_dispatched(tx, lunch.window.id, now)
    seen = len(admin.messages)
    await env.advance(hours=3)  # 12:30: an hour after serving, nobody reported
    await env.drained()
    alert = [message.text for message in admin.messages[seen:]]
    assert len(alert) > 1
    assert "not reported 60 minutes after serving" in alert[0]
    assert len(numbers(alert)) == len(lunch.delivery_orders)


def every_page(book: pager.Pager) -> list[str]:
    """Every page of a list as the bot renders it and a person reads it (plain text), for
    lists too long to turn page by page in a test."""
    return [parse_text(book.page(n).text, "HTML")[0].strip() for n in range(book.count)]


async def turn_to(user: Any, message: BotMessage, number: int) -> None:
    """Turn to page `number` (1-based): one ▶ tap, then the turn button's own data."""
    forward = [label for label in message.inline_texts if label.endswith(" ▶")]
    await user.click(forward[0], message=message)
    assert "Page 2 of" in message.text
    data = next(b.data for row in message.buttons for b in row if b.text.endswith(" ▶"))
    assert data is not None
    await user.press(data.rsplit(":", 1)[0] + f":{number - 1}", message.message_id)
    assert len(message.text) <= 4096
    assert sum(len(row) for row in message.buttons) <= 100


async def test_my_orders_of_a_thousand_seniors_are_paged_and_cancelling_stays_there(
    env: Env,
) -> None:
    carer = env.user(4001, "Carer", language_code="en")
    await carer.send("/start")
    lunch = await busy_lunch(env.deps, follower=4001)
    book, _ = await my_orders.pages(env.deps, 4001, "en")
    pages = every_page(book)
    order_number = re.compile(r"^Order #(\d+)$", re.MULTILINE)
    assert sorted(numbers(pages, order_number)) == lunch.order_ids

    await carer.send("/start")
    await carer.click("📋 My orders")
    listing = carer.last
    assert listing.text == pages[0]
    await turn_to(carer, listing, len(pages) - 1)
    assert listing.text == pages[-2]
    wanted = numbers(pages[-2:-1], order_number)[0]
    await carer.click(f"✖️ Cancel order #{wanted}", message=listing)
    await carer.click("✅ Yes, cancel it", message=listing)  # asked once more
    assert carer.callback_answers[-1].text == f"Order #{wanted} is cancelled."
    assert f"Page {len(pages) - 1} of {len(pages)}" in listing.text
    assert f"Order #{wanted}\n" in listing.text
    status = await env.rows("SELECT status FROM orders WHERE id = ?", (wanted,))
    assert status == [("cancelled",)]


async def test_a_thousand_seniors_waiting_for_approval_are_one_paged_list(env: Env) -> None:
    waiting = await waiting_seniors(env.deps)
    pages = every_page(queue_pages("en", await approvals.queue(env.deps, ADMIN_ID)))
    names = re.findall(r"^Name: (Senior \d+)$", "\n".join(pages), re.MULTILINE)
    assert sorted(names) == sorted(f"Senior {n}" for n in range(len(waiting)))

    admin = await admin_of(env)
    await admin.send("/approvals")
    queue = admin.last
    assert queue.text == pages[0]
    await turn_to(admin, queue, len(pages) - 1)
    assert queue.text == pages[-2]
    name = re.findall(r"^Name: (Senior \d+)$", queue.text, re.MULTILINE)[0]
    await admin.click(f"✅ {name}", message=queue)
    assert admin.callback_answers[-1].text == f"✅ {name} is approved."
    assert f"Page {len(pages) - 1} of" in queue.text
    assert f"Name: {name}\n" not in queue.text
    assert await env.rows("SELECT COUNT(*) FROM residents WHERE status = 'approved'") == [(1,)]
    assert len(admin.messages) < 10  # one list, not a message a person


async def test_a_history_of_a_thousand_entries_is_paged(env: Env) -> None:
    (senior,) = await waiting_seniors(env.deps, 1)
    await long_history(env.deps, senior)
    found = await audit_view.history(env.deps, ADMIN_ID, senior)
    pages = every_page(history_pages("en", found, env.clock.tz))
    steps = re.findall(r" · order\.step(\d+) · ", "\n".join(pages))
    assert sorted(map(int, steps)) == list(range(ORDERS))
    assert len(pages) == ORDERS // 10

    admin = await admin_of(env)
    await admin.send("/audit Senior 0")
    await admin.click("📜 History")
    history = admin.last
    assert history.text == pages[0]
    await turn_to(admin, history, len(pages))
    assert history.text == pages[-1]
    assert "◀ 99" in history.inline_texts
