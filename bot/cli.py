"""`faqbot` command line: one module per subcommand under bot.commands; only this exits."""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import os
import sys
from collections.abc import Sequence

from bot.argparse_vi import VietnameseArgumentParser
from bot.oserrors import describe_os_error

# Each module defines `register(subparsers)`, which adds its parser and sets
# `func(args) -> int` as the default. Modules not written yet are skipped.
COMMANDS = ("chat", "ask", "check", "eval", "run", "report", "learn", "migrate-log")


def version() -> str:
    """The installed version of faqbot-tthc ("không rõ" when run from an uninstalled checkout)."""
    try:
        return importlib.metadata.version("faqbot-tthc")
    except importlib.metadata.PackageNotFoundError:
        return "không rõ"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every available subcommand (argparse's own words in Vietnamese)."""
    parser = VietnameseArgumentParser(
        prog="faqbot",
        description="Chatbot hỏi đáp thủ tục hành chính (Telegram, Zalo, console).",
    )
    parser.add_argument(
        "--version", action="version", version=f"faqbot {version()}", help="in số phiên bản rồi thoát"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="LỆNH")
    for name in COMMANDS:
        module_name = f"bot.commands.{name.replace('-', '_')}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand and return its exit code."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        code = int(args.func(args))
        sys.stdout.flush()
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`faqbot eval ... | head`): stop quietly, as other tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except OSError as exc:
        # A file the command needed and could not use: say which and what to do, no traceback.
        print(f"Lỗi: {describe_os_error(exc)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
