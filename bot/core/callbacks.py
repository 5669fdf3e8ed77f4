"""Callback data: `<prefix><version>:<action>:<fields...>`, short, typed and never trusted.

Every button the bot draws is a `Route` declared below, once: the screen family's prefix
(its name and the version of what its buttons mean), the action, and the payload the
button carries, a NamedTuple of ints, short words and yes/no. `route.pack(payload)`
writes the data (fields holding their default are left off the end); `read(data)` gives
the route and its payload back, or None when the data is not ours, from an older version,
garbled, oversized or forged, and the tap is answered as out of date. Every action is
checked again in the service before anything changes.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import (
    Any,
    Generic,
    NamedTuple,
    ParamSpec,
    TypeVar,
    Union,
    cast,
    get_args,
    get_origin,
    get_type_hints,
)

from bot.core.errors import NotAllowedError

MAX_BYTES = 64  # Telegram's limit on callback data
MAX_DIGITS = 12  # an id or a number on a button
WORD = re.compile(r"[A-Za-z0-9_-]{0,16}")  # a word on a button: a role, a reason, a field
SEPARATOR = ":"

A = ParamSpec("A")  # the payload's fields, as `pack` takes them
P = TypeVar("P", bound=tuple[Any, ...])  # the payload, a NamedTuple


class StaleButtonError(NotAllowedError):
    """A button whose data is not (or no longer) one of ours."""

    def __init__(self) -> None:
        super().__init__("core.error.stale_button")


@dataclass(frozen=True)
class Feature:
    """A screen family's buttons: a short name and the version of what they mean (raise it
    when a button's meaning changes, and the old buttons are answered as out of date)."""

    name: str
    version: int

    @property
    def prefix(self) -> str:
        return f"{self.name}{self.version}"


@dataclass(frozen=True)
class _Field:
    name: str
    kind: type  # int, str or bool
    optional: bool  # has a default: may be left off the end
    default: object


class Route(Generic[A, P]):
    """One button action and the typed payload it carries: `route.pack(*fields)` checks
    the fields against the payload's (mypy too), `route.parse(data)` reads them back."""

    __slots__ = ("action", "feature", "payload")

    def __init__(self, feature: Feature, action: str, payload: Callable[A, P]) -> None:
        self.feature = feature
        self.action = action
        self.payload = payload

    def __repr__(self) -> str:
        return f"Route({self.prefix}:{self.action})"

    @property
    def prefix(self) -> str:
        return self.feature.prefix

    def pack(self, *args: A.args, **kwargs: A.kwargs) -> str:
        """The callback data; ValueError for a value no button may carry (a bug, not a user)."""
        fields = _fields(self.payload)
        values = list(self.payload(*args, **kwargs))
        while values and _is_default(fields[len(values) - 1], values[-1]):
            values.pop()
        written = [_write(field, value) for field, value in zip(fields, values, strict=False)]
        data = SEPARATOR.join([self.prefix, self.action, *written])
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {data}")
        return data

    def parse(self, data: object) -> P | None:
        """This route's payload in `data`, or None when the data is anything else."""
        found = read(data)
        return cast(P, found.payload) if found is not None and found.route is self else None


class Tap(NamedTuple):
    route: Route[..., Any]
    payload: Any


_FEATURES: dict[str, Feature] = {}
_ROUTES: dict[tuple[str, str], Route[..., Any]] = {}


def feature(name: str, version: int) -> Feature:
    """Declare a screen family's prefix (once in the whole bot)."""
    declared = Feature(name, version)
    if not name.isalpha() or any(known.name == name for known in _FEATURES.values()):
        raise ValueError(f"prefix {declared.prefix} is declared twice or is not a word")
    _FEATURES[declared.prefix] = declared
    return declared


def route(family: Feature, action: str, payload: Callable[A, P]) -> Route[A, P]:
    """Declare one action of a screen family and its payload (once in the whole bot)."""
    declared = Route(family, action, payload)
    if (family.prefix, action) in _ROUTES or not WORD.fullmatch(action) or not action:
        raise ValueError(f"route {family.prefix}:{action} is declared twice or is not a word")
    _fields(payload)  # fails now on a field type no button can carry
    _ROUTES[family.prefix, action] = declared
    return declared


def route_of(data: object) -> Route[..., Any] | None:
    """The declared route `data` names (its payload unread), or None."""
    if not isinstance(data, str):
        return None
    prefix, action, *_ = [*data.split(SEPARATOR, 2), ""]
    return _ROUTES.get((prefix, action))


