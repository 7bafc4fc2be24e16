"""The staff report over the interaction log: unanswered questions, suggestions, feedback, volume."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rapidfuzz import fuzz, process

from bot.storage import Interaction
from faq.decision import Kind
from faq.matcher import Matcher
from faq.normalize import Normalizer, fold_accents, has_accents
from faq.schema import FaqBook
from handlers.privacy import MASKS

QUESTION_KINDS = ("answer", "suggest", "declined", "none")
"""Outcomes of a typed question (everything else is a button, command or small action); "declined"
is a question nearest a topic the office does not handle, told who handles it."""
PICK_KINDS = ("suggest:accepted", "alternative:accepted")
"""A choice the citizen picked: among "Có phải anh/chị muốn hỏi…", or a runner-up beside an answer."""
OPEN_KINDS = frozenset({"answer", *PICK_KINDS, "browse"})
"""Rows where a citizen opened an entry's answer (counted for the most asked entries)."""
REACHED_KINDS = OPEN_KINDS | {"facet", "step", "back"}
"""Rows showing that a citizen saw some part of an entry."""
GROUP_SET_CUTOFF = 80.0
"""token_set_ratio needed to join a group of unanswered questions..."""
GROUP_SORT_CUTOFF = 60.0
"""...and token_sort_ratio, so that a two-word question does not swallow every longer one."""
MAX_EXAMPLES = 3
MARKED_GROUPS = 20
"""Unanswered groups (most asked first) checked against the current FAQ for a fix made since."""
DIGEST_LIMIT = 4000
_MASKS = re.compile("|".join(re.escape(m) for m in MASKS))
# Terminal escape sequences (CSI "\x1b[31m", OSC "\x1b]0;title\x07", two-byte ones) and every other
# control character (C0, DEL, C1, bidirectional overrides): a citizen's text must not move the
# cursor, recolour or retitle the staff member's terminal, nor break a CSV row.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b(?:\[[0-?]{0,32}[ -/]{0,8}[@-~]"  # CSI: colours, cursor moves, erase
    r"|\][^\x07\x1b]{0,256}(?:\x07|\x1b\\)"  # OSC: window title, hyperlinks, clipboard
    r"|[0-~])"  # two-byte: reset, save/restore cursor...
)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UTC7 = dt.timezone(dt.timedelta(hours=7), "UTC+7")
_SINCE = re.compile(r"\s*(\d{1,4})\s*([dh])\s*", re.IGNORECASE)
CHANNEL_NAMES = {
    "telegram": "Telegram",
    "zalo_bot": "Zalo Bot",
    "zalo_oa": "Zalo OA",
    "console": "Bảng lệnh (thử nghiệm)",
}
CSV_COLUMNS = ("phần", "mã", "tên", "số", "tốt", "chưa tốt", "ví dụ")
"""The CSV's header row, for staff opening it in Excel ("tốt"/"chưa tốt": 👍/👎 on a rating row,
answered at once / not answered on an office's)."""
CSV_SECTION_NAMES: dict[str, str] = {
    "summary": "tổng quan",
    "unanswered": "chưa trả lời được",
    "declined": "ngoài phạm vi",
    "entry": "mục được hỏi",
    "feedback": "đánh giá",
    "never_reached": "chưa ai hỏi",
    "channel": "kênh",
    "day": "ngày",
    "office": "đơn vị",
}
"""Each part of the report -> the CSV's "phần" for its rows."""
CSV_SECTIONS = tuple(CSV_SECTION_NAMES.values())
CSV_SUMMARY_NAMES: dict[str, str] = {
    "since": "từ",
    "until": "đến",
    "rows": "số lượt ghi",
    "users": "số người hỏi",
    "questions": "số câu hỏi",
    "answer": "trả lời ngay",
    "suggest": "đưa gợi ý",
    "declined": "chỉ sang nơi khác",
    "none": "chưa trả lời được",
    "suggestions_offered": "lần đưa gợi ý",
    "suggestions_accepted": "lần chọn gợi ý",
    "acceptance_ratio": "tỉ lệ chọn gợi ý",
}
"""The "tổng quan" rows' "mã"."""


