"""An erase ends every question flow about the erased senior, and only those; the others
are read back from the store as they were written."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.services.people.erasure import Erased
from bot.services.people.registration import Answers
from bot.services.people.scrub import Person
from data import accounts, flows
from data.db import Database
from data.erasure import Traces
from handlers.conversation import Flow
from handlers.ordering_steps import OrderAnswers
from handlers.privacy import end_flows
from handlers.resident_handlers import flow_machine
from handlers.standing import RegularAnswers
from tests.harness import MONDAY_8AM
from tests.test_scrub import HER

MONDAY = date(2026, 3, 2)


def flow(name: str, step: str, data: Any, options: dict[str, str] | None = None) -> Flow[Any]:
    return Flow(name, step, data, MONDAY, options or {})


async def test_flows_about_her_end_and_the_others_go_on(fresh_store: str) -> None:
    erased = Erased(Person.of(HER), Traces((12,), (4,), ()), ())
    asked = {
        2001: flow("order", "window", OrderAnswers(resident=7)),  # staff ordering for her
        2002: flow("standing", "meal", RegularAnswers(resident=7)),  # a regular meal for her
        5001: flow("volunteer", "note", {"delivery": 4, "action": "cn"}),  # her door
        4001: flow("order", "who", OrderAnswers(), {"王秀英": "7", "Li": "9"}),  # picking her
        4002: flow("register", "phone", Answers(name="王秀英")),  # typing her name
        4003: flow("order", "window", OrderAnswers(resident=70)),
        5002: flow("volunteer", "note", {"delivery": 44, "action": "cn"}),
    }
    machine = flow_machine()
    db = await Database.open(fresh_store)
    try:
        async with db.transaction() as tx:
            for account_id, question in asked.items():
                await accounts.ensure(tx, account_id, MONDAY_8AM)
                await flows.keep(tx, machine.frozen(account_id, question), MONDAY_8AM)
        assert await end_flows(db, erased) == [2001, 2002, 4001, 4002, 5001]
        left = await flows.everyone(db.reader)
        assert [kept.account_id for kept in left] == [4003, 5002]
        assert [machine.revived(kept) for kept in left] == [asked[4003], asked[5002]]
    finally:
        await db.close()
