"""/senior for staff and admins: find a senior, see their details, change one at a time.

A field is picked with a button; diet, tier and delivery are chosen with buttons too (the
diet's ticks travel in the button itself), the address, door notes and allergies are typed.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler, filters
from typing_extensions import TypedDict

from bot.core import callbacks, pager
from bot.core.callbacks import SeniorDelivery, SeniorDiet, SeniorField, SeniorTier, StaleButtonError
from bot.core.errors import NotAllowedError
from bot.core.i18n import Html, t
from bot.core.ptb import App
from bot.services.people import phones, senior_details, staff
from bot.services.people.registration import DIETS
from bot.settings import Config
from data.models import Resident
from handlers import conversation
from handlers.buttons import Button, answer, show
from handlers.common import Context, language_of, tell, user_id
from handlers.conversation import Feature, Flow, Reply
from handlers.keyboards import inline


class SeniorShape(TypedDict, total=False):
    """A senior's typed detail being edited (handlers/senior.py)."""

    resident: int
    field: str


TYPED_STEP = "typed"
FIELDS = (
    ("building", "unit", "room"),
    ("door_notes", "diet"),
    ("allergies", "tier"),
    ("delivery",),
)


def _tier_name(lang: str, config: Config, code: str | None) -> str:
    for tier in config.canteens.subsidy_tiers:
        if tier.code == code:
            return tier.name if lang == "en" else tier.name_zh
    return str(t(lang, "staff.senior.tier_by_age"))


def card(lang: str, config: Config, found: Resident) -> tuple[Html, InlineKeyboardMarkup | None]:
    """Every detail staff may change, and a button per field."""
    diet = ", ".join(t(lang, f"resident.diet.{tag}") for tag in found.diet_tags)
    delivery = "yes_alone" if found.lives_alone else "yes" if found.delivery_eligible else "no"
    text = t(
        lang,
        "staff.senior.card",
        name=found.name,
        id=found.id,
        phone=phones.display(found.phone) or "-",
        building=found.building or "-",
        unit=found.unit or "-",
        room=found.room or "-",
        door_notes=found.door_notes or "-",
        diet=diet or "-",
        allergies=found.allergies or "-",
        tier=_tier_name(lang, config, found.tier_code),
        delivery=t(lang, f"staff.senior.delivery_{delivery}"),
    )
    rows = [
        [
            (t(lang, f"staff.senior.field.{name}"), callbacks.SENIOR_FIELD.pack(found.id, name))
            for name in row
        ]
        for row in FIELDS
    ]
    return text, inline(rows)


async def command(update: Update, context: Context) -> None:
    """/senior <name, phone or number>: the matching seniors, or the card of the only one."""
    lang, deps = await language_of(update, context), context.deps
    query = " ".join(context.args or [])
    if not await staff.canteens_of(deps, user_id(update)):
        raise NotAllowedError()
    if not query.strip():
        await tell(update, context, t(lang, "staff.senior.usage"))
        return
    found = await senior_details.find(deps, user_id(update), query)
    if not found:
        await tell(update, context, t(lang, "staff.senior.none_found", query=query.strip()[:40]))
    elif len(found) == 1:
        text, markup = card(lang, deps.config, found[0])
        await tell(update, context, text, reply_markup=markup)
    else:
        rows = [
            [(f"{r.name} · {r.phone} · #{r.id}", callbacks.SENIOR_CARD.pack(r.id))] for r in found
        ]
        await tell(update, context, t(lang, "staff.senior.choose"), reply_markup=inline(rows))


async def open_card(update: Update, context: Context, tap: callbacks.Resident, lang: str) -> None:
    deps = context.deps
    found = await senior_details.senior(deps, user_id(update), tap.resident)
    await answer(update)
    await show(update, *card(lang, deps.config, found))


async def pick_field(update: Update, context: Context, tap: SeniorField, lang: str) -> None:
    """A field button: buttons for diet, tier and delivery; a typed answer for the rest."""
    deps = context.deps
    found = await senior_details.senior(deps, user_id(update), tap.resident)
    card_again = callbacks.SENIOR_CARD.pack(found.id)
    back: list[pager.Button] = [(t(lang, "staff.senior.back"), card_again)]
    if tap.field == "diet":
        await _diet_screen(update, lang, found, _mask(found.diet_tags))
        return
    if tap.field == "tier":
        codes = [tier.code for tier in deps.config.canteens.subsidy_tiers]
        rows: pager.Rows = [
            [(_tier_name(lang, deps.config, code), callbacks.SENIOR_TIER.pack(found.id, code))]
            for code in codes
        ]
        by_age = callbacks.SENIOR_TIER.pack(found.id, "")
        rows += [[(t(lang, "staff.senior.tier_by_age"), by_age)], back]
        await answer(update)
        await show(update, t(lang, "staff.senior.ask_tier", name=found.name), inline(rows))
        return
    if tap.field == "delivery":
        yes_no = [
            (
                t(lang, f"staff.senior.delivery_set_{word}"),
                callbacks.SENIOR_DELIVERY.pack(found.id, allowed),
            )
            for word, allowed in (("yes", True), ("no", False))
        ]
        await answer(update)
        markup = inline([yes_no, back])
        await show(update, t(lang, "staff.senior.ask_delivery", name=found.name), markup)
        return
    if tap.field not in senior_details.TYPED:
        raise StaleButtonError()
    await answer(update)
    flow = conversation.begin(
        context, "senior", TYPED_STEP, {"resident": found.id, "field": tap.field}
    )
    await ask_typed(update, context, flow)


