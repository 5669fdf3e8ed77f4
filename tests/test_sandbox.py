"""The local Bot API sandbox, driven by a real PTB Bot and Application over real HTTP."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, EndPointNotFound, Forbidden, RetryAfter
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.lifecycle import TrackedApplication
from bot.sandbox import ButtonNotFoundError, RandomFaults, RateLimits, Sandbox, format_transcript

TOKEN = "123456:TEST-TOKEN"
ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT.parent / "shared" / "telegram-bot-api" / "api.json"


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    """A running sandbox; the test fails if the bot broke the Bot API contract."""
    sandbox = Sandbox(token=TOKEN, bot_username="doorstep_bot")
    await sandbox.start()
    yield sandbox
    await sandbox.stop()
    sandbox.assert_no_violations()


@pytest.fixture
async def bot(sandbox: Sandbox) -> AsyncIterator[Bot]:
    """A plain PTB Bot talking to the sandbox."""
    async with Bot(TOKEN, base_url=sandbox.base_url, base_file_url=sandbox.base_file_url) as bot:
        yield bot


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet with a reply keyboard."""
    keyboard: list[list[str | KeyboardButton]] = [
        ["Order a meal"],
        [KeyboardButton("Share phone", request_contact=True)],
        [KeyboardButton("Share location", request_location=True)],
    ]
    assert update.message
    await update.message.reply_text(
        f"Welcome, <b>{update.message.from_user.first_name if update.message.from_user else ''}"
        f"</b>! args={context.args}",
        parse_mode="HTML",
        reply_markup=ReplyKeyboardMarkup(keyboard),
    )


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Repeat the text with a Like button."""
    assert update.message
    assert update.message.text
    button = InlineKeyboardButton("Like", callback_data="like:1")
    await update.message.reply_text(
        f"You said: {update.message.text}", reply_markup=InlineKeyboardMarkup([[button]])
    )


async def like(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the press and edit the message."""
    query = update.callback_query
    assert query
    await query.answer("Liked!")
    await query.edit_message_text(f"Liked ✓ ({query.data})")


async def contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Confirm the shared phone number."""
    assert update.message
    assert update.message.contact
    await update.message.reply_text(f"Phone {update.message.contact.phone_number}")


async def location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Confirm the shared location."""
    assert update.message
    assert update.message.location
    where = update.message.location
    await update.message.reply_text(f"Location {where.latitude}, {where.longitude}")


