"""People in words: registration and approval, roles and the team, a roster's dry run,
privacy and erasure, the wellness watch and the daily check-in.

The services decide (who is asked, who is told, what changed); this module only says it,
and draws the buttons of the messages they queue as (label, callback data) rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core import callbacks, pager
from bot.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, Html, t, voiced
from bot.core.labels import window_label
from bot.services.notices.notify import Buttons
from data.erasure import Coming
from data.models import Canteen, Resident, Window

if TYPE_CHECKING:  # the services import this module: their types are named for mypy only
    from bot.services.people.roster import Preview
    from bot.services.people.roster_file import Problem

MAX_BUTTONS = 100  # Telegram's limit of inline buttons on one message
PER_PAGE = 20  # registrations on one digest page (two buttons each), however short
MAX_SHOWN = 30  # roster problems listed in one message; the rest are counted


def _address(resident: Resident) -> str:
    return " ".join(part for part in (resident.building, resident.unit, resident.room) if part)


# Registration and approval.


def resident_card(lang: str, resident: Resident) -> Html:
    """A registration as the admins (and the applicant, before sending) read it."""
    diet = ", ".join(t(lang, f"resident.diet.{tag}") for tag in resident.diet_tags)
    return t(
        lang,
        "resident.approval.card",
        name=resident.name,
        phone=resident.phone,
        age=t(lang, f"resident.age.band{resident.age_band}") if resident.age_band else "-",
        address=_address(resident),
        alone=t(lang, "resident.register.yes" if resident.lives_alone else "resident.register.no"),
        diet=diet or "-",
        allergies=resident.allergies or "-",
    )


def approval_decided(lang: str, status: str, own: bool, name: str) -> Html:
    """To the applicant: approved or declined, in the reader's voice."""
    return t(lang, voiced(lang, f"resident.approval.{status}", own), name=name)


def linked_admin(lang: str, resident: Resident, who: str, relation: str) -> Html:
    """To the admins: an account was linked to a senior the canteen had already."""
    return t(
        lang,
        "resident.one_record.linked_admin",
        name=resident.name,
        id=resident.id,
        who=who,
        relation=t(lang, f"resident.one_record.relation_{relation}"),
    )


def same_phone_admin(lang: str, resident: Resident, others: Sequence[Resident]) -> Html:
    """To the admins: a new senior has the number of someone on the list; check first."""
    names = [str(t(lang, "resident.one_record.named", name=o.name, id=o.id)) for o in others]
    return t(
        lang,
        "resident.one_record.same_phone_admin",
        name=resident.name,
        id=resident.id,
        others=", ".join(names),
    )


@dataclass(frozen=True)
class DigestPage:
    text: Html
    buttons: Buttons


def _digest_entry(lang: str, number: int, resident: Resident) -> str:
    return f"<b>{number}.</b> {resident_card(lang, resident)}"


def _digest_buttons(lang: str, resident: Resident) -> list[tuple[str, str]]:
    return [
        (
            t(lang, "admin.digest.approve", name=resident.name),
            callbacks.DIGEST_APPROVE.pack(resident.id),
        ),
        (
            t(lang, "admin.digest.decline", name=resident.name),
            callbacks.DIGEST_DECLINE.pack(resident.id),
        ),
    ]


