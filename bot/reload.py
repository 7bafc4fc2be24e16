"""Live FAQ reload: a KnowledgeSource that swaps in a good edit at once and never serves a broken one."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import os
import threading
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TextIO

from bot.notices import ON_STDERR
from faq.decision import MatchSettings
from faq.knowledge import Indexer, Knowledge, build_matcher
from faq.lint import placeholders
from faq.loader import FaqError, Problem, check_faq

log = logging.getLogger(__name__)
_NOTHING = object()
_LOAD_ATTEMPTS = 3
"""A forced reload reads a file that keeps changing under it at most this many times."""


@dataclass(frozen=True, slots=True)
class ReloadResult:
    """What one reload attempt did."""

    changed: bool
    """A new FAQ is being served."""
    problems: tuple[Problem, ...] = ()
    """Errors that kept the previous FAQ in service (empty when the file was fine or unchanged)."""
    entries: int = 0
    warnings: int = 0
    """Things worth a look in the new file (the reader's warnings and template placeholders), which
    `faqbot check` lists: a reload that only said "N mục" let placeholders go live unnoticed."""

    @property
    def failed(self) -> bool:
        """The file could not be used."""
        return bool(self.problems)


def build_knowledge(
    path: str | Path | None, settings: MatchSettings, indexer: Indexer | None = None
) -> tuple[Knowledge | None, tuple[Problem, ...], int]:
    """Load and index one FAQ file: (knowledge, (), its warning count), or (None, problems, 0)."""
    report = check_faq(path)
    if report.book is None:
        return None, tuple(report.errors), 0
    book = report.book
    knowledge = Knowledge(book=book, matcher=build_matcher(book, settings, indexer))
    return knowledge, (), len(report.warnings) + len(placeholders(book))


def file_fingerprint(path: str | Path | None) -> str | None:
    """The SHA-256 of a file's bytes; None when there is no path or it cannot be read."""
    if path is None:
        return None
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


class LastGood:
    """A copy of the last version of the FAQ file that loaded, in the bot's own data folder: a restart
    (a reboot, a power cut, an upgrade) with a broken edit still on disk serves it instead of nothing."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def keep(self, source: str | Path, fingerprint: str | None) -> None:
        """Copy `source` when its bytes are still those that loaded (`fingerprint`); never raises."""
        try:
            data = Path(source).read_bytes()
            if fingerprint is not None and hashlib.sha256(data).hexdigest() != fingerprint:
                return  # edited since it loaded: the next reload keeps the next good version
            if self.path.is_file() and self.path.read_bytes() == data:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_name(self.path.name + ".partial")
            partial.write_bytes(data)
            os.replace(partial, self.path)
        except OSError as exc:
            log.warning("last good FAQ copy %s not written: %s", self.path, exc)

    def existing(self) -> Path | None:
        """The copy's path when there is one to serve."""
        return self.path if self.path.is_file() else None

    def saved_at(self, tz: dt.tzinfo | None = None) -> dt.datetime | None:
        """When the copy was written (in `tz`, else the machine's time), None when there is none."""
        try:
            return dt.datetime.fromtimestamp(self.path.stat().st_mtime, tz)
        except OSError:
            return None


class FaqReloader:
    """Serves the last good FAQ; `reload()` or `watch()` pick up edits of the file."""

    def __init__(
        self,
        path: str | Path,
        settings: MatchSettings,
        *,
        on_failure: Callable[[ReloadResult], Awaitable[None]] | None = None,
        indexer: Indexer | None = None,
        console: TextIO | None = None,
        on_mended: Callable[[str], Awaitable[None]] | None = None,
        last_good: LastGood | None = None,
    ) -> None:
        """`console`: where each reload that changed something or failed is told to the operator, in
        Vietnamese (the English log lines then stay out of the stderr log handler). `on_mended`: told
        (in Vietnamese) when a file whose failure `on_failure` reported is good again. `last_good`: a
        copy of each version that loads, served at start when the file itself is broken (its problems
        in `broken_at_start`; FaqError when there is no usable copy either)."""
        self.path = Path(path)
        self._settings = settings
        self._indexer = indexer
        self._on_failure = on_failure
        self._on_mended = on_mended
        self._console = console
        self._extra = {ON_STDERR: True} if console is not None else {}
        self._lock = threading.Lock()
        self.last_good = last_good
        self._last_failed: object = _NOTHING
        self.broken_at_start: tuple[Problem, ...] = ()
        self._fingerprint = file_fingerprint(self.path)
        knowledge, problems, _ = build_knowledge(self.path, settings, indexer)
        if knowledge is None:
            copy = last_good.existing() if last_good is not None else None
            knowledge = build_knowledge(copy, settings, indexer)[0] if copy is not None else None
            if knowledge is None:
                raise FaqError(problems)
            log.error(
                "FAQ file %s has %d problem(s): serving its last good copy %s", self.path, len(problems), copy
            )
            self.broken_at_start = problems
            self._last_failed = self._fingerprint  # said at start; said again only if edited again
            self._fingerprint = file_fingerprint(copy)  # the content served
        elif last_good is not None:
            last_good.keep(self.path, self._fingerprint)
        self._knowledge = knowledge

    def current(self) -> Knowledge:
        """The FAQ to answer the next message with (a message keeps the snapshot it started with)."""
        return self._knowledge

    def reload(self, force: bool = False) -> ReloadResult:
        """Load the file if it changed (or when forced); keep the old FAQ when the new one is broken."""
        with self._lock:
            for attempt in range(1, _LOAD_ATTEMPTS + 1):
                fingerprint = file_fingerprint(self.path)
                if not force and fingerprint == self._fingerprint:
                    return ReloadResult(changed=False, entries=len(self._knowledge.book.entries))
                knowledge, problems, warnings = build_knowledge(self.path, self._settings, self._indexer)
                if file_fingerprint(self.path) == fingerprint:
                    break
                # The file changed while it was read (an editor still saving): what was read may be
                # half a file, so never judge it; the watcher looks again once the file is stable.
                log.info("FAQ file changed while loading (attempt %d)", attempt)
                if not force:
                    return ReloadResult(changed=False, entries=len(self._knowledge.book.entries))
            if knowledge is None:
                self._last_failed = fingerprint
                log.warning(
                    "FAQ reload rejected, keeping the previous FAQ: %d problem(s)",
                    len(problems),
                    extra=self._extra,
                )
                for problem in problems:
                    log.warning("FAQ problem: %s", problem, extra=self._extra)
                result = ReloadResult(changed=False, problems=problems)
            else:
                self._knowledge = knowledge
                self._fingerprint = fingerprint
                self._last_failed = _NOTHING
                self.broken_at_start = ()
                if self.last_good is not None:
                    self.last_good.keep(self.path, fingerprint)
                log.info("FAQ reloaded: %d entries", len(knowledge.book.entries), extra=self._extra)
                result = ReloadResult(changed=True, entries=len(knowledge.book.entries), warnings=warnings)
            if self._console is not None:
                print(reload_text(result, self.path), file=self._console, flush=True)
            return result

    def _restored(self) -> None:
        log.info("FAQ file back to the content being served", extra=self._extra)
        if self._console is not None:
            print(restored_text(self.path), file=self._console, flush=True)

    async def watch(self, stop: asyncio.Event, interval: float = 2.0) -> None:
        """Poll the file until `stop` is set; load a change once it has been stable for one interval."""
        pending: object = _NOTHING
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), timeout=interval)
                return
            except TimeoutError:
                pass
            fingerprint = file_fingerprint(self.path)
            if fingerprint == self._fingerprint:
                # Back to the served content: the same broken edit made again must be reported again.
                if self._last_failed is not _NOTHING:
                    # The last word on screen (and in the staff group) was the error: say it is mended.
                    self._restored()
                    await tell_mended(self._on_mended, restored_text(self.path))
                self._last_failed = _NOTHING
                pending = _NOTHING
                continue
            if fingerprint == self._last_failed:
                pending = _NOTHING
                continue
            if fingerprint != pending:
                # An editor may still be writing: wait until two polls see the same content.
                pending = fingerprint
                continue
            pending = _NOTHING
            was_broken = self._last_failed is not _NOTHING
            result = await asyncio.to_thread(self.reload)
            if result.failed and self._on_failure is not None:
                try:
                    await self._on_failure(result)
                except Exception:
                    log.exception("could not report the FAQ reload failure")
            elif result.changed and was_broken:
                # Staff who saw the error in the group see that it is fixed, and what is served now.
                await tell_mended(self._on_mended, reload_text(result, self.path))