@pytest.fixture
async def app(sandbox: Sandbox) -> AsyncIterator[None]:
    """A tiny real Application, long polling the sandbox."""
    application = (
        ApplicationBuilder()
        .application_class(TrackedApplication)
        .token(TOKEN)
        .base_url(sandbox.base_url)
        .base_file_url(sandbox.base_file_url)
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(MessageHandler(filters.CONTACT, contact))
    application.add_handler(MessageHandler(filters.LOCATION, location))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    application.add_handler(CallbackQueryHandler(like))
    assert isinstance(application, TrackedApplication)
    sandbox.busy_probe = application.busy  # idle() then waits for handlers, however slow
    async with application:
        await application.start()
        assert application.updater
        await application.updater.start_polling(poll_interval=0, timeout=5)
        yield
        await application.updater.stop()
        await application.stop()


async def raw(sandbox: Sandbox, method: str, **params: object) -> dict[str, Any]:
    """A request as any HTTP client could send it (JSON body), bypassing PTB's helpers."""
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{sandbox.base_url}{TOKEN}/{method}", json=params)
    body: dict[str, Any] = response.json()
    return body


async def known_user(sandbox: Sandbox) -> int:
    """Alice has written to the bot, so her chat exists (without waiting for a bot)."""
    await sandbox.user(1001, "Alice").send("hello", wait=False)
    return 1001


# --- requests and responses -------------------------------------------------------


async def test_send_message_returns_a_message_from_the_bot_in_that_chat(
    sandbox: Sandbox, bot: Bot
) -> None:
    chat_id = await known_user(sandbox)
    sent = await bot.send_message(chat_id, "Hello <i>there</i>", parse_mode="HTML")
    again = await bot.send_message(chat_id, "Second")
    assert (sent.chat.id, sent.from_user and sent.from_user.username) == (1001, "doorstep_bot")
    assert sent.text == "Hello there"
    assert sent.entities[0].type == "italic"
    assert again.message_id == sent.message_id + 1
    assert [m.text for m in sandbox.user(1001, "Alice").messages] == ["Hello there", "Second"]


async def test_message_ids_are_shared_by_user_and_bot_in_a_chat(sandbox: Sandbox, bot: Bot) -> None:
    chat_id = await known_user(sandbox)  # the user's message is #1
    sent = await bot.send_message(chat_id, "Hi")
    assert sent.message_id == 2


async def test_sending_to_a_chat_that_never_wrote_fails_with_chat_not_found(
    sandbox: Sandbox, bot: Bot
) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(4242, "Anyone?")


async def test_sending_to_a_declared_group_works_without_an_update(
    sandbox: Sandbox, bot: Bot
) -> None:
    kitchen = sandbox.group(-100500, "Kitchen")
    sent = await bot.send_message(-100500, "Kitchen sheet")
    assert sent.chat.type == "supergroup"
    assert kitchen.last.text == "Kitchen sheet"


async def test_method_names_are_case_insensitive(sandbox: Sandbox, bot: Bot) -> None:
    me = await bot.do_api_request("GETME")
    assert me["username"] == "doorstep_bot"


async def test_a_blocked_user_makes_sending_fail_with_forbidden(sandbox: Sandbox, bot: Bot) -> None:
    chat_id = await known_user(sandbox)
    sandbox.user(1001, "Alice").block()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(chat_id, "Still there?")


async def test_get_updates_returns_updates_until_a_later_offset_confirms_them(
    sandbox: Sandbox, bot: Bot
) -> None:
    alice = sandbox.user(1001, "Alice")
    await alice.send("one", wait=False)
    await alice.send("two", wait=False)
    first = await bot.get_updates()
    again = await bot.get_updates()
    after = await bot.get_updates(offset=first[0].update_id + 1)
    assert [u.message.text for u in first if u.message] == ["one", "two"]
    assert [u.update_id for u in again] == [u.update_id for u in first]
    assert [u.message.text for u in after if u.message] == ["two"]


async def test_get_updates_long_poll_returns_as_soon_as_an_update_is_queued(
    sandbox: Sandbox, bot: Bot
) -> None:
    alice = sandbox.user(1001, "Alice")
    poll = asyncio.create_task(bot.get_updates(timeout=5, read_timeout=10))
    await asyncio.sleep(0.05)
    assert not poll.done()
    await alice.send("/start join_abc", wait=False)
    updates = await asyncio.wait_for(poll, 1)
    assert updates[0].message
    assert updates[0].message.text == "/start join_abc"
    assert updates[0].message.entities[0].type == "bot_command"


async def test_stop_releases_a_pending_long_poll_promptly(bot: Bot) -> None:
    sandbox = Sandbox(token=TOKEN)
    await sandbox.start()
    async with Bot(TOKEN, base_url=sandbox.base_url) as local:
        poll = asyncio.create_task(local.get_updates(timeout=30, read_timeout=40))
        await asyncio.sleep(0.05)
        await asyncio.wait_for(sandbox.stop(), 2)
        assert await asyncio.wait_for(poll, 2) == ()


# --- people using the chat through a real Application --------------------------------


@pytest.mark.usefixtures("app")
async def test_start_command_reaches_its_handler_with_arguments(sandbox: Sandbox) -> None:
    alice = sandbox.user(1001, "Alice", language_code="zh-hans")
    await alice.send("/start join_abc")
    assert alice.last.text == "Welcome, Alice! args=['join_abc']"
    assert alice.keyboard == [["Order a meal"], ["Share phone"], ["Share location"]]


@pytest.mark.usefixtures("app")
async def test_tapping_a_reply_keyboard_button_sends_its_text(sandbox: Sandbox) -> None:
    alice = sandbox.user(1001, "Alice")
    await alice.send("/start")
    await alice.click("Order a meal")
    assert alice.last.text == "You said: Order a meal"


@pytest.mark.usefixtures("app")
async def test_clicking_an_inline_button_reaches_the_callback_handler(sandbox: Sandbox) -> None:
    alice = sandbox.user(1001, "Alice")
    await alice.send("soup please")
    await alice.click("Like")
    assert alice.callback_answers[0].text == "Liked!"
    assert alice.last.history == ["You said: soup please", "Liked ✓ (like:1)"]
    assert alice.last.buttons == []
    assert sandbox.unanswered_callbacks == []


@pytest.mark.usefixtures("app")
async def test_a_contact_button_shares_the_users_phone(sandbox: Sandbox) -> None:
    alice = sandbox.user(1001, "Alice", phone="+8613800000000")
    await alice.send("/start")
    await alice.click("Share phone")
    assert alice.last.text == "Phone +8613800000000"


@pytest.mark.usefixtures("app")
async def test_sharing_a_location_reaches_the_location_handler(sandbox: Sandbox) -> None:
    alice = sandbox.user(1001, "Alice")
    await alice.share_location(31.23, 121.47)
    assert alice.last.text == "Location 31.23, 121.47"


@pytest.mark.usefixtures("app")
async def test_click_can_pick_an_older_message_by_passing_it(sandbox: Sandbox) -> None:
    alice = sandbox.user(1001, "Alice")
    await alice.send("soup")
    await alice.send("rice")
    soup = alice.messages[0]
    await alice.click("Like", message=soup)
    assert [m.text for m in alice.messages] == ["Liked ✓ (like:1)", "You said: rice"]


@pytest.mark.usefixtures("app")
async def test_a_user_can_write_in_a_declared_group(sandbox: Sandbox) -> None:
    kitchen = sandbox.group(-100500, "Kitchen")
    await sandbox.user(1001, "Alice").send("ready?", chat=kitchen)
    assert kitchen.last.text == "You said: ready?"
    assert "[Kitchen] Alice" in format_transcript(sandbox.transcript)


@pytest.mark.usefixtures("app")
async def test_clicking_a_missing_button_lists_the_visible_ones(sandbox: Sandbox) -> None:
    alice = sandbox.user(1001, "Alice")
    await alice.send("soup")
    with pytest.raises(ButtonNotFoundError, match=r"'Lik'.*Like"):
        await alice.click("Lik")


async def test_idle_times_out_with_a_reason_when_nobody_polls(sandbox: Sandbox) -> None:
    alice = sandbox.user(1001, "Alice")
    await alice.send("anyone?", wait=False)
    with pytest.raises(TimeoutError, match="never fetched by getUpdates"):
        await sandbox.idle(timeout=0.1)


async def test_idle_waits_while_the_busy_probe_says_the_bot_is_working(
    sandbox: Sandbox,
) -> None:
    loop = asyncio.get_running_loop()
    until = loop.time() + 0.2
    sandbox.busy_probe = lambda: loop.time() < until
    await sandbox.idle(settle=0.01)
    assert loop.time() >= until


async def test_idle_waits_until_fetched_updates_are_confirmed(sandbox: Sandbox, bot: Bot) -> None:
    await sandbox.user(1001, "Alice").send("hi", wait=False)
    (update,) = await bot.get_updates()
    with pytest.raises(TimeoutError, match="never confirmed"):
        await sandbox.idle(timeout=0.1)
    await bot.get_updates(offset=update.update_id + 1)
    await sandbox.idle(settle=0.01, timeout=1)


@pytest.mark.usefixtures("app")
async def test_the_transcript_reads_like_the_conversation(sandbox: Sandbox) -> None:
    alice = sandbox.user(1001, "Alice")
    await alice.send("soup")
    await alice.click("Like")
    text = format_transcript(sandbox.transcript)
    assert text.splitlines() == [
        "Alice      ▸ soup",
        "       bot ▸ You said: soup",
        "             [ Like ]",
        "Alice      ⊙ [ Like ]",
        "       bot ↩ (toast) Liked!",
        "       bot ✎ (edited) Liked ✓ (like:1)",
    ]


# --- what the bot sends is kept ---------------------------------------------------------


async def test_edit_message_text_is_visible_with_its_history(sandbox: Sandbox, bot: Bot) -> None:
    chat_id = await known_user(sandbox)
    sent = await bot.send_message(chat_id, "Order placed")
    await bot.edit_message_text("Order confirmed", chat_id=chat_id, message_id=sent.message_id)
    message = sandbox.user(1001, "Alice").last
    assert message.text == "Order confirmed"
    assert message.history == ["Order placed", "Order confirmed"]
    assert len(message.edits) == 1


async def test_an_edit_that_changes_nothing_is_refused_as_not_modified(
    sandbox: Sandbox, bot: Bot
) -> None:
    chat_id = await known_user(sandbox)
    sent = await bot.send_message(chat_id, "Same")
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("Same", chat_id=chat_id, message_id=sent.message_id)


async def test_deleted_messages_stay_listed_but_flagged(sandbox: Sandbox, bot: Bot) -> None:
    chat_id = await known_user(sandbox)
    first = await bot.send_message(chat_id, "Keep")
    second = await bot.send_message(chat_id, "Remove")
    await bot.delete_message(chat_id, second.message_id)
    alice = sandbox.user(1001, "Alice")
    assert [m.deleted for m in alice.messages] == [False, True]
    assert alice.last.message_id == first.message_id


async def test_send_document_keeps_the_uploaded_bytes_and_filename(
    sandbox: Sandbox, bot: Bot
) -> None:
    chat_id = await known_user(sandbox)
    csv = "dish,portions\n红烧肉,12\n".encode()
    sent = await bot.send_document(chat_id, csv, filename="kitchen.csv", caption="Lunch")
    message = sandbox.user(1001, "Alice").last
    assert (message.kind, message.text) == ("document", "Lunch")
    assert message.document
    assert message.document.filename == "kitchen.csv"
    assert message.document.text == "dish,portions\n红烧肉,12\n"
    assert sent.document
    assert sent.document.file_name == "kitchen.csv"


async def test_send_location_is_kept_as_a_location_message(sandbox: Sandbox, bot: Bot) -> None:
    chat_id = await known_user(sandbox)
    await bot.send_location(chat_id, latitude=31.23, longitude=121.47)
    assert sandbox.user(1001, "Alice").last.location == (31.23, 121.47)


async def test_set_my_commands_is_recorded_per_scope_and_language(
    sandbox: Sandbox, bot: Bot
) -> None:
    chat_id = await known_user(sandbox)
    await bot.set_my_commands([BotCommand("start", "Begin")])
    await bot.set_my_commands(
        [BotCommand("order", "点餐")], scope=BotCommandScopeAllPrivateChats(), language_code="zh"
    )
    await bot.set_my_commands([BotCommand("kitchen", "Sheet")], scope=BotCommandScopeChat(chat_id))
    assert sandbox.commands == {
        "default": [("start", "Begin")],
        "all_private_chats@zh": [("order", "点餐")],
        "chat:1001": [("kitchen", "Sheet")],
    }
    assert [c.command for c in await bot.get_my_commands()] == ["start"]


# --- contract violations ---------------------------------------------------------------


async def expect_violation(sandbox: Sandbox, *fragments: str) -> None:
    """Exactly one violation was recorded, naming all fragments; then forget it."""
    assert len(sandbox.violations) == 1, sandbox.violations
    for fragment in fragments:
        assert fragment in sandbox.violations[0]
    with pytest.raises(AssertionError, match="1 Bot API violation"):
        sandbox.assert_no_violations()
    sandbox.violations.clear()


async def test_text_over_4096_characters_is_a_violation(sandbox: Sandbox, bot: Bot) -> None:
    chat_id = await known_user(sandbox)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(chat_id, "x" * 4097)
    await expect_violation(sandbox, "sendMessage", "text", "4097 characters")


def keyboard(rows: int, per_row: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(f"{r}.{c}", callback_data=f"b:{r}:{c}") for c in range(per_row)]
            for r in range(rows)
        ]
    )


