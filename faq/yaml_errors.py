"""YAML syntax errors explained in plain Vietnamese, at the line where the mistake is (FAQ and config).

PyYAML reports where it got stuck, which is often far from the mistake: an unclosed quote runs on
over the following lines until the next quote and the file breaks there, up to hundreds of lines
later; a list item moved to the left swallows the items after it until a `key:` line. This module
looks back from PyYAML's mark for those two mistakes, and for a list item not lined up with its
siblings, before falling back to explaining PyYAML's own words. Pure: it reads no file.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
"""What YAML counts as a line break (str.splitlines also splits on \\v, \\f and others)."""
_ITEM = re.compile(r"( *)-(?:[ \t]|$)")
"""A block list item: `- text` (group 1: its indentation)."""
_KEY_ITEM = re.compile(r" *-[ \t]+(?:-(?:[ \t]|$)|[^\s#\"'][^:#]*:(?:[ \t]|$))")
"""A list item that opens a block of keys or a list of its own (`- id: ...`, `- - x`)."""
_OWNER = re.compile(r" *[^\s#\"'-][^:#]*:[ \t]*(?:#.*)?$")
"""A `key:` line with nothing after the colon: what follows belongs to it."""
_STRUCTURE = re.compile(r"[ \t]*(?:-(?:[ \t]|$)|[^\s#\"'][^:#]*:(?:[ \t]|$))")
"""A line that starts like YAML structure: a list item or a `key:`."""
_STRUCTURAL = (
    "block mapping",
    "block collection",
    "expected key",
    "block end",
    "'-' indicator",
    "mapping values are not allowed",
    "could not find expected ':'",
)
"""PyYAML's words for a broken structure, where the real mistake may lie lines earlier."""
_SIBLING_SPREAD = 3
"""List items at most this many columns apart are taken for items of the same list."""
_WALK = 500
"""How many lines above and below are looked at for an item's siblings."""
PREFIX = "lỗi cú pháp YAML: "


def split_lines(text: str) -> list[str]:
    """`text` split where YAML counts a line break (line n of a mark is element n - 1)."""
    return LINE_BREAK.split(text)


def folded_items(lines: Sequence[str], start: int, end: int) -> list[int]:
    """Lines after `start` up to `end` (1-based) of one plain text that begin like a list item.

    YAML reads a `- ` line indented deeper than the item above it as more words of that item, so
    the two become one sentence without any error.
    """
    return [n for n in range(start + 1, min(end, len(lines)) + 1) if _ITEM.match(lines[n - 1])]


def explain_yaml_error(exc: yaml.MarkedYAMLError, lines: Sequence[str]) -> tuple[int, str]:
    """The 1-based line to blame for a YAML syntax error and a plain Vietnamese explanation."""
    problem = exc.problem or ""
    context = exc.context or ""
    mark = exc.problem_mark
    line = mark.line + 1 if mark is not None else 0
    if any(words in problem or words in context for words in _STRUCTURAL):
        previous = _previous_line(lines, line)
        # An unclosed quote explains everything after it; short of one, a key out of line is a
        # likelier mistake than a list item that took in the lines below it.
        swallowed = _swallowing_scalar(lines, line)
        quoted = swallowed is not None and swallowed[2] is not None
        found = (
            _entry_in_wrong_section(lines, line)
            or (None if quoted else _misaligned_key(lines, line))
            or _earlier_mistake(lines, line, swallowed)
            or _not_an_item(lines, line)
            or (_not_an_item(lines, previous) if previous is not None else None)
        )
        if found is not None:
            return found
    if "could not find expected ':'" in problem and exc.context_mark is not None:
        found = _not_an_item(lines, exc.context_mark.line + 1)
        if found is not None:
            return found
    return _explain_mark(exc, lines)


_CURLY = re.compile(r":\s*[“‘]")
"""A value that starts with Word's curly quotes (AutoCorrect), which YAML reads as plain letters."""
BULLETS = "•·–—*+‣◦▪●○"
"""What word processors and keyboards put where YAML wants "- "."""
_KEY_LINE = re.compile(r"( *)(?:- +)?([^\s#\"'-][^:#]*):(?:[ \t]|$)")
"""A `key:` line (group 1: indentation before any "- "; group 2: the key)."""


_ENTRY_START = re.compile(r" *- +id *: *['\"]?([^'\"#\s]*)")
_SECTION = re.compile(r"([A-Za-z_]+) *:(?: *#.*)?$")
"""A top-level key that opens a block ("synonyms:", "agency:")."""