def read(data: object) -> Tap | None:
    """The route and payload in `data`, or None when it is not ours or not well formed."""
    found = route_of(data)
    if found is None or not isinstance(data, str) or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(SEPARATOR)[2:]
    fields = _fields(found.payload)
    required = sum(not field.optional for field in fields)
    if not required <= len(parts) <= len(fields):
        return None
    values = []
    for field, text in zip(fields, parts, strict=False):
        value = _read(field, text)
        if value is None:
            return None
        values.append(value)
    values += [field.default for field in fields[len(parts) :]]
    return Tap(found, found.payload(*values))


def routes() -> list[Route[..., Any]]:
    """Every declared route."""
    return list(_ROUTES.values())


def prefixes() -> list[str]:
    """Every declared prefix."""
    return list(_FEATURES)


@cache
def _fields(payload: Callable[..., tuple[Any, ...]]) -> tuple[_Field, ...]:
    """The payload's fields (a NamedTuple's), each an int, a word or a yes/no."""
    defaults: dict[str, object] = getattr(payload, "_field_defaults", {})
    found = []
    for name, hint in get_type_hints(payload).items():
        kind = hint
        if get_origin(hint) in (Union, types.UnionType):
            kind = next(arg for arg in get_args(hint) if arg is not type(None))
        if kind not in (int, str, bool):
            raise TypeError(f"{payload}.{name}: a button carries an int, a str or a bool")
        found.append(_Field(name, kind, name in defaults, defaults.get(name)))
    return tuple(found)


def _is_default(field: _Field, value: object) -> bool:
    return field.optional and value == field.default and type(value) is type(field.default)


def _write(field: _Field, value: object) -> str:
    if field.kind is bool and isinstance(value, bool):
        return "1" if value else "0"
    if field.kind is int and type(value) is int and 0 <= value < 10**MAX_DIGITS:
        return str(value)
    if field.kind is str and isinstance(value, str) and WORD.fullmatch(value):
        return value
    raise ValueError(f"{field.name}={value!r} cannot ride on a button")


def _read(field: _Field, text: str) -> object | None:
    if field.kind is bool:
        return {"1": True, "0": False}.get(text)
    if field.kind is int:
        digits = text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS
        return int(text) if digits else None
    return text if WORD.fullmatch(text) else None


# The payloads: what a button points at, by name.
class Nothing(NamedTuple):
    pass


class Page(NamedTuple):
    page: int = 0


class Language(NamedTuple):
    code: str


class WindowPage(NamedTuple):
    window: int
    page: int = 0


class Order(NamedTuple):
    order: int


class OrderReason(NamedTuple):
    order: int
    reason: str


class Delivery(NamedTuple):
    delivery: int


class DeliveryReason(NamedTuple):
    delivery: int
    reason: str


class DeliveryPage(NamedTuple):
    delivery: int
    page: int = 0


class Handover(NamedTuple):
    delivery: int
    volunteer: int


class Alert(NamedTuple):
    alert: int


class Resident(NamedTuple):
    resident: int


class ResidentPage(NamedTuple):
    resident: int
    page: int = 0


class RoleRequest(NamedTuple):
    account: int
    canteen: int
    role: str


class MonthReport(NamedTuple):
    canteen: int
    month: int  # yyyymm


class RosterFile(NamedTuple):
    upload: int


class RosterCanteen(NamedTuple):
    upload: int
    canteen: int


class CanteenPage(NamedTuple):
    canteen: int
    page: int = 0


class Member(NamedTuple):
    canteen: int
    account: int
    role: str


class FamilyLink(NamedTuple):
    resident: int
    account: int


class SeniorField(NamedTuple):
    resident: int
    field: str


class SeniorDiet(NamedTuple):
    resident: int
    mask: int  # bit i: DIETS[i]


class SeniorTier(NamedTuple):
    resident: int
    tier: str  # "" = by age


class SeniorDelivery(NamedTuple):
    resident: int
    allowed: bool


class Invite(NamedTuple):
    kind: str
    canteen: int | None = None  # asked when the person acts for several


class Grant(NamedTuple):
    account: int
    role: str
    canteen: int | None = None  # asked when the person acts for several


class MenuItem(NamedTuple):
    item: int


class DishTag(NamedTuple):
    window: int
    tag: int  # index into menus.TAGS


class Plan(NamedTuple):
    plan: int


class IncidentRef(NamedTuple):
    incident: int


class IncidentOutcome(NamedTuple):
    incident: int
    outcome: str


class RequestDraft(NamedTuple):
    message: int
    resident: int


class OrderWord(NamedTuple):
    order: int
    word: str  # a rating or a reason


# The screen families, each with its prefix and version, and their buttons.
LANGUAGE = feature("lang", 1)
SET_LANGUAGE = route(LANGUAGE, "set", Language)

