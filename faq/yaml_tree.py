"""A small YAML tree with line numbers, for the FAQ reader (faq/faq_reader.py, behind faq/loader.py) to walk.

Built from parser events rather than yaml.compose: the C composer recurses (and crashes on very deep
nesting), PyYAML silently keeps the last of duplicate keys, and aliases could blow up. Problems (tabs,
control characters, syntax, duplicate keys, aliases, nesting) are reported through the caller's
`error(line, message)` / `warning(line, message)` in Vietnamese, for staff.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from faq.yaml_errors import explain_yaml_error, folded_items, split_lines

MAX_REPEATS = 20
"""At most this many lines are listed for one repeated problem (tabs, control characters)."""
MAX_DEPTH = 32
"""Deepest nesting accepted; the format itself needs four levels."""

Report = Callable[[int, str], None]
"""error(line, message) or warning(line, message); line 0 means the whole file."""


@dataclass(slots=True)
class Scalar:
    """A scalar with the lines it spans; `plain` when written without quotes."""

    value: str
    line: int
    end_line: int
    plain: bool

    @property
    def null(self) -> bool:
        return self.plain and self.value in ("", "~", "null", "Null", "NULL")


@dataclass(slots=True)
class Seq:
    """A YAML list."""

    line: int
    items: list[Node] = field(default_factory=list)


@dataclass(slots=True)
class Map:
    """A YAML mapping: (key, value) pairs in order (`flat` while it is being built)."""

    line: int
    items: list[tuple[Scalar, Node]] = field(default_factory=list)
    flat: list[Node] = field(default_factory=list)


Node = Scalar | Seq | Map

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Spaces a word processor pastes ("fee:\u00a0Không thu"): invisible, and YAML does not take them for
# spaces, so the line broke with a misleading message. Read as spaces (one character for one, so
# every line and column stays where staff see it).
_ODD_SPACES = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u202f": " "})
_TRAILING_COMMENT = re.compile(r"[ \t]+#")
BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def indent(line: str) -> str:
    """The leading spaces and tabs of a line."""
    return line[: len(line) - len(line.lstrip(" \t"))]


def clean(text: str) -> str:
    """NFC, stripped."""
    return unicodedata.normalize("NFC", text).strip()


def compose_tree(text: str, error: Report, warning: Report) -> Node | None:
    """The tree of one YAML document, or None once a problem that stops reading was reported."""
    return _Composer(error, warning).compose(text)


class _Composer:
    def __init__(self, error: Report, warning: Report) -> None:
        self.error = error
        self.warning = warning

    def compose(self, text: str) -> Node | None:
        text = text.translate(_ODD_SPACES)
        lines = split_lines(text)
        tabs = [n for n, line in enumerate(lines, start=1) if "\t" in indent(line)]
        controls = {n: m.group() for n, line in enumerate(lines, start=1) if (m := BAD_CHARS.search(line))}
        for number in tabs[:MAX_REPEATS]:
            self.error(
                number,
                "dòng này thụt lề bằng phím Tab; YAML chỉ chấp nhận dấu cách — hãy thay Tab bằng dấu cách.",
            )
        for number, char in list(controls.items())[:MAX_REPEATS]:
            self.error(
                number,
                f"dòng này có ký tự điều khiển không hợp lệ (U+{ord(char):04X}), thường do sao "
                "chép từ nơi khác — hãy xóa và gõ lại đoạn đó.",
            )
        for found, what in ((tabs, "thụt lề bằng Tab"), (list(controls), "có ký tự điều khiển")):
            if len(found) > MAX_REPEATS:
                self.error(
                    found[MAX_REPEATS],
                    f"còn {len(found) - MAX_REPEATS} dòng khác {what} (không liệt kê hết).",
                )
        if controls:
            return None  # the YAML reader refuses them anyway, with a less helpful message
        # Warnings wait for the parse: past a syntax error they describe text the reader misread ("[" never
        # closed makes every later "- …" a folded item), and only the error is worth the staff's time.
        held: list[tuple[int, str]] = []
        try:
            root = self._compose_events(text, lines, lambda line, message: held.append((line, message)))
        except yaml.MarkedYAMLError as exc:
            line, message = explain_yaml_error(exc, lines)
            if line not in tabs:
                self.error(line, message)
            for number, said in held:
                if number < line:
                    self.warning(number, said)
            return None
        except yaml.YAMLError as exc:
            if not tabs:
                self.error(0, f"lỗi cú pháp YAML, không đọc được tệp ({exc}).")
            return None
        for number, said in held:
            self.warning(number, said)
        if tabs:
            return None
        return root

    def _compose_events(self, text: str, lines: list[str], warn: Report) -> Node | None:
        root: list[Node] = []
        stack: list[Seq | Map] = []
        targets: list[list[Node]] = [root]  # where the next node goes (parallel to stack)
        anchors: dict[str, Node] = {}
        documents = 0
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        starts: dict[type, type[Seq] | type[Map]] = {
            yaml.SequenceStartEvent: Seq,
            yaml.MappingStartEvent: Map,
        }
        ends = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
        event: Any  # PyYAML's event classes are untyped
        for event in yaml.parse(text, Loader=LOADER):
            kind = type(event)
            line = event.start_mark.line + 1 if event.start_mark else 0
            node: Node
            if kind is scalar_event:
                plain = bool(event.implicit[0]) and not event.style
                end = event.end_mark.line + 1 if event.end_mark else line
                node = Scalar(event.value, line, end, plain)
                if plain and event.value and event.end_mark is not None:
                    _cut_by_comment(lines, event.end_mark.line, event.end_mark.column, event.value, warn)
                if plain and end > line:
                    for folded in folded_items(lines, line, end):
                        warn(
                            folded,
                            f"dòng '- …' này thụt lề sâu hơn ý ở dòng {line} nên bị gộp vào ý đó thành "
                            "một câu; nếu đây là một ý riêng, hãy cho nó thẳng cột với các ý khác.",
                        )
            elif kind in starts:
                if len(stack) >= MAX_DEPTH:
                    # Stop early: the YAML scanner slows down quadratically on deep nesting.
                    self.error(line, "cấu trúc lồng nhau quá sâu — tệp FAQ chỉ cần vài cấp thụt lề.")
                    return None
                collection = starts[kind](line)
                targets[-1].append(collection)
                stack.append(collection)
                targets.append(collection.items if isinstance(collection, Seq) else collection.flat)
                if event.anchor:
                    anchors[event.anchor] = collection
                continue
            elif kind in ends:
                targets.pop()
                done = stack.pop()
                if isinstance(done, Map):
                    self._pair(done)
                continue
            elif kind is alias_event:
                target = anchors.get(event.anchor or "")
                if not isinstance(target, Scalar):
                    self.error(
                        line,
                        f"không dùng được bí danh YAML '*{event.anchor}' ở đây — hãy viết đầy đủ "
                        "nội dung thay vì tham chiếu.",
                    )
                    return None
                node = Scalar(target.value, line, line, target.plain)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    self.error(
                        line,
                        "tệp chỉ được có một khối nội dung: hãy xóa dòng '---' này (và phần thừa "
                        "phía sau nếu có).",
                    )
                    return None
                continue
            else:
                continue
            targets[-1].append(node)
            if kind is scalar_event and event.anchor:
                anchors[event.anchor] = node
        return root[0] if root else None

    def _pair(self, mapping: Map) -> None:
        seen: dict[str, int] = {}
        merged = False
        flat = mapping.flat
        for key, value in zip(flat[0::2], flat[1::2], strict=True):
            if not isinstance(key, Scalar):
                self.error(key.line, "tên khóa phải là một từ (ví dụ 'title'), không phải danh sách.")
                continue
            name = clean(key.value)
            if name == "id" and name in seen:
                # Everything after a second "id:" repeats too: one missing "- " merged two entries.
                self.error(
                    key.line,
                    "dòng này thiếu '- ' trước 'id:' — mỗi mục mới phải bắt đầu bằng '- id: …', thẳng cột "
                    f"với '- ' của các mục khác; thiếu nó, mục này bị gộp vào mục ở dòng {seen[name]}.",
                )
                mapping.items.append((key, value))
                seen = {"id": key.line}
                merged = True
                continue
            if name in seen and not merged:
                self.error(
                    key.line,
                    f"khóa '{name}' xuất hiện hai lần trong cùng một khối (lần đầu ở dòng "
                    f"{seen[name]}); YAML chỉ giữ giá trị sau cùng — hãy gộp hoặc xóa bớt một.",
                )
            seen.setdefault(name, key.line)
            mapping.items.append((key, value))
        mapping.flat = []


def _cut_by_comment(lines: list[str], row: int, column: int, value: str, warn: Report) -> None:
    """Warn when a " #" after a text on its line made the rest a YAML comment ("phòng #3 tầng 1")."""
    if row >= len(lines):
        return
    rest = lines[row][column:]
    if _TRAILING_COMMENT.match(rest) is None:
        return
    dropped = rest.lstrip(" \t")[1:].strip()
    kept = value if len(value) <= 60 else "…" + value[-60:]
    warn(
        row + 1,
        f"phần sau dấu ' #' ở dòng này («{dropped[:60]}») là ghi chú của YAML nên bot bỏ đi: người "
        f"dân chỉ thấy «{kept}». Nếu dấu # là một phần câu chữ (như 'phòng #3'), hãy đặt cả nội dung "
        'trong dấu ngoặc kép "..."; nếu đó là ghi chú cho cán bộ, hãy chuyển nó lên một dòng riêng.',
    )
