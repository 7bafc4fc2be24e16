"""Reply -> message text within a channel's limit: Telegram HTML, or plain text with numbered options."""

from __future__ import annotations

import html
from collections.abc import Callable

from handlers import texts
from handlers.messages import Reply
from handlers.options import pressable

_SEPARATORS = ("\n\n", "\n", " ")

Measure = Callable[[str], int]


def _units(text: str) -> int:
    # Telegram counts UTF-16 code units; an emoji is two. Never fewer than len().
    return len(text.encode("utf-16-le")) // 2


def _html_units(text: str) -> int:
    return _units(html.escape(text, quote=False))


def split_text(text: str, limit: int) -> list[str]:
    """Split into chunks of at most `limit` on paragraphs, then lines, then words, then characters."""
    return _split_measured(text, limit, _units)


def _split_measured(text: str, limit: int, measure: Measure) -> list[str]:
    if limit < 1:
        raise ValueError("limit must be at least 1")
    chunks = _split(text, limit, measure, 0)
    return [c.strip() for c in chunks if c.strip()]


def _split(text: str, limit: int, measure: Measure, level: int) -> list[str]:
    if measure(text) <= limit:
        return [text]
    if level == len(_SEPARATORS):
        return _hard_cut(text, limit, measure)
    sep = _SEPARATORS[level]
    sep_size = measure(sep)
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for part in text.split(sep):
        part_size = measure(part)
        grown = size + sep_size + part_size if current else part_size
        if grown <= limit:
            current.append(part)
            size = grown
            continue
        if current:
            chunks.append(sep.join(current))
        if part_size <= limit:
            current, size = [part], part_size
        else:
            pieces = _split(part, limit, measure, level + 1)
            chunks.extend(pieces[:-1])
            current, size = [pieces[-1]], measure(pieces[-1])
    if current:
        chunks.append(sep.join(current))
    return chunks


def _hard_cut(text: str, limit: int, measure: Measure) -> list[str]:
    pieces: list[str] = []
    start = 0
    size = 0
    for i, ch in enumerate(text):
        ch_size = measure(ch)
        if size + ch_size > limit and i > start:
            pieces.append(text[start:i])
            start, size = i, 0
        size += ch_size
    pieces.append(text[start:])
    return pieces


def render_html(reply: Reply, limit: int = 4096) -> list[str]:
    """Telegram HTML: escaped text, bold title, every chunk within `limit` (markup included)."""
    chunks = [html.escape(c, quote=False) for c in _split_measured(reply.text, limit, _html_units)]
    if not reply.title:
        return chunks
    # "<b></b>" and the blank line after the title count against the limit too.
    overhead = _units("<b></b>\n\n")
    title_parts = [
        f"<b>{html.escape(p, quote=False)}</b>"
        for p in _split_measured(reply.title, max(1, limit - overhead), _html_units)
    ]
    if chunks and title_parts and _units(title_parts[-1]) + 2 + _units(chunks[0]) <= limit:
        chunks[0] = f"{title_parts.pop()}\n\n{chunks[0]}"
    return title_parts + chunks


def option_lines(reply: Reply) -> list[str]:
    """Buttons as text: "1. label" for pressable ones (the OptionMemory numbering), "label: url" else."""
    lines = [f"{n}. {b.label}" for n, b in enumerate(pressable(reply), start=1)]
    lines.extend(f"{b.label}: {b.url}" for b in reply.flat_buttons if b.url is not None)
    return lines


def render_plain(reply: Reply, limit: int = 2000, numbered: bool = True) -> list[str]:
    """Plain text chunks within `limit`; when numbered, buttons follow as numbered options."""
    parts = [p for p in (reply.title, reply.text) if p]
    if numbered and reply.buttons:
        options = option_lines(reply)
        if pressable(reply):
            options.insert(0, texts.OPTIONS_HINT)
        parts.append("\n".join(options))
    return split_text("\n\n".join(parts), limit)
