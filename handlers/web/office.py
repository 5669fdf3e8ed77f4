"""The office (community admins): seniors, approvals, the team, open alerts, this month."""

from __future__ import annotations

from aiohttp import web
from multidict import MultiDictProxy

from bot.core.deps import Deps
from bot.core.errors import DomainError
from bot.core.i18n import Html, t
from bot.services.delivery import alerts as alert_service
from bot.services.incidents import handling
from bot.services.incidents import messages as incident_messages
from bot.services.people import approvals, office, resident_approval, roster, staff, team
from bot.services.people.approvals import Queue
from data.alerts import Alert
from handlers.web import office_view
from handlers.web.server import BOT, page, screen_json

Form = MultiDictProxy[str | bytes | bytearray | web.FileField]


def _number(value: object, default: int | None = None) -> int:
    if isinstance(value, str) and value.isdigit():
        return int(value)
    if default is not None:
        return default
    raise DomainError("core.error.stale_button")


def _text(form: Form, name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


async def _head(deps: Deps, admin_id: int, lang: str, tab: str) -> tuple[str, Queue, list[Alert]]:
    """The tabs, with what waits; an account that is no admin gets the chat's refusal."""
    queue = await approvals.queue(deps, admin_id)
    open_alerts = await office.open_alerts(deps, admin_id)
    open_incidents = await handling.open_list(deps, admin_id)
    waiting = len(queue.residents) + len(queue.roles)
    head = office_view.tabs(tab, waiting, len(open_alerts), len(open_incidents), lang)
    return head, queue, open_alerts


async def _tab(
    deps: Deps, admin_id: int, lang: str, request: web.Request, tab: str, notice: str = ""
) -> str:
    """The tabs and one section."""
    head, queue, open_alerts = await _head(deps, admin_id, lang, tab)
    shown = f'<p class="notice" role="status">{notice}</p>' if notice else ""
    tiers = deps.config.canteens.subsidy_tiers
    query = request.query
    if tab == "approvals":
        body = office_view.approvals(queue.residents, queue.roles, lang)
    elif tab == "team":
        canteens = await team.admin_canteens(deps, admin_id)
        pages = [await team.team_page(deps, admin_id, c.id, 0) for c in canteens]
        body = office_view.team(pages, lang)
    elif tab == "alerts":
        body = office_view.alerts(open_alerts, deps.clock.tz, lang)
    elif tab == "incidents" and "incident" in query:
        seen = await handling.see(deps, admin_id, _number(query.get("incident")))
        body = office_view.incident(seen, deps.clock.tz, lang)
    elif tab == "incidents":
        listed = await handling.open_list(deps, admin_id)
        number = _number(query.get("page"), 1)
        body = office_view.incidents(listed, number, deps.clock.now(), lang)
    elif tab == "month":
        body = office_view.month(await office.month(deps, admin_id, lang), lang)
    elif "senior" in query:
        found = await office.senior(deps, admin_id, _number(query.get("senior")))
        body = office_view.senior(found, tiers, lang)
    else:
        shown_page = await office.seniors(
            deps,
            admin_id,
            query.get("q", ""),
            query.get("sort", "name"),
            _number(query.get("page"), 1),
        )
        body = office_view.seniors(shown_page, tiers, lang) + office_view.roster_form(lang)
    return head + shown + body


async def _show(deps: Deps, admin_id: int, lang: str, request: web.Request) -> str:
    tab = request.query.get("tab", "seniors")
    return await _tab(deps, admin_id, lang, request, tab if tab in office_view.TABS else "seniors")


async def _senior(deps: Deps, admin_id: int, lang: str, request: web.Request) -> str:
    form = await request.post()
    edit = office.SeniorEdit(
        building=_text(form, "building"),
        unit=_text(form, "unit"),
        room=_text(form, "room"),
        door_notes=_text(form, "door_notes"),
        allergies=_text(form, "allergies"),
        diet=[v for v in form.getall("diet", []) if isinstance(v, str)],
        tier=_text(form, "tier"),
        delivery=_text(form, "delivery") == "1",
    )
    saved = await office.edit(deps, admin_id, _number(form.get("resident")), edit)
    head = await _tab(deps, admin_id, lang, request, "seniors")
    head = head.split('<form method="get"', 1)[0]  # the tabs, without the table
    tiers = deps.config.canteens.subsidy_tiers
    return head + office_view.senior(
        saved, tiers, lang, t(lang, "web.office.saved", name=saved.name)
    )


async def _approve(deps: Deps, admin_id: int, lang: str, request: web.Request) -> str:
    form = await request.post()
    yes = _text(form, "approve") == "1"
    found = await resident_approval.decide(deps, admin_id, _number(form.get("resident")), yes)
    notice = t(lang, "web.office.approved" if yes else "web.office.declined", name=found.name)
    return await _tab(deps, admin_id, lang, request, "approvals", notice)


async def _role(deps: Deps, admin_id: int, lang: str, request: web.Request) -> str:
    form = await request.post()
    role = approvals.role_of(_text(form, "role"))
    name = await approvals.decide_role(
        deps,
        admin_id,
        _number(form.get("account")),
        _number(form.get("canteen")),
        role,
        _text(form, "approve") == "1",
    )
    notice = t(lang, "web.office.role_approved", name=name)
    return await _tab(deps, admin_id, lang, request, "approvals", notice)


async def _remove(deps: Deps, admin_id: int, lang: str, request: web.Request) -> str:
    form = await request.post()
    removed = await team.remove(
        deps,
        admin_id,
        _number(form.get("canteen")),
        _number(form.get("account")),
        _text(form, "role"),
    )
    member = removed.member
    role = t(lang, f"staff.role.{member.role}")
    notice = t(lang, "web.office.removed", name=member.name, role=role)
    return await _tab(deps, admin_id, lang, request, "team", notice)


async def _invite(deps: Deps, admin_id: int, lang: str, request: web.Request) -> str:
    form = await request.post()
    made = await staff.create_invite(
        deps, admin_id, _text(form, "kind"), _number(form.get("canteen"))
    )
    link = f"https://t.me/{request.app[BOT].username}?start=join_{made.code}"
    notice = t(
        lang,
        "web.office.invite_link",
        role=t(lang, f"staff.role.{made.kind}"),
        expires=f"{made.expires_at.astimezone(deps.clock.tz):%Y-%m-%d %H:%M}",
        link=link,
    )
    return await _tab(deps, admin_id, lang, request, "team", notice)


async def _handled(deps: Deps, admin_id: int, lang: str, request: web.Request) -> str:
    form = await request.post()
    await approvals.admin_canteens(deps, admin_id)
    done = await alert_service.handle(deps, admin_id, _number(form.get("alert")))
    notice = t(lang, "web.office.alert_handled", order=done.alert.order_id)
    return await _tab(deps, admin_id, lang, request, "alerts", notice)


async def _incident_shown(
    deps: Deps, admin_id: int, lang: str, request: web.Request, seen: handling.View, notice: Html
) -> str:
    """The tabs, and the incident's card again with what was just done said above it."""
    head, _, _ = await _head(deps, admin_id, lang, "incidents")
    return head + office_view.incident(seen, deps.clock.tz, lang, notice)


async def _incident_take(deps: Deps, admin_id: int, lang: str, request: web.Request) -> str:
    """ "I'll handle it" from the office: the chat's own service, the others told who has it."""
    form = await request.post()
    await approvals.admin_canteens(deps, admin_id)
    seen = await handling.take(deps, admin_id, _number(form.get("incident")))
    notice = t(lang, "incident.taken_done", id=seen.incident.id)
    return await _incident_shown(deps, admin_id, lang, request, seen, notice)


async def _incident_note(deps: Deps, admin_id: int, lang: str, request: web.Request) -> str:
    form = await request.post()
    await approvals.admin_canteens(deps, admin_id)
    seen = await handling.note(deps, admin_id, _number(form.get("incident")), _text(form, "text"))
    notice = t(lang, "incident.note.saved", id=seen.incident.id)
    return await _incident_shown(deps, admin_id, lang, request, seen, notice)


async def _incident_close(deps: Deps, admin_id: int, lang: str, request: web.Request) -> str:
    """Closed with how it ended, as from the chat: her family hears it."""
    form = await request.post()
    await approvals.admin_canteens(deps, admin_id)
    incident_id = _number(form.get("incident"))
    seen = await handling.close(deps, admin_id, incident_id, _text(form, "outcome"))
    outcome = incident_messages.outcome_words(seen.incident.outcome or "other", lang)
    notice = t(lang, "web.office.incident_closed", id=incident_id, outcome=outcome)
    return await _tab(deps, admin_id, lang, request, "incidents", notice)


async def _roster(deps: Deps, admin_id: int, lang: str, request: web.Request) -> str:
    """A roster file checked as the chat checks one sent to it: kept, and a dry run."""
    form = await request.post()
    sent = form.get("file")
    if not isinstance(sent, web.FileField):
        raise DomainError("admin.roster.bad_file")
    content = sent.file.read(roster.MAX_BYTES + 1)
    found = await roster.stage(deps, admin_id, sent.filename or "", content)
    head, _, _ = await _head(deps, admin_id, lang, "seniors")
    if isinstance(found, roster.Pick):
        return head + office_view.roster_pick(found, lang)
    return head + office_view.roster_preview(found, lang)


async def _roster_canteen(deps: Deps, admin_id: int, lang: str, request: web.Request) -> str:
    form = await request.post()
    found = await roster.choose(
        deps, admin_id, _number(form.get("import")), _number(form.get("canteen"))
    )
    head, _, _ = await _head(deps, admin_id, lang, "seniors")
    return head + office_view.roster_preview(found, lang)


async def _roster_import(deps: Deps, admin_id: int, lang: str, request: web.Request) -> str:
    form = await request.post()
    added = await roster.confirm(deps, admin_id, _number(form.get("import")))
    notice = t(lang, "admin.roster.imported", count=added)
    return await _tab(deps, admin_id, lang, request, "seniors", notice)


async def _roster_cancel(deps: Deps, admin_id: int, lang: str, request: web.Request) -> str:
    return await _tab(deps, admin_id, lang, request, "seniors")


TITLE = "web.page.office"
ROUTES = [
    web.get("/office", page("office")),
    web.get("/api/office", screen_json(TITLE, _show)),
    web.post("/api/office/senior", screen_json(TITLE, _senior)),
    web.post("/api/office/approve", screen_json(TITLE, _approve)),
    web.post("/api/office/role", screen_json(TITLE, _role)),
    web.post("/api/office/remove", screen_json(TITLE, _remove)),
    web.post("/api/office/invite", screen_json(TITLE, _invite)),
    web.post("/api/office/handled", screen_json(TITLE, _handled)),
    web.post("/api/office/incident_take", screen_json(TITLE, _incident_take)),
    web.post("/api/office/incident_note", screen_json(TITLE, _incident_note)),
    web.post("/api/office/incident_close", screen_json(TITLE, _incident_close)),
    web.post("/api/office/roster", screen_json(TITLE, _roster)),
    web.post("/api/office/roster_canteen", screen_json(TITLE, _roster_canteen)),
    web.post("/api/office/roster_import", screen_json(TITLE, _roster_import)),
    web.post("/api/office/roster_cancel", screen_json(TITLE, _roster_cancel)),
]
