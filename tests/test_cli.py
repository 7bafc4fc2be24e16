"""The `faqbot` command line itself: --version, argparse's own words in Vietnamese, OS errors, operations."""

from __future__ import annotations

import argparse
import asyncio
import errno
import importlib.util
import io
import logging
import os
import pathlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import UNSALTED, configure_logging, run_app
from bot.argparse_vi import CATALOG, translate, translate_plural
from bot.cli import COMMANDS, build_parser, main, version
from bot.config import AppConfig, ConfigError, LoggingConfig, StorageConfig, load_config
from bot.oserrors import describe_os_error
from faq.loader import DEFAULT_FAQ, MAX_FILE_BYTES, check_faq
from tests.test_run_command import StubChannel, stub_app

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = (
    "usage:",
    "error:",
    "positional arguments",
    "options:",
    "show this help",
    "show program",
    "the following arguments are required",
    "invalid choice",
    "unrecognized arguments",
    "expected one argument",
    "invalid int value",
)


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `faqbot argv`, including argparse's own exits."""
    try:
        code = main(argv)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


# -- --version and argparse in Vietnamese -----------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["--version"], capsys)
    assert (code, out) == (0, f"faqbot {version()}\n")
    assert version()[0].isdigit()


@pytest.mark.parametrize(
    ("argv", "code", "fragment"),
    [
        pytest.param(["-h"], 0, "in hướng dẫn này rồi thoát", id="help"),
        *(pytest.param([name, "-h"], 0, "cách dùng: faqbot " + name, id=f"help-{name}") for name in COMMANDS),
        pytest.param(["ask"], 2, "faqbot ask: lỗi: còn thiếu tham số bắt buộc: CÂU_HỎI", id="required"),
        pytest.param(["xem"], 2, "lựa chọn 'xem' không hợp lệ (chọn một trong: 'chat'", id="invalid-choice"),
        pytest.param(["chat", "--nope"], 2, "faqbot: lỗi: không hiểu các tham số: --nope", id="unrecognized"),
        pytest.param(["report", "--since"], 2, "tham số --since: cần một giá trị", id="expected-one"),
        pytest.param(["check", "--max-age-days", "x"], 2, "cần một số nguyên dương", id="own-type-error"),
    ],
)
def test_argparse_speaks_vietnamese(
    argv: list[str], code: int, fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    got, out, err = run_cli(argv, capsys)
    text = out + err
    assert got == code
    assert fragment in text
    assert "cách dùng: faqbot" in text
    assert [word for word in ENGLISH if word in text] == []


def test_help_groups_are_vietnamese() -> None:
    text = build_parser().format_help()
    assert "\ntham số:\n" in text and "\ntùy chọn:\n" in text and "--version" in text


def test_other_parsers_keep_their_english() -> None:
    build_parser().parse_args(["check"])
    plain = argparse.ArgumentParser(prog="x")
    assert plain.format_usage().startswith("usage: x")
    assert "show this help message and exit" in plain.format_help()


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        pytest.param("usage: ", "cách dùng: ", id="usage"),
        pytest.param("options", "tùy chọn", id="options"),
        pytest.param("%(prog)s: error: %(message)s\n", "%(prog)s: lỗi: %(message)s\n", id="error-format"),
        pytest.param("something new in Python 3.99", "something new in Python 3.99", id="unknown-stays"),
    ],
)
def test_translate(message: str, expected: str) -> None:
    assert translate(message) == expected


def test_translate_plural_and_catalog_keeps_placeholders() -> None:
    assert translate_plural("expected %s argument", "expected %s arguments", 2) == "cần %s giá trị"
    for english, vietnamese in CATALOG.items():
        for placeholder in ("%s", "%r", "%(prog)s", "%(message)s", "%(value)r", "%(choices)s", "%(type)s"):
            assert english.count(placeholder) == vietnamese.count(placeholder), english


# -- OS errors ------------------------------------------------------------------------------------------


def test_missing_config_says_how_to_make_one(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["run"], capsys)  # the default --config config.yaml, not there yet
    assert code == 2
    assert err.startswith(
        "Lỗi cấu hình: Chưa có tệp cấu hình config.yaml — hãy chép config.example.yaml thành config.yaml"
    )


def test_config_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"là một thư mục, không phải tệp cấu hình"):
        load_config(tmp_path, env={})


@pytest.mark.parametrize("windows", [pytest.param(False, id="posix"), pytest.param(True, id="windows")])
def test_config_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, windows: bool) -> None:
    # Root reads everything, so the refusal is simulated; Windows refuses a folder the same way.
    target = tmp_path if windows else tmp_path / "config.yaml"
    target.touch(exist_ok=True)

    def refuse(self: Path, *args: Any, **kwargs: Any) -> str:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(pathlib.Path, "read_text", refuse)
    with pytest.raises(ConfigError) as info:
        load_config(target, env={})
    (problem,) = info.value.problems
    expected = "là một thư mục" if windows else "Không có quyền đọc/ghi tệp cấu hình"
    assert expected in problem and str(target) in problem


def test_config_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_bytes("faq: {path: Thư}\n".encode("cp1258"))
    with pytest.raises(ConfigError, match="không được lưu bằng mã UTF-8"):
        load_config(path, env={})