def digest_pages(lang: str, waiting: list[Resident], done: str = "") -> list[DigestPage]:
    """The digest as messages Telegram accepts: each within pager.TEXT_LIMIT characters
    and MAX_BUTTONS buttons; `done` (what was just decided) heads the first page."""
    groups: list[list[tuple[str, Resident]]] = [[]]
    size = 0
    for number, resident in enumerate(waiting, start=1):
        entry = _digest_entry(lang, number, resident)
        group = groups[-1]
        full = len(group) >= min(PER_PAGE, MAX_BUTTONS // 2)
        if group and (full or size + len(entry) + 2 > pager.TEXT_LIMIT - 300):
            groups.append([])
            size = 0
        groups[-1].append((entry, resident))
        size += len(entry) + 2
    found = []
    for index, group in enumerate(groups, start=1):
        part = f" ({index}/{len(groups)})" if len(groups) > 1 else ""
        title = t(lang, "admin.digest.title", n=len(waiting), part=part)
        head = [done, title] if done and index == 1 else [title]
        if not group:  # everyone was decided: what was done is all there is to say
            head = [done] if done else head
        text = Html("\n\n".join([*head, *(entry for entry, _ in group)]))
        found.append(DigestPage(text, [_digest_buttons(lang, resident) for _, resident in group]))
    return found


# Roles and the team.


def joined(lang: str, role: str) -> Html:
    """To someone an admin gave a role."""
    return t(lang, f"core.invite.joined_{role}")


def role_decided(lang: str, outcome: str, role: str, canteen: Canteen | None) -> Html:
    """To someone who asked for a role: approved or declined."""
    return t(
        lang,
        f"admin.approvals.role_{outcome}",
        role=t(lang, f"staff.role.{role}"),
        canteen=canteen.display_name(lang) if canteen else "",
    )


def told_removed(lang: str, role: str, canteen: Canteen) -> Html:
    """To someone whose role at the canteen was taken back."""
    return t(
        lang,
        "admin.team.told_removed",
        role=t(lang, f"staff.role.{role}"),
        canteen=canteen.display_name(lang),
        phone=canteen.phone,
    )


def told_unlinked(lang: str, name: str, canteen: Canteen) -> Html:
    """To a family member unlinked from a senior."""
    return t(
        lang,
        "admin.team.told_unlinked",
        name=name,
        canteen=canteen.display_name(lang),
        phone=canteen.phone,
    )


# A roster file's dry run.


def roster_problem(lang: str, problem: Problem) -> Html:
    values = dict(problem.values)
    if "field" in values:
        values["field"] = t(lang, f"admin.field.{values['field']}")
    return t(lang, "admin.roster.row", row=problem.row, problem=t(lang, problem.key, **values))


def roster_summary(lang: str, found: Preview) -> Html:
    """The dry run in words: counts, then 'row 17: phone is missing' for each problem."""
    bad_rows = len({problem.row for problem in found.problems})
    lines = [
        t(
            lang,
            "admin.roster.summary",
            file=found.filename,
            rows=found.rows,
            new=len(found.new),
            known=found.known,
            bad=bad_rows,
        )
    ]
    lines += [roster_problem(lang, problem) for problem in found.problems[:MAX_SHOWN]]
    if len(found.problems) > MAX_SHOWN:
        lines.append(t(lang, "admin.roster.more", count=len(found.problems) - MAX_SHOWN))
    return Html("\n".join(lines))


# Privacy and erasure.


def erased_name(lang: str, resident_id: int) -> Html:
    """How an erased senior is named wherever her name was: 'erased resident #7'."""
    return t(lang, "admin.report.erased", id=resident_id)


def erased_names(resident_id: int) -> dict[str, str]:
    """Her erased name in every language (a message keeps its reader's)."""
    return {lang: str(erased_name(lang, resident_id)) for lang in LANGUAGES}


def erased_in_notes(resident_id: int) -> str:
    """Her erased name in notes and audit details, which have no reader's language."""
    return str(erased_name(DEFAULT_LANGUAGE, resident_id))


def export_caption(lang: str, resident_id: int) -> Html:
    return t(lang, "admin.privacy.export_caption", id=resident_id)


def flow_ended(lang: str) -> Html:
    """To someone whose questions about a senior ended because she was erased."""
    return t(lang, "admin.erasure.flow_ended")


def _window_name(window: Window | None, lang: str) -> Html:
    return window_label(window, lang) if window else Html("")


def _dishes(meal: Coming) -> str:
    return ", ".join(f"{portions}×{code}" for code, portions in meal.dishes)


def erased_kitchen(
    lang: str, building: str, coming: Sequence[Coming], windows: Mapping[int, Window | None]
) -> Html:
    """To the kitchen: her meals still to come are cancelled, by number, never by name."""
    lines = [
        t(
            lang,
            "admin.erasure.kitchen_line",
            id=c.order_id,
            window=_window_name(windows[c.window_id], lang),
            building=building,
            dishes=_dishes(c),
        )
        for c in coming
    ]
    return t(lang, "admin.erasure.kitchen", orders=Html("\n".join(lines)))


def erased_volunteer(lang: str, building: str, meal: Coming, window: Window | None) -> Html:
    """To the volunteer holding one of her meals: it is cancelled."""
    return t(
        lang,
        "admin.erasure.volunteer",
        id=meal.order_id,
        window=_window_name(window, lang),
        building=building,
    )


# The wellness watch and the daily check-in.


def senior_alert(lang: str, key: str, resident: Resident, values: Mapping[str, object]) -> Html:
    """An alert `key` about a senior (quiet for days, no check-in, all clear): who she is,
    her phone and address."""
    return t(
        lang, key, name=resident.name, phone=resident.phone, address=_address(resident), **values
    )


def checkin_ask(lang: str) -> Html:
    return t(lang, "admin.checkin.ask")


def checkin_buttons(lang: str, resident_id: int) -> Buttons:
    return [[(t(lang, "admin.checkin.button"), callbacks.FINE_TODAY.pack(resident_id))]]
