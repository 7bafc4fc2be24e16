"""A province's offices at run time: files loaded and reloaded one by one, units, staff groups.

Each file (the shared FAQ, every overlay) is checked and swapped on its own: a broken overlay keeps
that office's last good version (and says so), the other offices are unaffected; a broken shared
FAQ keeps the last good one for everybody. Any good change rebuilds the one shared index (shared
passage vectors come back from the vector cache, so only new text is embedded).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

from bot.config import AppConfig, ConfigError
from bot.notices import ON_STDERR
from bot.reload import (
    LastGood,
    ReloadResult,
    file_fingerprint,
    last_good_path,
    problem_lines,
    reload_text,
    restored_text,
    tell_mended,
)
from bot.units import load_units
from faq.decision import MatchSettings
from faq.knowledge import Indexer, Knowledge
from faq.loader import FaqError, Problem, check_faq
from faq.offices import Province, build_province
from faq.overlay_loader import check_overlay
from faq.schema import FaqBook, Overlay
from faq.units import UnitDirectory
from handlers.offices import OfficeRouting

log = logging.getLogger(__name__)

SHARED = ""
"""The key of the shared FAQ among the watched files (office ids are never empty)."""


class ProvinceReloader:
    """Serves the last good Province; `reload()` or `watch()` pick up edits of any of its files."""

    def __init__(
        self,
        shared_path: str | None,
        overlays: Mapping[str, str],
        settings: MatchSettings,
        *,
        indexer: Indexer | None = None,
        on_failure: Callable[[ReloadResult], Awaitable[None]] | None = None,
        console: TextIO | None = None,
        on_mended: Callable[[str], Awaitable[None]] | None = None,
        last_good: LastGood | None = None,
    ) -> None:
        """Load every file (FaqError when the shared FAQ has problems and `last_good` has no copy of it;
        an office whose overlay has some is served the shared FAQ, its problems in `broken`) and index
        them once.

        `overlays`: office id -> overlay path. `console`: where each reload is told, in Vietnamese.
        `last_good`: a copy of each version of the shared FAQ that loads, served at start when the file
        is broken (its problems in `shared_broken_at_start`)."""
        self._paths: dict[str, str | None] = {SHARED: shared_path, **overlays}
        self._settings = settings
        self._indexer = indexer
        self._on_failure = on_failure
        self._on_mended = on_mended
        self._console = console
        self._extra = {ON_STDERR: True} if console is not None else {}
        self._lock = threading.Lock()
        self._fingerprints = {key: file_fingerprint(path) for key, path in self._paths.items()}
        self._failed: dict[str, str | None] = {}
        self.last_good = last_good
        self.shared_broken_at_start: tuple[Problem, ...] = ()
        report = check_faq(shared_path)
        if report.book is None or report.errors:
            # A hundred communes must not go dark over a broken shared file at a reboot: its last good copy.
            copy = last_good.existing() if last_good is not None else None
            kept = check_faq(copy) if copy is not None else None
            if kept is None or kept.book is None or kept.errors:
                raise FaqError(report.errors)
            log.error(
                "shared FAQ %s has %d problem(s): serving its last good copy", shared_path, len(report.errors)
            )
            self.shared_broken_at_start = tuple(report.errors)
            self._failed[SHARED] = self._fingerprints[SHARED]
            self._fingerprints[SHARED] = file_fingerprint(copy)
            report = kept
        elif last_good is not None and shared_path is not None:
            last_good.keep(shared_path, self._fingerprints[SHARED])
        if report.book is None:  # checked above; says so to the type checker
            raise FaqError(report.errors)
        self._shared: FaqBook = report.book
        self.broken: dict[str, tuple[Problem, ...]] = {}
        """Office id -> the problems of its overlay at start (served the shared FAQ until mended)."""
        self._overlays: dict[str, Overlay] = {}
        for office, path in overlays.items():
            found = check_overlay(path, self._shared)
            if found.overlay is None or found.errors:
                # One office's typo must not keep a whole province down at a restart: that office gets
                # the shared FAQ and the province's contact until its file is mended (then reloaded).
                self.broken[office] = tuple(found.errors)
                self._failed[office] = self._fingerprints[office]
                self._fingerprints[office] = ""  # no version of it is served: nothing to go back to
                self._overlays[office] = Overlay(agency=self._shared.agency, source=path or "")
                log.error(
                    "overlay of office %s has %d problem(s): serving it the shared FAQ",
                    office,
                    len(found.errors),
                )
            else:
                self._overlays[office] = found.overlay
        self._province = self._build()

    def _build(self) -> Province:
        province = build_province(self._shared, self._overlays, self._settings, self._indexer)
        for note in province.notes:
            log.warning("%s", note)
        return province

    def current(self) -> Knowledge:
        """The province's own knowledge (before a citizen names an office; placeholders, admin)."""
        return self._province.province

    def province(self) -> Province:
        """The snapshot to answer the next message with."""
        return self._province

    def served(self) -> tuple[Mapping[str, Overlay], frozenset[str]]:
        """The overlays served now, and the offices served the shared FAQ (overlay broken at start)."""
        return self._province.overlays, frozenset(self.broken)

    @property
    def paths(self) -> Mapping[str, str | None]:
        """The watched files: "" the shared FAQ, else office id -> overlay."""
        return dict(self._paths)

    def reload(self, force: bool = False, only: str | None = None) -> ReloadResult:
        """Load the files that changed (all when forced; just `only` when given); keep each broken
        one's last good version. The result sums them up: problems of every broken file."""
        with self._lock:
            keys = [only] if only is not None else list(self._paths)
            changed = False
            problems: list[Problem] = []
            shared_changed = False
            reloaded: list[str] = []
            for key in keys:
                path = self._paths[key]
                fingerprint = file_fingerprint(path)
                if path is None or (not force and fingerprint == self._fingerprints.get(key)):
                    continue
                if key == SHARED:
                    report = check_faq(path)
                    ok = report.book is not None and not report.errors
                    if ok and report.book is not None:
                        self._shared = report.book
                        shared_changed = True
                        self.shared_broken_at_start = ()
                        if self.last_good is not None:
                            self.last_good.keep(path, fingerprint)
                    errors = report.errors
                else:
                    found = check_overlay(path, self._shared)
                    ok = found.overlay is not None and not found.errors
                    if ok and found.overlay is not None:
                        self._overlays[key] = found.overlay
                    errors = found.errors
                if ok:
                    self._fingerprints[key] = fingerprint
                    self._failed.pop(key, None)
                    self.broken.pop(key, None)
                    reloaded.append(path)
                    changed = True
                else:
                    self._failed[key] = fingerprint
                    problems.extend(errors)
                    self.tell_mended(ReloadResult(changed=False, problems=tuple(errors)), path, key)
            if shared_changed:
                # The shared FAQ changed under the overlays: say which no longer fit it (each office
                # keeps its last good overlay; what it replaces or excludes that is gone is left out).
                for office, path in self._paths.items():
                    if office != SHARED and path is not None:
                        found = check_overlay(path, self._shared)
                        if found.errors:
                            problems.extend(found.errors)
                            self.tell_mended(ReloadResult(changed=False, problems=found.errors), path, office)
            if changed:
                self._province = self._build()
                entries = len(self._province.matcher.book.entries)
                log.info("province FAQ reloaded: %d indexed entries", entries, extra=self._extra)
                if self._console is not None:
                    # Name the files: in a province "the FAQ was reloaded" does not say whose.
                    which = ", ".join(reloaded)
                    print(
                        reload_text(ReloadResult(True, entries=entries), which),
                        file=self._console,
                        flush=True,
                    )
            return ReloadResult(
                changed=changed, problems=tuple(problems), entries=len(self._province.matcher.book.entries)
            )

    def tell_mended(self, result: ReloadResult, path: str | None, key: str) -> None:
        who = "the shared FAQ" if key == SHARED else f"office {key}"
        log.warning(
            "reload of %s rejected, keeping its last good version: %d problem(s)",
            who,
            len(result.problems),
            extra=self._extra,
        )
        for problem in result.problems:
            log.warning("FAQ problem: %s", problem, extra=self._extra)
        if self._console is not None:
            print(reload_text(result, path), file=self._console, flush=True)

    async def watch(self, stop: asyncio.Event, interval: float = 2.0) -> None:
        """Poll every file until `stop` is set; load a change once it has been stable for one interval."""
        pending: dict[str, str | None] = {}
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), timeout=interval)
                return
            except TimeoutError:
                pass
            for key, path in self._paths.items():
                fingerprint = file_fingerprint(path)
                if fingerprint == self._fingerprints.get(key) and key in self._failed:
                    # Put back as it was served: the error said before is gone.
                    del self._failed[key]
                    self.broken.pop(key, None)
                    if key == SHARED:
                        self.shared_broken_at_start = ()
                    log.info(
                        "FAQ file of %s back to the content being served",
                        key or "the province",
                        extra=self._extra,
                    )
                    if self._console is not None:
                        print(restored_text(path), file=self._console, flush=True)
                    await tell_mended(self._on_mended, restored_text(path))
                if fingerprint == self._fingerprints.get(key) or (
                    key in self._failed and fingerprint == self._failed[key]
                ):
                    pending.pop(key, None)
                    continue
                if pending.get(key, "-") != fingerprint:
                    pending[key] = fingerprint  # an editor may still be writing
                    continue
                pending.pop(key, None)
                was_broken = key in self._failed
                result = await asyncio.to_thread(self.reload, False, key)
                if result.failed and self._on_failure is not None:
                    try:
                        await self._on_failure(result)
                    except Exception:
                        log.exception("could not report the FAQ reload failure")
                elif result.changed and was_broken:
                    await tell_mended(self._on_mended, reload_text(result, path))