def _mask(tags: list[str]) -> int:
    return sum(1 << i for i, tag in enumerate(DIETS) if tag in tags)


def _tags(mask: int) -> list[str]:
    return [tag for i, tag in enumerate(DIETS) if mask & (1 << i)]


async def _diet_screen(update: Update, lang: str, found: Resident, mask: int) -> None:
    marks = [
        (
            ("✅ " if mask & (1 << i) else "") + t(lang, f"resident.diet.{tag}"),
            callbacks.SENIOR_DIET.pack(found.id, mask ^ (1 << i)),
        )
        for i, tag in enumerate(DIETS)
    ]
    rows = [marks[i : i + 2] for i in range(0, len(marks), 2)]
    rows.append([(t(lang, "staff.senior.save"), callbacks.SENIOR_DIET_SAVE.pack(found.id, mask))])
    rows.append([(t(lang, "staff.senior.back"), callbacks.SENIOR_CARD.pack(found.id))])
    await answer(update)
    await show(update, t(lang, "staff.senior.ask_diet", name=found.name), inline(rows))


async def toggle_diet(update: Update, context: Context, tap: SeniorDiet, lang: str) -> None:
    found = await senior_details.senior(context.deps, user_id(update), tap.resident)
    await _diet_screen(update, lang, found, _checked_mask(tap))


def _checked_mask(tap: SeniorDiet) -> int:
    if tap.mask >= 1 << len(DIETS):
        raise StaleButtonError()
    return tap.mask


async def _saved(update: Update, context: Context, lang: str, found: Resident) -> None:
    await answer(update, t(lang, "staff.senior.saved_short"))
    await show(update, *card(lang, context.deps.config, found))


async def save_diet(update: Update, context: Context, tap: SeniorDiet, lang: str) -> None:
    tags = _tags(_checked_mask(tap))
    found = await senior_details.set_diet(context.deps, user_id(update), tap.resident, tags)
    await _saved(update, context, lang, found)


async def save_tier(update: Update, context: Context, tap: SeniorTier, lang: str) -> None:
    found = await senior_details.set_tier(
        context.deps, user_id(update), tap.resident, tap.tier or None
    )
    await _saved(update, context, lang, found)


async def save_delivery(update: Update, context: Context, tap: SeniorDelivery, lang: str) -> None:
    found = await senior_details.set_delivery(
        context.deps, user_id(update), tap.resident, tap.allowed
    )
    await _saved(update, context, lang, found)


async def ask_typed(update: Update, context: Context, flow: Flow) -> None:
    """Ask for the new value of a typed field, showing the one kept now."""
    lang, deps = await language_of(update, context), context.deps
    field = flow.data["field"]
    found = await senior_details.senior(deps, user_id(update), flow.data["resident"])
    now = getattr(found, field) or "-"
    question = t(lang, f"staff.senior.ask_{field}", name=found.name, now=now)
    rows = [] if field not in senior_details.OPTIONAL else [[(t(lang, "staff.senior.clear"), "")]]
    await conversation.ask(update, context, flow, question, rows)


async def answer_typed(update: Update, context: Context, flow: Flow, reply: Reply) -> None:
    """Store the typed value (or clear it), then show the card again."""
    lang, deps = await language_of(update, context), context.deps
    text = "" if reply.choice == "" else reply.text
    before = await senior_details.senior(deps, user_id(update), flow.data["resident"])
    found = await senior_details.set_text(
        deps, user_id(update), flow.data["resident"], flow.data["field"], text
    )
    pin_gone = before.lat is not None and found.lat is None
    note = "staff.senior.saved_pin" if pin_gone else "staff.senior.saved"
    await conversation.finish(update, context, t(lang, note, name=found.name))
    text_card, markup = card(lang, deps.config, found)
    await tell(update, context, text_card, reply_markup=markup)


BUTTONS = (
    Button(callbacks.SENIOR_CARD, open_card),
    Button(callbacks.SENIOR_FIELD, pick_field),
    Button(callbacks.SENIOR_DIET, toggle_diet),
    Button(callbacks.SENIOR_DIET_SAVE, save_diet),
    Button(callbacks.SENIOR_TIER, save_tier),
    Button(callbacks.SENIOR_DELIVERY, save_delivery),
)


FEATURE = Feature(asks={TYPED_STEP: ask_typed}, answers={TYPED_STEP: answer_typed})


def register(app: App, group: int) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("senior", command, filters=private), group=group)
