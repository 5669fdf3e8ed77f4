"""Registering a senior, one question per message; then the admins' Approve / Decline."""

from __future__ import annotations

from dataclasses import asdict

from telegram import KeyboardButton, Update

from bot.core.callbacks import unpack
from bot.core.errors import DomainError, NotAllowedError
from bot.core.i18n import Html, t, voiced
from bot.services.ordering.pricing import AGE_BANDS
from bot.services.people import messages, registration, resident_approval
from bot.services.people.registration import DIETS, Answers
from data.models import Resident
from handlers import resident_flow as flow_
from handlers.common import Context, deps_of, language_of, refuse, tell
from handlers.resident_flow import Feature, Flow, Reply, account_of

OPTIONAL = ("unit", "allergies")
TYPED = ("name", "building", "room", *OPTIONAL)
NEXT = {
    "whom": "name", "name": "phone", "phone": "age", "age": "building", "building": "unit",
    "unit": "room", "room": "location", "location": "alone", "alone": "diet",
    "allergies": "diet", "diet": "canteen", "canteen": "confirm",
}  # fmt: skip


async def begin(update: Update, context: Context) -> None:
    """'Register': for myself, or for someone I care for (unless too many are waiting)."""
    try:
        await registration.may_begin(deps_of(context), account_of(update))
    except DomainError as error:  # a message: a tap that got here is answered already
        lang = await language_of(update, context)
        await tell(update, context, t(lang, error.key, **error.values))
        return
    flow = flow_.begin(context, "register", "whom", asdict(Answers()))
    await ask(update, context, flow)


