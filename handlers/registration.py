"""Registering a senior, one question per message; then the admins' Approve / Decline.

The answers are the service's own `Answers`, filled one step at a time and kept in the
store with the flow, so a restart goes on at the same question.
"""

from __future__ import annotations

from telegram import KeyboardButton, Update

from bot.core.callbacks import unpack
from bot.core.errors import DomainError, NotAllowedError
from bot.core.i18n import Html, t, voiced
from bot.services.ordering.pricing import AGE_BANDS
from bot.services.people import messages, registration, resident_approval
from bot.services.people.registration import DIETS, Answers
from data.models import Resident
from handlers import conversation, multiselect
from handlers.common import Context, deps_of, language_of, refuse, tell
from handlers.conversation import Feature, Flow, Reply, account_of

NAME = "register"
WHOM, FULL_NAME, PHONE, AGE, BUILDING, UNIT = "whom", "name", "phone", "age", "building", "unit"
ROOM, LOCATION, ALONE, DIET, ALLERGIES = "room", "location", "alone", "diet", "allergies"
CANTEEN, CONFIRM = "canteen", "confirm"
# The diet question's buttons besides the diets themselves.
TO_ALLERGIES, DONE = "allergies", "done"

Registering = Flow[Answers]


async def begin(update: Update, context: Context) -> None:
    """'Register': for myself, or for someone I care for (unless too many are waiting)."""
    try:
        await registration.may_begin(deps_of(context), account_of(update))
    except DomainError as error:  # a message: a tap that got here is answered already
        lang = await language_of(update, context)
        await tell(update, context, t(lang, error.key, **error.values))
        return
    await ask(update, context, conversation.begin(context, NAME, WHOM, Answers()))


