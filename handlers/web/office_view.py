"""The office rendered as HTML: one section at a time (seniors, approvals, team, alerts,
incidents, this month), chosen by the tabs at the top."""

from __future__ import annotations

import base64
import html
from datetime import datetime, tzinfo
from urllib.parse import urlencode

from bot.canteen_file import SubsidyTier
from bot.core.i18n import Html, t
from bot.core.labels import diet_label, yuan
from bot.services.incidents import messages as incident_messages
from bot.services.incidents.handling import NOTE_LIMIT, Listed, View
from bot.services.people import messages as people_messages
from bot.services.people import registration
from bot.services.people.office import SeniorsPage
from bot.services.people.roster import Pick, Preview
from bot.services.people.team import Member, Page
from bot.services.reports import figures
from bot.services.reports import messages as report_messages
from data.alerts import Alert
from data.models import Resident
from data.roster import PendingRole

TABS = ("seniors", "approvals", "team", "alerts", "incidents", "month")
INCIDENTS_PAGE = 25  # open incidents a page of the office's list shows
CURRENT = ' aria-current="page"'


def _e(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def tabs(current: str, waiting: int, alerts: int, incidents: int, lang: str) -> str:
    names = {
        "seniors": t(lang, "web.office.seniors"),
        "approvals": t(lang, "web.office.approvals", n=waiting),
        "team": t(lang, "web.office.team"),
        "alerts": t(lang, "web.office.alerts", n=alerts),
        "incidents": t(lang, "web.office.incidents", n=incidents),
        "month": t(lang, "web.office.month"),
    }
    links = "".join(
        f'<li><a href="?tab={tab}"{CURRENT if tab == current else ""}>{names[tab]}</a></li>'
        for tab in TABS
    )
    return f'<nav aria-label="{t(lang, "web.office.tabs")}"><ul class="tabs">{links}</ul></nav>'


def _link(shown: SeniorsPage, **changed: object) -> str:
    values = {"tab": "seniors", "q": shown.query, "sort": shown.order, "page": shown.number}
    values.update(changed)
    return "?" + urlencode(values)


def _tier_name(code: str | None, tiers: list[SubsidyTier], lang: str) -> str:
    for tier in tiers:
        if tier.code == code:
            return tier.name_zh if lang == "zh" else tier.name
    return code or ""


def seniors(page: SeniorsPage, tiers: list[SubsidyTier], lang: str) -> str:
    search = (
        f'<form method="get" class="search" role="search"><input type="hidden" name="tab"'
        f' value="seniors"><input type="hidden" name="sort" value="{_e(page.order)}">'
        f'<label for="q">{t(lang, "web.office.search")}</label> '
        f'<input id="q" type="search" name="q" value="{_e(page.query)}">'
        f'<button type="submit">{t(lang, "web.office.search_button")}</button></form>'
    )
    found = t(lang, "web.office.found", total=page.total, page=page.number, pages=page.pages)
    if not page.seniors:
        return f'{search}<p class="none">{t(lang, "web.office.none_found")}</p>'
    columns = (("name", "name"), ("building", "address"), ("tier", "tier"), ("status", "status"))
    heads = []
    for order, key in columns:
        label = t(lang, f"web.office.{key}")
        sorted_here = ' aria-sort="ascending"' if page.order == order else ""
        sort_label = t(lang, "web.office.sort_by", column=label)
        heads.append(
            f'<th scope="col"{sorted_here}><a href="{_e(_link(page, sort=order, page=1))}"'
            f' aria-label="{sort_label}">{label}</a></th>'
        )
    heads.insert(1, f'<th scope="col">{t(lang, "web.office.phone")}</th>')
    heads.insert(4, f'<th scope="col">{t(lang, "web.office.diet")}</th>')
    heads.insert(5, f'<th scope="col">{t(lang, "web.office.delivery")}</th>')
    rows = "".join(_senior_row(r, page, tiers, lang) for r in page.seniors)
    pager = []
    if page.number > 1:
        back = _e(_link(page, page=page.number - 1))
        pager.append(f'<a href="{back}">{t(lang, "web.office.previous")}</a>')
    if page.number < page.pages:
        on = _e(_link(page, page=page.number + 1))
        pager.append(f'<a href="{on}">{t(lang, "web.office.next")}</a>')
    return (
        f'{search}<p role="status">{found}</p><div class="scroll"><table class="seniors">'
        f"<thead><tr>{''.join(heads)}</tr></thead><tbody>{rows}</tbody></table></div>"
        f'<p class="pager">{" ".join(pager)}</p>'
    )


def _senior_row(r: Resident, page: SeniorsPage, tiers: list[SubsidyTier], lang: str) -> str:
    edit = t(lang, "web.office.edit", name=r.name)
    address = " ".join(part for part in (r.building, r.unit, r.room) if part)
    yes_no = t(lang, "web.office.yes" if r.can_have_delivery else "web.office.no")
    diet = "+".join(r.diet_tags) + (f"|{r.allergies}" if r.allergies else "")
    return (
        f'<tr><th scope="row"><a href="?tab=seniors&amp;senior={r.id}" aria-label="{edit}">'
        f"{_e(r.name)}</a></th><td>{_e(r.phone)}</td><td>{_e(address)}</td>"
        f"<td>{_e(_tier_name(r.tier_code, tiers, lang))}</td>"
        f"<td>{diet_label(diet, lang)}</td>"
        f"<td>{yes_no}</td><td>{t(lang, f'web.office.state.{r.status}')}</td></tr>"
    )


def _input(name: str, value: str, lang: str) -> str:
    return (
        f'<label for="f-{name}">{t(lang, f"web.office.{name}")}</label>'
        f'<input id="f-{name}" type="text" name="{name}" value="{_e(value)}">'
    )


def senior(r: Resident, tiers: list[SubsidyTier], lang: str, notice: Html | None = None) -> str:
    shown = f'<p class="notice" role="status">{notice}</p>' if notice else ""
    fields = "".join(
        _input(name, getattr(r, name), lang)
        for name in ("building", "unit", "room", "door_notes", "allergies")
    )
    diets = "".join(
        f'<label><input type="checkbox" name="diet" value="{tag}"'
        f"{' checked' if tag in r.diet_tags else ''}> {t(lang, f'staff.diet.{tag}')}</label>"
        for tag in registration.DIETS
    )
    options = [("", t(lang, "web.office.tier_by_age"))] + [
        (tier.code, tier.name_zh if lang == "zh" else tier.name) for tier in tiers
    ]
    tier_options = "".join(
        f'<option value="{_e(code)}"{" selected" if (code or None) == r.tier_code else ""}>'
        f"{_e(name)}</option>"
        for code, name in options
    )
    delivery = " checked" if r.delivery_eligible else ""
    return (
        f'{shown}<p><a href="?tab=seniors">{t(lang, "web.office.back")}</a></p>'
        f"<h2>{_e(r.name)} · {_e(r.phone)}</h2>"
        f'<form data-action="senior" class="dish-form"><input type="hidden" name="resident"'
        f' value="{r.id}">{fields}'
        f'<fieldset class="tags"><legend>{t(lang, "web.office.diet")}</legend>{diets}</fieldset>'
        f'<label for="f-tier">{t(lang, "web.office.tier")}</label>'
        f'<select id="f-tier" name="tier">{tier_options}</select>'
        f'<label class="wide"><input type="checkbox" name="delivery" value="1"{delivery}> '
        f"{t(lang, 'web.office.may_deliver')}</label>"
        f'<button type="submit" class="primary">{t(lang, "web.office.save", name=r.name)}'
        "</button></form>"
    )


def approvals(residents: list[Resident], roles: list[PendingRole], lang: str) -> str:
    if not residents and not roles:
        return f'<p class="none">{t(lang, "web.office.no_waiting")}</p>'
    items = []
    for r in residents:
        address = " ".join(part for part in (r.building, r.unit, r.room) if part)
        items.append(
            f'<li class="order"><span class="who">{_e(r.name)}</span>'
            f'<span class="what">{_e(r.phone)} · {_e(address)}</span>'
            f'<button type="button" class="primary" data-action="approve" data-resident="{r.id}"'
            f' data-approve="1">{t(lang, "web.office.approve", name=r.name)}</button>'
            f'<button type="button" data-action="approve" data-resident="{r.id}"'
            f' data-approve="0">{t(lang, "web.office.decline", name=r.name)}</button></li>'
        )
    for role in roles:
        name = role.volunteer_name or role.first_name
        data = (
            f'data-account="{role.account_id}" data-canteen="{role.canteen_id}"'
            f' data-role="{role.role}"'
        )
        wants = t(lang, "web.office.wants_role", name=name, role=t(lang, f"staff.role.{role.role}"))
        items.append(
            f'<li class="order"><span class="who">{wants}</span>'
            f'<button type="button" class="primary" data-action="role" {data} data-approve="1">'
            f"{t(lang, 'web.office.approve', name=name)}</button>"
            f'<button type="button" data-action="role" {data} data-approve="0">'
            f"{t(lang, 'web.office.decline', name=name)}</button></li>"
        )
    return f'<ul class="orders">{"".join(items)}</ul>'


def _invite_label(kind: str, lang: str) -> Html:
    return t(lang, "web.office.invite", role=t(lang, f"staff.role.{kind}"))


def team(pages: list[Page[Member]], lang: str, notice: str = "") -> str:
    shown = f'<p class="notice" role="status">{notice}</p>' if notice else ""
    parts = [shown]
    for page in pages:
        canteen = page.canteen
        name = canteen.name_en if lang == "en" and canteen.name_en else canteen.name
        rows = "".join(
            f'<li class="order"><span class="who">{_e(m.name)}</span>'
            f'<span class="status">{t(lang, f"staff.role.{m.role}")}</span>'
            f'<button type="button" data-action="remove" data-canteen="{canteen.id}"'
            f' data-account="{m.account_id}" data-role="{m.role}">'
            f"{t(lang, 'web.office.remove', name=m.name, role=t(lang, f'staff.role.{m.role}'))}"
            "</button></li>"
            for m in page.items
            if m.role != "admin"
        )
        invites = "".join(
            f'<button type="button" data-action="invite" data-canteen="{canteen.id}"'
            f' data-kind="{kind}">{_invite_label(kind, lang)}</button> '
            for kind in ("staff", "volunteer")
        )
        parts.append(
            f"<section><h2>{t(lang, 'web.office.members', canteen=name)}</h2>"
            f'<ul class="orders">{rows}</ul><p>{invites}</p></section>'
        )
    return "".join(parts)


def alerts(found: list[Alert], tz: tzinfo, lang: str) -> str:
    if not found:
        return f'<p class="none">{t(lang, "web.office.no_alerts")}</p>'
    rows = []
    for a in found:
        kind = t(lang, f"web.office.kind.{a.kind}")
        since = a.opened_at.astimezone(tz).strftime("%m-%d %H:%M")
        what = t(lang, "web.office.alert", order=a.order_id, kind=kind, since=since)
        rows.append(
            f'<li class="order"><span class="who">{what}</span><button type="button"'
            f' class="primary" data-action="handled" data-alert="{a.id}">'
            f"{t(lang, 'web.office.handled', order=a.order_id)}</button></li>"
        )
    return f'<ul class="orders">{"".join(rows)}</ul>'


def incidents(found: list[Listed], number: int, now: datetime, lang: str) -> str:
    """The open incidents, oldest first, each with its age and who holds it: a page at a
    time, each a link to its card and what may be done to it."""
    if not found:
        return f'<p class="none">{t(lang, "incident.list.empty")}</p>'
    pages = max(1, -(-len(found) // INCIDENTS_PAGE))
    number = min(max(number, 1), pages)
    shown = found[(number - 1) * INCIDENTS_PAGE : number * INCIDENTS_PAGE]
    rows = []
    for item in shown:
        incident = item.incident
        who = (
            t(lang, "incident.list.taken", name=item.taker)
            if item.taker
            else t(lang, "incident.list.untaken")
        )
        open_label = t(lang, "web.office.incident_open", id=incident.id, name=item.resident.name)
        rows.append(
            f'<li class="order"><span class="who"><a href="?tab=incidents&amp;incident='
            f'{incident.id}" aria-label="{open_label}">#{incident.id}</a></span>'
            f'<span class="what">{incident_messages.age(incident.opened_at, now, lang)} · '
            f"{incident_messages.what(incident.kind, lang)} · {_e(item.resident.name)}</span>"
            f'<span class="status">{who}</span></li>'
        )
    pager = []
    if number > 1:
        pager.append(
            f'<a href="?tab=incidents&amp;page={number - 1}">{t(lang, "web.office.previous")}</a>'
        )
    if number < pages:
        pager.append(
            f'<a href="?tab=incidents&amp;page={number + 1}">{t(lang, "web.office.next")}</a>'
        )
    title = t(lang, "web.office.incidents_found", count=len(found), page=number, pages=pages)
    return (
        f'<p role="status">{title}</p><ul class="orders incidents">{"".join(rows)}</ul>'
        f'<p class="pager">{" ".join(pager)}</p>'
    )


def incident(seen: View, tz: tzinfo, lang: str, notice: Html | None = None) -> str:
    """One incident's card as the chat shows it, and the chat's three actions: take it,
    add a note, close it with how it ended."""
    shown = f'<p class="notice" role="status">{notice}</p>' if notice else ""
    found = seen.incident
    card = incident_messages.card(seen, lang, tz).replace("\n", "<br>")
    back = f'<p><a href="?tab=incidents">{t(lang, "web.office.incidents_back")}</a></p>'
    head = f'{shown}{back}<section class="card" aria-label="#{found.id}"><p>{card}</p></section>'
    if found.closed_at is not None:
        return head
    take = ""
    if found.taken_at is None:
        take = (
            f'<p><button type="button" class="primary" data-action="incident_take"'
            f' data-incident="{found.id}">{t(lang, "incident.button.take")}</button></p>'
        )
    note = (
        f'<form data-action="incident_note" class="dish-form"><input type="hidden"'
        f' name="incident" value="{found.id}"><label for="incident-note">'
        f"{t(lang, 'web.office.incident_note', id=found.id)}</label>"
        f'<textarea id="incident-note" name="text" rows="3"'
        f' maxlength="{NOTE_LIMIT}"></textarea>'
        f'<button type="submit">{t(lang, "incident.button.note")}</button></form>'
    )
    outcomes = "".join(
        f'<label><input type="radio" name="outcome" value="{outcome}" required> '
        f"{incident_messages.outcome_words(outcome, lang)}</label>"
        for outcome in incident_messages.CLOSE_OUTCOMES
    )
    close = (
        f'<form data-action="incident_close" class="dish-form"><input type="hidden"'
        f' name="incident" value="{found.id}"><fieldset class="tags"><legend>'
        f"{t(lang, 'incident.close_ask', id=found.id)}</legend>{outcomes}</fieldset>"
        f'<button type="submit">{t(lang, "incident.button.close")}</button></form>'
    )
    return head + take + note + close


def month(reports: list[figures.Report], lang: str) -> str:
    parts = []
    for report in reports:
        title = t(lang, "web.office.figures", canteen=report.canteen, month=report.month)
        cells = (
            ("served", str(report.meals)),
            ("price", yuan(report.price_fen)),
            ("subsidy", yuan(report.subsidy_fen)),
            ("paid", yuan(report.pay_fen)),
            ("unserved", str(report.unserved_meals)),
        )
        rows = "".join(
            f'<tr><th scope="row">{t(lang, f"web.office.{key}")}</th>'
            f'<td class="n">{value}</td></tr>'
            for key, value in cells
        )
        picture = base64.b64encode(report_messages.chart(lang, report)).decode()
        parts.append(
            f'<section><h2>{title}</h2><table class="figures"><tbody>{rows}</tbody></table>'
            f'<img class="chart" src="data:image/png;base64,{picture}"'
            f' alt="{t(lang, "web.office.chart")}"></section>'
        )
    return "".join(parts)


def roster_form(lang: str) -> str:
    return (
        f'<details class="add" id="roster-more"><summary>{t(lang, "web.office.roster")}</summary>'
        f'<form data-action="roster" class="photo-form"><label for="roster-file">'
        f'{t(lang, "web.office.roster_file")}</label> <input id="roster-file" type="file"'
        f' name="file" accept=".csv,.xlsx,text/csv"><button type="submit">'
        f"{t(lang, 'web.office.roster_check')}</button></form></details>"
    )


def roster_preview(found: Preview, lang: str) -> str:
    """The chat's dry run, word for word, with Import (when someone is new) and Cancel."""
    buttons = ""
    if found.new:
        label = t(lang, "admin.roster.import_button", count=len(found.new))
        buttons += (
            f'<button type="button" class="primary" data-action="roster_import"'
            f' data-import="{found.import_id}">{label}</button> '
        )
    buttons += (
        f'<button type="button" data-action="roster_cancel" data-import="{found.import_id}">'
        f"{t(lang, 'admin.roster.cancel_button')}</button>"
    )
    summary = people_messages.roster_summary(lang, found)
    return f'<div class="notice dry-run" role="status">{summary}</div><p>{buttons}</p>'


def roster_pick(found: Pick, lang: str) -> str:
    buttons = "".join(
        f'<button type="button" data-action="roster_canteen" data-import="{found.import_id}"'
        f' data-canteen="{canteen.id}">{_e(canteen.display_name(lang))}</button> '
        for canteen in found.choices
    )
    return f'<p role="status">{t(lang, "admin.roster_canteen.which")}</p><p>{buttons}</p>'