async def tell_mended(on_mended: Callable[[str], Awaitable[None]] | None, text: str) -> None:
    """Tell staff a broken file is good again (a failure to tell is logged, never raised)."""
    if on_mended is None:
        return
    try:
        await on_mended(text)
    except Exception:
        log.exception("could not report the mended FAQ file")


MAX_PROBLEMS = 15
"""Problems listed in a reload message; the rest are counted (a chat message has a size limit)."""


class Reloads(Protocol):
    """What an admin's /reload needs: one FAQ file (FaqReloader) or a province's files (ProvinceReloader)."""

    def reload(self, force: bool = False) -> ReloadResult:
        """Load what changed (everything when forced), keeping the last good version of a broken file."""
        ...


def served_last_good(
    path: str | Path, problems: Sequence[Problem], copy: LastGood | None, tz: dt.tzinfo | None = None
) -> str:
    """The start-up notice for a FAQ file that is broken while its last good copy is served (the copy's
    time in `tz`, the office's: a server kept in UTC told staff in Vietnam a time 7 hours early)."""
    saved = copy.saved_at(tz) if copy is not None else None
    when = f" (lưu lúc {saved:%H:%M ngày %d/%m/%Y})" if saved is not None else ""
    lines = [
        f"Tệp hỏi đáp {path} có {len(problems)} lỗi nên bot đang dùng bản hợp lệ gần nhất của tệp{when}. "
        "Anh/chị sửa các chỗ sau rồi lưu lại tệp, bot sẽ tự nạp bản mới:"
    ]
    return "\n".join([*lines, *problem_lines(problems, f"faqbot check {path}")])


