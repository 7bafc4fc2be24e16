"""Adding phrasings to an entry's `questions:`, or a new entry, in FAQ text, changing nothing else (pure).

The staff's file keeps its comments, order, quoting and layout: a new phrasing becomes one new
`- …` line after the entry's last question (a block list), or `, …` before the `]` of a flow list
(`questions: [a, b]`). Reads no file: it uses the YAML parser's event positions only to find where
the list ends in the text it is given, as faq/yaml_errors.py does; faq/loader.py stays the only
reader that turns the FAQ into data, and judges the edited text before anything is saved.

A new entry (`add_entry`) is appended after the last entry, written the way that entry is written:
same dash and key indentation, same style of `questions:` list, a blank line before it when the
entries are separated by blank lines.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BOM = "\ufeff"
_PLAIN_START = re.compile(r"[\w\u00c0-\u1ef9(]")
"""A plain (unquoted) scalar may safely start with a letter, digit or bracket."""
_PLAIN_UNSAFE = re.compile(r": |:$| #|[\[\]{},\"'`|>*&!%@]")
_ITEM_PREFIX = re.compile(r"[ ]*-[ ]+")


@dataclass(frozen=True, slots=True)
class NewEntry:
    """The fields of an entry drafted from a staff answer, in the order they are written."""

    id: str
    category: str
    title: str
    questions: tuple[str, ...]
    summary: str
    updated: str = ""
    """ISO date (YYYY-MM-DD), or empty to leave the key out."""


class WriteBackError(ValueError):
    """The phrasing cannot be added by a minimal edit; the message says why, in Vietnamese."""


@dataclass(slots=True)
class _Node:
    """A YAML node with its position: scalar (value), sequence (items) or mapping (pairs)."""

    kind: str
    """"scalar", "seq" or "map"."""
    start: int
    end: int = 0
    value: str = ""
    flow: bool = False
    children: list[_Node] = field(default_factory=list)
    """A sequence's items; a mapping's keys and values, alternating."""

    def get(self, key: str) -> _Node | None:
        """A mapping's value for a plain key."""
        pairs = zip(self.children[0::2], self.children[1::2], strict=False)
        found = [v for k, v in pairs if k.kind == "scalar" and k.value == key]
        return found[0] if len(found) == 1 else None


def scalar(text: str, *, flow: bool = False) -> str:
    """The phrasing as a YAML scalar: plain when that reads back the same, else double-quoted."""
    if _plain_ok(text, flow):
        return text
    return json.dumps(text, ensure_ascii=False)


def _plain_ok(text: str, flow: bool) -> bool:
    if not text or text != text.strip() or "\n" in text or not _PLAIN_START.match(text):
        return False
    if _PLAIN_UNSAFE.search(text):
        return False
    try:
        value = yaml.load(f"- {text}", Loader=_LOADER)
    except yaml.YAMLError:
        return False
    return value == [text] and (not flow or "," not in text)


def add_questions(text: str, entry_id: str, phrasings: list[str]) -> str:
    """The FAQ text with `phrasings` appended to entry `entry_id`'s questions; nothing else changes."""
    if not phrasings:
        return text
    for phrasing in phrasings:
        if not phrasing.strip() or any(c in phrasing for c in "\r\n"):
            raise WriteBackError("cách hỏi phải là một dòng chữ, không để trống.")
    bom = _BOM if text.startswith(_BOM) else ""
    body = text[len(bom) :]
    questions = _find(body, entry_id)
    last = questions.children[-1] if questions.children else None
    if questions.flow:
        items = ", ".join(scalar(p, flow=True) for p in phrasings)
        if last is None:
            at = body.rindex("]", questions.start, questions.end)
            return bom + body[:at] + items + body[at:]
        # Just after the last item, before any space or line break leading to the `]`.
        return bom + body[: last.end] + ", " + items + body[last.end :]
    if last is None:  # a block list always has an item; kept for the type checker
        raise WriteBackError(f"danh sách questions của mục '{entry_id}' trống.")
    line_start = body.rfind("\n", 0, last.start) + 1
    prefix_match = _ITEM_PREFIX.match(body, line_start)
    if prefix_match is None or prefix_match.end() != last.start:
        raise WriteBackError(
            f"không tìm được dòng '- …' cuối cùng trong danh sách questions của mục '{entry_id}' — "
            "hãy thêm cách hỏi này bằng tay."
        )
    prefix = body[line_start : last.start]
    newline = "\r\n" if "\r\n" in body else "\n"
    line_end = body.find("\n", last.end)
    if line_end < 0:
        # The last question is the file's last line, without a line break after it.
        return bom + body + "".join(newline + prefix + scalar(p) for p in phrasings)
    added = "".join(prefix + scalar(p) + newline for p in phrasings)
    return bom + body[: line_end + 1] + added + body[line_end + 1 :]


def _tree(body: str) -> _Node | None:
    """The document as nodes with character offsets (aliases count as empty scalars)."""
    try:
        events = yaml.parse(body, Loader=_LOADER)
        stack: list[_Node] = []
        root: _Node | None = None
        for event in events:
            node: _Node | None = None
            if isinstance(event, yaml.ScalarEvent):
                node = _Node("scalar", _at(event.start_mark), _at(event.end_mark), event.value)
            elif isinstance(event, yaml.AliasEvent):
                node = _Node("scalar", _at(event.start_mark), _at(event.end_mark))
            elif isinstance(event, yaml.CollectionStartEvent):
                kind = "seq" if isinstance(event, yaml.SequenceStartEvent) else "map"
                opened = _Node(kind, _at(event.start_mark), flow=bool(event.flow_style))
                if stack:
                    stack[-1].children.append(opened)
                else:
                    root = root or opened
                stack.append(opened)
            elif isinstance(event, yaml.CollectionEndEvent):
                stack.pop().end = _at(event.end_mark)
            if node is not None and stack:
                stack[-1].children.append(node)
    except yaml.YAMLError as exc:
        raise WriteBackError(f"tệp hỏi đáp đang có lỗi cú pháp YAML ({exc}) — hãy sửa trước.") from None
    return root


