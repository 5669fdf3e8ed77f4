"""Delivery in words and buttons: the claim board, the route, the stop card, what happened
at the door, and the alerts about a meal nobody carries or nobody reported.

The services decide (who holds what, who is told, which outcome); this module only says
it, in the reader's language (`lang` last, so a notice for many readers is
`partial(text, ...)` of their language). Buttons are (label, callback data) rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from bot.core import callbacks, pager
from bot.core.callbacks import Delivery, Route
from bot.core.i18n import Html, t
from bot.core.labels import tag_label, window_label
from bot.services.notices.notify import Buttons
from data.deliveries import Stop
from data.models import Canteen, Window

if TYPE_CHECKING:  # the services import this module: their types are named for mypy only
    from bot.services.delivery.claims import Board

Render = Callable[[str], Html]  # a notice in the reader's language


def address(stop: Stop) -> str:
    return " ".join(part for part in (stop.building, stop.unit, stop.room) if part)


def meal_word(window: Window, lang: str) -> Html:
    return t(lang, f"staff.meal.{window.meal}")


def diet_words(stop: Stop, lang: str, *, holder: bool = True) -> str:
    """The meal's diet; allergies (health data) only for the volunteer who holds it."""
    words = [str(tag_label(tag, lang)) for tag in stop.diet.split(",") if tag]
    if holder and stop.allergies.strip():
        words.append(str(t(lang, "staff.diet.allergy", what=stop.allergies.strip())).strip())
    return ", ".join(words) or str(t(lang, "staff.diet.standard"))


# The claim board.


def claim_pages(board: Board, lang: str, until: str) -> pager.Pager:
    """The board as pages: a line per building with a button to take it all, a line per
    delivery (by its order number) with its own."""
    held = sum(stop.meals for stop in board.mine)
    head = "\n".join(
        [
            t(lang, "volunteer.board.title", window=window_label(board.window, lang), until=until),
            t(lang, "volunteer.board.bag", held=held, capacity=board.capacity),
        ]
    )
    entries: list[pager.Entry] = []
    for building, stops in board.open.items():
        meals = sum(stop.meals for stop in stops)
        group = t(lang, "volunteer.board.group", building=building, n=len(stops), meals=meals)
        take = t(lang, "volunteer.board.take_group", building=building, meals=meals)
        entries.append(pager.Entry(group, [[(take, callbacks.CLAIM_BUILDING.pack(stops[0].id))]]))
        entries += [_single(stop, lang) for stop in stops]
    turn = partial(callbacks.BOARD.pack, board.window.id)
    return pager.Pager(lang, head, entries, turn, empty=t(lang, "volunteer.board.empty"))


def claim_page(
    board: Board, lang: str, until: str, number: int = 0, near: str | None = None
) -> pager.Page:
    """Page `number` of the board, or the page of building `near` (or the next one)."""
    book = claim_pages(board, lang, until)
    if near is None:
        return book.page(number)
    index = 0
    for building, stops in board.open.items():
        if building >= near:
            return book.page(book.page_with(index))
        index += 1 + len(stops)
    return book.page(book.count - 1)


def _single(stop: Stop, lang: str) -> pager.Entry:
    diet = Html(diet_words(stop, lang, holder=False))  # least sight: no allergies here
    line = t(lang, "volunteer.board.single", id=stop.order_id, meals=stop.meals, diet=diet)
    button = (t(lang, "volunteer.board.take_one", id=stop.order_id), callbacks.CLAIM.pack(stop.id))
    return pager.Entry(line, flow=(button,))


# The route and its stops.


def route_title(
    window: Window, stops: Sequence[Stop], canteen: Canteen, serve: str, lang: str
) -> Html:
    return t(
        lang,
        "volunteer.route.title",
        window=window_label(window, lang),
        n=len(stops),
        meals=sum(s.meals for s in stops),
        canteen=canteen.display_name(lang),
        address=canteen.display_address(lang),
        serve=serve,
    )


def card(stop: Stop, lang: str) -> Html:
    """The stop as its volunteer reads it: name, address, phone, meals, diet, door notes."""
    text = t(
        lang,
        "volunteer.route.stop",
        seq=stop.seq or "·",
        id=stop.order_id,
        name=stop.name,
        address=address(stop),
        phone=stop.phone,
        meals=stop.meals,
        diet=Html(diet_words(stop, lang)),
    )
    if not stop.door_notes:
        return text
    return Html(f"{text}\n{t(lang, 'volunteer.door_notes.line', notes=stop.door_notes)}")


def card_buttons(stop: Stop, lang: str) -> Buttons:
    """Delivered / no answer, delivered with a concern / not delivered, and hand back."""

    def button(route: Route[[int], Delivery]) -> tuple[str, str]:
        return t(lang, f"volunteer.button.{route.action}"), route.pack(stop.id)

    return [
        [button(callbacks.DELIVERED), button(callbacks.NO_ANSWER)],
        [button(callbacks.CONCERN), button(callbacks.NOT_DELIVERED)],
        [button(callbacks.HAND_BACK)],
    ]


