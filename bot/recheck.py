"""Citizens' answered questions asked again of an edited FAQ: which would now be answered otherwise.

A phrasing added to one entry can pull questions that another entry answered well ("chưa đăng ký kết
hôn thì con có được mang họ cha không" added to «nhận cha, mẹ, con» took "2 đứa muốn đi đăng ký kết hôn
sáng thứ 7 được không" with it); `faqbot check --config` shows such changes right after the edit,
from the interaction log, before citizens meet them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.storage import Interaction
from faq.decision import Kind
from faq.matcher import Matcher
from faq.schema import FaqBook

RECHECKED = 100
"""Distinct answered questions asked again at most, the most recent first (each may ask the model)."""
SHOWN = 10
"""Changed answers listed at most."""
MIN_WORDS = 3
"""Shorter questions were mostly follow-ups answered in context ("bao nhiêu tiền"): not asked alone."""


@dataclass(frozen=True, slots=True)
class Changed:
    """A question the log says was answered with `before` that the FAQ now answers with `now`."""

    question: str
    before: str
    now: str | None
    """None: no longer answered at once (choices, a declined topic, or nothing)."""


@dataclass(frozen=True, slots=True)
class Recheck:
    """How many answered questions were asked again, and those answered otherwise now."""

    asked: int
    changed: tuple[Changed, ...]


def answered_questions(
    rows: Iterable[Interaction], book: FaqBook, limit: int = RECHECKED
) -> list[Interaction]:
    """The most recent answer for each distinct question answered with an entry the FAQ still has."""
    seen: set[str] = set()
    out: list[Interaction] = []
    for row in sorted(rows, key=lambda r: -r.at):
        key = " ".join(row.question.lower().split())
        if row.kind != "answer" or not row.entry_id or key in seen or len(key.split()) < MIN_WORDS:
            continue
        entry = book.entry(row.entry_id)
        if entry is None or not entry.is_procedure:
            continue
        seen.add(key)
        out.append(row)
        if len(out) >= limit:
            break
    return out


def recheck(rows: Iterable[Interaction], matcher: Matcher) -> Recheck:
    """Ask `matcher` (the edited FAQ's) each answered question again; list those answered otherwise."""
    asked = answered_questions(rows, matcher.book)
    changed = []
    for row in asked:
        result = matcher.match(row.question)
        if result.facet_only or result.preamble_only or result.names_nothing:
            continue  # a part, a greeting or "thủ tục thế nào": answered in the context of its conversation
        now = result.entry.id if result.kind is Kind.ANSWER and result.entry is not None else None
        if now != row.entry_id:
            changed.append(Changed(row.question, row.entry_id or "", now))
    return Recheck(len(asked), tuple(changed))


def format_recheck(found: Recheck, book: FaqBook, days: int) -> list[str]:
    """The lines `faqbot check` prints for a recheck (nothing when nothing was answered)."""
    if not found.asked:
        return []

    def title(entry_id: str) -> str:
        entry = book.entry(entry_id)
        return f"«{entry.title}»" if entry is not None else f"'{entry_id}'"

    head = f"Hỏi lại {found.asked} câu người dân đã được trả lời trong {days} ngày qua với tệp hiện tại:"
    if not found.changed:
        return [f"{head} không câu nào đổi câu trả lời."]
    lines = [f"{head} {len(found.changed)} câu nay được trả lời khác —"]
    for c in found.changed[:SHOWN]:
        now = title(c.now) if c.now is not None else "không trả lời ngay (gợi ý hoặc chưa có thông tin)"
        lines.append(f"- «{c.question}»: trước {title(c.before)}, nay {now}")
    if len(found.changed) > SHOWN:
        lines.append(f"- … và {len(found.changed) - SHOWN} câu khác.")
    lines.append(
        "Nếu thay đổi nào không đúng ý (thường do một cách hỏi vừa thêm giống câu của mục khác), hãy sửa "
        "lại cách hỏi đó rồi chạy lại lệnh này."
    )
    return lines
