"""argparse in Vietnamese: its own words (usage, errors, group titles, -h) for the `faqbot` command line.

argparse looks its messages up through the module-level names `_` and `ngettext` (gettext) each time it
uses one. VietnameseArgumentParser points them at the catalog below for the duration of each of its own
calls, and puts the English back afterwards, so other parsers in the process are untouched. A message
missing from the catalog (one a later Python adds) stays in English rather than breaking.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from typing import Any, NoReturn

CATALOG: dict[str, str] = {
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "optional arguments": "tùy chọn",
    "subcommands": "lệnh",
    "show this help message and exit": "in hướng dẫn này rồi thoát",
    "show program's version number and exit": "in số phiên bản rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "còn thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "không hiểu các tham số: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "lựa chọn %(value)r không hợp lệ (chọn một trong: %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "giá trị %(value)r không hợp lệ (cần kiểu %(type)s)",
    "expected one argument": "cần một giá trị",
    "expected at most one argument": "chỉ nhận tối đa một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected %s argument": "cần %s giá trị",
    "expected %s arguments": "cần %s giá trị",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tùy chọn %(option)s chưa rõ, có thể là: %(matches)s"
    ),
    "not allowed with argument %s": "không dùng được cùng với tham số %s",
    "ignored explicit argument %r": "tùy chọn này không nhận giá trị, %r bị bỏ qua",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "không có lệnh %(parser_name)r (các lệnh: %(choices)s)"
    ),
    "can't open '%(filename)s': %(error)s": "không mở được '%(filename)s': %(error)s",
    "unexpected option string: %s": "tùy chọn không hợp lệ: %s",
}
"""argparse's English message ids (Python 3.11–3.13) → Vietnamese."""


def translate(message: str) -> str:
    """The Vietnamese for one of argparse's messages (the message itself when not in the catalog)."""
    return CATALOG.get(message, message)


def translate_plural(singular: str, plural: str, count: int) -> str:
    """ngettext for argparse's counted messages (Vietnamese nouns do not change with the count)."""
    return translate(singular if count == 1 else plural)


@contextlib.contextmanager
def vietnamese() -> Iterator[None]:
    """argparse speaks Vietnamese inside the block (not thread-safe: the CLI parses on one thread)."""
    saved = getattr(argparse, "_"), getattr(argparse, "ngettext")  # noqa: B009 - private names
    setattr(argparse, "_", translate)  # noqa: B010
    setattr(argparse, "ngettext", translate_plural)  # noqa: B010
    try:
        yield
    finally:
        setattr(argparse, "_", saved[0])  # noqa: B010
        setattr(argparse, "ngettext", saved[1])  # noqa: B010


class VietnameseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose own words are Vietnamese; its subcommand parsers are of the same class."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with vietnamese():
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        """argparse's add_subparsers, with its titles in Vietnamese."""
        with vietnamese():
            return super().add_subparsers(**kwargs)

    # typeshed declares both with overloads on the namespace type; these pass everything through.
    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """argparse's parse_known_args, its errors in Vietnamese."""
        with vietnamese():
            return super().parse_known_args(*args, **kwargs)

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """argparse's parse_args, its errors in Vietnamese."""
        with vietnamese():
            return super().parse_args(*args, **kwargs)

    def format_usage(self) -> str:
        """The usage line, in Vietnamese."""
        with vietnamese():
            return super().format_usage()

    def format_help(self) -> str:
        """The help text, in Vietnamese."""
        with vietnamese():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        """Print the usage and the error in Vietnamese, then exit with code 2."""
        with vietnamese():
            super().error(message)