VOLUNTEER = feature("vol", 1)  # the claim board, the route and its stops
AVAILABILITY = route(VOLUNTEER, "av", Nothing)
CLAIM = route(VOLUNTEER, "c", Delivery)
CLAIM_BUILDING = route(VOLUNTEER, "g", Delivery)
BOARD = route(VOLUNTEER, "b", WindowPage)
STOP = route(VOLUNTEER, "see", Delivery)
DELIVERED = route(VOLUNTEER, "ok", Delivery)
NO_ANSWER = route(VOLUNTEER, "na", Delivery)
REFUSED = route(VOLUNTEER, "rf", Delivery)
CONCERN = route(VOLUNTEER, "cn", Delivery)
NOT_DELIVERED = route(VOLUNTEER, "nd", Delivery)
NOT_DELIVERED_BECAUSE = route(VOLUNTEER, "nr", DeliveryReason)
UNDO = route(VOLUNTEER, "un", Delivery)
ANSWERED = route(VOLUNTEER, "ans", Delivery)
HAND_BACK = route(VOLUNTEER, "bk", Delivery)

DELIVERIES = feature("dlv", 1)  # staff: who carries what, and reassigning
DELIVERIES_OF = route(DELIVERIES, "w", WindowPage)
REASSIGN = route(DELIVERIES, "re", DeliveryPage)
REASSIGN_TO = route(DELIVERIES, "to", Handover)

ALERTS = feature("alr", 1)
HANDLING = route(ALERTS, "h", Alert)

RECEIPT = feature("rcp", 1)  # the orders board
ORDERS_OF = route(RECEIPT, "w", WindowPage)
CONFIRM = route(RECEIPT, "ok", Order)
CONFIRM_ALL = route(RECEIPT, "all", WindowPage)
DECLINE = route(RECEIPT, "no", Order)
DECLINE_BECAUSE = route(RECEIPT, "why", OrderReason)
DECLINE_BACK = route(RECEIPT, "back", Order)
COLLECTED = route(RECEIPT, "got", Order)
MEALS_READY = route(RECEIPT, "rdy", WindowPage)

KITCHEN = feature("ktn", 1)
SHEET_OF = route(KITCHEN, "w", WindowPage)

MENU = feature("mnu", 1)
MENU_OF = route(MENU, "w", WindowPage)
SOLD_OUT = route(MENU, "so", MenuItem)
COPY_MENU = route(MENU, "cp", WindowPage)

DISH = feature("dsh", 1)  # adding a dish
ADD_DISH = route(DISH, "add", WindowPage)
DISH_TAG = route(DISH, "tg", DishTag)
DISH_TAGS_DONE = route(DISH, "tn", WindowPage)
DISH_NO_LIMIT = route(DISH, "nl", WindowPage)
DISH_CANCEL = route(DISH, "x", WindowPage)

CHANGE = feature("chg", 1)  # changing an order, step by step
CHANGE_ORDER = route(CHANGE, "o", Order)

MY_ORDERS = feature("myo", 1)
MY_ORDERS_PAGE = route(MY_ORDERS, "pg", Page)
CALL_CANTEEN = route(MY_ORDERS, "call", Order)
CANCEL_ORDER = route(MY_ORDERS, "cancel", Order)
CANCEL_YES = route(MY_ORDERS, "yes", Order)
CANCEL_KEEP = route(MY_ORDERS, "keep", Order)

FAMILY = feature("fam", 1)
FAMILY_INVITE = route(FAMILY, "inv", Resident)
REGISTER_ANOTHER = route(FAMILY, "reg", Nothing)

ORDERING = feature("ord", 1)
ORDER_FOR = route(ORDERING, "for", Resident)
WALK_IN = route(ORDERING, "walk", Resident)

STANDING = feature("std", 1)  # regular meals
PAUSE_PLAN = route(STANDING, "pause", Plan)
RESUME_PLAN = route(STANDING, "resume", Plan)
STOP_PLAN = route(STANDING, "stop", Plan)

REGISTRATION = feature("reg", 1)  # an approval card of one registration
APPROVE = route(REGISTRATION, "ok", Resident)
DECLINE_REGISTRATION = route(REGISTRATION, "no", Resident)

DIGEST = feature("apd", 1)  # the approval digest
DIGEST_APPROVE = route(DIGEST, "ok", Resident)
DIGEST_DECLINE = route(DIGEST, "no", Resident)

CHECKIN = feature("chk", 1)
FINE_TODAY = route(CHECKIN, "ok", Resident)

