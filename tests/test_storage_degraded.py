"""An unusable storage.path at start: the bot serves without the log and says so, never a traceback.

Built and run as `faqbot run` does, against the fake Telegram Bot API on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import dataclasses
import io
import os
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.admin import LOG_UNUSABLE
from bot.app import build_app, run_app
from bot.config import StorageConfig
from handlers import texts
from tests.fakes.telegram_api import FakeTelegramServer
from tests.test_handoff_e2e import ADMIN, CITIZEN, STAFF_GROUP, UNANSWERABLE, config


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as server:
        yield server


@pytest.fixture(params=["file-in-the-way", "directory-at-the-path", "read-only-directory"])
def unusable(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """A storage.path SQLite cannot use."""
    if request.param == "file-in-the-way":
        (tmp_path / "var").write_text("not a directory", encoding="utf-8")
        yield tmp_path / "var" / "faqbot.sqlite3"
    elif request.param == "directory-at-the-path":
        (tmp_path / "faqbot.sqlite3").mkdir()
        yield tmp_path / "faqbot.sqlite3"
    else:
        if sys.platform == "win32" or os.geteuid() == 0:
            pytest.skip("root writes into read-only directories; Windows ignores the mode bits")
        readonly = tmp_path / "readonly"
        readonly.mkdir()
        readonly.chmod(0o555)
        try:
            yield readonly / "faqbot.sqlite3"
        finally:
            readonly.chmod(0o755)


async def test_the_bot_still_answers_and_tells_operator_staff_and_admin(
    tmp_path: Path, telegram: FakeTelegramServer, unusable: Path
) -> None:
    app_config = dataclasses.replace(
        config(tmp_path, telegram), storage=StorageConfig(path=str(unusable), salt="s")
    )
    app = build_app(app_config)  # used to raise from deep inside sqlite3 / pathlib
    assert len(app.notices) == 1 and str(unusable) in app.notices[0]
    stop = asyncio.Event()
    err = io.StringIO()
    task = asyncio.create_task(run_app(app, stop=stop, err=err))
    try:
        await telegram.wait_for(lambda: bool(telegram.calls_to("getUpdates")) or task.done())
        assert not task.done(), err.getvalue()
        [notice] = await telegram.wait_sent(STAFF_GROUP, 1)
        assert notice.text == app.notices[0]

        telegram.add_text(CITIZEN, UNANSWERABLE)
        [reply] = await telegram.wait_sent(CITIZEN, 1)
        assert "chưa có thông tin" in reply.text
        # No handoff is offered: there is nowhere to keep the ticket.
        assert texts.BTN_ASK_STAFF not in reply.labels

        telegram.add_text(ADMIN, "/stats")
        [stats] = await telegram.wait_sent(ADMIN, 1)
        assert stats.text == LOG_UNUSABLE.format(path=unusable)
    finally:
        stop.set()
        assert await asyncio.wait_for(task, 15) == 0
    lines = err.getvalue().splitlines()
    assert (
        lines[0] == app.notices[0] and lines[1].startswith("Bot đang chạy trên Telegram") and len(lines) == 3
    )
    assert "Không mở được nhật ký hỏi đáp" in lines[0] and "Traceback" not in err.getvalue()
    assert len(telegram.sent_to(STAFF_GROUP)) == 1, "no ticket was forwarded"
