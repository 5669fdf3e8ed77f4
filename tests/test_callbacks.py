"""Callback data: every button is a declared route with a typed payload that reads back as
it was packed, and anything else (old, garbled, oversized, forged) reads as nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args, get_type_hints

import pytest
from telegram import CallbackQuery, Update, User
from telegram.ext import CallbackQueryHandler

from bot.app import FEATURES, build_application
from bot.canteen_file import load_canteen_file
from bot.core import callbacks
from bot.core.callbacks import Route
from bot.core.clock import ManualClock
from bot.settings import Config, Settings
from tests.harness import MONDAY_8AM

SAMPLE = {int: 12345, str: "sold_out", bool: True}


def sample(route: Route[..., Any]) -> tuple[Any, ...]:
    """A payload of the route with a value of its type in every field."""
    values = []
    for hint in get_type_hints(route.payload).values():
        kind = next((arg for arg in get_args(hint) if arg is not type(None)), hint)
        values.append(SAMPLE[kind])
    return tuple(values)


@pytest.mark.parametrize("route", callbacks.routes(), ids=repr)
def test_every_route_reads_back_what_it_packed(route: Route[..., Any]) -> None:
    data = route.pack(*sample(route))
    assert len(data.encode()) <= callbacks.MAX_BYTES
    assert callbacks.read(data) == (route, route.payload(*sample(route)))
    assert route.parse(data) == route.payload(*sample(route))


def test_the_wire_format_is_prefix_action_and_fields_with_defaults_left_off_the_end() -> None:
    assert callbacks.CLAIM.pack(7) == "vol1:c:7"
    assert callbacks.ORDERS_OF.pack(3) == "rcp1:w:3"
    assert callbacks.ORDERS_OF.pack(3, 2) == "rcp1:w:3:2"
    assert callbacks.ROLE_GRANT.pack(5, "admin") == "stf1:gr:5:admin"
    assert callbacks.ROLE_GRANT.pack(5, "admin", 1) == "stf1:gr:5:admin:1"
    assert callbacks.SENIOR_DELIVERY.pack(4, False) == "sen1:v:4:0"
    assert callbacks.SENIOR_TIER.pack(4, "") == "sen1:t:4:"
    assert callbacks.ORDERS_OF.parse("rcp1:w:3") == callbacks.WindowPage(3, 0)


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "rcp1",
        "rcp1:",
        "rcp2:ok:1",  # another version
        "rcp1:zap:1",  # an action nobody declared
        "rcp1:ok",  # a field missing
        "rcp1:ok:1:2",  # a field no button carries
        "rcp1:ok:abc",
        "rcp1:ok:-1",
        "rcp1:ok:١",  # a digit, but not one an id is written in
        "rcp1:ok:1234567890123",  # more digits than an id has
        "rcp1:why:1:poison!",  # a word with a sign no word on a button has
        "rcp1:why:1:" + "x" * 17,
        "sen1:v:4:2",  # yes/no is 1 or 0
        "stf1:inv:staff:",
        "rcp1:w:1:" + "0" * 60,  # over Telegram's 64 bytes
        12,
    ],
)
def test_garbled_or_forged_data_reads_as_nothing(data: object) -> None:
    assert callbacks.read(data) is None


@pytest.mark.parametrize(
    "pack",
    [
        lambda: callbacks.CLAIM.pack(-1),
        lambda: callbacks.CLAIM.pack(10**12),
        lambda: callbacks.CLAIM.pack(True),
        lambda: callbacks.DECLINE_BECAUSE.pack(1, "a:b"),
        lambda: callbacks.SET_LANGUAGE.pack("zh-hans-cn-x-very-long"),
    ],
)
def test_a_value_no_button_may_carry_is_refused_when_packing(pack: Any) -> None:
    with pytest.raises(ValueError, match="button"):
        pack()


def test_a_prefix_and_a_route_are_declared_once() -> None:
    with pytest.raises(ValueError, match="twice"):
        callbacks.feature("vol", 2)
    with pytest.raises(ValueError, match="twice"):
        callbacks.route(callbacks.VOLUNTEER, "c", callbacks.Delivery)
    with pytest.raises(ValueError, match="not declared"):
        callbacks.pack("xyz1", "go")


def callback_handlers(tmp_path: Path) -> list[CallbackQueryHandler[Any, Any]]:
    """The handlers of taps in the features group (later groups only tidy up)."""
    settings = Settings(
        _env_file=None, TELEGRAM_BOT_TOKEN="1:T", DOORSTEP_DB=str(tmp_path / "db.sqlite3")
    )
    app = build_application(
        Config(settings=settings, canteens=load_canteen_file(None)), ManualClock(MONDAY_8AM)
    )
    return [h for h in app.handlers[FEATURES] if isinstance(h, CallbackQueryHandler)]


def tap(data: str) -> Update:
    user = User(1, "Ann", is_bot=False)
    return Update(1, callback_query=CallbackQuery("1", user, "chat", data=data))


def test_every_declared_route_has_a_handler_and_no_handler_takes_an_undeclared_prefix(
    tmp_path: Path,
) -> None:
    """The bot's buttons and its callback handlers agree: nothing drawn goes unanswered by
    its feature, nothing is answered outside the registry."""
    handlers = callback_handlers(tmp_path)
    features = [h for h in handlers if h.pattern is not None]
    for route in callbacks.routes():
        data = route.pack(*sample(route))
        assert any(h.check_update(tap(data)) for h in features), data
    for handler in features:
        if isinstance(handler.pattern, str) or hasattr(handler.pattern, "pattern"):
            text = getattr(handler.pattern, "pattern", handler.pattern)
            prefix = str(text).removeprefix("^").removeprefix("(?!").split(":")[0]
            assert prefix in callbacks.prefixes(), text
    assert not any(h.check_update(tap("zzz1:go:1")) for h in features)
