"""An erase ends every question flow about the erased senior, and only those."""

from __future__ import annotations

from typing import Any

from bot.services.people.erasure import Erased
from bot.services.people.scrub import Person
from data.erasure import Traces
from handlers.privacy import end_flows
from handlers.resident_flow import KEY, Flow
from tests.test_scrub import HER


def test_flows_about_her_end_and_the_others_go_on() -> None:
    erased = Erased(Person.of(HER), Traces((12,), (4,), ()), ())
    user_data: dict[int, dict[Any, Any]] = {
        2001: {KEY: Flow("order", "window", {"resident": 7})},  # staff ordering for her
        2002: {KEY: Flow("standing", "meal", {"who": "7"})},  # a regular meal for her
        5001: {KEY: Flow("volunteer", "note", {"delivery": 4, "action": "cn"})},  # her door
        4001: {KEY: Flow("order", "who", {}, {"王秀英": "7", "Li": "9"})},  # picking her
        4002: {KEY: Flow("register", "phone", {"name": "王秀英"})},  # typing her name
        4003: {KEY: Flow("order", "window", {"resident": 70})},
        5002: {KEY: Flow("volunteer", "note", {"delivery": 44, "action": "cn"})},
        9000: {"lang": "en"},
    }
    assert end_flows(user_data, erased) == [2001, 2002, 5001, 4001, 4002]
    assert [uid for uid, data in user_data.items() if KEY in data] == [4003, 5002]
    assert user_data[9000] == {"lang": "en"}