def office_timezone(name: str = "Asia/Ho_Chi_Minh") -> dt.tzinfo:
    """The office's time zone; fixed UTC+7 when the system has no time-zone database."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return _UTC7


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_since(text: str, now: float, tz: dt.tzinfo | None = None) -> float:
    """Epoch seconds for "7d", "24h", "30d" (before now) or a date "06/12/2026" or "2026-12-06" (its
    midnight)."""
    m = _SINCE.fullmatch(text)
    if m:
        amount, unit = int(m.group(1)), m.group(2).lower()
        return now - amount * (86400 if unit == "d" else 3600)
    try:
        vietnamese = _DAY_MONTH_YEAR.fullmatch(text.strip())
        if vietnamese:  # 06/12/2026, as the report itself prints dates: day first
            day = dt.date(int(vietnamese.group(3)), int(vietnamese.group(2)), int(vietnamese.group(1)))
        else:
            day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"Không hiểu mốc thời gian '{text}': hãy ghi dạng 7d (7 ngày), 24h (24 giờ) "
            "hoặc một ngày như 06/12/2026 (ngày/tháng/năm) hay 2026-12-06."
        ) from None
    start = dt.datetime.combine(day, dt.time(), tzinfo=tz or office_timezone())
    return start.timestamp()


@dataclass(frozen=True, slots=True)
class UnansweredGroup:
    """Similar questions the bot could not answer."""

    label: str
    """The most frequent wording (masked)."""
    count: int
    examples: tuple[str, ...]
    """Up to three distinct wordings, most frequent first."""
    now_answered: str = ""
    """The title of the entry the current FAQ answers the label with, if it now does."""


@dataclass(frozen=True, slots=True)
class EntryCount:
    """How often something happened for one FAQ entry."""

    entry_id: str
    title: str
    """The entry's title in the current FAQ; the id when the entry is gone."""
    count: int
    examples: tuple[str, ...] = ()
    """What citizens asked (masked), most frequent first: a declined topic may be a misread question."""


@dataclass(frozen=True, slots=True)
class EntryFeedback:
    """👍/👎 presses for one entry."""

    entry_id: str
    title: str
    up: int
    down: int
    disliked: tuple[str, ...] = ()
    """The questions (masked) whose answer got a 👎, most frequent first."""


