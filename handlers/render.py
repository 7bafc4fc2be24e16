"""Reply -> message text within a channel's limit: Telegram HTML, or plain text with numbered options."""

from __future__ import annotations

import html
from collections.abc import Callable

from handlers import texts
from handlers.messages import Reply
from handlers.options import Numbering

_SEPARATORS = ("\n\n", "\n", " ")

CharCost = Callable[[str], int]


def _utf16_cost(ch: str) -> int:
    # Telegram counts UTF-16 code units, so an emoji costs two; never less than len().
    return 2 if ord(ch) > 0xFFFF else 1


_ESCAPED = {"&": 5, "<": 4, ">": 4}  # &amp; &lt; &gt;
_MAX_CHAR_COST = 5


def _html_cost(ch: str) -> int:
    return _ESCAPED.get(ch) or _utf16_cost(ch)


def split_text(text: str, limit: int) -> list[str]:
    """Split into chunks of at most `limit` on paragraphs, then lines, then words, then characters."""
    return _split(text, limit, _utf16_cost)


def _split(text: str, limit: int, cost: CharCost, first_limit: int | None = None) -> list[str]:
    if limit < 1 or (first_limit is not None and first_limit < 1):
        raise ValueError("limit must be at least 1")
    chunks: list[str] = []
    rest = text.strip()
    while rest:
        end = _fit(rest, first_limit if first_limit and not chunks else limit, cost)
        if end == len(rest):
            chunks.append(rest)
            break
        cut, skip = _best_cut(rest, end)
        chunk = rest[:cut].strip()
        if chunk:
            chunks.append(chunk)
        rest = rest[cut + skip :].strip()
    return chunks


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _html_text_cost(text: str) -> int:
    return _units(text) + 4 * text.count("&") + 3 * (text.count("<") + text.count(">"))


_TEXT_COSTS: dict[CharCost, Callable[[str], int]] = {_utf16_cost: _units, _html_cost: _html_text_cost}
"""The cost of a whole text at C speed, for the per-character costs above."""


def _fit(text: str, limit: int, cost: CharCost) -> int:
    """Length of the longest prefix costing at most `limit` (at least one character)."""
    if len(text) * _MAX_CHAR_COST <= limit:
        return len(text)  # fits whatever its characters: skip the per-character walk
    whole = _TEXT_COSTS.get(cost)
    if whole is not None and whole(text) <= limit:
        return len(text)  # most replies: one message, no walk
    total = 0
    for i, ch in enumerate(text):
        total += cost(ch)
        if total > limit:
            return max(i, 1)
    return len(text)


def _best_cut(text: str, end: int) -> tuple[int, int]:
    """Where to cut text[:end], and how many separator characters to drop there.

    The coarsest separator wins if it keeps the chunk at least half full; otherwise any
    separator does; otherwise a hard cut at `end`.
    """
    for min_pos in (end // 2, 1):
        for sep in _SEPARATORS:
            # A separator may start right at `end` (the window then ends on a boundary).
            pos = text.rfind(sep, 0, end + len(sep))
            if pos >= min_pos and pos <= end:
                return pos, len(sep)
    return end, 0


def render_html(reply: Reply, limit: int = 4096) -> list[str]:
    """Telegram HTML: escaped text, bold title, every chunk within `limit` (markup included)."""
    head = f"<b>{html.escape(reply.title, quote=False)}</b>" if reply.title else ""
    room = limit - _units(head) - 2  # the blank line after the title
    if head and room >= 1:
        chunks = _split(reply.text, limit, _html_cost, first_limit=room)
        escaped = [html.escape(c, quote=False) for c in chunks]
        return [f"{head}\n\n{escaped[0]}", *escaped[1:]] if escaped else [head]
    escaped = [html.escape(c, quote=False) for c in _split(reply.text, limit, _html_cost)]
    if not reply.title:
        return escaped
    # A title too long for one message (never in practice): bold pieces of it first.
    bold = len("<b></b>")
    titles = [
        f"<b>{html.escape(t, quote=False)}</b>" for t in _split(reply.title, max(1, limit - bold), _html_cost)
    ]
    return titles + escaped


def link_lines(reply: Reply, text: str) -> list[str]:
    """URL buttons as "label: url", except links the text already gives."""
    return [f"{b.label}: {b.url}" for b in reply.flat_buttons if b.url is not None and b.url not in text]


def render_plain(
    reply: Reply, limit: int = 2000, numbered: bool = True, numbering: Numbering | None = None
) -> list[str]:
    """Plain text chunks within `limit`; when numbered, links then numbered options follow the text.

    `numbering` comes from the chat's OptionMemory (numbers stable from one reply to the next);
    without it the options are numbered 1, 2, 3… in reading order.
    """
    text = reply.text_for(numbered)
    parts = [p for p in (reply.title, text) if p]
    if numbered and reply.buttons:
        # Links belong to the answer: before the options, which end the message.
        links = link_lines(reply, text)
        if links:
            parts.append("\n".join(links))
        numbering = numbering if numbering is not None else Numbering.fresh(reply)
        if numbering.shown:
            hint = texts.OPTIONS_HINT_MORE if numbering.kept else texts.OPTIONS_HINT
            if reply.address:
                hint = hint.replace("Anh/chị", reply.address.capitalize(), 1)
            parts.append("\n".join([hint, *(f"{o.number}. {o.label}" for o in numbering.shown)]))
    return split_text("\n\n".join(parts), limit)