async def test_a_hundred_inline_buttons_are_fine_and_one_more_is_refused(
    sandbox: Sandbox, bot: Bot
) -> None:
    chat_id = await known_user(sandbox)
    await bot.send_message(chat_id, "Board", reply_markup=keyboard(25, 4))
    assert sum(len(row) for row in sandbox.user(1001, "Alice").last.buttons) == 100
    with pytest.raises(BadRequest, match="Reply markup is too long"):
        await bot.send_message(chat_id, "Board", reply_markup=keyboard(101, 1))
    await expect_violation(sandbox, "sendMessage", "too many buttons: 101")


async def test_an_edit_to_over_a_hundred_buttons_is_refused(sandbox: Sandbox, bot: Bot) -> None:
    chat_id = await known_user(sandbox)
    sent = await bot.send_message(chat_id, "Board")
    with pytest.raises(BadRequest, match="Reply markup is too long"):
        await bot.edit_message_text(
            "Board 2", chat_id, sent.message_id, reply_markup=keyboard(51, 2)
        )
    await expect_violation(sandbox, "editMessageText", "too many buttons: 102")


async def test_a_row_of_more_than_eight_inline_buttons_is_refused(
    sandbox: Sandbox, bot: Bot
) -> None:
    chat_id = await known_user(sandbox)
    with pytest.raises(BadRequest, match="Reply markup is too long"):
        await bot.send_message(chat_id, "Board", reply_markup=keyboard(1, 9))
    await expect_violation(sandbox, "inline_keyboard[0]", "too many buttons in a row: 9")