@dataclass(frozen=True, slots=True)
class OfficeFigures:
    """Typed questions of one office of a province (office None: rows whose office was not known)."""

    office: str | None
    asked: int
    answered: int
    unanswered: int


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the staff report shows, computed once from the log rows."""

    since: float
    until: float
    tz: dt.tzinfo
    total: int
    """Logged exchanges of every kind."""
    users: int
    """Distinct (hashed) users."""
    kinds: dict[str, int] = field(default_factory=dict)
    unanswered: tuple[UnansweredGroup, ...] = ()
    declined: tuple[EntryCount, ...] = ()
    """Out-of-scope topics citizens were pointed elsewhere for, most asked first."""
    suggestions_offered: int = 0
    suggestions_accepted: int = 0
    top_entries: tuple[EntryCount, ...] = ()
    feedback: tuple[EntryFeedback, ...] = ()
    never_reached: tuple[EntryCount, ...] = ()
    """Entries of the current FAQ (small talk aside) nobody reached; count is always 0."""
    per_channel: tuple[tuple[str, int], ...] = ()
    per_day: tuple[tuple[dt.date, int], ...] = ()
    office: str | None = None
    """The one office this report is limited to (None: everything logged)."""
    per_office: tuple[OfficeFigures, ...] = ()
    """Figures per configured office (a province's whole report only), then rows with no office."""

    @property
    def questions(self) -> int:
        """Typed questions the matcher decided on (answered, suggested or not answered)."""
        return sum(self.kinds.get(k, 0) for k in QUESTION_KINDS)

    @property
    def acceptance(self) -> float | None:
        """Share of suggestion lists where the citizen picked one (None when none were offered)."""
        if not self.suggestions_offered:
            return None
        return self.suggestions_accepted / self.suggestions_offered

    def share(self, kind: str) -> float | None:
        """Share of typed questions with this outcome (None when there were no questions)."""
        return self.kinds.get(kind, 0) / self.questions if self.questions else None


def build_report(
    rows: Iterable[Interaction],
    book: FaqBook | None,
    since: float,
    *,
    now: float | None = None,
    tz: dt.tzinfo | None = None,
    office: str | None = None,
    offices: Sequence[str] = (),
    answers: Callable[[str], str | None] | None = None,
) -> Report:
    """Aggregate log rows (already limited to the period, and to `office` when given) against the
    current FAQ; `offices`: a province's office ids, for one line each; `answers`: the title of the
    entry the current FAQ answers a question with, if any (marks unanswered questions fixed since)."""
    rows = list(rows)
    zone = tz or office_timezone()
    until = now if now is not None else max((r.at for r in rows), default=since)
    kinds = Counter(r.kind for r in rows)
    opened: Counter[str] = Counter()
    declined: Counter[str] = Counter()
    reached: set[str] = set()
    votes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    asked: dict[str, Counter[str]] = defaultdict(Counter)
    """Questions behind declined topics and behind 👎, per entry."""
    last_question: dict[tuple[str, str], str] = {}
    for r in rows:
        if not r.entry_id:
            continue
        if r.question.strip() and r.kind in ("answer", "declined", *PICK_KINDS, "facet"):
            last_question[(r.user_hash, r.entry_id)] = r.question
        if r.kind == "declined" and r.question.strip():
            asked[r.entry_id][r.question] += 1
        if r.kind == "feedback:down" and (r.user_hash, r.entry_id) in last_question:
            asked[r.entry_id][last_question[(r.user_hash, r.entry_id)]] += 1
        if r.kind in OPEN_KINDS and not _small_talk(book, r.entry_id):
            opened[r.entry_id] += 1
        if r.kind == "declined":
            declined[r.entry_id] += 1
        # A procedure an office leaves to another body was asked for, though not answered here.
        if r.kind in REACHED_KINDS or r.kind == "declined":
            reached.add(r.entry_id)
        if r.kind in ("feedback:up", "feedback:down"):
            votes[r.entry_id][r.kind == "feedback:down"] += 1

    def title(entry_id: str) -> str:
        entry = book.entry(entry_id) if book is not None else None
        return entry.title if entry is not None else entry_id

    def examples(entry_id: str) -> tuple[str, ...]:
        return tuple(q for q, _ in asked[entry_id].most_common(MAX_EXAMPLES))

    feedback = sorted(
        (
            EntryFeedback(eid, title(eid), up, down, examples(eid) if down else ())
            for eid, (up, down) in votes.items()
        ),
        key=lambda f: (-f.down, -(f.up + f.down), f.entry_id),
    )
    never = tuple(
        EntryCount(e.id, e.title, 0)
        for e in (book.entries if book is not None else ())
        if e.is_procedure and e.id not in reached
    )
    days = Counter(dt.datetime.fromtimestamp(r.at, zone).date() for r in rows)
    normalizer = Normalizer.for_pairs(book.synonyms) if book is not None else Normalizer()
    return Report(
        since=since,
        until=until,
        tz=zone,
        total=len(rows),
        users=len({r.user_hash for r in rows}),
        kinds=dict(kinds),
        unanswered=_marked(
            group_unanswered(
                [r.question for r in rows if r.kind == "none" and r.question.strip()], normalizer
            ),
            answers,
        ),
        declined=tuple(replace(e, examples=examples(e.entry_id)) for e in _most_first(declined, title)),
        suggestions_offered=kinds.get("suggest", 0),
        suggestions_accepted=kinds.get("suggest:accepted", 0),
        top_entries=_most_first(opened, title),
        feedback=tuple(feedback),
        never_reached=never,
        per_channel=tuple(sorted(Counter(r.channel for r in rows).items(), key=lambda kv: (-kv[1], kv[0]))),
        per_day=tuple(sorted(days.items())),
        office=office,
        per_office=office_figures(rows, offices) if offices and office is None else (),
    )


def office_figures(rows: Sequence[Interaction], offices: Sequence[str]) -> tuple[OfficeFigures, ...]:
    """Asked / answered / unanswered per office in config order, then rows with no known office."""
    counts: dict[str | None, Counter[str]] = defaultdict(Counter)
    for r in rows:
        if r.kind in QUESTION_KINDS:
            counts[r.office][r.kind] += 1
    keys: list[str | None] = [*offices, *sorted(o for o in counts if o is not None and o not in offices)]
    if counts.get(None):
        keys.append(None)
    return tuple(
        OfficeFigures(o, sum(counts[o].values()), counts[o]["answer"], counts[o]["none"]) for o in keys
    )


def _most_first(counts: Counter[str], title: Callable[[str], str]) -> tuple[EntryCount, ...]:
    return tuple(
        EntryCount(eid, title(eid), n) for eid, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )


def answered_titles(matcher: Matcher) -> Callable[[str], str | None]:
    """What `matcher` answers a question with, as the title of a procedure (None: no answer)."""

    def answers(question: str) -> str | None:
        result = matcher.match(question)
        entry = result.entry if result.kind is Kind.ANSWER else None
        return entry.title if entry is not None and entry.is_procedure else None

    return answers


def _marked(
    groups: tuple[UnansweredGroup, ...], answers: Callable[[str], str | None] | None
) -> tuple[UnansweredGroup, ...]:
    """Groups whose question the current FAQ now answers carry that entry's title."""
    if answers is None:
        return groups
    # The most asked only: what a report shows, and each look may ask the sentence model.
    head = tuple(replace(g, now_answered=answers(g.label) or "") for g in groups[:MARKED_GROUPS])
    return head + groups[MARKED_GROUPS:]


def _small_talk(book: FaqBook | None, entry_id: str) -> bool:
    entry = book.entry(entry_id) if book is not None else None
    return entry is not None and entry.is_small_talk


def printable(text: str) -> str:
    """Citizen text safe to print or put in a CSV: escape sequences dropped, control characters as spaces."""
    return _CONTROL.sub(" ", _ESCAPE_SEQUENCE.sub("", text))


def comparable(question: str, normalizer: Normalizer) -> str:
    """The form questions are grouped by: masks dropped, normalised, fillers off, accents off."""
    return fold_accents(normalizer.strip_fillers(_MASKS.sub(" ", question)))


def group_unanswered(
    questions: Sequence[str], normalizer: Normalizer | None = None
) -> tuple[UnansweredGroup, ...]:
    """Greedy clustering of similar questions, biggest group first."""
    normalizer = normalizer or Normalizer()
    wordings: dict[str, Counter[str]] = defaultdict(Counter)
    for q in questions:
        text = " ".join(printable(q).split())
        wordings[comparable(text, normalizer) or text.lower()][text] += 1
    # The most frequent forms found the groups; rarer ones join the closest founder.
    forms = sorted(wordings, key=lambda f: -sum(wordings[f].values()))
    founders: list[str] = []
    founders_sorted: list[str] = []
    members: list[Counter[str]] = []
    for form in forms:
        # token_sort_ratio is a plain ratio over sorted tokens: presorting lets one C call
        # shortlist the founders; token_set_ratio then runs only on that shortlist.
        form_sorted = " ".join(sorted(form.split()))
        best: tuple[float, float, int] | None = None
        for _, sort_score, i in process.extract(
            form_sorted, founders_sorted, scorer=fuzz.ratio, score_cutoff=GROUP_SORT_CUTOFF, limit=None
        ):
            set_score = fuzz.token_set_ratio(form, founders[i])
            if set_score >= GROUP_SET_CUTOFF and (best is None or (set_score, sort_score) > best[:2]):
                best = (set_score, sort_score, i)
        if best is None:
            founders.append(form)
            founders_sorted.append(form_sorted)
            members.append(Counter(wordings[form]))
        else:
            members[best[2]].update(wordings[form])
    groups = []
    for counter in members:
        # Most frequent first; on a tie the accented, shorter wording reads best for staff.
        ranked = sorted(counter, key=lambda t: (-counter[t], not has_accents(t), len(t), t))
        groups.append(UnansweredGroup(ranked[0], sum(counter.values()), tuple(ranked[:MAX_EXAMPLES])))
    groups.sort(key=lambda g: (-g.count, g.label))
    return tuple(groups)


# -- formatting -------------------------------------------------------------------------------


def _num(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _pct(part: float | None) -> str:
    return "—" if part is None else f"{part * 100:.1f}".replace(".", ",") + "%"


def _day(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def _moment(report: Report, at: float) -> str:
    return dt.datetime.fromtimestamp(at, report.tz).strftime("%H:%M %d/%m/%Y")


def channel_name(channel: str) -> str:
    """How staff call a channel."""
    return CHANNEL_NAMES.get(channel, channel)


def _period(report: Report) -> str:
    return f"từ {_moment(report, report.since)} đến {_moment(report, report.until)}"


def _office_lines(report: Report) -> list[str]:
    if not report.per_office:
        return []
    out = ["", "THEO ĐƠN VỊ (XÃ/PHƯỜNG): câu hỏi / trả lời ngay / chưa trả lời được"]
    for f in report.per_office:
        name = f.office if f.office is not None else "chưa rõ đơn vị (người dân chưa chọn xã/phường)"
        out.append(f"- {name}: {_num(f.asked)} / {_num(f.answered)} / {_num(f.unanswered)}")
    return out


def _title_office(report: Report) -> str:
    return f" — ĐƠN VỊ {report.office}" if report.office is not None else ""


def _summary_lines(report: Report) -> list[str]:
    k = report.kinds
    return [
        f"Tổng số lượt trao đổi: {_num(report.total)}, từ {_num(report.users)} người dùng.",
        f"Số câu hỏi người dân gửi: {_num(report.questions)}, trong đó:",
        f"  • trả lời ngay: {_num(k.get('answer', 0))} ({_pct(report.share('answer'))})",
        f"  • đưa ra gợi ý: {_num(k.get('suggest', 0))} ({_pct(report.share('suggest'))})",
        f"  • ngoài phạm vi, đã chỉ nơi giải quyết: {_num(k.get('declined', 0))} "
        f"({_pct(report.share('declined'))})",
        f"  • chưa trả lời được: {_num(k.get('none', 0))} ({_pct(report.share('none'))})",
    ]


def _suggestion_line(report: Report) -> str:
    if not report.suggestions_offered:
        return "Gợi ý: chưa lần nào phải đưa ra gợi ý."
    return (
        f"Gợi ý: đưa ra {_num(report.suggestions_offered)} lần, người dân chọn một gợi ý "
        f"{_num(report.suggestions_accepted)} lần ({_pct(report.acceptance)})."
    )


def _group_lines(groups: Sequence[UnansweredGroup], examples: int = MAX_EXAMPLES) -> list[str]:
    lines = []
    for i, g in enumerate(groups, 1):
        fixed = f" (nay đã được trả lời bằng mục «{g.now_answered}»)" if g.now_answered else ""
        lines.append(f"{i}. «{g.label}» — {_num(g.count)} lượt{fixed}")
        others = [e for e in g.examples if e != g.label][: max(examples - 1, 0)]
        if others:
            lines.append("   Cách hỏi khác: " + "; ".join(f"«{e}»" for e in others))
    return lines


def _entry_lines(entries: Sequence[EntryCount], top: int) -> list[str]:
    lines = []
    for i, e in enumerate(entries[:top], 1):
        lines.append(f"{i}. {e.title} ({e.entry_id}): {_num(e.count)} lượt")
        if e.examples:
            lines.append("   Người dân hỏi: " + "; ".join(f"«{q}»" for q in e.examples))
    return lines


def format_text(report: Report, *, top: int = 20) -> str:
    """The full report for staff, in Vietnamese."""
    out = [f"BÁO CÁO HỎI ĐÁP{_title_office(report)} {_period(report)}", ""]
    if not report.total:
        out.append("Chưa có dữ liệu trong khoảng thời gian này: chưa có lượt trao đổi nào được ghi lại.")
        return "\n".join(out)
    out += _summary_lines(report)
    out += _office_lines(report)
    out += ["", _suggestion_line(report), ""]
    out.append("CÂU HỎI CHƯA TRẢ LỜI ĐƯỢC (gộp theo nội dung gần giống nhau)")
    if report.unanswered:
        out += _group_lines(report.unanswered[:top])
        if len(report.unanswered) > top:
            out.append(f"… và {_num(len(report.unanswered) - top)} nhóm câu hỏi khác.")
    else:
        out.append("Không có câu hỏi nào bị bỏ lỡ.")
    if report.declined:
        out += ["", "VIỆC NGOÀI PHẠM VI NGƯỜI DÂN HỎI (bot đã chỉ nơi giải quyết)"]
        out += _entry_lines(report.declined, top)
    out += ["", "MỤC ĐƯỢC HỎI NHIỀU NHẤT"]
    out += _entry_lines(report.top_entries, top)
    if not report.top_entries:
        out.append("Chưa mục nào được mở.")
    out += ["", "ĐÁNH GIÁ CỦA NGƯỜI DÂN (👍 hữu ích / 👎 chưa hữu ích)"]
    for f in report.feedback:
        out.append(f"- {f.title} ({f.entry_id}): 👍 {_num(f.up)}, 👎 {_num(f.down)}")
        if f.disliked:
            out.append("   Câu hỏi có câu trả lời bị chê: " + "; ".join(f"«{q}»" for q in f.disliked))
    if not report.feedback:
        out.append("Chưa có đánh giá nào.")
    out += ["", f"MỤC CHƯA AI HỎI TỚI ({_num(len(report.never_reached))})"]
    out += [f"- {e.title} ({e.entry_id})" for e in report.never_reached]
    if not report.never_reached:
        out.append("Mục nào cũng đã có người hỏi.")
    out += ["", "THEO KÊNH"]
    out += [f"- {channel_name(c)}: {_num(n)}" for c, n in report.per_channel]
    out += ["", "THEO NGÀY"]
    out += [f"- {_day(d)}: {_num(n)}" for d, n in report.per_day]
    return "\n".join(out)


def format_csv(report: Report) -> str:
    """One CSV table; its "phần" column says which part a row belongs to (see CSV_SECTION_NAMES)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    summary: list[tuple[str, object]] = [
        ("since", dt.datetime.fromtimestamp(report.since, report.tz).isoformat(timespec="seconds")),
        ("until", dt.datetime.fromtimestamp(report.until, report.tz).isoformat(timespec="seconds")),
        ("rows", report.total),
        ("users", report.users),
        ("questions", report.questions),
        *((k, report.kinds.get(k, 0)) for k in QUESTION_KINDS),
        ("suggestions_offered", report.suggestions_offered),
        ("suggestions_accepted", report.suggestions_accepted),
        ("acceptance_ratio", "" if report.acceptance is None else f"{report.acceptance:.4f}"),
    ]

    def put(
        part: str, key: object, label: str, value: object, up: object = "", down: object = "", ex: str = ""
    ) -> None:
        w.writerow((CSV_SECTION_NAMES[part], key, label, value, up, down, ex))

    for key, value in summary:
        put("summary", CSV_SUMMARY_NAMES[key], "", value)
    for i, g in enumerate(report.unanswered, 1):
        fixed = [f"nay đã trả lời bằng: {g.now_answered}"] if g.now_answered else []
        put("unanswered", i, g.label, g.count, ex=" | ".join([*fixed, *g.examples]))
    for e in report.declined:
        put("declined", e.entry_id, e.title, e.count, ex=" | ".join(e.examples))
    for e in report.top_entries:
        put("entry", e.entry_id, e.title, e.count)
    for f in report.feedback:
        put("feedback", f.entry_id, f.title, f.up + f.down, f.up, f.down, " | ".join(f.disliked))
    for e in report.never_reached:
        put("never_reached", e.entry_id, e.title, 0)
    for c, n in report.per_channel:
        put("channel", c, channel_name(c), n)
    for d, n in report.per_day:
        put("day", d.isoformat(), _day(d), n)
    for o in report.per_office:
        # số: questions asked; tốt: answered at once; chưa tốt: not answered (like 👍/👎, good then bad).
        put("office", o.office or "", "", o.asked, o.answered, o.unanswered)
    return buf.getvalue()


def format_stats(report: Report, *, top: int = 5) -> str:
    """Short figures for the admin /stats command."""
    if not report.total:
        return f"Chưa có dữ liệu {_period(report)}."
    out = [f"Thống kê {_period(report)}:", *_summary_lines(report), _suggestion_line(report)]
    if report.top_entries:
        out += ["", "Mục được hỏi nhiều nhất:"]
        out += [f"{i}. {e.title}: {_num(e.count)} lượt" for i, e in enumerate(report.top_entries[:top], 1)]
    if report.per_channel:
        out += ["", "Theo kênh: " + "; ".join(f"{channel_name(c)} {_num(n)}" for c, n in report.per_channel)]
    return "\n".join(out)


def format_unanswered(report: Report, *, top: int = 10) -> str:
    """The most frequent unanswered question groups, for the admin /unanswered command."""
    if not report.unanswered:
        return f"Không có câu hỏi nào chưa trả lời được {_period(report)}."
    out = [f"Câu hỏi chưa trả lời được {_period(report)} (gộp theo nội dung gần giống nhau):"]
    out += _group_lines(report.unanswered[:top])
    if len(report.unanswered) > top:
        out.append(f"… và {_num(len(report.unanswered) - top)} nhóm khác (xem đủ bằng lệnh faqbot report).")
    return "\n".join(out)


def format_digest(report: Report, *, limit: int = DIGEST_LIMIT) -> str:
    """The weekly digest for the admin chat: the same figures, shorter, within `limit` characters."""
    where = f" — đơn vị {report.office}" if report.office is not None else ""
    if not report.total:
        return f"Bản tin tuần{where}: chưa có dữ liệu {_period(report)}."
    out = [f"Bản tin tuần{where} {_period(report)}", *_summary_lines(report)]
    out += [*_office_lines(report)[1:], _suggestion_line(report)]
    if report.unanswered:
        out += ["", "Hỏi nhiều mà chưa trả lời được:", *_group_lines(report.unanswered[:5], examples=1)]
    disliked = [f for f in report.feedback if f.down][:3]
    if disliked:
        out += ["", "Mục bị đánh giá 👎 nhiều nhất:"]
        out += [f"- {f.title}: 👎 {_num(f.down)}, 👍 {_num(f.up)}" for f in disliked]
    if report.never_reached:
        names = ", ".join(e.title for e in report.never_reached[:5])
        more = " …" if len(report.never_reached) > 5 else ""
        out += ["", f"Mục chưa ai hỏi tới ({_num(len(report.never_reached))}): {names}{more}"]
    out += ["", "Theo kênh: " + "; ".join(f"{channel_name(c)} {_num(n)}" for c, n in report.per_channel)]
    text = "\n".join(out)
    if len(text) > limit:
        text = text[: limit - 2].rsplit("\n", 1)[0] + "\n…"
    return text
