"""The claim board: when a window closes, volunteers take deliveries until the deadline.

Two volunteers never hold the same delivery (the claim is a conditional UPDATE inside
the store's one-writer transaction) and nobody holds more meals than their bag takes.
The board shows buildings and meals only; names, rooms and phones come with a route.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.deps import Deps
from bot.core.errors import DomainError, NotAllowedError
from bot.services.delivery import carrying, messages
from bot.services.delivery.deliveries import held, local_time
from bot.services.notices import notify
from bot.services.people import erased, volunteers
from data import accounts, audit, windows
from data import deliveries as store
from data import volunteers as volunteer_store
from data.db import Session
from data.deliveries import Stop
from data.models import Volunteer, Window


@dataclass(frozen=True)
class Board:
    window: Window
    open: dict[str, list[Stop]]  # building -> open deliveries, buildings in order
    mine: list[Stop]
    capacity: int


@dataclass(frozen=True)
class Claimed:
    """What a claim took (order numbers), and the board as the volunteer sees it after."""

    numbers: list[int]
    board: Board
    building: str  # of the delivery tapped: the board opens at its page


async def open_claims(deps: Deps, window_id: int) -> int:
    """Make the window's deliveries and show the board to available volunteers (safe twice)."""
    window = await windows.get(deps.db.reader, window_id)
    if window is None or window.state not in ("closed", "dispatched") or window.dispatched_at:
        return 0
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        made = await store.open_for_window(tx, window_id)
        if now < window.claim_until:
            for volunteer in await volunteers.available_for(tx, window):
                await _queue_board(tx, deps, window, volunteer)
    deps.outbox_queued()
    deps.jobs_changed()
    return made


async def _queue_board(tx: Session, deps: Deps, window: Window, volunteer: Volunteer) -> None:
    board = await _board(tx, window, volunteer)
    if not board.open:
        return
    lang = await notify.language_of(tx, volunteer.account_id)
    key = f"board:window:{window.id}:account:{volunteer.account_id}"
    first = messages.claim_page(board, lang, local_time(deps, window.claim_until))
    await notify.text(tx, key, volunteer.account_id, first.text, deps.clock.now(), first.rows)


async def _board(conn: Session, window: Window, volunteer: Volunteer) -> Board:
    groups: dict[str, list[Stop]] = {}
    mine = []
    for stop in sorted(await store.stops(conn, window.id), key=lambda s: (s.building, s.id)):
        if stop.volunteer_id is None and stop.state == "open":
            groups.setdefault(stop.building, []).append(stop)
        elif stop.volunteer_id == volunteer.account_id:
            mine.append(stop)
    return Board(window, groups, mine, volunteer.capacity)


async def _volunteer(deps: Deps, account_id: int, canteen_id: int) -> Volunteer:
    """The volunteer's profile at this canteen, while they still hold the role there (read
    from the store each time: a volunteer removed a moment ago is refused)."""
    conn = deps.db.reader
    volunteer = await volunteer_store.get(conn, account_id, canteen_id)
    if volunteer is None or not await accounts.has_role(conn, account_id, canteen_id, "volunteer"):
        raise NotAllowedError("volunteer.error.not_volunteer")
    return volunteer


async def board(deps: Deps, account_id: int, window_id: int) -> Board:
    """The board as this volunteer sees it now."""
    window = await windows.get(deps.db.reader, window_id)
    if window is None:
        raise NotAllowedError("volunteer.error.not_volunteer")
    volunteer = await _volunteer(deps, account_id, window.canteen_id)
    return await _board(deps.db.reader, window, volunteer)


async def claimable_windows(deps: Deps, account_id: int) -> list[Window]:
    """Windows of this volunteer's canteen whose board is open now."""
    canteen_id = await volunteers.canteen_of(deps, account_id)
    now = deps.clock.now()
    found = await store.awaiting_routes(deps.db.reader)
    return [w for w in found if w.canteen_id == canteen_id and now < w.claim_until]


async def _claimable(
    deps: Deps, account_id: int, delivery_id: int
) -> tuple[Stop, Volunteer, Window]:
    stop = await store.stop(deps.db.reader, delivery_id)
    if stop is None:
        raise NotAllowedError()
    await erased.refuse_id(deps.db.reader, stop.resident_id)
    volunteer = await _volunteer(deps, account_id, stop.canteen_id)
    window = await windows.get(deps.db.reader, stop.window_id)
    if window is None:
        raise NotAllowedError("volunteer.error.not_volunteer")
    if window.dispatched_at is not None or deps.clock.now() >= window.claim_until:
        raise DomainError("volunteer.claim.closed")
    return stop, volunteer, window


async def claim(
    deps: Deps, account_id: int, delivery_id: int, *, whole_building: bool = False
) -> Claimed:
    """Take one delivery, or the open ones of its building as many as the bag holds; refused
    kindly when taken, when claiming has closed or when the bag is full. What was taken and
    the board after are read in the same transaction."""
    stop, volunteer, window = await _claimable(deps, account_id, delivery_id)
    stops = [stop]
    if whole_building:
        found = await store.stops(deps.db.reader, stop.window_id)
        stops = sorted((s for s in found if s.building == stop.building), key=lambda s: s.id)
    async with deps.db.transaction() as tx:
        taken = await _take(tx, deps, volunteer, stops)
        board = await _board(tx, window, volunteer)
    numbers = [s.order_id for s in stops if s.id in taken]
    return Claimed(numbers, board, stop.building)


async def _take(tx: Session, deps: Deps, volunteer: Volunteer, stops: list[Stop]) -> list[int]:
    """The ids of `stops` this volunteer holds now; refused when they took none."""
    now = deps.clock.now()
    taken: list[int] = []
    full = False
    held = await store.held_meals(tx, volunteer.account_id, stops[0].window_id)
    for stop in stops:
        now_held = await store.stop(tx, stop.id)
        if now_held is not None and now_held.volunteer_id == volunteer.account_id:
            taken.append(stop.id)  # theirs already: the button was pressed twice
        elif held + stop.meals > volunteer.capacity:
            full = True
        elif await store.claim(tx, stop.id, volunteer.account_id, now):
            held += stop.meals
            taken.append(stop.id)
            await audit.record(
                tx, now, volunteer.account_id, "delivery.claim", f"delivery:{stop.id}"
            )
    if not taken and full:
        raise DomainError("volunteer.claim.too_many", capacity=volunteer.capacity)
    if not taken:
        raise DomainError("volunteer.claim.taken")
    return taken


async def hand_back(deps: Deps, account_id: int, delivery_id: int) -> Stop:
    """The volunteer cannot go after all: the delivery is open again (before serving)."""
    stop = await held(deps, account_id, delivery_id)
    window = await windows.get(deps.db.reader, stop.window_id)
    assert window is not None
    now = deps.clock.now()
    if now >= window.serve_at:
        raise DomainError("volunteer.back.too_late")
    async with deps.db.transaction() as tx:
        if not await store.release(tx, delivery_id, account_id):
            raise DomainError("volunteer.back.too_late")
        await audit.record(tx, now, account_id, "delivery.hand_back", f"delivery:{delivery_id}")
        routed = await windows.get(tx, window.id)  # as it is now, not before the lock
        if routed is not None and routed.dispatched_at is not None:
            await carrying.see_carried(tx, deps, routed)  # someone else, or staff told
    deps.outbox_queued()
    return stop