ADMIN = feature("adm", 1)  # approvals, reports, roster files, a resident's card
APPROVALS_PAGE = route(ADMIN, "ap", Page)
APPROVE_RESIDENT = route(ADMIN, "ra", Resident)
DECLINE_RESIDENT = route(ADMIN, "rd", Resident)
APPROVE_ROLE = route(ADMIN, "ro", RoleRequest)
DECLINE_ROLE = route(ADMIN, "rn", RoleRequest)
MONTH_REPORT = route(ADMIN, "rep", MonthReport)
RESIDENT_CARD = route(ADMIN, "res", Resident)
HISTORY = route(ADMIN, "aud", ResidentPage)
EXPORT = route(ADMIN, "exp", Resident)
ERASE_ASK = route(ADMIN, "era", Resident)
ERASE = route(ADMIN, "erc", Resident)
ADMIN_FAMILY_INVITE = route(ADMIN, "fam", Resident)
ROSTER_IMPORT = route(ADMIN, "imp", RosterFile)
ROSTER_CANCEL = route(ADMIN, "imx", RosterFile)
ROSTER_CANTEEN = route(ADMIN, "imc", RosterCanteen)

TEAM = feature("tem", 1)
TEAM_PAGE = route(TEAM, "c", CanteenPage)
REMOVE_ASK = route(TEAM, "p", Member)
REMOVE = route(TEAM, "rm", Member)
FAMILY_PAGE = route(TEAM, "f", CanteenPage)
UNLINK_ASK = route(TEAM, "fu", FamilyLink)
UNLINK = route(TEAM, "fx", FamilyLink)

SENIOR = feature("sen", 1)  # a senior's details, for staff
SENIOR_CARD = route(SENIOR, "c", Resident)
SENIOR_FIELD = route(SENIOR, "f", SeniorField)
SENIOR_DIET = route(SENIOR, "d", SeniorDiet)
SENIOR_DIET_SAVE = route(SENIOR, "ds", SeniorDiet)
SENIOR_TIER = route(SENIOR, "t", SeniorTier)
SENIOR_DELIVERY = route(SENIOR, "v", SeniorDelivery)

INCIDENTS = feature("inc", 1)  # an incident's card, and the list of open ones
INCIDENT_SEE = route(INCIDENTS, "see", IncidentRef)
INCIDENT_TAKE = route(INCIDENTS, "take", IncidentRef)
INCIDENT_NOTE = route(INCIDENTS, "note", IncidentRef)
INCIDENT_CLOSE = route(INCIDENTS, "close", IncidentRef)
INCIDENT_OUTCOME = route(INCIDENTS, "out", IncidentOutcome)
INCIDENTS_PAGE = route(INCIDENTS, "pg", Page)
INCIDENT_CALL = route(INCIDENTS, "call", IncidentRef)
REQUEST_SEND = route(INCIDENTS, "send", RequestDraft)

FEEDBACK = feature("fbk", 1)  # how the meal was
FEEDBACK_RATE = route(FEEDBACK, "r", OrderWord)
FEEDBACK_REASON = route(FEEDBACK, "y", OrderWord)
FEEDBACK_NOTE = route(FEEDBACK, "n", Order)

ROLES = feature("stf", 1)  # invites and roles given by staff and admins
ROLE_INVITE = route(ROLES, "inv", Invite)
ROLE_GRANT = route(ROLES, "gr", Grant)


# The untyped form, for the step-by-step flows' buttons until they are routes too.
@dataclass(frozen=True)
class Callback:
    action: str
    args: tuple[str, ...]

    def int_arg(self, index: int) -> int:
        """An id argument; ValueError when missing or not a number (a forged button)."""
        value = self.args[index]
        if not (value.isascii() and value.isdigit()) or len(value) > MAX_DIGITS:
            raise ValueError(f"bad id {value!r}")
        return int(value)

    def int_arg_or(self, index: int, default: int) -> int:
        """An optional number (a page), `default` on a button made before it was added."""
        return self.int_arg(index) if len(self.args) > index else default


def pack(prefix: str, action: str, *args: object) -> str:
    """Untyped callback data of a declared prefix."""
    if prefix not in _FEATURES:
        raise ValueError(f"prefix {prefix} is not declared in bot/core/callbacks.py")
    data = SEPARATOR.join([prefix, action, *map(str, args)])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data}")
    return data


def unpack(prefix: str, data: str | None) -> Callback | None:
    """The callback for `prefix`, or None when the data is not (or no longer) ours."""
    if not data:
        return None
    parts = data.split(SEPARATOR)
    if parts[0] != prefix or len(parts) < 2:
        return None
    return Callback(action=parts[1], args=tuple(parts[2:]))


def pattern(prefix: str) -> str:
    """The regex PTB uses to route a declared prefix's buttons to their handler."""
    if prefix not in _FEATURES:
        raise ValueError(f"prefix {prefix} is not declared in bot/core/callbacks.py")
    return rf"^{prefix}:"