def reason_buttons(stop: Stop, lang: str, reasons: tuple[str, ...]) -> Buttons:
    """Why the meal was not delivered (refused is its own outcome), and back to the card."""

    because = callbacks.NOT_DELIVERED_BECAUSE
    rows: Buttons = [
        [(t(lang, f"volunteer.reason_button.{r}"), because.pack(stop.id, r))] for r in reasons
    ]
    rows.insert(-1, [(t(lang, "volunteer.button.rf"), callbacks.REFUSED.pack(stop.id))])
    return [*rows, [(t(lang, "volunteer.button.back"), callbacks.STOP.pack(stop.id))]]


def taken_over(order_id: int, lang: str) -> Html:
    """To the volunteer whose delivery the staff gave to someone else."""
    return t(lang, "volunteer.route.taken_over", id=order_id)


# Nobody carries it.


def no_carrier(window: Window, stops: Sequence[Stop], serve: str, lang: str) -> Html:
    """To the staff: which seniors' meals have no volunteer, by name, before serving."""
    lines = [
        t(
            lang,
            "volunteer.staff.no_carrier_line",
            id=s.order_id,
            name=s.name,
            address=address(s),
            phone=s.phone,
        )
        for s in stops
    ]
    return t(
        lang,
        "volunteer.staff.no_carrier",
        window=window_label(window, lang),
        n=len(stops),
        serve=serve,
        stops=Html("\n".join(lines)),
    )


# At the door.


def handled_button(alert_id: int, lang: str) -> tuple[str, str]:
    return t(lang, "volunteer.alert.handle"), callbacks.HANDLING.pack(alert_id)


# Why a meal was not delivered, as the catalogues say it ("refused" is its own outcome).
REASONS = ("address", "entry", "away", "other")


def _why(reason: str, note: str, lang: str) -> str:
    if not reason:
        return ""
    said = str(t(lang, f"volunteer.reason.{reason}"))
    return f"{said}: {note}" if reason == "other" else said


def reported_why(detail: str, lang: str) -> str:
    """A not-delivered report as it is kept ("address", or "other" and the volunteer's
    note) in words; anything else as it was written."""
    reason, _, note = detail.partition(" ")
    if reason not in REASONS:
        return detail
    said = str(t(lang, f"volunteer.reason.{reason}"))
    return f"{said}: {note}" if note else said


def door_staff(
    stop: Stop, state: str, volunteer: str, at: str, note: str, reason: str, lang: str
) -> Html:
    """To the staff: what the volunteer reported at the door, and why."""
    return t(
        lang,
        f"volunteer.staff.{state}",
        id=stop.order_id,
        name=stop.name,
        address=address(stop),
        phone=stop.phone,
        volunteer=volunteer,
        at=at,
        note=note,
        reason=_why(reason, note, lang),
    )


def door_family(
    stop: Stop, window: Window, state: str, at: str, note: str, reason: str, lang: str
) -> Html:
    """To the family: the meal arrived, or nobody answered, or it was not delivered."""
    what = "arrived" if state in ("delivered", "concern") else state
    return t(
        lang,
        f"volunteer.family.{what}",
        name=stop.name,
        meal=meal_word(window, lang),
        at=at,
        reason=_why(reason, note, lang),
    )


def undone(stop: Stop, window: Window, lang: str) -> Html:
    """To whoever heard of a report the volunteer took back: it was a mistake."""
    return t(
        lang,
        "volunteer.undo.told",
        id=stop.order_id,
        name=stop.name,
        meal=meal_word(window, lang),
    )


def resolved(stop: Stop, at: str, lang: str) -> Html:
    """To the staff: after a no-answer, the door opened."""
    return t(lang, "volunteer.staff.resolved", id=stop.order_id, name=stop.name, at=at)


def escalation(stop: Stop, volunteer: str, since: str, minutes: int, lang: str) -> Html:
    """To the admins: nobody saw to a meal that did not arrive in time."""
    return t(
        lang,
        f"volunteer.admin.escalate_{stop.state}",
        id=stop.order_id,
        name=stop.name,
        address=address(stop),
        phone=stop.phone,
        since=since,
        minutes=minutes,
        volunteer=volunteer,
    )


def unreported(window: Window, late: Sequence[tuple[Stop, str]], minutes: int, lang: str) -> Html:
    """To the staff: deliveries nobody reported this long after serving, with their
    volunteers."""
    names = [f"#{stop.order_id} {stop.name} ({volunteer})" for stop, volunteer in late]
    return t(
        lang,
        "volunteer.staff.unreported",
        window=window_label(window, lang),
        minutes=minutes,
        stops="\n".join(names),
    )