async def test_text_length_is_counted_after_html_parsing(sandbox: Sandbox, bot: Bot) -> None:
    chat_id = await known_user(sandbox)
    await bot.send_message(chat_id, "<b>" + "&lt;" * 4096 + "</b>", parse_mode="HTML")
    assert len(sandbox.user(1001, "Alice").last.text) == 4096


async def test_malformed_html_is_a_violation(sandbox: Sandbox, bot: Bot) -> None:
    chat_id = await known_user(sandbox)
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(chat_id, "<b>unclosed", parse_mode="HTML")
    await expect_violation(sandbox, "sendMessage", "text", 'start tag "b"')


async def test_an_unescaped_less_than_sign_is_a_violation(sandbox: Sandbox, bot: Bot) -> None:
    chat_id = await known_user(sandbox)
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(chat_id, "1 <2 portions>", parse_mode="HTML")
    await expect_violation(sandbox, "Unsupported start tag")


async def test_callback_data_over_64_bytes_is_a_violation(sandbox: Sandbox, bot: Bot) -> None:
    chat_id = await known_user(sandbox)
    button = InlineKeyboardButton("Pick", callback_data="饭" * 22)  # 66 bytes, 22 characters
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(chat_id, "Menu", reply_markup=InlineKeyboardMarkup([[button]]))
    await expect_violation(sandbox, "reply_markup.inline_keyboard[0][0].callback_data", "66 bytes")