@pytest.mark.parametrize(
    ("exc", "fragment"),
    [
        pytest.param(
            FileNotFoundError(errno.ENOENT, "x", "a.yaml"), "không tìm thấy tệp a.yaml", id="missing"
        ),
        pytest.param(
            PermissionError(errno.EACCES, "x", "a.yaml"), "không có quyền đọc/ghi tệp a.yaml", id="permission"
        ),
        pytest.param(IsADirectoryError(errno.EISDIR, "x", "d"), "d là một thư mục, không phải tệp", id="dir"),
        pytest.param(OSError(errno.ENOSPC, "No space left", "log"), "ổ đĩa đã đầy", id="disk-full"),
        pytest.param(
            NotADirectoryError(errno.ENOTDIR, "x", "a/b"), "tới tệp a/b có một phần là tệp", id="not-dir"
        ),
        pytest.param(OSError(errno.EIO, "I/O error", "x"), "(lỗi hệ thống: I/O error)", id="other"),
    ],
)
def test_describe_os_error(exc: OSError, fragment: str) -> None:
    assert fragment in describe_os_error(exc, is_dir=lambda _: False)


def test_windows_folder_refusal_is_described_as_a_folder() -> None:
    exc = PermissionError(errno.EACCES, "Permission denied", "C:\\faqbot")
    assert "là một thư mục" in describe_os_error(exc, is_dir=lambda _: True)


def test_faq_folder_on_windows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(pathlib.Path, "open", refuse)
    assert "là một thư mục" in check_faq(tmp_path).errors[0].message


def test_unwritable_log_file_is_one_vietnamese_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "var").write_text("a file where a folder should be", encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(
        'telegram: {enabled: true, token: "1:x"}\nlogging: {file: var/log/faqbot.log}\n', encoding="utf-8"
    )
    code, _, err = run_cli(["run", "--config", str(config)], capsys)
    assert code == 2
    (line,) = err.splitlines()
    assert line.startswith("Lỗi: ") and "tệp nhật ký vận hành (logging.file)" in line


def test_eval_cases_file_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["eval", str(tmp_path / "cau-hoi.yaml")], capsys)
    assert code == 1
    assert err.startswith("Lỗi: không tìm thấy tệp câu hỏi")


def test_any_other_os_error_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def full(args: argparse.Namespace) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", "var/faqbot.sqlite3")

    monkeypatch.setattr("bot.commands.check.run", full)
    code, _, err = run_cli(["check"], capsys)
    assert code == 2
    assert err == (
        "Lỗi: ổ đĩa đã đầy, không ghi được tệp var/faqbot.sqlite3 — hãy giải phóng chỗ trống rồi chạy lại.\n"
    )


# -- operations -------------------------------------------------------------------------------------------


def test_log_file_rotates(tmp_path: Path) -> None:
    log_file = tmp_path / "bot.log"
    configure_logging(LoggingConfig(level="INFO", file=str(log_file), max_size_mb=0.001, backup_count=2))
    logger = logging.getLogger("faqbot.test.rotation")
    for i in range(200):
        logger.info("line %03d %s", i, "x" * 40)
    assert (tmp_path / "bot.log.1").is_file() and (tmp_path / "bot.log.2").is_file()
    assert not (tmp_path / "bot.log.3").exists()
    assert log_file.stat().st_size <= 1100
    # Workers sharing one config share its log file: each line says which process wrote it.
    assert f" INFO [{os.getpid()}] faqbot.test.rotation: line 199 " in log_file.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        pytest.param("logging: {max_size_mb: -1}\n", "'logging.max_size_mb'", id="negative-size"),
        pytest.param("logging: {backup_count: 0}\n", "'logging.backup_count'", id="no-backups"),
    ],
)
def test_rotation_settings_are_checked(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=key):
        load_config(path, env={})


@pytest.mark.parametrize(
    ("salt", "warned"), [pytest.param("", True, id="no-salt"), pytest.param("s3cret", False, id="salted")]
)
async def test_startup_warns_when_the_salt_is_empty(salt: str, warned: bool) -> None:
    app = stub_app(StubChannel("good"))
    app.config = AppConfig(storage=StorageConfig(salt=salt))
    stop, err = asyncio.Event(), io.StringIO()
    stop.set()
    assert await run_app(app, stop=stop, err=err) == 0
    assert (UNSALTED in err.getvalue()) is warned
    assert "FAQBOT_SALT" in UNSALTED


def test_faq_size_limit_is_stated(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 5 * 1024 * 1024)
    (problem,) = check_faq(path).errors
    assert "25.0 MB, trong khi giới hạn là 20 MB" in problem.message
    guide = (ROOT / "docs" / "huong-dan-can-bo.md").read_text(encoding="utf-8")
    assert "20 MB" in guide


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_matcher", ROOT / "bench" / "bench_matcher.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_shows_the_failing_childs_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    # No queries: the child cannot take a median and dies; its traceback must reach the reader.
    assert _bench().main(["--sizes", "40", "--queries", "0"]) == 1
    err = capsys.readouterr().err
    assert "the 40-entry run exited with code 1; its stderr:" in err
    assert "StatisticsError" in err
    assert "CalledProcessError" not in err


def test_example_config_documents_rotation() -> None:
    text = (ROOT / "config.example.yaml").read_text(encoding="utf-8")
    assert "max_size_mb: 10.0" in text and "backup_count: 5" in text


def test_python_m_bot_works_beside_a_folder_named_faq(tmp_path: Path) -> None:
    # The province layout keeps its YAML files in faq/: that folder must not be imported as our package.
    (tmp_path / "faq").mkdir()
    shutil.copy(DEFAULT_FAQ, tmp_path / "faq" / "tinh.yaml")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "check", "faq/tinh.yaml"],
        capture_output=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
        check=False,
    )
    assert "Traceback" not in done.stderr.decode()
    assert "hợp lệ" in done.stdout.decode()