async def begin_from_button(update: Update, context: Context) -> None:
    """The 'Register another person' button on the Family screen."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    await begin(update, context)


async def ask(update: Update, context: Context, flow: Registering) -> None:
    """Ask the question of the current step, with its buttons."""
    lang, step, own = await language_of(update, context), flow.step, flow.data.relation == "self"
    special = None
    if step == PHONE and own:
        special = KeyboardButton(t(lang, "resident.register.share_phone"), request_contact=True)
    elif step == LOCATION:
        special = KeyboardButton(t(lang, "resident.register.share_location"), request_location=True)
    # she registers herself: "you", not "they"
    question = t(lang, voiced(lang, f"resident.register.ask_{step}", own and step != WHOM))
    if step == CONFIRM:
        card = Html(messages.resident_card(lang, _preview(flow.data)))
        question = t(lang, "resident.register.ask_confirm", card=card)
    rows = await _rows(update, context, flow, lang)
    await conversation.ask(update, context, flow, question, rows, special=special)


async def _rows(
    update: Update, context: Context, flow: Registering, lang: str
) -> conversation.Rows:
    step, user = flow.step, update.effective_user
    if step == WHOM:
        return [
            [(t(lang, "resident.register.myself"), "self")],
            [(t(lang, "resident.register.someone"), "family")],
        ]
    if step == FULL_NAME and flow.data.relation == "self" and user is not None:
        return [[(user.first_name, user.first_name)]]
    if step == AGE:
        return [[(t(lang, f"resident.age.band{band}"), str(band)) for band in AGE_BANDS]]
    if step in (UNIT, ALLERGIES):
        return [[(t(lang, f"resident.register.no_{step}"), "")]]
    if step == LOCATION:
        return [[(t(lang, "resident.register.skip"), "")]]
    if step == ALONE:
        return [[(t(lang, "resident.register.yes"), "1"), (t(lang, "resident.register.no"), "0")]]
    if step == DIET:
        return _diet_rows(lang, flow.data.diet)
    if step == CANTEEN:
        found = await registration.canteen_choices(deps_of(context), flow.data.lat, flow.data.lon)
        return [[(canteen.display_name(lang), str(canteen.id))] for canteen in found]
    if step == CONFIRM:
        return [[(t(lang, "resident.register.send"), "send")]]
    return []


def _diet_rows(lang: str, chosen: list[str]) -> conversation.Rows:
    diets = [(t(lang, f"resident.diet.{tag}"), tag) for tag in DIETS]
    rows = multiselect.in_rows(multiselect.marked(diets, chosen), 2)
    rows.append([(t(lang, "resident.register.allergies_button"), TO_ALLERGIES)])
    rows.append([(t(lang, "resident.register.done"), DONE)])
    return rows


def _preview(answers: Answers) -> Resident:
    return Resident.model_validate(
        {**vars(answers), "id": 0, "canteen_id": answers.canteen_id or 0,
         "diet": ",".join(answers.diet), "delivery_eligible": False, "tier_code": None,
         "status": "pending", "created_by": None, "created_at": "2000-01-01T00:00:00+00:00"}
    )  # fmt: skip


async def _go(update: Update, context: Context, flow: Registering, step: str) -> None:
    flow.go(step)
    await ask(update, context, flow)


def _typed(step: str, reply: Reply, *, optional: bool = False) -> str:
    """A typed answer, checked; an optional one may be its 'no …' button instead."""
    raw = reply.choice if optional and reply.choice is not None else reply.text
    return registration.clean(step, raw, optional=optional)


def _tapped(reply: Reply) -> str:
    if reply.choice is None:
        raise DomainError("resident.flow.tap_button")
    return reply.choice


async def answer_whom(update: Update, context: Context, flow: Registering, reply: Reply) -> None:
    flow.data.relation = "family" if _tapped(reply) == "family" else "self"
    await _go(update, context, flow, FULL_NAME)


async def answer_name(update: Update, context: Context, flow: Registering, reply: Reply) -> None:
    flow.data.name = _typed(FULL_NAME, reply)
    await _go(update, context, flow, PHONE)


async def answer_phone(update: Update, context: Context, flow: Registering, reply: Reply) -> None:
    country, shared = registration.default_country(deps_of(context)), reply.phone is not None
    flow.data.phone = registration.clean_phone(reply.phone or reply.text, country, shared=shared)
    await _go(update, context, flow, AGE)


async def answer_age(update: Update, context: Context, flow: Registering, reply: Reply) -> None:
    flow.data.age_band = int(_tapped(reply))
    await _go(update, context, flow, BUILDING)


async def answer_building(
    update: Update, context: Context, flow: Registering, reply: Reply
) -> None:
    flow.data.building = _typed(BUILDING, reply)
    await _go(update, context, flow, UNIT)


async def answer_unit(update: Update, context: Context, flow: Registering, reply: Reply) -> None:
    flow.data.unit = _typed(UNIT, reply, optional=True)
    await _go(update, context, flow, ROOM)


async def answer_room(update: Update, context: Context, flow: Registering, reply: Reply) -> None:
    flow.data.room = _typed(ROOM, reply)
    await _go(update, context, flow, LOCATION)


async def answer_location(
    update: Update, context: Context, flow: Registering, reply: Reply
) -> None:
    if reply.location is not None:
        flow.data.lat, flow.data.lon = reply.location
    else:
        _tapped(reply)  # Skip
    await _go(update, context, flow, ALONE)


async def answer_alone(update: Update, context: Context, flow: Registering, reply: Reply) -> None:
    flow.data.lives_alone = _tapped(reply) == "1"
    await _go(update, context, flow, DIET)


async def answer_diet(update: Update, context: Context, flow: Registering, reply: Reply) -> None:
    """A diet toggles; Allergies asks about them; Done goes on to the canteen."""
    choice = _tapped(reply)
    if choice == TO_ALLERGIES:
        await _go(update, context, flow, ALLERGIES)
    elif choice == DONE:
        await _to_canteen(update, context, flow)
    else:
        flow.data.diet = multiselect.toggled(DIETS, flow.data.diet, choice)
        await ask(update, context, flow)


async def answer_allergies(
    update: Update, context: Context, flow: Registering, reply: Reply
) -> None:
    flow.data.allergies = _typed(ALLERGIES, reply, optional=True)
    await _go(update, context, flow, DIET)


async def _to_canteen(update: Update, context: Context, flow: Registering) -> None:
    """Which canteen, unless there is only one."""
    found = await registration.canteen_choices(deps_of(context), None, None)
    if len(found) != 1:
        await _go(update, context, flow, CANTEEN)
        return
    flow.data.canteen_id = found[0].id
    await _go(update, context, flow, CONFIRM)


async def answer_canteen(update: Update, context: Context, flow: Registering, reply: Reply) -> None:
    flow.data.canteen_id = int(_tapped(reply))
    await _go(update, context, flow, CONFIRM)


async def answer_confirm(update: Update, context: Context, flow: Registering, reply: Reply) -> None:
    """Send the answers for approval: the only write of the whole flow."""
    if reply.choice != "send":
        raise DomainError("resident.flow.tap_button")
    lang, answers = await language_of(update, context), flow.data
    try:
        done = await registration.register(deps_of(context), account_of(update), answers)
    except registration.LimitError as error:  # the questions end: trying again will not help
        await conversation.finish(update, context, t(lang, error.key, **error.values))
        return
    key = voiced(lang, "resident.register.sent", answers.relation == "self")
    if done.linked:
        approved = done.resident.status == "approved"
        key = "resident.one_record.linked" if approved else "resident.one_record.linked_pending"
    await conversation.finish(update, context, t(lang, key, name=done.resident.name))


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


STEPS = (WHOM, FULL_NAME, PHONE, AGE, BUILDING, UNIT, ROOM, LOCATION, ALONE, DIET, ALLERGIES)
FEATURE = Feature(
    asks=dict.fromkeys((*STEPS, CANTEEN, CONFIRM), ask),
    answers={
        WHOM: answer_whom,
        FULL_NAME: answer_name,
        PHONE: answer_phone,
        AGE: answer_age,
        BUILDING: answer_building,
        UNIT: answer_unit,
        ROOM: answer_room,
        LOCATION: answer_location,
        ALONE: answer_alone,
        DIET: answer_diet,
        ALLERGIES: answer_allergies,
        CANTEEN: answer_canteen,
        CONFIRM: answer_confirm,
    },
    state=Answers,
)
