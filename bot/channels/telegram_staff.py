"""Telegram side of the staff tools: replies in the staff group, and admin commands in private chats."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection

from telegram import Update
from telegram.ext import ApplicationHandlerStop, CommandHandler, ContextTypes, MessageHandler, filters

from bot.channels.telegram import TelegramChannel, to_incoming
from bot.handoff import HandoffDesk, parse_ref
from handlers.messages import Incoming, Reply

log = logging.getLogger(__name__)

AdminHandler = Callable[[Incoming], Awaitable[Reply | None]]


def install_staff_desk(channel: TelegramChannel, staff_chat_id: int, desk: HandoffDesk) -> None:
    """Relay a staff member's reply to a ticket post back to that ticket's citizen."""

    async def on_staff_message(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        replied = message.reply_to_message
        number = parse_ref(replied.text or "") if replied is not None else None
        if number is None or not message.text:
            # Ordinary staff chatter, or a reply to something that is not a ticket.
            raise ApplicationHandlerStop
        confirmation = await desk.relay(number, message.text)
        await message.reply_text(confirmation)
        raise ApplicationHandlerStop

    channel.add_handler(MessageHandler(filters.Chat(chat_id=staff_chat_id), on_staff_message))


def install_admin_commands(
    channel: TelegramChannel, admin_user_ids: Collection[str], handle: AdminHandler
) -> None:
    """Answer /reload, /stats and /unanswered for the configured admins; others fall through."""
    ids = [int(i) for i in admin_user_ids if i.lstrip("-").isdigit()]
    if not ids:
        return

    async def on_admin_command(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        msg = to_incoming(update)
        if msg is None or update.effective_message is None:
            return
        reply = await handle(msg)
        if reply is None:
            return
        await channel.send(msg.chat_id, reply)
        raise ApplicationHandlerStop

    channel.add_handler(
        CommandHandler(
            ["reload", "stats", "unanswered"],
            on_admin_command,
            filters=filters.User(user_id=ids) & filters.ChatType.PRIVATE,
        )
    )