async def begin_from_button(update: Update, context: Context) -> None:
    """The 'Register another person' button on the Family screen."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    await begin(update, context)


async def ask(update: Update, context: Context, flow: Flow) -> None:
    """Ask the question of the current step, with its buttons."""
    lang, step = await language_of(update, context), flow.step
    special = None
    if step == "phone" and flow.data["relation"] == "self":
        special = KeyboardButton(t(lang, "resident.register.share_phone"), request_contact=True)
    elif step == "location":
        special = KeyboardButton(t(lang, "resident.register.share_location"), request_location=True)
    own = flow.data["relation"] == "self"  # she registers herself: "you", not "they"
    question = t(lang, voiced(lang, f"resident.register.ask_{step}", own and step != "whom"))
    if step == "confirm":
        card = Html(messages.resident_card(lang, _preview(flow)))
        question = t(lang, "resident.register.ask_confirm", card=card)
    rows = await _rows(update, context, flow, lang)
    await flow_.ask(update, context, flow, question, rows, special=special)


async def _rows(update: Update, context: Context, flow: Flow, lang: str) -> flow_.Rows:
    step = flow.step
    user = update.effective_user
    if step == "whom":
        return [
            [(t(lang, "resident.register.myself"), "self")],
            [(t(lang, "resident.register.someone"), "family")],
        ]
    if step == "name" and flow.data["relation"] == "self" and user is not None:
        return [[(user.first_name, user.first_name)]]
    if step == "age":
        return [[(t(lang, f"resident.age.band{band}"), str(band)) for band in AGE_BANDS]]
    if step in OPTIONAL:
        return [[(t(lang, f"resident.register.no_{step}"), "")]]
    if step == "location":
        return [[(t(lang, "resident.register.skip"), "")]]
    if step == "alone":
        return [[(t(lang, "resident.register.yes"), "1"), (t(lang, "resident.register.no"), "0")]]
    if step == "diet":
        return _diet_rows(lang, flow.data["diet"])
    if step == "canteen":
        deps = deps_of(context)
        found = await registration.canteen_choices(deps, flow.data["lat"], flow.data["lon"])
        return [[(canteen.display_name(lang), str(canteen.id))] for canteen in found]
    if step == "confirm":
        return [[(t(lang, "resident.register.send"), "send")]]
    return []


def _diet_rows(lang: str, chosen: list[str]) -> flow_.Rows:
    marks = [
        (("✅ " if tag in chosen else "") + t(lang, f"resident.diet.{tag}"), tag) for tag in DIETS
    ]
    rows = [marks[i : i + 2] for i in range(0, len(marks), 2)]
    rows.append([(t(lang, "resident.register.allergies_button"), "allergies")])
    rows.append([(t(lang, "resident.register.done"), "done")])
    return rows


def _preview(flow: Flow) -> Resident:
    data = flow.data
    return Resident.model_validate(
        {**data, "id": 0, "canteen_id": data["canteen_id"] or 0, "diet": ",".join(data["diet"]),
         "delivery_eligible": False, "tier_code": None, "status": "pending",
         "created_by": None, "created_at": "2000-01-01T00:00:00+00:00"}
    )  # fmt: skip


async def answer(update: Update, context: Context, flow: Flow, reply: Reply) -> None:
    """Check and keep one answer, then ask the next question."""
    step, data = flow.step, flow.data
    if step == "confirm":
        await _submit(update, context, flow, reply)
        return
    if step == "diet" and reply.choice not in ("done", "allergies", None):
        tags = set(data["diet"]) ^ {reply.choice}
        data["diet"] = [tag for tag in DIETS if tag in tags]
        await ask(update, context, flow)
        return
    _keep(step, data, reply, registration.default_country(deps_of(context)))
    flow.go("allergies" if step == "diet" and reply.choice == "allergies" else NEXT[step])
    if flow.step == "canteen":
        found = await registration.canteen_choices(deps_of(context), None, None)
        if len(found) == 1:
            data["canteen_id"], flow.step = found[0].id, "confirm"
    await ask(update, context, flow)


def _keep(step: str, data: dict[str, object], reply: Reply, country: str) -> None:
    if step in TYPED:
        optional = step in OPTIONAL
        raw = reply.choice if optional and reply.choice is not None else reply.text
        data[step] = registration.clean(step, raw, optional=optional)
    elif step == "phone":
        shared = reply.phone is not None
        data["phone"] = registration.clean_phone(reply.phone or reply.text, country, shared=shared)
    elif step == "location" and reply.location is not None:
        data["lat"], data["lon"] = reply.location
    elif reply.choice is None:
        raise DomainError("resident.flow.tap_button")
    elif step == "whom":
        data["relation"] = reply.choice
    elif step == "age":
        data["age_band"] = int(reply.choice)
    elif step == "alone":
        data["lives_alone"] = reply.choice == "1"
    elif step == "canteen":
        data["canteen_id"] = int(reply.choice)


async def _submit(update: Update, context: Context, flow: Flow, reply: Reply) -> None:
    if reply.choice != "send":
        raise DomainError("resident.flow.tap_button")
    lang = await language_of(update, context)
    answers = Answers(**flow.data)
    try:
        done = await registration.register(deps_of(context), account_of(update), answers)
    except registration.LimitError as error:  # the questions end: trying again will not help
        await flow_.finish(update, context, t(lang, error.key, **error.values))
        return
    key = voiced(lang, "resident.register.sent", answers.relation == "self")
    if done.linked:
        approved = done.resident.status == "approved"
        key = "resident.one_record.linked" if approved else "resident.one_record.linked_pending"
    await flow_.finish(update, context, t(lang, key, name=done.resident.name))


async def decided(update: Update, context: Context) -> None:
    """An admin pressed Approve or Decline on an approval card."""
    query = update.callback_query
    callback = unpack(resident_approval.PREFIX, query.data if query else None)
    lang = await language_of(update, context)
    try:
        if query is None or callback is None or callback.action not in ("ok", "no"):
            raise NotAllowedError("core.error.stale_button")
        resident = await resident_approval.decide(
            deps_of(context), account_of(update), callback.int_arg(0), callback.action == "ok"
        )
    except (DomainError, ValueError, IndexError) as error:
        await refuse(
            update, context, error if isinstance(error, DomainError) else NotAllowedError()
        )
        return
    await query.answer()
    await query.edit_message_text(
        t(lang, f"resident.approval.done_{resident.status}", name=resident.name)
    )


FEATURE = Feature(
    asks=dict.fromkeys((*NEXT, "confirm"), ask),
    answers=dict.fromkeys((*NEXT, "confirm"), answer),
)