def _entry_in_wrong_section(lines: Sequence[str], line: int) -> tuple[int, str] | None:
    """An entry ("- id: …") pasted under a section other than `entries:`, blamed on its first line."""
    # YAML fails where the section's own lines resume (or where the entry ends an `agency:` block),
    # far from the paste; the clerk needs the entry's line and where it belongs.
    section = next((n for n in range(min(line, len(lines)), 0, -1) if _SECTION.match(lines[n - 1])), None)
    if section is None:
        return None
    name = _SECTION.match(lines[section - 1]).group(1)  # type: ignore[union-attr]
    if name == "entries":
        return None
    for n in range(section + 1, min(line, len(lines)) + 1):
        match = _ENTRY_START.match(lines[n - 1])
        if match:
            return n, PREFIX + (
                f"mục '{match.group(1)}' bắt đầu ở dòng này đang nằm trong phần '{name}:' (dòng {section}) — "
                "các mục phải nằm trong phần 'entries:'. Hãy cắt cả khối của mục này (từ dòng '- id:' "
                "đến hết mục) và dán xuống dưới dòng 'entries:', thẳng cột với '- ' của các mục khác."
            )
    return None


def _not_an_item(lines: Sequence[str], line: int) -> tuple[int, str] | None:
    """A line meant as a list item or a key that YAML could not read as either, explained."""
    if not 0 < line <= len(lines):
        return None
    text = lines[line - 1]
    stripped = text.strip()
    if "\uff1a" in text:
        return line, PREFIX + (
            "dòng này dùng dấu hai chấm của bộ gõ (：) — hãy thay bằng dấu ':' thường rồi một dấu cách."
        )
    if stripped[:1] in BULLETS:
        return line, PREFIX + (
            f"dòng này mở đầu bằng dấu '{stripped[0]}' (thường do dán từ Word) — mỗi ý của danh "
            "sách phải bắt đầu bằng dấu gạch ngang thường và một dấu cách: '- '."
        )
    if stripped.startswith("-") and not stripped.startswith("- "):
        return line, PREFIX + "sau dấu gạch ngang đầu dòng cần một dấu cách: '- ' rồi mới đến nội dung."
    above = _previous_line(lines, line)
    if (
        above is not None
        and _text_item(lines[above - 1])
        and _item_indent(text) is None
        and _indent_of(text) >= _indent_of(lines[above - 1])
    ):
        return line, PREFIX + (
            "dòng này nằm giữa các ý của một danh sách nhưng thiếu '- ' ở đầu: nếu đây là một "
            "ý riêng, hãy thêm '- ' (gạch ngang và dấu cách) cho thẳng cột với các ý trên; nếu "
            "là phần tiếp theo của ý trên, hãy nối nó vào dòng trên."
        )
    return None


def _key_indent(text: str) -> int | None:
    """The column of a `key:` line's key ("- id: x" counts from "id")."""
    match = _KEY_LINE.match(text)
    if match is None:
        return None
    return len(text) - len(text.lstrip(" -")) if text.lstrip().startswith("-") else len(match.group(1))


def _keys_around(lines: Sequence[str], line: int, own: int) -> list[int] | None:
    """Columns of the keys near `line` that may share its block; None when `line` opens a nested
    block (the nearest key to its left above owns it: `postal:` then `  receive: ...`)."""
    near: list[int] = []
    for step in (-1, 1):
        n = line + step
        while 0 < n <= len(lines) and len(near) < 12:
            text = lines[n - 1]
            n += step
            if _blank(text):
                continue
            column = _key_indent(text)
            if column is None:
                if _indent_of(text) < own - _SIBLING_SPREAD:
                    break
                continue
            if column < own and (step > 0 or _OWNER.match(text)):
                if step < 0 and not near:
                    return None
                break
            if abs(column - own) <= _SIBLING_SPREAD:
                near.append(column)
            elif column < own:
                break
    return near


