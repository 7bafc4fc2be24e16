"""How the bot addresses a citizen: "anh/chị" unless they call themselves otherwise.

An elderly citizen writes "cho bác hỏi", "bà muốn làm lại thẻ", "chú chào cháu": the office's staff
would answer "Dạ, bác cần…", and "anh/chị" to a grandmother reads as a form letter. Only forms that
put the citizen above the bot (which calls itself "em") are mirrored — bác, ông, bà, cô, chú — and
only where the word is plainly the writer: asking ("cho bác hỏi", "bác xin hỏi"), greeting ("bác chào
cháu") or the subject at the start of a sentence followed by what the writer wants or is ("bà muốn…",
"chú năm nay 70 tuổi"). "Bà tôi", "ông nội em", "cô giáo bảo" speak of someone else and change nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace

from handlers.messages import Button, Reply

DEFAULT = "anh/chị"
FORMS = ("bác", "ông", "bà", "cô", "chú")

_FORM = "(bác|ông|bà|cô|chú)"
_ASKING = re.compile(
    rf"\bcho {_FORM} (?:xin )?hỏi\b|(?:^|[.!?,;:]\s*|\bdạ,? ){_FORM} (?:xin |muốn |cần |có việc )?hỏi\b"
)
_GREETING = re.compile(
    rf"(?:^|[.!?,;:]\s*|\bdạ,? ){_FORM} chào (?:cháu|con|em|các cháu|anh|chị|cô|chú|phường|xã|ủy ban)\b"
)
_WANTS = (
    r" (?:năm nay|già|lớn tuổi|đã|muốn|cần|định|đang|không biết|chưa biết|mới|bị|ở một mình"
    r"|sống một mình|không có|không rành)\b"
)
_SUBJECT = re.compile(rf"(?:^|[.!?;:]\s*|\bdạ,? ){_FORM}{_WANTS}")
_SUBJECT_IN_CLAUSE = re.compile(rf"(?:^|[.!?;:,]\s*|\bdạ,? ){_FORM}{_WANTS}")
_TO_A_YOUNGER = re.compile(r"\b(?:chào|ơi|nhé|nha|hả) (?:cháu|con)\b|\b(?:cháu|con) (?:ơi|à)\b")
"""The bot called "cháu"/"con": the writer is the elder, so a clause-initial "bác muốn…" after a
comma is the writer too (without that, "mẹ tôi 80 tuổi, bà muốn…" would be someone else)."""
_SOMEONE_ELSE = re.compile(
    rf"\b{_FORM} (?:nội|ngoại|tôi|em|mình|cháu|con|của|nhà|ấy|đó|kia|cụ|hàng xóm|chủ|giáo|sĩ|tổ)\b"
)
"""The same word for a relative or a third person ("bà nội em … Bà muốn làm lại thẻ"): then a later
"bà muốn" is that person, not the writer."""
_BARE = re.compile(
    r"\bcho bac (?:xin )?hoi\b|(?:^|[.!?,;:]\s*)bac (?:xin |muon |can )?hoi\b|\bbac chao chau\b"
)
"""Typed without accents only "bác" is plain: "ba" is a father, "co" and "chu" are other words."""
_CAPITALISED = {DEFAULT: "Anh/chị"}


def address_of(text: str) -> str | None:
    """The form a citizen calls themselves by ("bác", "ông"…), when the message says it plainly."""
    lowered = " ".join(text.lower().split())
    others = {m.group(1) for m in _SOMEONE_ELSE.finditer(lowered)}
    subject = _SUBJECT_IN_CLAUSE if _TO_A_YOUNGER.search(lowered) else _SUBJECT
    for pattern in (_ASKING, _GREETING, subject):
        found = pattern.search(lowered)
        if found is not None:
            form = next(g for g in found.groups() if g)
            return None if form in others else form
    return "bác" if _BARE.search(lowered) else None


def addressed(reply: Reply, form: str) -> Reply:
    """The reply with "anh/chị" (in text, title and buttons) turned into `form`."""
    if form == DEFAULT or form not in FORMS:
        return reply
    rows = tuple(tuple(_button(b, form) for b in row) for row in reply.buttons)
    return replace(
        reply,
        text=_swap(reply.text, form),
        numbered_text=_swap(reply.numbered_text, form),
        title=_swap(reply.title, form),
        buttons=rows,
        address=form,
    )


def mentions_default(reply: Reply) -> bool:
    """Whether the reply says "anh/chị" anywhere a citizen reads."""
    parts = [reply.text, reply.numbered_text, reply.title, *(b.label for row in reply.buttons for b in row)]
    return any(DEFAULT in part.lower() for part in parts)


def _button(button: Button, form: str) -> Button:
    return replace(button, label=_swap(button.label, form))


def _swap(text: str, form: str) -> str:
    if not text:
        return text
    text = text.replace(_CAPITALISED[DEFAULT], form.capitalize()).replace("Anh/Chị", form.capitalize())
    return text.replace(DEFAULT, form)
