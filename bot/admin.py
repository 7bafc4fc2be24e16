"""Admin commands (/reload, /stats, /unanswered) for the staff ids in staff.admin_user_ids, any channel."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable, Collection, Mapping

from bot.channels.delivery import DeliveryStats
from bot.reload import Reloads, reload_text
from bot.report import Report, answered_titles, build_report, format_stats, format_unanswered, office_timezone
from bot.storage import InteractionLog, LogHealth, LogUnavailable
from faq.knowledge import KnowledgeSource
from handlers.messages import Incoming, InKind, Reply

log = logging.getLogger(__name__)

STATS_DAYS = 7
COMMANDS = ("reload", "stats", "unanswered")

NO_RELOADER = "Dạ, bot đang dùng một tệp hỏi đáp cố định nên không nạp lại được."
NO_LOG = "Dạ, nhật ký hỏi đáp chưa được bật (mục storage trong cấu hình) nên chưa có số liệu."
FAILED = "Dạ, có lỗi khi thực hiện lệnh /{name}; chi tiết đã ghi trong nhật ký của bot."
LOG_UNUSABLE = (
    "Dạ, nhật ký hỏi đáp không mở được khi bot khởi động ({path}), nên bot vẫn trả lời người dân "
    "nhưng không ghi lại câu hỏi và chưa có số liệu. Hãy kiểm tra thư mục và dung lượng ổ đĩa "
    "(mục storage.path trong cấu hình) rồi khởi động lại bot."
)


class AdminCommands:
    """Answers admin commands from the configured staff ids; everyone else gets None (citizen path)."""

    def __init__(
        self,
        admin_user_ids: Collection[str],
        *,
        reloader: Reloads | None,
        log: InteractionLog | None,
        knowledge: KnowledgeSource,
        log_unusable: str | None = None,
        tz: dt.tzinfo | None = None,
        clock: Callable[[], float] = time.time,
        channels: Mapping[str, object] | None = None,
    ) -> None:
        self._channels = channels if channels is not None else {}
        self._admins = frozenset(str(i).strip() for i in admin_user_ids if str(i).strip())
        self._reloader = reloader
        self._log = log
        self._log_unusable = log_unusable
        self._knowledge = knowledge
        self._tz = tz or office_timezone()
        self._clock = clock

    def is_admin(self, msg: Incoming) -> bool:
        """True when the sender's id is one of the admin ids (compared as strings)."""
        return str(msg.user_id).strip() in self._admins

    async def handle(self, msg: Incoming) -> Reply | None:
        """The reply to an admin command, or None when this is not one (or the sender is not an admin)."""
        if msg.kind != InKind.COMMAND:
            return None
        name = msg.text.strip().lstrip("/").split("@", 1)[0].lower()
        if name not in COMMANDS or not self.is_admin(msg):
            return None
        log.info("admin command /%s on %s", name, msg.channel)
        try:
            if name == "reload":
                return await self._reload()
            if self._log is None:
                if self._log_unusable is not None:
                    return Reply(LOG_UNUSABLE.format(path=self._log_unusable))
                return Reply(NO_LOG)
            try:
                report = await self._report(self._log)
            except LogUnavailable:
                return Reply(health_text(self._log.health()))
            if name == "unanswered":
                return Reply(format_unanswered(report))
            text = format_stats(report) + "\n\n" + health_text(self._log.health())
            sending = delivery_text(self._channels)
            return Reply(text + ("\n\n" + sending if sending else ""))
        except Exception:
            log.exception("admin command /%s failed", name)
            return Reply(FAILED.format(name=name))

    async def _reload(self) -> Reply:
        if self._reloader is None:
            return Reply(NO_RELOADER)
        result = await asyncio.to_thread(self._reloader.reload, True)
        return Reply(reload_text(result))

    async def _report(self, interactions: InteractionLog) -> Report:
        now = self._clock()
        since = now - STATS_DAYS * 86400
        knowledge = self._knowledge.current()
        book = knowledge.book
        answers = answered_titles(knowledge.matcher)

        def report() -> Report:
            # Reading SQLite and grouping questions both take a while on a busy week.
            return build_report(interactions.rows(since), book, since, now=now, tz=self._tz, answers=answers)

        return await asyncio.to_thread(report)


_CHANNEL_NAMES = {"telegram": "Telegram", "zalo_bot": "Zalo Bot", "zalo_oa": "Zalo OA"}


def delivery_text(channels: Mapping[str, object]) -> str:
    """Staff-facing Vietnamese lines on sending since start, when anything was retried or given up."""
    lines = []
    for name, channel in channels.items():
        stats = getattr(channel, "delivery", None)
        if not isinstance(stats, DeliveryStats) or not (stats.retries or stats.failed):
            continue
        lines.append(
            f"- {_CHANNEL_NAMES.get(name, name)}: {stats.sent} tin đã gửi, {stats.retries} lần gửi lại, "
            f"{stats.possible_duplicates} tin có thể bị trùng, {stats.failed} tin không gửi được."
        )
    if not lines:
        return ""
    return "Gửi tin từ khi bot khởi động (tin không gửi được có mã lỗi trong nhật ký của bot):\n" + "\n".join(
        lines
    )


def health_text(health: LogHealth) -> str:
    """One staff-facing Vietnamese paragraph on the interaction log's writer (under /stats)."""
    if health.ok:
        return "Nhật ký hỏi đáp: ghi bình thường."
    lines = []
    if not health.alive:
        lines.append("Nhật ký hỏi đáp đã ngừng ghi (xem nhật ký của bot).")
    elif health.away_since is not None:
        since = time.strftime("%H:%M %d/%m/%Y", time.localtime(health.away_since))
        lines.append(
            f"Cơ sở dữ liệu nhật ký hỏi đáp mất kết nối từ {since}: bot vẫn trả lời người dân, "
            f"{health.queued} lượt đang chờ trong bộ nhớ và sẽ được ghi khi kết nối lại; số liệu "
            "/stats sẽ có khi kết nối lại."
        )
    else:
        lines.append("Nhật ký hỏi đáp vẫn ghi, nhưng số liệu trên có thể thiếu:")
    if health.dropped:
        lines.append(f"- {health.dropped} lượt không được ghi vì ổ đĩa ghi không kịp;")
    if health.failed:
        lines.append(f"- {health.failed} lượt ghi bị lỗi (lỗi gần nhất: {health.last_error}).")
    return "\n".join(lines)
