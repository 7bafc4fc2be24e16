"""Live FAQ reload: good edits are served at once, broken, deleted or half-written files never are."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
import shutil
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

import bot.reload as reload_module
from bot.notices import ON_STDERR
from bot.reload import FaqReloader, LastGood, ReloadResult, restored_text, served_last_good
from faq.decision import Kind, MatchSettings
from faq.loader import FaqError

MINI_FAQ = Path(__file__).parent / "data" / "mini_faq.yaml"
INTERVAL = 0.05
TIMEOUT = 10.0
NEW_ENTRY = """
  - id: giay-phep-xay-dung
    category: chung-thuc
    title: Cấp giấy phép xây dựng nhà ở riêng lẻ
    questions:
      - xin giấy phép xây dựng nhà ở
      - làm giấy phép xây nhà cần gì
    summary: Nộp hồ sơ xin giấy phép xây dựng tại UBND cấp huyện.
"""
NEW_QUESTION = "xin giấy phép xây dựng nhà ở"


def with_new_entry(base: str, entry_id: str = "giay-phep-xay-dung") -> str:
    """The base FAQ plus one valid procedure."""
    return base.rstrip("\n") + "\n" + NEW_ENTRY.replace("giay-phep-xay-dung", entry_id)


def with_syntax_error(base: str) -> tuple[str, int]:
    """The base FAQ with an unclosed list; returns the text and the 1-based line of the error."""
    marker = "    title: Đăng ký khai tử\n"
    line = base[: base.index(marker)].count("\n") + 2
    return base.replace(marker, marker + "    fee: [chưa đóng ngoặc\n"), line


def break_syntax(path: Path) -> None:
    """Save the file with a YAML syntax error."""
    path.write_text(with_syntax_error(path.read_text(encoding="utf-8"))[0], encoding="utf-8")


@pytest.fixture
def faq_path(tmp_path: Path) -> Path:
    path = tmp_path / "faq.yaml"
    shutil.copyfile(MINI_FAQ, path)
    return path


class Watcher:
    """Runs FaqReloader.watch() in the test's loop; records every reload and failure report."""

    def __init__(self, path: Path) -> None:
        self.failures: list[ReloadResult] = []
        self.results: list[ReloadResult] = []
        self._changed = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        watcher = self

        class Recording(FaqReloader):
            def reload(self, force: bool = False) -> ReloadResult:
                result = super().reload(force)
                watcher.results.append(result)
                watcher._loop.call_soon_threadsafe(watcher._changed.set)
                return result

        self.reloader = Recording(path, MatchSettings(), on_failure=self._on_failure)
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def _on_failure(self, result: ReloadResult) -> None:
        self.failures.append(result)
        self._changed.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self.reloader.watch(self._stop, interval=INTERVAL))

    async def until(self, condition: Callable[[], bool]) -> None:
        """Wait (bounded) until a reload or failure report makes the condition true."""

        async def wait() -> None:
            while not condition():
                self._changed.clear()
                if condition():
                    return
                await self._changed.wait()

        await asyncio.wait_for(wait(), TIMEOUT)

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await asyncio.wait_for(self._task, TIMEOUT)


