"""Adding phrasings to an entry's `questions:` in FAQ text, changing nothing else (pure: text in, text out).

The staff's file keeps its comments, order, quoting and layout: a new phrasing becomes one new
`- …` line after the entry's last question (a block list), or `, …` before the `]` of a flow list
(`questions: [a, b]`). Reads no file: it uses the YAML parser's event positions only to find where
the list ends in the text it is given, as faq/yaml_errors.py does; faq/loader.py stays the only
reader that turns the FAQ into data, and judges the edited text before anything is saved.
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