def _at(mark: Any) -> int:
    """A mark's character offset (every event of a parsed text has marks)."""
    return int(mark.index) if mark is not None else 0


def _find(body: str, entry_id: str) -> _Node:
    """The questions list of the entry with this id, or WriteBackError."""
    root = _tree(body)
    entries = root.get("entries") if root is not None and root.kind == "map" else None
    owners = [
        e
        for e in (entries.children if entries is not None and entries.kind == "seq" else [])
        if e.kind == "map" and (i := e.get("id")) is not None and i.value == entry_id
    ]
    if len(owners) > 1:
        raise WriteBackError(f"có nhiều hơn một mục mang mã '{entry_id}' — hãy sửa tệp trước.")
    questions = owners[0].get("questions") if owners else None
    if questions is None:
        raise WriteBackError(
            f"không tìm thấy danh sách questions của mục '{entry_id}' trong tệp — hãy kiểm tra mã mục, "
            "hoặc thêm 'questions:' cho mục đó bằng tay."
        )
    if questions.kind != "seq" or any(q.kind != "scalar" for q in questions.children):
        raise WriteBackError(
            f"'questions' của mục '{entry_id}' không phải một danh sách câu chữ — hãy sửa tệp trước."
        )
    return questions


def add_entry(text: str, entry: NewEntry) -> str:
    """The FAQ text with `entry` appended after the last entry, in its layout; nothing else changes."""
    values = (entry.id, entry.category, entry.title, *entry.questions, entry.summary)
    if not entry.questions or any(not v.strip() or "\r" in v or "\n" in v for v in values):
        raise WriteBackError("mục mới cần mã, nhóm, tiêu đề, câu hỏi và nội dung, mỗi thứ một dòng chữ.")
    bom = _BOM if text.startswith(_BOM) else ""
    body = text[len(bom) :]
    root = _tree(body)
    entries = root.get("entries") if root is not None and root.kind == "map" else None
    if entries is None or entries.kind != "seq" or entries.flow or not entries.children:
        raise WriteBackError(
            "không tìm thấy danh sách 'entries:' (viết mỗi mục bắt đầu bằng '- id: …') trong tệp — "
            "hãy thêm mục mới này bằng tay."
        )
    if any(
        e.kind == "map" and (i := e.get("id")) is not None and i.value == entry.id for e in entries.children
    ):
        raise WriteBackError(f"đã có mục mang mã '{entry.id}'.")
    last = entries.children[-1]
    line_start = body.rfind("\n", 0, last.start) + 1
    dash = _ITEM_PREFIX.match(body, line_start)
    if last.kind != "map" or last.flow or dash is None or dash.end() != last.start:
        raise WriteBackError("mục cuối cùng của tệp không viết dạng '- id: …' — hãy thêm mục mới bằng tay.")
    newline = "\r\n" if "\r\n" in body else "\n"
    first = body[line_start : dash.end()]
    key_pad = " " * len(first)
    questions = _questions_layout(body, last, key_pad)
    lines = [
        f"{first}id: {scalar(entry.id)}",
        f"{key_pad}category: {scalar(entry.category)}",
        f"{key_pad}title: {scalar(entry.title)}",
    ]
    if questions is None:
        lines.append(f"{key_pad}questions: [{', '.join(scalar(q, flow=True) for q in entry.questions)}]")
    else:
        lines.append(f"{key_pad}questions:")
        lines += [f"{questions}{scalar(q)}" for q in entry.questions]
    lines.append(f"{key_pad}summary: {scalar(entry.summary)}")
    if entry.updated:
        lines.append(f"{key_pad}updated: {entry.updated}")
    end = _content_end(last)
    line_end = body.find("\n", end)
    gap = newline if _blank_line_between(body, line_start) else ""
    added = newline.join(lines) + newline
    if line_end < 0:  # the last entry ends the file without a line break
        return bom + body + newline + gap + added
    return bom + body[: line_end + 1] + gap + added + body[line_end + 1 :]


def _questions_layout(body: str, last: _Node, key_pad: str) -> str | None:
    """The prefix of a question line ("      - ") as the last entry writes it; None for a flow list."""
    questions = last.get("questions")
    if questions is None or not questions.children:
        return key_pad + "  - "
    if questions.flow:
        return None
    item = questions.children[0]
    start = body.rfind("\n", 0, item.start) + 1
    prefix = _ITEM_PREFIX.match(body, start)
    if prefix is None or prefix.end() != item.start:
        return key_pad + "  - "
    return body[start : item.start]


def _content_end(node: _Node) -> int:
    """Where the node's last written character ends (a block collection's end mark lies further on)."""
    if node.kind == "scalar" or node.flow or not node.children:
        return node.end
    return _content_end(node.children[-1])


def _blank_line_between(body: str, line_start: int) -> bool:
    """Whether an empty line comes above the last entry (past its comment lines): entries spaced out."""
    for above in reversed(body[:line_start].splitlines()):
        if not above.strip():
            return True
        if not above.lstrip().startswith("#"):
            return False
    return False
