"""`faqbot run --config PATH`: start every channel enabled in the config, until Ctrl+C or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
from typing import Any

from bot.app import build_app, config_secrets, configure_logging, run_app
from bot.commands.common import read_config
from bot.config import ConfigError
from bot.oserrors import describe_os_error
from bot.state import RedisMissing, RedisUrlInvalid
from faq.loader import FaqError
from handlers.store import StateStoreError


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
    try:
        configure_logging(config.logging, config_secrets(config))
    except OSError as exc:
        print("Lỗi: " + describe_os_error(exc, "tệp nhật ký vận hành (logging.file)"), file=sys.stderr)
        return 2
    try:
        app = build_app(config, console=sys.stderr)
    except ConfigError as exc:  # the offices' units (bot/offices.py)
        for message in exc.problems:
            print(f"Lỗi cấu hình: {message}", file=sys.stderr)
        return 2
    except FaqError as exc:
        print("Tệp FAQ có lỗi nên bot chưa chạy được:", file=sys.stderr)
        print(str(exc), file=sys.stderr)
        return 1
    except OSError as exc:
        print("Lỗi: " + describe_os_error(exc), file=sys.stderr)
        return 2
    except RedisMissing:
        print(
            "Lỗi: state.backend là 'redis' nhưng máy này chưa cài gói redis — hãy chạy "
            "pip install -c constraints.txt -e '.[redis]' (hoặc pip install redis) rồi khởi động lại.",
            file=sys.stderr,
        )
        return 2
    except RedisUrlInvalid:
        print(
            "Lỗi: state.redis_url (FAQBOT_REDIS_URL) không phải một địa chỉ Redis hợp lệ, dạng "
            "redis://:mật-khẩu@máy:cổng/số — hãy kiểm tra cổng là một số, và mật khẩu có ký tự @ : / # % ? "
            "hoặc dấu cách thì phải mã hóa phần trăm (ví dụ # viết thành %23, / thành %2F).",
            file=sys.stderr,
        )
        return 2
    except StateStoreError as exc:
        print(
            f"Lỗi: không kết nối được Redis ở state.redis_url ({exc}) — hãy kiểm tra máy chủ Redis đang "
            "chạy và địa chỉ trong FAQBOT_REDIS_URL, hoặc đặt state.backend: memory khi chỉ chạy một "
            "tiến trình.",
            file=sys.stderr,
        )
        return 2
    except sqlite3.Error as exc:
        print(
            f"Lỗi: không mở được nhật ký hỏi đáp {config.storage.path} ({exc}) — hãy kiểm tra khóa "
            "storage.path và quyền ghi vào thư mục chứa nó.",
            file=sys.stderr,
        )
        return 2
    return asyncio.run(run_app(app))
