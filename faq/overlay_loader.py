"""The only reader of an office's overlay YAML (one commune's or ward's own file in a province):
builds a frozen Overlay against the shared FAQ or reports every problem with file:line.

It reads entries exactly as faq.loader reads the shared FAQ's (the same _Reader of faq.faq_reader,
extended here), so an entry means the same wherever it is written.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from faq.faq_keys import _did_you_mean, _kind, _short
from faq.faq_reader import _Reader
from faq.loader import _read
from faq.problems import FaqError, Problem
from faq.schema import BUILT_IN_CATEGORIES, Entry, FaqBook, NotHandled, Overlay
from faq.yaml_tree import Map as _Map
from faq.yaml_tree import Node as _Node
from faq.yaml_tree import Scalar as _Scalar
from faq.yaml_tree import Seq as _Seq

OVERLAY_KEYS = {
    "version": "phiên bản định dạng, ghi 'version: 1'",
    "agency": "thông tin liên hệ của đơn vị",
    "categories": "các nhóm thủ tục riêng của đơn vị",
    "entries": "các mục hỏi đáp riêng của đơn vị",
    "replace": "các mục thay cho mục cùng mã trong tệp chung",
    "not_handled": "các thủ tục trong tệp chung mà đơn vị không giải quyết",
}
NOT_HANDLED_KEYS = {"id": "mã mục trong tệp chung", "handled_by": "cơ quan giải quyết thủ tục này"}


@dataclass(frozen=True, slots=True)
class OverlayReport:
    """Outcome of checking one office's overlay file: the overlay only when there is no error."""

    overlay: Overlay | None
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the overlay can be served."""
        return self.overlay is not None and not self.errors


def check_overlay(
    path: str | Path, shared: FaqBook | None = None, *, today: dt.date | None = None
) -> OverlayReport:
    """Check an office's overlay file against the shared FAQ (None: shape only); never raises."""
    text = _read(Path(path))
    if isinstance(text, Problem):
        return OverlayReport(overlay=None, errors=(text,))
    return parse_overlay(text, str(path), shared, today=today)


def load_overlay(path: str | Path, shared: FaqBook | None = None, *, today: dt.date | None = None) -> Overlay:
    """Load an office's overlay file, raising FaqError listing every error."""
    report = check_overlay(path, shared, today=today)
    if not report.ok or report.overlay is None:
        raise FaqError(report.errors)
    return report.overlay


def parse_overlay(
    text: str, source: str = "<overlay>", shared: FaqBook | None = None, *, today: dt.date | None = None
) -> OverlayReport:
    """Check overlay YAML given as a string against the shared FAQ; never raises for bad content."""
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff"))
    reader = _OverlayReader(source, today or dt.date.today())
    root = reader.compose(text)
    overlay = reader.overlay(root, shared) if root is not None else None
    errors = tuple(sorted(reader.errors, key=lambda p: p.line))
    warnings = tuple(sorted(reader.warnings, key=lambda p: p.line))
    return OverlayReport(overlay=None if errors else overlay, errors=errors, warnings=warnings)


