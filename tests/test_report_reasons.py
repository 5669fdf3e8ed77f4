"""Which meals the reports count as served, and the reason given for each one that was not."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.services.reports import messages
from bot.services.reports.figures import Unserved, reason_of, served
from bot.services.reports.messages import door_note
from data.models import Fulfilment
from data.reports import ReportLine
from tests.harness import MONDAY_8AM

SERVE_AT = MONDAY_8AM.replace(hour=11, minute=30)
AFTER = SERVE_AT + timedelta(hours=8)


def line(
    status: str,
    how: Fulfilment = "delivery",
    delivery: str | None = None,
    note: str | None = None,
    reason: str | None = None,
) -> ReportLine:
    return ReportLine(
        order_id=1, resident_id=1, resident="Wang", resident_status="approved",
        day=date(2026, 3, 2), meal="lunch", serve_at=SERVE_AT, fulfilment=how, status=status,
        portions=1, price_fen=1500, subsidy_fen=600, pay_fen=900, tier_code="age80",
        delivery_state=delivery, delivery_note=note, delivery_reason=reason,
    )  # fmt: skip


def why(
    status: str, now: datetime = AFTER, how: Fulfilment = "delivery", delivery: str | None = None
) -> str:
    return reason_of(line(status, how, delivery), now)


def test_only_delivered_and_collected_meals_are_served() -> None:
    assert [s for s in ("delivered", "collected", "no_answer", "refused", "ready", "out",
                        "not_delivered", "placed") if served(line(s))] == [
        "delivered", "collected"]  # fmt: skip


def test_the_door_outcome_is_the_reason_and_a_meal_nobody_handed_over_says_so() -> None:
    assert why("no_answer", delivery="no_answer") == "no_answer"
    assert why("refused", delivery="refused") == "refused"
    assert why("ready", how="pickup") == "uncollected"
    assert why("confirmed", how="dine_in") == "uncollected"
    assert why("confirmed", delivery="assigned") == "undelivered"
    assert why("out", delivery="assigned") == "out"
    assert why("confirmed", now=SERVE_AT - timedelta(hours=1)) == "upcoming"


def test_an_outcome_added_later_is_not_served_and_named_with_its_note() -> None:
    """A delivery state or order status this code does not know is still a meal not served."""
    assert why("not_delivered", delivery="not_delivered") == "not_delivered"
    assert why("confirmed", delivery="not_delivered") == "not_delivered"
    assert why("lost_on_the_way") == "lost_on_the_way"
    assert not served(line("lost_on_the_way"))
    assert messages.why("en", "not_delivered") == "not delivered"
    assert messages.why("en", "lost_on_the_way") == "not served (lost_on_the_way)"
    assert messages.why("zh", "lost_on_the_way") == "未供餐（lost_on_the_way）"
    missed = Unserved(1, date(2026, 3, 2), "lunch", 1, "Wang", "delivery", 1, "not_delivered",
                      "road <closed>")  # fmt: skip
    assert messages.reason("en", missed) == "not delivered (road &lt;closed&gt;)"


def test_not_delivered_is_named_with_what_the_volunteer_said() -> None:
    """The volunteer's "not delivered" and its reason (and note) are the meal's reason."""
    entrance = line("undelivered", delivery="undelivered", reason="entry")
    assert reason_of(entrance, AFTER) == "not_delivered"
    assert door_note("en", entrance) == "could not get in"
    other = line("undelivered", delivery="undelivered", reason="other", note="Building shut")
    assert door_note("en", other) == "Building shut"
    assert door_note("zh", entrance) == "进不了门"
