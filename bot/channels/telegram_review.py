"""Telegram side of the learning review: /hoc in the staff group, the review buttons, the periodic post.

Runs in REVIEW_GROUP, before the staff desk's handler (which swallows every staff-group message), so
an admin's /hoc reaches it. What a button does is decided by bot.learn_review.ReviewDesk (blocking:
it reads SQLite and checks the FAQ, so it runs in a thread); this module only sends and edits.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection

from telegram import CallbackQuery, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ApplicationHandlerStop, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot.channels.telegram import EXTRA_HANDLER_GROUP, TelegramChannel, keyboard
from bot.learn_review import ADMINS_ONLY, PREFIX, ReviewDesk, Staff
from handlers.messages import Reply
from handlers.render import render_html

log = logging.getLogger(__name__)

REVIEW_GROUP = EXTRA_HANDLER_GROUP - 1
COMMAND = "hoc"


def admin_ids(admin_user_ids: Collection[str]) -> list[int]:
    """The configured admin ids that are Telegram user ids."""
    return [int(i) for i in admin_user_ids if str(i).strip().lstrip("-").isdigit()]


def install_review(
    channel: TelegramChannel, staff_chat_id: int, admin_user_ids: Collection[str], desk: ReviewDesk
) -> None:
    """/hoc from an admin in the staff group posts candidates; taps on their buttons act on them."""
    admins = admin_ids(admin_user_ids)

    async def on_command(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        log.info("admin command /%s in the staff group", COMMAND)
        await post_batch(channel, staff_chat_id, desk)
        raise ApplicationHandlerStop

    async def on_tap(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        message = query.message
        if not isinstance(message, Message) or message.chat.id != staff_chat_id or query.data is None:
            await _answer(query, "")
            raise ApplicationHandlerStop
        user = query.from_user
        staff = Staff(user.full_name, str(user.id), user.id in admins)
        if not staff.is_admin and not query.data.startswith(f"{PREFIX}d:"):
            await _answer(query, ADMINS_ONLY, alert=True)  # at once: nothing to look up
            raise ApplicationHandlerStop
        try:
            tap = await asyncio.to_thread(desk.tap, query.data, staff)
        except Exception:
            log.exception("learning review tap failed")
            await _answer(query, "Có lỗi khi xử lý; chi tiết đã ghi trong nhật ký của bot.", alert=True)
            raise ApplicationHandlerStop from None
        if tap.reply is not None:
            await edit(channel, message, tap.reply)
        await _answer(query, tap.notice, alert=tap.alert)
        raise ApplicationHandlerStop

    if admins:
        only_admins = filters.Chat(chat_id=staff_chat_id) & filters.User(user_id=admins)
        channel.add_handler(CommandHandler(COMMAND, on_command, filters=only_admins), group=REVIEW_GROUP)
    channel.add_handler(CallbackQueryHandler(on_tap, pattern=f"^{PREFIX}"), group=REVIEW_GROUP)


async def post_batch(
    channel: TelegramChannel, chat_id: int, desk: ReviewDesk, fresh_only: bool = False
) -> int:
    """Post the next candidates to the staff group, one message each; how many were posted."""
    replies = await asyncio.to_thread(desk.batch, fresh_only)
    if fresh_only and all(not r.buttons for r in replies):
        return 0  # the periodic post stays silent when there is nothing new
    for reply in replies:
        await channel.send(str(chat_id), reply)
    return sum(1 for r in replies if r.buttons)


async def post_periodically(
    channel: TelegramChannel, chat_id: int, desk: ReviewDesk, interval_days: float, stop: asyncio.Event
) -> None:
    """Post new candidates every `interval_days` until `stop` (the first post one interval after start)."""
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval_days * 86400)
            return
        except TimeoutError:
            pass
        try:
            posted = await post_batch(channel, chat_id, desk, fresh_only=True)
            log.info("learning review: %d candidates posted to the staff group", posted)
        except Exception:
            log.exception("could not post the learning review")


async def edit(channel: TelegramChannel, message: Message, reply: Reply) -> None:
    """Replace the tapped message's text and buttons (no buttons: the keyboard goes)."""
    html = render_html(reply)[0]
    try:
        await channel.bot.edit_message_text(
            html,
            chat_id=message.chat.id,
            message_id=message.message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard(reply),
        )
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            log.warning("review message not edited (%s), sending it anew", exc.message)
            await channel.send(str(message.chat.id), reply)


async def _answer(query: CallbackQuery, text: str, alert: bool = False) -> None:
    try:
        await query.answer(text or None, show_alert=alert)
    except TelegramError as exc:
        log.info("callback query not answered: %s", type(exc).__name__)
