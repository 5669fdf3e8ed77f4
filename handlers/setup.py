"""Finding ids while setting up: /whoami tells a person (and in a group, the group) their
id, and the bot says a group's id when it is added to it."""

from __future__ import annotations

from telegram import ChatMember, Update

from bot.core.i18n import t
from handlers.common import Context, language_of, tell

JOINED = (ChatMember.MEMBER, ChatMember.ADMINISTRATOR)


async def whoami(update: Update, context: Context) -> None:
    """Your own user id; in a group, the group's chat id too."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    lang = await language_of(update, context)
    if chat.type == chat.PRIVATE:
        await tell(update, context, t(lang, "setup.whoami", id=user.id))
    else:
        await tell(update, context, t(lang, "setup.whoami_group", chat=chat.id, id=user.id))


async def added_to_group(update: Update, context: Context) -> None:
    """The bot was added to a group: it says the group's chat id, for the canteen file."""
    change = update.my_chat_member
    if change is None or change.chat.type == change.chat.PRIVATE:
        return
    was_in = change.old_chat_member.status in JOINED
    if was_in or change.new_chat_member.status not in JOINED:
        return
    lang = await language_of(update, context)
    await tell(update, context, t(lang, "setup.added", chat=change.chat.id))
