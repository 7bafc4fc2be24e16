"""`faqbot run --config PATH`: start every channel enabled in the config, until Ctrl+C or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from bot.app import build_app, config_secrets, configure_logging, run_app
from bot.commands.common import read_config
from faq.loader import FaqError


def register(subparsers: Any) -> None:
    """Add the `run` subcommand."""
    parser = subparsers.add_parser(
        "run",
        help="chạy bot trên các kênh đã bật (Telegram, Zalo)",
        description="Chạy bot trên mọi kênh được bật trong tệp cấu hình, đến khi nhấn Ctrl+C.",
    )
    parser.add_argument(
        "--config",
        default="config.yaml",
        metavar="TỆP",
        help="tệp cấu hình YAML (mặc định: config.yaml; xem config.example.yaml)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load the config and the FAQ, then run the channels; 2 on config/start errors, 1 on FAQ errors."""
    config = read_config(args.config, secrets=True)
    if config is None:
        return 2
    configure_logging(config.logging, config_secrets(config))
    try:
        app = build_app(config)
    except FaqError as exc:
        print("Tệp FAQ có lỗi nên bot chưa chạy được:", file=sys.stderr)
        print(str(exc), file=sys.stderr)
        return 1
    return asyncio.run(run_app(app))