async def test_an_inline_button_with_two_actions_is_a_violation(sandbox: Sandbox, bot: Bot) -> None:
    chat_id = await known_user(sandbox)
    button = InlineKeyboardButton("Both", callback_data="x", url="https://example.org")
    with pytest.raises(BadRequest):
        await bot.send_message(chat_id, "Menu", reply_markup=InlineKeyboardMarkup([[button]]))
    await expect_violation(sandbox, "exactly one of", "callback_data, url")


async def test_a_styled_inline_button_with_one_action_is_fine(sandbox: Sandbox, bot: Bot) -> None:
    chat_id = await known_user(sandbox)
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go", "style": "success"}]]}
    answer = await raw(sandbox, "sendMessage", chat_id=chat_id, text="Menu", reply_markup=markup)
    assert answer["ok"], answer
    assert sandbox.user(1001, "Alice").last.buttons == [[("Go", "go")]]


async def test_an_unknown_parameter_is_a_violation(sandbox: Sandbox, bot: Bot) -> None:
    chat_id = await known_user(sandbox)
    with pytest.raises(BadRequest):
        await bot.send_message(chat_id, "Hi", api_kwargs={"colour": "red"})
    await expect_violation(sandbox, "sendMessage", "colour", "unknown parameter")


async def test_a_missing_required_parameter_is_a_violation(sandbox: Sandbox, bot: Bot) -> None:
    chat_id = await known_user(sandbox)
    answer = await raw(sandbox, "sendMessage", chat_id=chat_id)
    assert (answer["ok"], answer["error_code"]) == (False, 400)
    await expect_violation(sandbox, "sendMessage", "text", "required")


