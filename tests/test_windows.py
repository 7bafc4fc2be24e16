"""Runs on Windows too: no POSIX-only call without a fallback, UTF-8 text files, a non-UTF-8 console.

Each POSIX-only call is tested here by taking it away (as Windows does) and checking the fallback.
"""

from __future__ import annotations

import ast
import asyncio
import importlib.util
import io
import json
import os
import signal
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.app import run_app
from bot.channels.zalo_tokens import write_private_atomically
from bot.cli import main
from tests.test_run_command import StubChannel, stub_app

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(
    p for folder in ("bot", "faq", "handlers", "bench", "tests") for p in (ROOT / folder).rglob("*.py")
)
MODE = set("rwxabt+")


def _text_mode_without_encoding(call: ast.Call) -> bool:
    """open(...), Path.open(...), read_text(...), write_text(...), subprocess text=True: text, no encoding."""
    func = call.func
    keywords = {k.arg for k in call.keywords}
    if "encoding" in keywords:
        return False
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "subprocess":
        # subprocess.run(text=True) decodes with the locale's code page on Windows.
        return any(
            k.arg in ("text", "universal_newlines") and isinstance(k.value, ast.Constant) and k.value.value
            for k in call.keywords
        )
    literal = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    mode_kw = next((k.value for k in call.keywords if k.arg == "mode"), None)
    if isinstance(func, ast.Name) and func.id == "open":
        mode = call.args[1] if len(call.args) > 1 else mode_kw
        return not (isinstance(mode, ast.Constant) and "b" in str(mode.value))
    if isinstance(func, ast.Attribute) and func.attr == "read_text":
        return not call.args  # read_text("utf-8") passes the encoding positionally
    if isinstance(func, ast.Attribute) and func.attr == "write_text":
        return len(call.args) < 2
    if (
        isinstance(func, ast.Attribute)
        and func.attr == "open"
        and not (isinstance(func.value, ast.Name) and func.value.id == "os")
    ):
        # Path.open(mode): only a call whose first argument is a file mode is a file being opened.
        mode = call.args[0] if call.args else mode_kw
        if isinstance(mode, ast.Constant) and isinstance(mode.value, str) and set(mode.value) <= MODE:
            return "b" not in mode.value
        return not call.args and not literal
    return False


def test_every_text_file_is_opened_as_utf8() -> None:
    offenders = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _text_mode_without_encoding(node):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_private_file_without_fchmod(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Windows has no os.fchmod before Python 3.13.
    monkeypatch.delattr(os, "fchmod", raising=False)
    target = tmp_path / "var" / "tokens.json"
    write_private_atomically(target, b'{"a": 1}')
    write_private_atomically(target, b'{"a": 2}')
    assert json.loads(target.read_text(encoding="utf-8")) == {"a": 2}
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["tokens.json"]


async def test_stops_on_sigterm_without_loop_signal_handlers(monkeypatch: pytest.MonkeyPatch) -> None:
    # Windows' Proactor loop has no add_signal_handler: a plain signal handler must stop the app.
    loop = asyncio.get_running_loop()

    def unsupported(*args: Any) -> None:
        raise NotImplementedError

    monkeypatch.setattr(loop, "add_signal_handler", unsupported)
    before = signal.getsignal(signal.SIGTERM)
    app = stub_app(StubChannel("good"))
    began = asyncio.Event()

    async def background(stop: asyncio.Event) -> None:
        began.set()
        await stop.wait()

    app.background.append(background)
    task = asyncio.create_task(run_app(app, err=io.StringIO()))
    await asyncio.wait_for(began.wait(), 5)
    signal.raise_signal(signal.SIGTERM)
    assert await asyncio.wait_for(task, 5) == 0
    assert signal.getsignal(signal.SIGTERM) == before  # put back as it was


def test_bench_without_the_resource_module(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "resource", None)  # `import resource` fails, as on Windows
    spec = importlib.util.spec_from_file_location("bench_matcher_win", ROOT / "bench" / "bench_matcher.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.peak_rss_mb() is None


def test_vietnamese_on_a_cp1252_console(monkeypatch: pytest.MonkeyPatch) -> None:
    out, err = io.BytesIO(), io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(out, encoding="cp1252"))
    monkeypatch.setattr(sys, "stderr", io.TextIOWrapper(err, encoding="cp437"))
    assert main(["ask", "làm căn cước mất bao lâu"]) == 0
    sys.stdout.flush()
    assert "Quyết định" in out.getvalue().decode("utf-8")
