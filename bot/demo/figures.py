"""The closing figures of the demo, read from the store and checked against each other."""

from __future__ import annotations

import csv
import io
from datetime import date

from bot.core.deps import Deps
from bot.sandbox import Sandbox
from data import stats, windows


async def closing_figures(deps: Deps, sandbox: Sandbox, kitchen_chat: int, day: date) -> str:
    conn = deps.db.reader
    lunch = await windows.find(conn, 1, day, "lunch")
    assert lunch is not None
    statuses = await stats.orders_by_status(conn, day)
    live = await stats.live_by_fulfilment(conn, lunch.id)
    portions = await stats.live_portions(conn, lunch.id)
    walk_ins = await stats.walk_ins(conn, lunch.id)
    deliveries = await stats.deliveries_by_state(conn, lunch.id)
    routes = await stats.routes(conn, lunch.id)
    outbox = await stats.outbox_by_status(conn)
    sheet_rows = _csv_rows(sandbox, kitchen_chat)
    checks = [
        (
            "kitchen CSV has one row per lunch order placed before the cutoff",
            sheet_rows == sum(live.values()) - walk_ins,
        ),
        ("one delivery per delivery order", sum(deliveries.values()) == live.get("delivery", 0)),
        ("every delivery has a volunteer", sum(routes.values()) == sum(deliveries.values())),
        ("every queued message was sent", set(outbox) == {"sent"}),
        ("the bot broke no Bot API rule", not sandbox.violations),
    ]
    lines = [
        "\n━━ The day in figures (read back from the store)",
        f"   Monday's orders by status: {_fmt(statuses)}",
        f"   Lunch cooked: {portions} portions for {sum(live.values())} orders ({_fmt(live)}),"
        f" of which walk-ins {walk_ins}",
        f"   Kitchen CSV rows: {sheet_rows}",
        f"   Deliveries: {_fmt(deliveries)}; stops per volunteer: {_fmt(routes)}",
        f"   Outbox: {_fmt(outbox)}",
        f"   Taps and messages by people: {_user_actions(sandbox)}",
    ]
    lines += [f"   {'✔' if ok else '✘'} {label}" for label, ok in checks]
    return "\n".join(lines)


def _fmt(counts: dict[str, int] | dict[int, int]) -> str:
    return ", ".join(f"{key} {value}" for key, value in counts.items()) or "none"


def _csv_rows(sandbox: Sandbox, kitchen_chat: int) -> int:
    documents = [m for m in sandbox.chat(kitchen_chat).messages if m.document is not None]
    if not documents:
        return 0
    upload = documents[0].document
    assert upload is not None
    rows = list(csv.reader(io.StringIO(upload.content.decode("utf-8-sig"))))
    return sum(1 for row in rows[1:] if row and row[0].isdigit())


def _user_actions(sandbox: Sandbox) -> int:
    return sum(1 for event in sandbox.transcript if type(event).__name__ == "UserEvent")


def all_checks_pass(text: str) -> bool:
    return "✘" not in text