async def test_a_wrong_type_is_a_violation(sandbox: Sandbox, bot: Bot) -> None:
    await known_user(sandbox)
    answer = await raw(sandbox, "sendLocation", chat_id=1001, latitude="north", longitude=121.47)
    assert answer["error_code"] == 400
    await expect_violation(sandbox, "sendLocation", "latitude", "expected Float")


async def test_callback_answer_over_200_characters_is_a_violation(
    sandbox: Sandbox, bot: Bot
) -> None:
    with pytest.raises(BadRequest):
        await bot.answer_callback_query("1", text="x" * 201)
    await expect_violation(sandbox, "answerCallbackQuery", "text", "201 characters")


async def test_an_unknown_method_is_a_violation(sandbox: Sandbox, bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):  # PTB's reading of Telegram's 404
        await bot.do_api_request("sendTelepathy")
    await expect_violation(sandbox, "sendTelepathy", "unknown method")


# --- faults and limits ---------------------------------------------------------------------


async def test_random_faults_answer_a_share_of_sends_with_retry_after(
    sandbox: Sandbox, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # else RetryAfter warns about its future type
    chat_id = await known_user(sandbox)
    sandbox.faults = RandomFaults(share=1.0, kinds=("retry_after",), retry_after=3)
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(chat_id, "Hi")
    assert raised.value.retry_after == dt.timedelta(seconds=3)
    assert [(i.method, i.kind) for i in sandbox.injected] == [("sendMessage", "retry_after")]


async def test_rate_limits_refuse_a_second_message_to_a_private_chat_within_a_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    async with Sandbox(token=TOKEN, rate_limits=RateLimits()) as sandbox:
        await sandbox.user(1001, "Alice").send("hi", wait=False)
        async with Bot(TOKEN, base_url=sandbox.base_url) as bot:
            await bot.send_message(1001, "One")
            with pytest.raises(RetryAfter):
                await bot.send_message(1001, "Two")
        assert sandbox.injected[0].kind == "rate_limit"


# --- the contract file ---------------------------------------------------------------------


@pytest.mark.skipif(not SPEC.exists(), reason="the shared Bot API spec is not checked out")
def test_the_committed_contract_is_what_the_script_builds(tmp_path: Path) -> None:
    out = tmp_path / "contract.json"
    script = ROOT / "scripts" / "build_contract.py"
    subprocess.run([sys.executable, script, SPEC, out], check=True, capture_output=True)
    committed = ROOT / "bot" / "sandbox" / "contract.json"
    assert out.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8")
    contract = json.loads(out.read_text(encoding="utf-8"))
    assert contract["methods"]["sendMessage"]["fields"]["text"]["length"] == [1, 4096, "characters"]


# --- files ---------------------------------------------------------------------------------


async def test_a_document_a_user_sends_is_downloadable_by_the_bot(
    sandbox: Sandbox, bot: Bot
) -> None:
    content = "name,phone\n王芳,13900000001\n".encode()
    await sandbox.user(1001, "Alice").send_document(
        "roster.csv", content, caption="March", wait=False
    )
    (update,) = await bot.get_updates()
    assert update.message
    document = update.message.document
    assert document
    assert (document.file_name, document.mime_type, document.file_size) == (
        "roster.csv",
        "text/csv",
        len(content),
    )
    assert update.message.caption == "March"
    file = await bot.get_file(document.file_id)
    assert file.file_unique_id == document.file_unique_id
    assert await file.download_as_bytearray() == content


async def test_a_file_the_bot_uploaded_can_be_fetched_back_and_resent_by_file_id(
    sandbox: Sandbox, bot: Bot
) -> None:
    chat_id = await known_user(sandbox)
    sent = await bot.send_document(chat_id, b"dish,portions\n", filename="kitchen.csv")
    assert sent.document
    file = await bot.get_file(sent.document.file_id)
    assert await file.download_as_bytearray() == b"dish,portions\n"
    again = await bot.send_document(chat_id, sent.document.file_id)
    assert again.document
    assert again.document.file_id == sent.document.file_id
    photo = await bot.send_photo(chat_id, b"\xff\xd8jpeg", filename="menu.jpg")
    photo_file = await bot.get_file(photo.photo[-1].file_id)
    assert await photo_file.download_as_bytearray() == b"\xff\xd8jpeg"


async def test_an_unknown_file_id_is_refused(sandbox: Sandbox, bot: Bot) -> None:
    chat_id = await known_user(sandbox)
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("no-such-file")
    with pytest.raises(BadRequest, match="Wrong file identifier"):
        await bot.send_document(chat_id, "no-such-file")


async def test_a_download_with_a_wrong_token_or_path_is_not_found(sandbox: Sandbox) -> None:
    update = await sandbox.user(1001, "Alice").send_document("a.csv", b"x", wait=False)
    found = await raw(sandbox, "getFile", file_id=update["message"]["document"]["file_id"])
    path = found["result"]["file_path"]
    async with httpx.AsyncClient() as client:
        right = await client.get(f"{sandbox.base_file_url}{TOKEN}/{path}")
        wrong_token = await client.get(f"{sandbox.base_file_url}654321:OTHER/{path}")
        wrong_path = await client.get(f"{sandbox.base_file_url}{TOKEN}/documents/nope.csv")
    assert (right.status_code, right.content) == (200, b"x")
    assert wrong_token.status_code == 404
    assert wrong_path.status_code == 404


async def test_get_file_parameters_are_checked_against_the_contract(sandbox: Sandbox) -> None:
    body = await raw(sandbox, "getFile", file_id="x", thumbnail=True)
    assert body["ok"] is False
    await expect_violation(sandbox, "getFile", "thumbnail", "unknown parameter")


async def test_a_users_voice_reaches_the_bot_and_is_sent_on_by_its_file_id(
    sandbox: Sandbox, bot: Bot
) -> None:
    await sandbox.user(1001, "Alice").send_voice(b"OggS hello", wait=False)
    (update,) = await bot.get_updates()
    assert update.message
    voice = update.message.voice
    assert voice
    assert (voice.mime_type, voice.file_size) == ("audio/ogg", len(b"OggS hello"))
    await sandbox.user(1002, "Bob").send("hello", wait=False)
    staff = 1002
    sent = await bot.send_voice(staff, voice.file_id, caption="From Alice")
    assert sent.voice
    assert sent.voice.file_id == voice.file_id
    message = sandbox.user(1002, "Bob").last
    assert (message.kind, message.text) == ("voice", "From Alice")
    assert message.voice
    assert message.voice.content == b"OggS hello"
    with pytest.raises(BadRequest, match="Wrong file identifier"):
        await bot.send_voice(staff, "no-such-file")