class PollCounter:
    """Counts the watcher's looks at the file (spy around the real fingerprint function)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, on_poll: Callable[[int], None] | None = None) -> None:
        self.polls = 0
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._polled = asyncio.Event()
        self._on_poll = on_poll
        real = reload_module.file_fingerprint

        def spy(path: Path) -> str | None:
            fingerprint = real(path)
            # Only the watcher polls on the loop's thread; reload() runs in a worker thread.
            if threading.get_ident() == self._loop_thread:
                self.polls += 1
                if self._on_poll is not None:
                    self._on_poll(self.polls)
                self._polled.set()
            return fingerprint

        monkeypatch.setattr(reload_module, "file_fingerprint", spy)

    async def wait_polls(self, count: int) -> None:
        """Wait (bounded) until the watcher has looked at the file `count` more times."""
        target = self.polls + count

        async def wait() -> None:
            while self.polls < target:
                self._polled.clear()
                await self._polled.wait()

        await asyncio.wait_for(wait(), TIMEOUT)


@pytest.fixture
async def watcher(faq_path: Path) -> AsyncIterator[Watcher]:
    w = Watcher(faq_path)
    yield w
    await w.stop()


def test_a_good_edit_is_served_at_once_and_old_snapshots_stay_old(faq_path: Path) -> None:
    reloader = FaqReloader(faq_path, MatchSettings())
    before = reloader.current()
    assert before.book.entry("giay-phep-xay-dung") is None
    faq_path.write_text(with_new_entry(faq_path.read_text(encoding="utf-8")), encoding="utf-8")

    result = reloader.reload()

    # The new entry has neither 'steps' nor 'updated': two things `faqbot check` lists.
    assert result == ReloadResult(changed=True, entries=len(before.book.entries) + 1, warnings=2)
    after = reloader.current()
    assert after.book.entry("giay-phep-xay-dung") is not None
    answer = after.matcher.match(NEW_QUESTION)
    assert (answer.kind, answer.entry and answer.entry.id) == (Kind.ANSWER, "giay-phep-xay-dung")
    # A message that started on the old snapshot finishes on it.
    assert before.book.entry("giay-phep-xay-dung") is None
    old_answer = before.matcher.match(NEW_QUESTION).entry
    assert old_answer is None or old_answer.id != "giay-phep-xay-dung"


@pytest.mark.parametrize(
    "break_file",
    [
        pytest.param(break_syntax, id="syntax"),
        pytest.param(
            lambda p: p.write_text(p.read_text("utf-8").replace("id: khai-tu\n", "id: khai-sinh\n"), "utf-8"),
            id="duplicate-id",
        ),
        pytest.param(lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), id="half-written"),
        pytest.param(lambda p: p.unlink(), id="deleted"),
    ],
)
def test_a_broken_file_is_never_served(faq_path: Path, break_file: Callable[[Path], None]) -> None:
    reloader = FaqReloader(faq_path, MatchSettings())
    before = reloader.current()
    break_file(faq_path)

    result = reloader.reload()

    assert result.failed and not result.changed
    assert all(str(p).startswith(str(faq_path)) for p in result.problems)
    assert reloader.current() is before


def test_problems_name_file_and_line(faq_path: Path) -> None:
    reloader = FaqReloader(faq_path, MatchSettings())
    text, line = with_syntax_error(faq_path.read_text(encoding="utf-8"))
    faq_path.write_text(text, encoding="utf-8")

    result = reloader.reload()

    assert [p.line for p in result.problems] == [line]
    assert str(result.problems[0]).startswith(f"{faq_path}:{line}: ")


def test_force_reload_rebuilds_even_when_the_file_is_unchanged(faq_path: Path) -> None:
    reloader = FaqReloader(faq_path, MatchSettings())
    before = reloader.current()

    assert reloader.reload() == ReloadResult(changed=False, entries=len(before.book.entries))
    assert reloader.current() is before
    forced = reloader.reload(force=True)

    assert forced == ReloadResult(changed=True, entries=len(before.book.entries))
    assert reloader.current() is not before


def test_force_reload_of_a_broken_file_reports_and_keeps_the_old_faq(faq_path: Path) -> None:
    reloader = FaqReloader(faq_path, MatchSettings())
    before = reloader.current()
    faq_path.write_text(with_syntax_error(faq_path.read_text(encoding="utf-8"))[0], encoding="utf-8")

    result = reloader.reload(force=True)

    assert result.failed
    assert reloader.current() is before


def test_a_file_changing_while_it_is_read_is_not_judged(
    faq_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reloader = FaqReloader(faq_path, MatchSettings())
    before = reloader.current()
    good = with_new_entry(faq_path.read_text(encoding="utf-8"))
    faq_path.write_bytes(good.encode()[:2000])  # the editor has written part of the file...
    real_build = reload_module.build_knowledge

    def build_then_finish_saving(path: Path, settings: MatchSettings, indexer=None):  # type: ignore[no-untyped-def]
        built = real_build(path, settings, indexer)
        faq_path.write_text(good, encoding="utf-8")  # ...and finishes while the bot reads it
        return built

    monkeypatch.setattr(reload_module, "build_knowledge", build_then_finish_saving)
    half_read = reloader.reload()
    monkeypatch.undo()

    assert half_read == ReloadResult(changed=False, entries=len(before.book.entries))
    assert reloader.current() is before
    assert reloader.reload().changed
    assert reloader.current().book.entry("giay-phep-xay-dung") is not None


async def test_watch_serves_a_good_edit(watcher: Watcher, faq_path: Path) -> None:
    before = watcher.reloader.current()
    watcher.start()
    faq_path.write_text(with_new_entry(faq_path.read_text(encoding="utf-8")), encoding="utf-8")

    await watcher.until(lambda: watcher.reloader.current() is not before)

    assert watcher.reloader.current().book.entry("giay-phep-xay-dung") is not None
    assert watcher.failures == []


@pytest.mark.parametrize(
    "break_file",
    [
        pytest.param(break_syntax, id="broken"),
        pytest.param(lambda p: p.unlink(), id="deleted"),
    ],
)
async def test_watch_reports_a_broken_or_deleted_file_once(
    watcher: Watcher, faq_path: Path, monkeypatch: pytest.MonkeyPatch, break_file: Callable[[Path], None]
) -> None:
    polls = PollCounter(monkeypatch)
    before = watcher.reloader.current()
    watcher.start()
    break_file(faq_path)

    await watcher.until(lambda: bool(watcher.failures))
    await polls.wait_polls(5)  # the watcher keeps looking at the same broken file

    assert len(watcher.failures) == 1
    assert watcher.failures[0].problems
    assert all(str(p).startswith(str(faq_path)) for p in watcher.failures[0].problems)
    assert watcher.reloader.current() is before


async def test_watch_recovers_and_reports_a_repeated_mistake_again(
    watcher: Watcher, faq_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    polls = PollCounter(monkeypatch)
    good = faq_path.read_text(encoding="utf-8")
    broken = with_syntax_error(good)[0]
    watcher.start()

    faq_path.write_text(broken, encoding="utf-8")
    await watcher.until(lambda: len(watcher.failures) == 1)
    faq_path.write_text(good, encoding="utf-8")  # staff undo the edit...
    await polls.wait_polls(3)
    faq_path.write_text(broken, encoding="utf-8")  # ...and make the same mistake again
    await watcher.until(lambda: len(watcher.failures) == 2)
    faq_path.write_text(with_new_entry(good), encoding="utf-8")
    await watcher.until(lambda: watcher.reloader.current().book.entry("giay-phep-xay-dung") is not None)

    assert len(watcher.failures) == 2


async def test_watch_loads_only_the_final_content_of_a_rapid_series_of_saves(
    watcher: Watcher, faq_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = faq_path.read_text(encoding="utf-8")
    final = with_new_entry(good, "ban-cuoi")
    # An editor saving in bursts: truncated, broken and valid intermediate versions, then the final.
    series = [
        good.encode()[:1500],
        with_syntax_error(good)[0].encode(),
        with_new_entry(good, "ban-nhap").encode(),
        final.encode()[:-200],
        final.encode(),
    ]

    def next_save(poll: int) -> None:
        # Each version is replaced right after the watcher's first look at it, so only the last
        # one is ever seen twice in a row.
        if poll <= len(series):
            faq_path.write_bytes(series[poll - 1])

    polls = PollCounter(monkeypatch, on_poll=next_save)
    watcher.start()

    await watcher.until(lambda: watcher.reloader.current().book.entry("ban-cuoi") is not None)

    assert polls.polls > len(series)
    assert watcher.failures == []
    assert [r.changed for r in watcher.results] == [True]
    assert watcher.reloader.current().book.entry("ban-nhap") is None


def test_console_hears_each_outcome_in_vietnamese_and_the_log_stays_english(
    faq_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    console = io.StringIO()
    reloader = FaqReloader(faq_path, MatchSettings(), console=console)
    faq_path.write_text(with_new_entry(faq_path.read_text(encoding="utf-8")), encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="bot.reload"):
        assert reloader.reload().changed
        break_syntax(faq_path)
        assert reloader.reload().failed
    told = console.getvalue().splitlines()
    assert told[0].startswith(f"Đã nạp lại tệp hỏi đáp {faq_path}: ")
    assert told[1].startswith(f"Tệp hỏi đáp {faq_path} có 1 lỗi nên bot vẫn dùng nội dung cũ.")
    assert told[2].startswith(f"- {faq_path}:")
    records = [r for r in caplog.records if r.name == "bot.reload"]
    assert [r.getMessage().split(":")[0] for r in records] == [
        "FAQ reloaded",
        "FAQ reload rejected, keeping the previous FAQ",
        "FAQ problem",
    ]
    # Already told on the console in Vietnamese: the stderr log handler leaves these out.
    assert all(getattr(r, ON_STDERR, False) for r in records)


def test_without_a_console_nothing_is_flagged(faq_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    reloader = FaqReloader(faq_path, MatchSettings())
    faq_path.write_text(with_new_entry(faq_path.read_text(encoding="utf-8")), encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="bot.reload"):
        reloader.reload()
    assert [getattr(r, ON_STDERR, False) for r in caplog.records if r.name == "bot.reload"] == [False]


def test_the_console_is_told_how_many_things_a_good_edit_leaves_to_look_at(faq_path: Path) -> None:
    console = io.StringIO()
    reloader = FaqReloader(faq_path, MatchSettings(), console=console)
    text = with_new_entry(faq_path.read_text(encoding="utf-8"))
    placeholder = text.replace("Nộp hồ sơ xin", "Gọi [0xx xxxx xxxx] rồi nộp hồ sơ xin")
    faq_path.write_text(placeholder, encoding="utf-8")

    reloader.reload()

    told = console.getvalue()
    # No 'steps', no 'updated', one template placeholder left in.
    assert "Có 3 chỗ nên xem lại trong tệp (xem bằng lệnh faqbot check " in told
    assert str(faq_path) in told


async def test_watch_says_when_a_broken_file_is_put_back_as_it_was_served(faq_path: Path) -> None:
    told = threading.Event()

    class Console(io.StringIO):
        def write(self, text: str) -> int:
            if "hợp lệ trở lại" in text:
                told.set()
            return super().write(text)

    console = Console()
    reloader = FaqReloader(faq_path, MatchSettings(), console=console)
    good = faq_path.read_text(encoding="utf-8")
    faq_path.write_text(with_syntax_error(good)[0], encoding="utf-8")
    assert reloader.reload().failed
    faq_path.write_text(good, encoding="utf-8")  # undone: nothing to load, yet the error was the last word
    stop = asyncio.Event()
    watching = asyncio.create_task(reloader.watch(stop, interval=INTERVAL))
    try:
        assert await asyncio.to_thread(told.wait, TIMEOUT)
    finally:
        stop.set()
        await asyncio.wait_for(watching, TIMEOUT)
    assert restored_text(faq_path) in console.getvalue()


@pytest.mark.parametrize(
    "break_file",
    [
        pytest.param(break_syntax, id="syntax"),
        pytest.param(lambda p: p.unlink(), id="deleted"),
    ],
)
async def test_a_restart_with_a_broken_file_serves_the_last_good_copy_until_it_is_mended(
    faq_path: Path, tmp_path: Path, break_file: Callable[[Path], None]
) -> None:
    copy = LastGood(tmp_path / "var" / "faq-last-good.yaml")
    good = faq_path.read_text(encoding="utf-8")
    FaqReloader(faq_path, MatchSettings(), last_good=copy)  # a good start keeps a copy
    assert copy.path.read_text(encoding="utf-8") == good
    break_file(faq_path)
    with pytest.raises(FaqError):
        FaqReloader(faq_path, MatchSettings())  # without a copy: nothing to serve
    mended: list[str] = []
    heard = asyncio.Event()

    async def told(text: str) -> None:
        mended.append(text)
        heard.set()

    # A reboot with the broken edit on disk: the bot serves the copy and says what to fix.
    reloader = FaqReloader(faq_path, MatchSettings(), last_good=copy, on_mended=told)
    assert reloader.broken_at_start and reloader.current().book.entry("khai-tu") is not None
    notice = served_last_good(faq_path, reloader.broken_at_start, copy, dt.timezone(dt.timedelta(hours=7)))
    assert notice.startswith(f"Tệp hỏi đáp {faq_path} có ") and "bản hợp lệ gần nhất" in notice
    # The copy's time as the office reads it, whatever the server's clock zone.
    saved = dt.datetime.fromtimestamp(copy.path.stat().st_mtime, dt.timezone(dt.timedelta(hours=7)))
    assert f"(lưu lúc {saved:%H:%M ngày %d/%m/%Y})" in notice
    assert copy.path.read_text(encoding="utf-8") == good, "the broken file never replaces the copy"
    assert reloader.reload().changed is False  # the same broken file is not loaded or said again
    faq_path.write_text(with_new_entry(good), encoding="utf-8")
    stop = asyncio.Event()
    watching = asyncio.create_task(reloader.watch(stop, interval=0.02))
    try:
        async with asyncio.timeout(20):
            await heard.wait()
    finally:
        stop.set()
        await watching
    assert mended[0].startswith(f"Đã nạp lại tệp hỏi đáp {faq_path}: ")
    assert reloader.current().book.entry("giay-phep-xay-dung") is not None and not reloader.broken_at_start
    assert copy.path.read_text(encoding="utf-8") == with_new_entry(good), "the mended version is kept"