class _OverlayReader(_Reader):
    """The FAQ reader, with the sections only an overlay has."""

    def overlay(self, root: _Node, shared: FaqBook | None) -> Overlay | None:
        """One office's overlay: agency, own entries, replacements and shared ids it does not handle."""
        if not isinstance(root, _Map):
            self.error(
                root.line,
                "tệp riêng của đơn vị phải gồm các phần 'agency', 'entries', 'replace', 'not_handled', "
                f"mỗi phần bắt đầu ở đầu dòng dạng 'tên: ...' — đang là một {_kind(root)}.",
            )
            return None
        top = self.fields(root, OVERLAY_KEYS, "tệp riêng của đơn vị") or {}
        if "agency" not in top:
            self.error(1, "tệp riêng của đơn vị thiếu phần 'agency' (địa chỉ, giờ làm việc, điện thoại).")
        if "version" in top:
            self.version(top["version"])
        agency = self.agency(top["agency"]) if "agency" in top else None
        own_categories = self.categories(top["categories"][1]) if "categories" in top else ()
        shared_ids = {e.id for e in shared.entries} if shared is not None else set()
        known = None
        if shared is not None:
            known = {c.id for c in shared.categories} | {c.id for c in own_categories or ()}
        entries = self.overlay_entries(top.get("entries"), known, shared_ids, "entries")
        replaces = self.overlay_entries(top.get("replace"), known, shared_ids, "replace")
        own_ids = {e.id for e in entries}
        for entry in entries:
            if entry.id in shared_ids:
                self.error(
                    entry.line,
                    f"mã mục '{entry.id}' đã có trong tệp hỏi đáp chung — nếu đơn vị muốn thay mục "
                    "chung này, hãy chuyển nó sang phần 'replace'; nếu là mục khác, hãy đặt mã khác.",
                )
        for entry in replaces:
            if shared is not None and entry.id not in shared_ids:
                self.error(
                    entry.line,
                    f"mục '{entry.id}' trong phần 'replace' không có trong tệp hỏi đáp chung (có thể "
                    "đã bị đổi mã hoặc xóa)" + _did_you_mean(entry.id, shared_ids),
                )
            if entry.id in own_ids:
                self.error(entry.line, f"mã mục '{entry.id}' vừa ở phần 'entries' vừa ở phần 'replace'.")
        not_handled = self.not_handled(top.get("not_handled"), shared_ids if shared else None)
        replaced = {e.id for e in replaces}
        for item in not_handled:
            if item.id in replaced:
                self.error(
                    item.line,
                    f"mục '{item.id}' vừa được thay thế (phần 'replace') vừa được ghi là đơn vị không "
                    "giải quyết (phần 'not_handled') — hãy giữ một trong hai.",
                )
        if self.errors or agency is None:
            return None
        return Overlay(
            agency=agency,
            categories=own_categories or (),
            entries=entries,
            replaces=replaces,
            not_handled=not_handled,
            source=self.source,
        )

    def overlay_entries(
        self, item: tuple[int, _Node] | None, known: set[str] | None, shared_ids: set[str], key: str
    ) -> tuple[Entry, ...]:
        """The entries of one overlay section ("entries" or "replace"); absent or empty is fine."""
        if item is None:
            return ()
        _, node = item
        if (isinstance(node, _Scalar) and node.null) or (isinstance(node, _Seq) and not node.items):
            return ()
        if not isinstance(node, _Seq):
            self.error(
                node.line,
                f"phần '{key}' phải là một danh sách mục, mỗi mục bắt đầu bằng dòng '- id: ...' — "
                f"đang là một {_kind(node)}.",
            )
            return ()
        categories = None if known is None else known | BUILT_IN_CATEGORIES
        built: list[tuple[Entry, dict[str, tuple[int, _Node]]]] = []
        seen: dict[str, int] = {}
        for number, child in enumerate(node.items, start=1):
            result = self.entry(child, number, categories)
            if result is None:
                continue
            entry, f = result
            if entry.id in seen:
                self.error(f["id"][0], f"mã mục '{entry.id}' bị trùng (đã dùng ở dòng {seen[entry.id]}).")
                continue
            seen[entry.id] = entry.line
            built.append((entry, f))
        ids = [*shared_ids, *seen]
        if shared_ids:
            for entry, f in built:
                self.related(entry, f, ids)
        return tuple(entry for entry, _ in built)

    def not_handled(
        self, item: tuple[int, _Node] | None, shared_ids: set[str] | None
    ) -> tuple[NotHandled, ...]:
        """Shared procedures the office does not handle: `- {id: ho-chieu, handled_by: ...}`."""
        if item is None:
            return ()
        _, node = item
        if isinstance(node, _Scalar) and node.null:
            return ()
        if not isinstance(node, _Seq):
            self.error(
                node.line,
                "phần 'not_handled' phải là một danh sách, mỗi dòng dạng "
                "'- {id: ho-chieu, handled_by: Công an tỉnh}' — "
                f"đang là một {_kind(node)}.",
            )
            return ()
        out: list[NotHandled] = []
        for number, child in enumerate(node.items, start=1):
            where = f"dòng thứ {number} trong 'not_handled'"
            f = self.fields(child, NOT_HANDLED_KEYS, where)
            if f is None:
                continue
            eid = self.text(f, "id", NOT_HANDLED_KEYS, where, child.line, required=True)
            by = self.text(f, "handled_by", NOT_HANDLED_KEYS, where, child.line, required=True)
            if eid and shared_ids is not None and eid not in shared_ids:
                self.error(
                    f["id"][0],
                    f"{where}: mục '{_short(eid)}' không có trong tệp hỏi đáp chung (có thể đã bị đổi mã "
                    "hoặc xóa)" + _did_you_mean(eid, shared_ids),
                )
            if eid and by:
                out.append(NotHandled(eid, by, child.line))
        return tuple(out)