def _misaligned_key(lines: Sequence[str], line: int) -> tuple[int, str] | None:
    """A `key:` line at `line` or just above indented unlike the keys of its block, explained."""
    if not 0 < line <= len(lines):
        return None
    for candidate in (line, _previous_line(lines, line)):
        if candidate is None:
            continue
        own = _key_indent(lines[candidate - 1])
        if own is None or lines[candidate - 1].lstrip().startswith("-"):
            continue
        near = _keys_around(lines, candidate, own)
        if near is None:
            continue
        counts = Counter(near)
        if not counts:
            continue
        usual = counts.most_common(1)[0][0]
        entries = [t for t in lines[max(0, candidate - 200) : candidate + 200] if _KEY_ITEM.match(t)]
        if own == usual - 2 and any(_item_indent(t) == own for t in entries):
            return candidate, PREFIX + (
                "dòng này thiếu '- ' ở đầu: mỗi mục bắt đầu bằng dấu gạch ngang và một dấu cách, "
                "thẳng cột với '- ' của các mục khác (ví dụ '  - id: ...')."
            )
        if usual != own:
            key = _KEY_LINE.match(lines[candidate - 1]).group(2).strip()  # type: ignore[union-attr]
            return candidate, PREFIX + (
                f"khóa '{key}' ở dòng này thụt lề {own} dấu cách, còn các khóa cùng cấp quanh nó thụt "
                f"lề {usual} dấu cách — hãy cho thẳng cột (các khóa của một mục phải bắt đầu ở cùng "
                "một cột)."
            )
    return None


def _earlier_mistake(
    lines: Sequence[str], line: int, swallowed: tuple[int, int, str | None] | None
) -> tuple[int, str] | None:
    """An unclosed quote or a misplaced list item at or before `line` (`swallowed`: the scalar that
    ran over structure, from _swallowing_scalar), explained."""
    if swallowed is not None:
        start, end, quote = swallowed
        if quote == '"':
            return start, PREFIX + (
                f'dấu ngoặc kép (") mở ở dòng này chưa được đóng, nên các dòng sau (đến dòng {end}) '
                'bị đọc lẫn vào cùng một đoạn chữ. Hãy thêm dấu " vào cuối đoạn chữ ở dòng này.'
            )
        if quote == "'":
            return start, PREFIX + (
                f"dấu nháy đơn (') mở ở dòng này chưa được đóng, nên các dòng sau (đến dòng {end}) "
                "bị đọc lẫn vào cùng một đoạn chữ. Hãy thêm dấu ' vào cuối đoạn chữ; nếu dấu ' là "
                'một phần câu chữ, hãy bọc cả câu bằng ngoặc kép "...".'
            )
        own = _indent_of(lines[start - 1])
        sibling = _first_item_indent(lines[start:end])
        if sibling is None:
            above = _previous_line(lines, start)
            sibling = _item_indent(lines[above - 1]) if above is not None else None
        others = f" (các ý đó thụt lề {sibling} dấu cách)" if sibling is not None else ""
        return start, PREFIX + (
            f"ý danh sách ở dòng này thụt lề {own} dấu cách, không thẳng cột với các ý khác của "
            f"cùng danh sách{others}, nên các dòng sau (đến dòng {end}) bị gộp vào ý này. Mọi dòng "
            "'- ' của cùng một danh sách phải bắt đầu ở cùng một cột."
        )
    return _misaligned_item(lines, line)


def _out_of_line(line: int, own: int, siblings: int) -> tuple[int, str]:
    return line, PREFIX + (
        f"ý danh sách ở dòng này thụt lề {own} dấu cách, còn các ý khác của cùng danh sách thụt "
        f"lề {siblings} dấu cách — mọi dòng '- ' của cùng một danh sách phải bắt đầu ở cùng một cột."
    )


def _swallowing_scalar(lines: Sequence[str], line: int) -> tuple[int, int, str | None] | None:
    """(first line, last line, quote or None) of the first scalar before `line` that ran over structure.

    A quoted one counts when the lines it took in look like keys or list items and it closed on a
    quote followed by more text (the opening quote of a later value). A plain one counts when it
    is a list item that took in later list items and ends where PyYAML got stuck.
    """
    token: object
    try:
        for token in yaml.scan("\n".join(lines), Loader=_LOADER):
            if not isinstance(token, yaml.ScalarToken):
                continue
            start, end = token.start_mark.line, token.end_mark.line  # 0-based
            if start + 1 > line:
                return None
            if end <= start or end >= len(lines):
                continue
            taken = lines[start + 1 : end + 1]
            if token.style in ('"', "'"):
                rest = lines[end][token.end_mark.column :].strip()
                if rest and not rest.startswith("#") and any(_STRUCTURE.match(t) for t in taken):
                    return start + 1, end + 1, token.style
            elif (
                token.plain
                and end + 1 >= line - 1
                and _ITEM.match(lines[start])
                and any(_STRUCTURE.match(t) for t in taken)
            ):
                return start + 1, end + 1, None
    except yaml.YAMLError:
        pass
    return None


