"""The FAQ's public entry points: reads and decodes a FAQ file, builds a FaqBook or lists its problems."""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from importlib import resources
from pathlib import Path

from faq.faq_keys import (
    AGENCY_KEYS,
    CATEGORY_KEYS,
    ENTRY_KEYS,
    ONLINE_KEYS,
    ONLINE_LEVELS,
    POSTAL_KEYS,
    SUPPORTED_VERSIONS,
    TOP_KEYS,
    VIETNAMESE_KEYS,
)
from faq.faq_reader import _Reader
from faq.problems import ERROR, WARNING, CheckReport, FaqError, Problem
from faq.schema import FaqBook

__all__ = [
    "AGENCY_KEYS",
    "CATEGORY_KEYS",
    "DEFAULT_FAQ",
    "ENTRY_KEYS",
    "ERROR",
    "MAX_FILE_BYTES",
    "ONLINE_KEYS",
    "ONLINE_LEVELS",
    "POSTAL_KEYS",
    "SUPPORTED_VERSIONS",
    "TOP_KEYS",
    "VIETNAMESE_KEYS",
    "WARNING",
    "CheckReport",
    "FaqError",
    "Problem",
    "check_faq",
    "load_faq",
    "parse_faq",
]
"""The public names, including those re-exported from faq.problems and faq.faq_keys."""

DEFAULT_FAQ: Path = Path(str(resources.files("faq").joinpath("data", "default.yaml")))
"""The FAQ shipped with the package."""

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Larger files are refused outright (an office FAQ is a few hundred kilobytes); the message and the
staff guide (docs/huong-dan-can-bo.md) state the limit."""


def check_faq(path: str | Path | None = None, *, today: dt.date | None = None) -> CheckReport:
    """Check a FAQ file (None: the shipped one); never raises for bad content."""
    target = DEFAULT_FAQ if path is None else Path(path)
    text = _read(target)
    if isinstance(text, Problem):
        return CheckReport(book=None, errors=(text,))
    return parse_faq(text, str(target), today=today)


def _read(target: Path) -> str | Problem:
    """The text of a FAQ or overlay file, or the one problem that stops it being read."""
    source = str(target)
    try:
        with target.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
            size = os.fstat(fh.fileno()).st_size
    except FileNotFoundError:
        where = (
            ""
            if target.is_absolute()
            else f" (đường dẫn tương đối được tính từ thư mục đang chạy lệnh: {Path.cwd()})"
        )
        return Problem(source, 0, f"không tìm thấy tệp FAQ{where} — hãy kiểm tra lại đường dẫn.")
    except IsADirectoryError:
        return Problem(source, 0, "đường dẫn này là một thư mục, không phải tệp FAQ.")
    except PermissionError:
        if target.is_dir():  # how Windows reports opening a folder
            return Problem(source, 0, "đường dẫn này là một thư mục, không phải tệp FAQ.")
        return Problem(
            source, 0, "không có quyền đọc tệp FAQ — hãy cấp quyền đọc cho tài khoản đang chạy bot."
        )
    except OSError as exc:
        return Problem(source, 0, f"không đọc được tệp FAQ ({exc.strerror or exc}).")
    if len(data) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        megabytes = max(size, len(data)) / (1024 * 1024)
        return Problem(
            source,
            0,
            f"tệp FAQ quá lớn: {megabytes:.1f} MB, trong khi giới hạn là {limit} MB (tệp FAQ của một cơ "
            "quan thường chỉ vài trăm KB) — có chọn nhầm tệp không?",
        )
    return _decode(data, source)


def load_faq(path: str | Path | None = None, *, today: dt.date | None = None) -> FaqBook:
    """Load a FAQ file (None: the shipped one), raising FaqError listing every error."""
    report = check_faq(path, today=today)
    if not report.ok or report.book is None:
        raise FaqError(report.errors)
    return report.book


def parse_faq(text: str, source: str = "<faq>", *, today: dt.date | None = None) -> CheckReport:
    """Check FAQ YAML given as a string; never raises for bad content."""
    if not isinstance(text, str):
        return _failed(source, "nội dung FAQ phải là văn bản.")
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff"))
    reader = _Reader(source, today or dt.date.today())
    root = reader.compose(text)
    book = reader.book(root) if root is not None else None
    errors = tuple(sorted(reader.errors, key=lambda p: p.line))
    warnings = tuple(sorted(reader.warnings, key=lambda p: p.line))
    return CheckReport(book=None if errors else book, errors=errors, warnings=warnings)


def _failed(source: str, message: str) -> CheckReport:
    return CheckReport(book=None, errors=(Problem(source, 0, message),))


def _decode(data: bytes, source: str) -> str | Problem:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Problem(
            source,
            0,
            "tệp đang được lưu bằng mã UTF-16; hãy mở tệp và lưu lại với mã hóa UTF-8.",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return Problem(
            source,
            line,
            "tệp không được lưu bằng mã UTF-8 (gặp ký tự lạ ở dòng này, có thể tệp đang dùng mã "
            "Windows-1258/TCVN3 hoặc không phải tệp văn bản). Hãy mở tệp bằng trình soạn thảo và "
            "lưu lại với mã hóa UTF-8.",
        )