def last_good_path(storage_file: str | Path, faq_path: str | Path) -> Path:
    """Where the last good copy of a FAQ file is kept: beside the bot's own data (storage.path)."""
    key = hashlib.sha256(str(Path(faq_path).resolve()).encode()).hexdigest()[:10]
    return Path(storage_file).resolve().parent / f"faq-last-good-{key}.yaml"


def restored_text(path: str | Path | None) -> str:
    """A broken FAQ file put back as it was (the served version): the error said before is gone."""
    which = f" {path}" if path is not None else ""
    return f"Tệp hỏi đáp{which} đã hợp lệ trở lại (giống nội dung bot đang dùng): lỗi báo trước đó không còn."


def reload_text(result: ReloadResult, path: str | Path | None = None) -> str:
    """Staff-facing Vietnamese outcome of a reload: entry count, or every problem with file:line."""
    which = f" {path}" if path is not None else ""
    if not result.failed:
        done = f"Đã nạp lại tệp hỏi đáp{which}: {result.entries} mục."
        if result.warnings:
            check = f"faqbot check {path}" if path is not None else "faqbot check"
            done += f" Có {result.warnings} chỗ nên xem lại trong tệp (xem bằng lệnh {check})."
        return done
    lines = [
        f"Tệp hỏi đáp{which} có {len(result.problems)} lỗi nên bot vẫn dùng nội dung cũ. "
        "Anh/chị sửa các chỗ sau rồi lưu lại tệp:"
    ]
    return "\n".join([*lines, *problem_lines(result.problems, "faqbot check")])


def problem_lines(problems: Sequence[Problem], command: str) -> list[str]:
    """The first MAX_PROBLEMS problems as "- …" lines, then how many more and the command listing all."""
    lines = [f"- {p}" for p in problems[:MAX_PROBLEMS]]
    if len(problems) > MAX_PROBLEMS:
        lines.append(f"… và {len(problems) - MAX_PROBLEMS} lỗi khác (xem bằng lệnh {command}).")
    return lines
