"""`faqbot chat [--faq PATH] [--config PATH]`: talk to the bot in the terminal, no token, no network."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from typing import Any

from bot.app import build_knowledge
from bot.channels.console import ConsoleChat
from bot.commands.common import indexer_or_note, read_config
from bot.config import AppConfig
from bot.reload import FaqReloader, served_last_good
from bot.report import office_timezone
from bot.storage import InteractionLog
from bot.storage_sql import hide_password, log_where
from faq.loader import FaqError
from handlers.conversation import Conversation


def register(subparsers: Any) -> None:
    """Add the `chat` subcommand."""
    parser = subparsers.add_parser(
        "chat",
        help="trò chuyện thử với bot ngay trong cửa sổ dòng lệnh (không cần token, không cần mạng)",
        description=(
            "Trò chuyện với bot trong cửa sổ dòng lệnh. Nút bấm hiện thành danh sách đánh số: "
            "gõ số để chọn. Gõ «thoát» để kết thúc. Có thể đưa câu hỏi vào qua đầu vào chuẩn "
            "(mỗi dòng một tin nhắn)."
        ),
    )
    parser.add_argument(
        "--faq",
        metavar="TỆP",
        help="tệp FAQ YAML (mặc định: FAQ đi kèm gói, hoặc faq.path trong tệp cấu hình)",
    )
    parser.add_argument(
        "--config",
        metavar="TỆP",
        help="tệp cấu hình YAML (để dùng ngưỡng so khớp và thời gian giữ ngữ cảnh của nó)",
    )
    parser.add_argument(
        "--log",
        action="store_true",
        help=(
            "ghi các câu hỏi của buổi trò chuyện thử vào nhật ký hỏi đáp trong tệp cấu hình (kênh «Bảng "
            "lệnh (thử nghiệm)»), để xem bằng «faqbot report» và bổ sung FAQ bằng «faqbot learn»; mặc định "
            "không ghi"
        ),
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load the config and the FAQ, then chat on stdin/stdout; 1 on FAQ errors, 2 on config errors."""
    config = read_config(args.config, default=AppConfig(), database=args.log)
    if config is None:
        return 2
    if args.faq:
        config = dataclasses.replace(config, faq=dataclasses.replace(config.faq, path=args.faq))
    # The console is for staff trying the bot: they read its notices in Vietnamese (below), not the
    # process log's English lines, which Python would otherwise print on stderr.
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.NullHandler())
    try:
        knowledge = build_knowledge(config, indexer=indexer_or_note(config), console=sys.stderr)
    except FaqError as exc:
        print("Tệp FAQ có lỗi nên chưa trò chuyện được:", file=sys.stderr)
        for faq_problem in exc.problems:
            print(f"  {faq_problem}", file=sys.stderr)
        return 1
    if isinstance(knowledge, FaqReloader) and knowledge.broken_at_start:
        print(
            served_last_good(
                knowledge.path,
                knowledge.broken_at_start,
                knowledge.last_good,
                office_timezone(config.staff.timezone),
            ),
            file=sys.stderr,
        )
    conversation = Conversation(knowledge, context_ttl=config.conversation.context_ttl)
    stdin = sys.stdin
    reconfigure = getattr(stdin, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(encoding="utf-8", errors="replace")
    interactive = stdin.isatty() and sys.stdout.isatty()
    interactions = _open_log(config) if args.log else None
    if args.log and interactions is None:
        return 2
    chat = ConsoleChat(
        conversation,
        stdin=stdin,
        stdout=sys.stdout,
        interactive=interactive,
        read_line=input if interactive else None,
        observe=interactions.record if interactions is not None else None,
    )
    try:
        return chat.run()
    finally:
        if interactions is not None:
            interactions.close()
            print(f"Đã ghi các câu hỏi vào nhật ký hỏi đáp {log_where(config.storage)}.", file=sys.stderr)


def _open_log(config: AppConfig) -> InteractionLog | None:
    """The configured interaction log for `chat --log`, or None after saying why it cannot be opened."""
    storage = config.storage
    try:
        # No salt outside `run` (secrets are not read): the console's one user needs no hiding.
        return InteractionLog(storage.log_url, salt="", retention_days=storage.retention_days)
    except Exception as exc:  # what opening a database can raise is driver-specific
        said = hide_password(f"{type(exc).__name__}: {exc}", storage.log_url)
        print(f"Lỗi: không mở được nhật ký hỏi đáp {log_where(storage)} ({said}).", file=sys.stderr)
        return None