@dataclass(frozen=True, slots=True)
class Offices:
    """What bot/app.py wires for a province: the reloader, the routing, the staff groups."""

    source: ProvinceReloader
    routing: OfficeRouting
    staff_chats: Mapping[str, int]
    """Office id -> its own staff group (offices without one use the province's)."""


def build_offices(
    config: AppConfig,
    indexer: Indexer | None = None,
    on_failure: Callable[[ReloadResult], Awaitable[None]] | None = None,
    console: TextIO | None = None,
    on_mended: Callable[[str], Awaitable[None]] | None = None,
) -> Offices:
    """Units, files and routing of the configured offices (FaqError / ConfigError in Vietnamese)."""
    try:
        units = load_units(config.units_file)
    except OSError:
        raise
    except Exception as exc:  # the unit list's own error (bot.units), every problem in Vietnamese
        raise ConfigError(list(getattr(exc, "problems", None) or [str(exc)])) from exc
    codes: dict[str, str] = {}
    problems: list[str] = []
    for office in config.offices:
        code = _unit_code(units, office.unit)
        if code is None:
            problems.append(
                f"Đơn vị '{office.id}': không tìm thấy xã/phường '{office.unit}' trong danh sách đơn vị "
                "hành chính — hãy ghi mã xã/phường (5 chữ số) hoặc tên đầy đủ, ví dụ 'Phường Hoàng Liệt'."
            )
        elif code in codes:
            problems.append(
                f"Đơn vị '{office.id}' và '{codes[code]}' cùng ghi một xã/phường ({office.unit}) — mỗi "
                "xã/phường chỉ thuộc một đơn vị."
            )
        else:
            codes[code] = office.id
    if problems:
        raise ConfigError(problems)
    source = ProvinceReloader(
        config.faq.path,
        {o.id: o.overlay for o in config.offices},
        config.matching,
        indexer=indexer,
        on_failure=on_failure,
        console=console,
        on_mended=on_mended,
        last_good=LastGood(last_good_path(config.storage.sqlite_path, config.faq.path))
        if config.faq.path
        else None,
    )
    own: dict[str, str] = {}
    for office in config.offices:
        for kind, enabled in (
            ("telegram", office.telegram.enabled),
            ("zalo_bot", office.zalo_bot.enabled),
            ("zalo_oa", office.zalo_oa.enabled),
        ):
            if enabled:
                own[channel_name(kind, office.id)] = office.id
    routing = OfficeRouting(
        source=source,
        units=load_units(config.units_file, list(codes)),
        office_of_unit=codes,
        office_of_channel=own,
    )
    staff = {o.id: o.staff.telegram_chat_id for o in config.offices if o.staff.telegram_chat_id is not None}
    return Offices(source, routing, staff)


def overlay_broken(office: str, problems: Sequence[Problem]) -> str:
    """The start-up notice for an office whose own file has errors (it is served the shared FAQ)."""
    lines = [
        f"Tệp hỏi đáp riêng của đơn vị '{office}' có {len(problems)} lỗi nên đơn vị này tạm dùng tệp hỏi "
        "đáp chung của tỉnh (và thông tin liên hệ của tỉnh) cho tới khi tệp được sửa; các đơn vị khác không "
        "bị ảnh hưởng. Sửa các chỗ sau rồi lưu lại tệp, bot sẽ tự nạp:"
    ]
    return "\n".join([*lines, *problem_lines(problems, "faqbot check --config")])


def channel_name(kind: str, office: str) -> str:
    """The app's name of an office's own account ("telegram:hoang-liet")."""
    return f"{kind}:{office}"


def _unit_code(units: UnitDirectory, unit: str) -> str | None:
    """The code of a unit written as its code or its (current) name."""
    text = unit.strip()
    if text.isdigit():
        return text.zfill(5) if units.by_code(text.zfill(5)) is not None else None
    found = units.resolve(text)
    return found.unit.code if found.unit is not None and found.former_name is None else None
