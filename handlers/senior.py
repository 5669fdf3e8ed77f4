"""/senior for staff and admins: find a senior, see their details, change one at a time.

A field is picked with a button; diet, tier and delivery are chosen with buttons too (the
diet's ticks travel in the button itself), the address, door notes and allergies are typed.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.core.callbacks import Callback, pack, pattern
from bot.core.errors import NotAllowedError
from bot.core.i18n import Html, t
from bot.core.ptb import App
from bot.services.people import phones, senior_details, staff
from bot.services.people.registration import DIETS
from bot.settings import Config
from data.models import Resident
from handlers import resident_flow as flow_
from handlers.common import Context, deps_of, language_of, refuse, tell
from handlers.resident_flow import Feature, Flow, Reply
from handlers.staff_ui import answer, dispatch, show, user_id

PREFIX = "sen1"
TYPED_STEP = "typed"
FIELDS = (
    ("building", "unit", "room"),
    ("door_notes", "diet"),
    ("allergies", "tier"),
    ("delivery",),
)


def _button(text: str, action: str, *args: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=pack(PREFIX, action, *args))


def _tier_name(lang: str, config: Config, code: str | None) -> str:
    for tier in config.canteens.subsidy_tiers:
        if tier.code == code:
            return tier.name if lang == "en" else tier.name_zh
    return str(t(lang, "staff.senior.tier_by_age"))


def card(lang: str, config: Config, found: Resident) -> tuple[Html, InlineKeyboardMarkup]:
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
        [_button(t(lang, f"staff.senior.field.{name}"), "f", found.id, name) for name in row]
        for row in FIELDS
    ]
    return text, InlineKeyboardMarkup(rows)


async def command(update: Update, context: Context) -> None:
    """/senior <name, phone or number>: the matching seniors, or the card of the only one."""
    lang, deps = await language_of(update, context), deps_of(context)
    query = " ".join(context.args or [])
    if not await staff.canteens_of(deps, user_id(update)):
        await refuse(update, context, NotAllowedError())
        return
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
        rows = [[_button(f"{r.name} · {r.phone} · #{r.id}", "c", r.id)] for r in found]
        markup = InlineKeyboardMarkup(rows)
        await tell(update, context, t(lang, "staff.senior.choose"), reply_markup=markup)


async def open_card(update: Update, context: Context, callback: Callback, lang: str) -> None:
    deps = deps_of(context)
    found = await senior_details.senior(deps, user_id(update), callback.int_arg(0))
    await answer(update)
    await show(update, *card(lang, deps.config, found))


async def pick_field(update: Update, context: Context, callback: Callback, lang: str) -> None:
    """A field button: buttons for diet, tier and delivery; a typed answer for the rest."""
    deps = deps_of(context)
    found = await senior_details.senior(deps, user_id(update), callback.int_arg(0))
    field = callback.args[1]
    back = [_button(t(lang, "staff.senior.back"), "c", found.id)]
    if field == "diet":
        await _diet_screen(update, lang, found, _mask(found.diet_tags))
        return
    if field == "tier":
        codes = [tier.code for tier in deps.config.canteens.subsidy_tiers]
        rows = [
            [_button(_tier_name(lang, deps.config, code), "t", found.id, code)] for code in codes
        ]
        rows += [[_button(t(lang, "staff.senior.tier_by_age"), "t", found.id, "")], back]
        await answer(update)
        await show(
            update, t(lang, "staff.senior.ask_tier", name=found.name), InlineKeyboardMarkup(rows)
        )
        return
    if field == "delivery":
        yes_no = [
            _button(t(lang, "staff.senior.delivery_set_yes"), "v", found.id, 1),
            _button(t(lang, "staff.senior.delivery_set_no"), "v", found.id, 0),
        ]
        await answer(update)
        markup = InlineKeyboardMarkup([yes_no, back])
        await show(update, t(lang, "staff.senior.ask_delivery", name=found.name), markup)
        return
    if field not in senior_details.TYPED:
        raise ValueError(field)
    await answer(update)
    flow = flow_.begin(context, "senior", TYPED_STEP, {"resident": found.id, "field": field})
    await ask_typed(update, context, flow)


def _mask(tags: list[str]) -> int:
    return sum(1 << i for i, tag in enumerate(DIETS) if tag in tags)


def _tags(mask: int) -> list[str]:
    return [tag for i, tag in enumerate(DIETS) if mask & (1 << i)]


async def _diet_screen(update: Update, lang: str, found: Resident, mask: int) -> None:
    marks = [
        _button(
            ("✅ " if mask & (1 << i) else "") + t(lang, f"resident.diet.{tag}"),
            "d",
            found.id,
            mask ^ (1 << i),
        )
        for i, tag in enumerate(DIETS)
    ]
    rows = [marks[i : i + 2] for i in range(0, len(marks), 2)]
    rows.append([_button(t(lang, "staff.senior.save"), "ds", found.id, mask)])
    rows.append([_button(t(lang, "staff.senior.back"), "c", found.id)])
    await answer(update)
    await show(
        update, t(lang, "staff.senior.ask_diet", name=found.name), InlineKeyboardMarkup(rows)
    )


async def toggle_diet(update: Update, context: Context, callback: Callback, lang: str) -> None:
    found = await senior_details.senior(deps_of(context), user_id(update), callback.int_arg(0))
    await _diet_screen(update, lang, found, _checked_mask(callback))


def _checked_mask(callback: Callback) -> int:
    mask = callback.int_arg(1)
    if mask >= 1 << len(DIETS):
        raise ValueError(mask)
    return mask


async def _saved(update: Update, context: Context, lang: str, found: Resident) -> None:
    await answer(update, t(lang, "staff.senior.saved_short"))
    await show(update, *card(lang, deps_of(context).config, found))


async def save_diet(update: Update, context: Context, callback: Callback, lang: str) -> None:
    tags = _tags(_checked_mask(callback))
    found = await senior_details.set_diet(
        deps_of(context), user_id(update), callback.int_arg(0), tags
    )
    await _saved(update, context, lang, found)


async def save_tier(update: Update, context: Context, callback: Callback, lang: str) -> None:
    code = callback.args[1] or None
    found = await senior_details.set_tier(
        deps_of(context), user_id(update), callback.int_arg(0), code
    )
    await _saved(update, context, lang, found)


async def save_delivery(update: Update, context: Context, callback: Callback, lang: str) -> None:
    allowed = callback.args[1] == "1"
    found = await senior_details.set_delivery(
        deps_of(context), user_id(update), callback.int_arg(0), allowed
    )
    await _saved(update, context, lang, found)


async def ask_typed(update: Update, context: Context, flow: Flow) -> None:
    """Ask for the new value of a typed field, showing the one kept now."""
    lang, deps = await language_of(update, context), deps_of(context)
    field = flow.data["field"]
    found = await senior_details.senior(deps, user_id(update), flow.data["resident"])
    now = getattr(found, field) or "-"
    question = t(lang, f"staff.senior.ask_{field}", name=found.name, now=now)
    rows = [] if field not in senior_details.OPTIONAL else [[(t(lang, "staff.senior.clear"), "")]]
    await flow_.ask(update, context, flow, question, rows)


async def answer_typed(update: Update, context: Context, flow: Flow, reply: Reply) -> None:
    """Store the typed value (or clear it), then show the card again."""
    lang, deps = await language_of(update, context), deps_of(context)
    text = "" if reply.choice == "" else reply.text
    before = await senior_details.senior(deps, user_id(update), flow.data["resident"])
    found = await senior_details.set_text(
        deps, user_id(update), flow.data["resident"], flow.data["field"], text
    )
    pin_gone = before.lat is not None and found.lat is None
    note = "staff.senior.saved_pin" if pin_gone else "staff.senior.saved"
    await flow_.finish(update, context, t(lang, note, name=found.name))
    text_card, markup = card(lang, deps.config, found)
    await tell(update, context, text_card, reply_markup=markup)


async def on_button(update: Update, context: Context) -> None:
    """Every button of the senior's card."""
    actions = {
        "c": open_card,
        "f": pick_field,
        "d": toggle_diet,
        "ds": save_diet,
        "t": save_tier,
        "v": save_delivery,
    }
    await dispatch(update, context, PREFIX, actions)


FEATURE = Feature(asks={TYPED_STEP: ask_typed}, answers={TYPED_STEP: answer_typed})


def register(app: App, group: int) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("senior", command, filters=private), group=group)
    app.add_handler(CallbackQueryHandler(on_button, pattern=pattern(PREFIX)), group=group)
