"""Telegram side of the staff tools: replies in the staff group, and admin commands in private chats."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Collection, Coroutine
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationHandlerStop, CommandHandler, ContextTypes, MessageHandler, filters

from bot.channels.telegram import TelegramChannel, to_incoming
from bot.channels.telegram_review import COMMAND as REVIEW_COMMAND
from bot.handoff import HandoffDesk, ticket_of_post
from bot.learn_review import ReviewDesk
from handlers import texts
from handlers.messages import Incoming, Reply

log = logging.getLogger(__name__)

AdminHandler = Callable[[Incoming], Awaitable[Reply | None]]


def install_staff_desk(
    channel: TelegramChannel, staff_chat_id: int, desk: HandoffDesk, review: ReviewDesk | None = None
) -> None:
    """Relay a staff member's reply to a ticket post back to that ticket's citizen.

    With a review desk, the confirmation of a relayed reply carries "💾 Lưu vào FAQ": the question
    and the reply drafted as a new entry for an admin to accept.
    """

    async def on_staff_message(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        replied = message.reply_to_message
        number = ticket_of_post(replied.text or "") if replied is not None else None
        if number is None:
            # Ordinary staff chatter, or a reply to something that is not a ticket post (a confirmation
            # or a draft quotes the number too: what is said under those stays among staff).
            raise ApplicationHandlerStop
        if not message.text:
            # A photo of the form or a file: it cannot be relayed, and the clerk must not think it was.
            await message.reply_text(texts.staff_text_only(f"#{number:04d}"))
            raise ApplicationHandlerStop
        confirmation = await desk.relay(number, message.text)
        markup = None
        if review is not None:
            markup = await _save_button(desk, review, number, message.text, confirmation)
        await message.reply_text(confirmation, reply_markup=markup)
        raise ApplicationHandlerStop

    channel.add_handler(MessageHandler(filters.Chat(chat_id=staff_chat_id), on_staff_message))


async def _save_button(
    desk: HandoffDesk, review: ReviewDesk, number: int, answer: str, confirmation: str
) -> InlineKeyboardMarkup | None:
    """The "Lưu vào FAQ" button under a relayed reply (None when it was not relayed or cannot be kept)."""
    try:
        ticket = await asyncio.to_thread(desk.store.get, number)
        if ticket is None or confirmation != texts.staff_relayed(ticket.ref):
            return None
        button = await asyncio.to_thread(review.offer_draft, ticket.ref, ticket.question, answer)
    except Exception:
        log.exception("could not keep the staff answer as a draft entry")
        return None
    if button is None or button.payload is None:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(button.label, callback_data=button.payload)]])


ADMIN_COMMANDS = ("reload", "stats", "unanswered")


def install_admin_commands(
    channel: TelegramChannel,
    admin_user_ids: Collection[str],
    handle: AdminHandler,
    staff_chat_ids: Collection[int] = (),
) -> None:
    """Answer /reload, /stats and /unanswered for the configured admins, in a private chat with the
    bot or in a staff group; a staff member who is no admin is told so there, never met with silence."""
    ids = [int(i) for i in admin_user_ids if i.lstrip("-").isdigit()]
    groups = filters.Chat(chat_id=list(staff_chat_ids)) if staff_chat_ids else None

    if groups is not None:
        others = groups & ~filters.User(user_id=ids) if ids else groups
        channel.add_handler(
            CommandHandler(
                [*ADMIN_COMMANDS, REVIEW_COMMAND], _saying(texts.STAFF_ADMINS_ONLY), filters=others
            )
        )
    if not ids:
        return
    in_private = filters.User(user_id=ids) & filters.ChatType.PRIVATE
    channel.add_handler(
        CommandHandler(REVIEW_COMMAND, _saying(texts.STAFF_REVIEW_IN_GROUP), filters=in_private)
    )

    async def on_admin_command(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        msg = to_incoming(update)
        if msg is None or update.effective_message is None:
            return
        reply = await handle(msg)
        if reply is None:
            return
        await channel.send(msg.chat_id, reply)
        raise ApplicationHandlerStop

    where = filters.ChatType.PRIVATE | groups if groups is not None else filters.ChatType.PRIVATE
    channel.add_handler(
        CommandHandler(list(ADMIN_COMMANDS), on_admin_command, filters=filters.User(user_id=ids) & where)
    )


def _saying(text: str) -> Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]:
    """A command handler that only answers `text` (a command typed where it does not work)."""

    async def say(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is not None:
            await message.reply_text(text)
        raise ApplicationHandlerStop

    return say
