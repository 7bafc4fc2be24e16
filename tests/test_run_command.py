"""`faqbot run`: clear one-line errors and exit codes; one failing channel does not stop the others."""

from __future__ import annotations

import asyncio
import io
import logging
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import App, build_app, configure_logging, redact, run_app, start_channels
from bot.channels.base import ChannelStartError
from bot.cli import main
from bot.config import AppConfig, FaqConfig, LoggingConfig, StorageConfig
from handlers.messages import Reply
from tests.fakes.telegram_api import FakeTelegramServer

MINI_FAQ = Path(__file__).parent / "data" / "mini_faq.yaml"
WRONG_TOKEN = "654321:WRONG-token_abcdefghijklmnop"


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """`faqbot run` configures the root logger; undo it so later tests log normally."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)


def write_config(tmp_path: Path, text: str) -> str:
    path = tmp_path / "config.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def stderr_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.strip()]


def test_missing_token_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], clean_env: None
) -> None:
    path = write_config(tmp_path, "telegram: {enabled: true}\n")
    assert main(["run", "--config", path]) == 2
    (line,) = stderr_lines(capsys)
    assert "TELEGRAM_BOT_TOKEN" in line


async def test_rejected_token_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], clean_env: None
) -> None:
    async with FakeTelegramServer() as fake:
        path = write_config(
            tmp_path,
            f"""
            faq: {{path: "{MINI_FAQ}"}}
            telegram:
              enabled: true
              token: "{WRONG_TOKEN}"
              base_url: "{fake.base_url}"
            """,
        )
        # The CLI runs its own event loop; the fake keeps serving on this one.
        code = await asyncio.to_thread(main, ["run", "--config", path])
    assert code == 2
    lines = stderr_lines(capsys)
    # The operator gets one line about the token (a cold vector cache may log its own line too).
    (line,) = [text for text in lines if "token" in text]
    assert "từ chối token" in line
    assert all(WRONG_TOKEN not in text and "Traceback" not in text for text in lines)
    assert [c.method for c in fake.calls] == []  # the wrong token never got past the 401


def test_config_errors_listed_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_config(tmp_path, "telegram: {mode: pull, tokn: x}\n")
    assert main(["run", "--config", path]) == 2
    lines = stderr_lines(capsys)
    assert len(lines) == 1 and "'telegram.tokn'" in lines[0]


def test_missing_config_file_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--config", str(tmp_path / "nope.yaml")]) == 2
    assert "nope.yaml" in capsys.readouterr().err


def test_broken_faq_exit_1_with_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    faq = tmp_path / "faq.yaml"
    faq.write_text("version: 1\nagency:\n  name: [broken\n", encoding="utf-8")
    path = write_config(tmp_path, f'faq: {{path: "{faq}"}}\ntelegram: {{enabled: true, token: "1:x"}}\n')
    assert main(["run", "--config", path]) == 1
    assert f"{faq}:" in capsys.readouterr().err


def test_no_channel_enabled_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_config(tmp_path, f'faq: {{path: "{MINI_FAQ}"}}\n')
    assert main(["run", "--config", path]) == 2
    (line,) = stderr_lines(capsys)
    assert "enabled: true" in line


class StubChannel:
    """A stand-in channel implementing the Channel protocol, to test the composition root."""

    def __init__(self, name: str, fail: bool = False) -> None:
        self.name = name
        self.fail = fail
        self.events: list[str] = []

    async def start(self) -> None:
        self.events.append("start")
        if self.fail:
            raise ChannelStartError("cổng đã bị chiếm")

    async def stop(self) -> None:
        self.events.append("stop")

    async def send(self, chat_id: str, reply: Reply) -> None:
        self.events.append(f"send {chat_id}")


def stub_app(*channels: StubChannel) -> App:
    salted = StorageConfig(salt="a-long-random-salt-for-this-test")  # no start-up warning about it
    app = build_app(AppConfig(faq=FaqConfig(path=str(MINI_FAQ)), storage=salted))
    app.channels.update({c.name: c for c in channels})
    return app


async def test_one_failing_channel_does_not_stop_the_others() -> None:
    good, bad = StubChannel("good"), StubChannel("bad", fail=True)
    app = stub_app(good, bad)
    err = io.StringIO()
    started = await start_channels(app, err)
    assert started == [good]
    assert err.getvalue().strip() == "Kênh bad không khởi động được: cổng đã bị chiếm"
    assert bad.events == ["start", "stop"]  # resources released after the failed start


async def test_run_until_stopped_then_stop_every_started_channel() -> None:
    good, bad = StubChannel("good"), StubChannel("bad", fail=True)
    app = stub_app(good, bad)
    stop = asyncio.Event()
    began = asyncio.Event()

    async def background(event: asyncio.Event) -> None:
        began.set()
        await event.wait()

    app.background.append(background)
    task = asyncio.create_task(run_app(app, stop=stop, err=io.StringIO()))
    await asyncio.wait_for(began.wait(), 5)  # background jobs start once channels are up
    assert good.events == ["start"]
    stop.set()
    assert await asyncio.wait_for(task, 5) == 0
    assert good.events == ["start", "stop"]


async def test_exit_2_when_no_channel_starts() -> None:
    app = stub_app(StubChannel("a", fail=True), StubChannel("b", fail=True))
    err = io.StringIO()
    assert await run_app(app, err=err) == 2
    assert len(err.getvalue().splitlines()) == 2


def test_logs_never_show_tokens(tmp_path: Path) -> None:
    log_file = tmp_path / "bot.log"
    configure_logging(LoggingConfig(level="DEBUG", file=str(log_file)), ["my-webhook-secret"])
    logger = logging.getLogger("telegram.ext.test")
    logger.debug("Set Bot API URL: https://api.telegram.org/bot%s", WRONG_TOKEN)
    logger.info("secret is %s", "my-webhook-secret")
    logging.getLogger("httpx").info("HTTP Request: POST .../bot%s/getMe", WRONG_TOKEN)
    text = log_file.read_text(encoding="utf-8")
    assert "WRONG-token" not in text and "my-webhook-secret" not in text
    assert text.count("***") == 2  # and httpx request lines are not logged at all


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(f"url /bot{WRONG_TOKEN}/getMe", "url /bot***/getMe", id="token-in-url"),
        pytest.param("pw=hunter22", "pw=***", id="known-secret"),
        pytest.param("order 123456:short", "order 123456:short", id="not-token-shaped"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text, ["hunter22"]) == expected


async def test_placeholders_left_in_the_faq_are_reported_at_start(tmp_path: Path) -> None:
    faq = tmp_path / "faq.yaml"
    faq.write_text(
        MINI_FAQ.read_text(encoding="utf-8").replace('phone: "0200 000 000"', 'phone: "[0xx xxxx xxxx]"'),
        encoding="utf-8",
    )
    line = faq.read_text(encoding="utf-8").splitlines().index('  phone: "[0xx xxxx xxxx]"') + 1
    salted = StorageConfig(salt="a-long-random-salt-for-this-test")  # only the FAQ warning is asserted
    app = build_app(AppConfig(faq=FaqConfig(path=str(faq), watch=False), storage=salted))
    app.channels.update({"stub": StubChannel("stub")})
    stop = asyncio.Event()
    stop.set()
    err = io.StringIO()
    assert await run_app(app, stop=stop, err=err) == 0
    first, *rest, running, stopping = err.getvalue().splitlines()
    assert running.startswith("Bot đang chạy trên ") and stopping == "Đang dừng bot…"
    assert first.startswith("Cảnh báo: tệp FAQ còn 1 chỗ mẫu chưa thay")
    assert rest == [f"  {faq}:{line}: (cảnh báo) " + rest[0].split(": (cảnh báo) ", 1)[1]]
    assert "số điện thoại (phone)" in rest[0]


async def test_no_placeholder_warning_for_an_edited_faq() -> None:
    app = stub_app(StubChannel("stub"))
    stop = asyncio.Event()
    stop.set()
    err = io.StringIO()
    assert await run_app(app, stop=stop, err=err) == 0
    assert [
        line for line in err.getvalue().splitlines() if not line.startswith(("Bot đang chạy", "Đang dừng"))
    ] == []


def test_unreachable_redis_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("FAQBOT_REDIS_URL", f"redis://:hunter2-secret@127.0.0.1:{port}/0")
    path = write_config(
        tmp_path,
        f"""
        faq: {{path: {MINI_FAQ}, watch: false}}
        semantic: {{backend: none}}
        state: {{backend: redis}}
        """,
    )
    assert main(["run", "--config", path]) == 2
    (line,) = stderr_lines(capsys)
    assert line.startswith("Lỗi: không kết nối được Redis")
    assert "FAQBOT_REDIS_URL" in line
    assert "hunter2-secret" not in line


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("redis://:SECRET#VALUE@127.0.0.1:6391/0", id="hash-in-the-password"),
        pytest.param("redis://:SECRETVALUE@127.0.0.1:notaport/0", id="port-not-a-number"),
    ],
)
def test_a_redis_url_that_cannot_be_read_is_one_line_without_the_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("FAQBOT_REDIS_URL", url)
    path = write_config(
        tmp_path,
        f"""
        faq: {{path: {MINI_FAQ}, watch: false}}
        semantic: {{backend: none}}
        state: {{backend: redis}}
        """,
    )
    assert main(["run", "--config", path]) == 2
    (line,) = stderr_lines(capsys)  # no traceback
    assert line.startswith("Lỗi: state.redis_url (FAQBOT_REDIS_URL) không phải một địa chỉ Redis hợp lệ")
    assert "%23" in line
    assert "SECRET" not in line


def test_redis_backend_without_the_redis_package_says_what_to_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "redis", None)  # import redis → ImportError, as when not installed
    monkeypatch.setenv("FAQBOT_REDIS_URL", "redis://127.0.0.1:6379/0")
    path = write_config(tmp_path, "state: {backend: redis}\n")
    assert main(["run", "--config", path]) == 2
    (line,) = stderr_lines(capsys)
    assert "chưa cài gói redis" in line and "[redis]" in line


async def test_a_health_port_already_taken_is_said_on_the_console() -> None:
    import dataclasses
    import socket

    from bot.config import HealthConfig

    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        app = stub_app(StubChannel("good"))
        app.config = dataclasses.replace(app.config, health=HealthConfig(listen="127.0.0.1", port=port))
        stop = asyncio.Event()

        async def stop_once_running(_: asyncio.Event) -> None:
            stop.set()

        app.background.append(stop_once_running)
        err = io.StringIO()
        assert await run_app(app, stop=stop, err=err) == 0
    assert f"Cổng kiểm tra tình trạng 127.0.0.1:{port} (health.port) đang bị chiếm" in err.getvalue()