def _indent_of(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _first_item_indent(lines: Sequence[str]) -> int | None:
    for text in lines:
        match = _ITEM.match(text)
        if match:
            return len(match.group(1))
    return None


def _item_indent(text: str) -> int | None:
    match = _ITEM.match(text)
    return len(match.group(1)) if match else None


def _blank(text: str) -> bool:
    stripped = text.strip()
    return not stripped or stripped.startswith("#")


def _previous_line(lines: Sequence[str], line: int) -> int | None:
    """The nearest line above `line` that is not blank or a comment."""
    return next((n for n in range(line - 1, 0, -1) if not _blank(lines[n - 1])), None)


def _misaligned_item(lines: Sequence[str], line: int) -> tuple[int, str] | None:
    """A list item at `line` or just above that is out of line with its list, explained."""
    if not 0 < line <= len(lines):
        return None
    previous = _previous_line(lines, line)
    for candidate in (line, previous):
        if candidate is None:
            continue
        own = _item_indent(lines[candidate - 1])
        if own is None:
            continue
        siblings, parent = _siblings(lines, candidate, own)
        indents = Counter([own, *siblings])
        if len(indents) < 2:
            continue
        # The most common indentation is the list's own; on a tie, the one two columns right of
        # the key that owns the list (the layout of the shipped FAQ), then the one further right.
        expected = parent + 2 if parent is not None else own
        usual = max(indents, key=lambda i: (indents[i], -abs(i - expected), i))
        if own != usual:
            return _out_of_line(candidate, own, usual)
    if previous is not None and _text_item(lines[previous - 1]):
        # A text item cannot own anything below it, so a text item just above or a deeper item
        # just below belongs to its list; it was moved left (or right) when its column differs.
        own = _indent_of(lines[previous - 1])
        above = _previous_line(lines, previous)
        above_text = lines[above - 1] if above is not None else ""
        after = _item_indent(lines[line - 1])
        if _text_item(above_text):
            if _indent_of(above_text) != own:
                return _out_of_line(previous, own, _indent_of(above_text))
        elif after is not None and after > own:
            return _out_of_line(previous, own, after)
        elif above is not None and _OWNER.match(above_text) and _indent_of(above_text) > own:
            key = above_text.strip().rstrip(":")
            return previous, PREFIX + (
                f"ý danh sách ở dòng này thụt lề {own} dấu cách, ít hơn khóa '{key}' ở dòng "
                f"{above} ({_indent_of(above_text)} dấu cách) — các ý của một danh sách phải thụt "
                "lề sâu hơn khóa của nó (thường thêm 2 dấu cách)."
            )
    return None


def _text_item(text: str) -> bool:
    """A list item holding text (not `- key: ...` nor `- - ...`, which may own lines below)."""
    return _ITEM.match(text) is not None and _KEY_ITEM.match(text) is None


def _siblings(lines: Sequence[str], line: int, own: int) -> tuple[list[int], int | None]:
    """Indentations of the list items around `line` that seem to share its list, and the indentation
    of the line above the list (its key), when found.

    Items under a deeper `key:` (the questions of the entry above, say) belong to that key's list
    and are left out, whatever their column.
    """
    found: list[int] = []
    parent: int | None = None
    pending: list[int] = []
    for n in range(line - 1, max(0, line - _WALK), -1):
        text = lines[n - 1]
        if _blank(text):
            continue
        indent = _item_indent(text)
        if indent is None:
            if _indent_of(text) <= own:
                parent = _indent_of(text)
                break
            if _OWNER.match(text):  # the items met so far at or right of it were its own
                pending = [i for i in pending if i < _indent_of(text)]
            continue
        if indent < own - _SIBLING_SPREAD:
            break
        if indent <= own + _SIBLING_SPREAD:
            pending.append(indent)
    found += pending
    nested: int | None = None
    for n in range(line + 1, min(len(lines), line + _WALK) + 1):
        text = lines[n - 1]
        if _blank(text):
            continue
        indent = _item_indent(text)
        column = _indent_of(text)
        if nested is not None and (column > nested or (indent is not None and indent >= nested)):
            continue
        nested = None
        if indent is None:
            if column <= own:
                break
            if _OWNER.match(text):
                nested = column
            continue
        if abs(indent - own) <= _SIBLING_SPREAD:
            found.append(indent)
        elif indent < own:
            break
    return found, parent


def _explain_mark(exc: yaml.MarkedYAMLError, lines: Sequence[str]) -> tuple[int, str]:
    """PyYAML's own complaint in plain words, at its mark."""
    problem = exc.problem or ""
    context = exc.context or ""
    mark = exc.problem_mark
    line = mark.line + 1 if mark is not None else 0
    column = mark.column if mark is not None else 0
    opened = exc.context_mark.line + 1 if exc.context_mark is not None else line
    char = lines[line - 1][column : column + 1] if 0 < line <= len(lines) else ""
    if "nesting depth" in problem or "flow level" in context:
        # PyYAML >= 6.0.3 stops deep flow nesting itself, before our own depth check sees it.
        return line, PREFIX + "cấu trúc lồng nhau quá sâu — tệp chỉ cần vài cấp thụt lề."
    if "mapping values are not allowed" in problem and _CURLY.search(
        lines[line - 1] if 0 < line <= len(lines) else ""
    ):
        # Word's AutoCorrect: the clerk did quote the text, with quotes YAML does not know.
        return line, PREFIX + (
            "có dấu ':' nằm giữa nội dung, và nội dung được đặt trong dấu ngoặc kép cong “ ” (hoặc ‘ ’) "
            'của Word — YAML không coi đó là dấu ngoặc. Hãy thay bằng dấu ngoặc kép thẳng " gõ từ bàn '
            "phím, ở cả hai đầu."
        )
    if "mapping values are not allowed" in problem:
        return line, PREFIX + (
            "có dấu ':' theo sau là dấu cách nằm giữa nội dung (hoặc dòng này thụt lề sai). Nếu dấu "
            "':' là một phần câu chữ, hãy đặt cả nội dung trong dấu ngoặc kép \"...\"."
        )
    if "could not find expected ':'" in problem:
        return opened, PREFIX + (
            "dòng này thiếu dấu ':' sau tên khóa (ví dụ 'title: ...'), hoặc là phần tiếp theo của "
            "dòng trên nhưng thụt lề chưa đúng."
        )
    if "quoted scalar" in context:
        opened_at = exc.context_mark
        quote = (
            lines[opened_at.line][opened_at.column : opened_at.column + 1]
            if opened_at is not None and opened_at.line < len(lines)
            else ""
        )
        if quote == '"':
            return opened, PREFIX + (
                'dấu ngoặc kép (") mở ở dòng này chưa được đóng (đến hết tệp không có dấu " nào '
                'khác). Hãy thêm dấu " vào cuối đoạn chữ ở dòng này.'
            )
        if quote == "'":
            return opened, PREFIX + (
                "dấu nháy đơn (') mở ở dòng này chưa được đóng (đến hết tệp không có dấu ' nào "
                "khác). Hãy thêm dấu ' vào cuối đoạn chữ; nếu dấu ' là một phần câu chữ, hãy bọc "
                'cả câu bằng ngoặc kép "...".'
            )
        return opened, PREFIX + (
            "dấu ngoặc kép hoặc ngoặc đơn mở ở dòng này chưa được đóng. Nếu trong câu có dấu "
            'nháy đơn (\'), hãy bọc cả câu bằng ngoặc kép "...".'
        )
    if "flow sequence" in context:
        return opened, PREFIX + (
            "danh sách mở bằng '[' ở dòng này chưa được đóng bằng ']' (hoặc thiếu dấu ',')."
        )
    if "flow mapping" in context:
        return opened, PREFIX + "khối mở bằng '{' ở dòng này chưa được đóng bằng '}' (hoặc thiếu dấu ',')."
    if "cannot start any token" in problem:
        if char == "\t":
            return line, PREFIX + "dòng này có phím Tab; YAML chỉ chấp nhận dấu cách để thụt lề."
        shown = f" '{char}'" if char.strip() else ""
        return line, PREFIX + (
            f"nội dung không được bắt đầu bằng ký tự{shown} (như @ hoặc `) — hãy đặt cả nội dung "
            'trong dấu ngoặc kép "...".'
        )
    if "block collection" in context or "'-' indicator" in problem:
        return line, PREFIX + (
            "danh sách thụt lề không thẳng hàng: mọi dòng '- ' của cùng một danh sách phải bắt đầu "
            "ở cùng một cột, và không xen dòng 'khóa: ...' vào giữa."
        )
    if "block mapping" in context or "expected key" in problem or "block end" in problem:
        return line, PREFIX + (
            "thụt lề không thẳng hàng hoặc có chữ thừa sau nội dung: các khóa cùng cấp phải bắt "
            "đầu ở cùng một cột (dùng dấu cách); nội dung có dấu nháy hãy bọc bằng ngoặc kép."
        )
    if "end of stream" in problem:
        return line, PREFIX + "tệp kết thúc đột ngột — có thể thiếu dấu đóng ngoặc hoặc ngoặc kép."
    return line, PREFIX + f"không đọc được cấu trúc ở đây ({problem or context or exc})."
