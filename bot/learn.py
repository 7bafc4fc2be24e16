"""The bot learns from its office: confirmed phrasings from the interaction log, reviewed by staff,
written back into the FAQ file (issue 17, first slice).

Candidates (pure, `find_candidates`): a question whose suggestion the citizen picked (and did not
then press 👎), a question answered that got 👍 — each a new phrasing for that entry; and groups of
unanswered questions (grouped as `faqbot report` does) for staff to attach to an entry. Only masked
text is used: the log stores masked questions, and masking is applied again here.

Write-back (`FaqFile.add_phrasing`): the edited text (faq.writeback, only new lines) must pass the
loader and add no lint warning (a phrasing that makes another entry's question match it is refused
with lint's reason); the file must not have changed since it was read; it is replaced atomically,
and each change is one line of an audit log next to the FAQ.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.report import PICK_KINDS, QUESTION_KINDS, comparable, group_unanswered, printable
from bot.storage import Interaction
from faq.decision import MatchSettings
from faq.lint import lint
from faq.loader import Problem, check_faq
from faq.matcher import QUESTION_BUDGET, Matcher
from faq.normalize import Normalizer, has_accents
from faq.reading import read
from faq.schema import FaqBook
from faq.writeback import NewEntry, WriteBackError, add_entry, add_questions
from handlers import payloads
from handlers.privacy import MASKS, mask_personal_data

MAX_PHRASING_CHARS = 150
"""Longer questions (letters with a story) are not offered as phrasings: staff copy the asking
sentence by hand when they want it."""
MIN_PHRASING_WORDS = 2
MAX_EXAMPLES = 3
AUDIT_SUFFIX = ".audit.jsonl"
REJECTED_SUFFIX = ".learn-rejected.json"
_MASKS = re.compile("|".join(re.escape(m) for m in MASKS))
_TRAILING = " ?!.,;:…"
_LINE_REF = re.compile(r"\bdòng \d+")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A phrasing the office may add to the FAQ, with what citizens did to earn it."""

    entry_id: str | None
    """The entry it would join; None: no entry answered it (staff choose one, or write a new one)."""
    phrasing: str
    key: str
    """The normalised form compared with the FAQ's questions and with earlier rejections."""
    citizens: int
    """Distinct citizens behind it (for unanswered groups: how many times it was asked)."""
    picks: int = 0
    """Times a citizen picked this entry among the suggestions for this question."""
    thumbs_up: int = 0
    """Times a citizen pressed 👍 under the answer to this question."""
    examples: tuple[str, ...] = ()
    """Up to three wordings, most frequent first (the phrasing among them)."""

    @property
    def is_new(self) -> bool:
        """True for an unanswered group (no entry to join yet)."""
        return self.entry_id is None


@dataclass(slots=True)
class _Confirmation:
    user: str
    question: str
    entry_id: str
    picked: bool
    up: bool = False
    down: bool = False

    @property
    def counts(self) -> bool:
        return not self.down and (self.picked or self.up)


def clean_phrasing(text: str) -> str | None:
    """A logged question as a FAQ phrasing: masked again, masks dropped, one line; None when unfit."""
    if not text or payloads.decode(text) is not None:
        return None  # a button's payload logged in place of a question
    masked = " ".join(printable(mask_personal_data(text)).split())
    if len(" ".join(_MASKS.sub(" ", masked).split())) > MAX_PHRASING_CHARS:
        return None  # a letter: see asking_phrasing
    plain = " ".join(_MASKS.sub(" ", _asking_clauses(masked)).split())
    plain = unicodedata.normalize("NFC", plain).strip(_TRAILING)
    if len(plain.split()) < MIN_PHRASING_WORDS:
        return None
    return plain


def _asking_clauses(masked: str) -> str:
    """The clauses of a masked question that say no personal data, when some do and some do not:
    "tôi là [tên], nhà ở [địa chỉ], số cccd [số giấy tờ], hỏi trợ cấp thất nghiệp" is offered as "hỏi trợ
    cấp thất nghiệp", not "tôi là , nhà ở , số cccd , hỏi trợ cấp thất nghiệp". A greeting before the
    question ("chào ad, cho em hỏi …") is set aside as the matcher sets it aside."""
    one_sentence = not re.search(r"[.?!…]\s+\S", masked.strip())
    # A letter keeps its own way to the asking sentence (asking_phrasing).
    asked = (
        read(masked, MatchSettings().max_input_chars, QUESTION_BUDGET).question if one_sentence else ""
    ) or masked
    clauses = [c for c in re.split(r"(?<=[,;.?!])\s+", asked) if c.strip(" ,;")]
    kept = [c for c in clauses if not _MASKS.search(c)]
    if kept and len(kept) < len(clauses):
        return " ".join(kept)
    return asked


def asking_phrasing(question: str) -> str:
    """`clean_phrasing`, or for a long letter its last asking sentence (cut at a word): never empty."""
    cleaned = clean_phrasing(question)
    if cleaned is not None:
        return cleaned
    plain = " ".join(printable(_MASKS.sub(" ", mask_personal_data(question))).split())
    plain = unicodedata.normalize("NFC", plain).strip(_TRAILING)
    asked = [s.strip() for s in re.split(r"(?<=[.?!…])\s+", plain) if s.strip().endswith("?")]
    text = asked[-1] if asked else plain
    if len(text) > MAX_PHRASING_CHARS:
        text = text[:MAX_PHRASING_CHARS].rsplit(" ", 1)[0]
    return text.strip(_TRAILING) or "câu hỏi mới"


def known_forms(book: FaqBook, normalizer: Normalizer) -> set[str]:
    """Normalised titles, questions and keywords of every entry: what the FAQ already says."""
    return {
        comparable(text, normalizer)
        for entry in book.entries
        for text in (entry.title, *entry.questions, *entry.keywords)
    }


def _confirmations(rows: Iterable[Interaction]) -> list[_Confirmation]:
    """Questions followed, in the same conversation, by a pick of a suggestion or a 👍."""
    last: dict[tuple[str, str], Interaction | None] = {}
    pending: dict[tuple[str, str], dict[str, _Confirmation]] = defaultdict(dict)
    found: list[_Confirmation] = []
    latest: dict[tuple[str, str], _Confirmation] = {}
    for row in rows:
        conv = (row.channel, row.user_hash)
        if row.kind in QUESTION_KINDS:
            last[conv] = row
            if row.kind == "answer" and row.entry_id:
                c = _Confirmation(row.user_hash, row.question, row.entry_id, picked=False)
                pending[conv][row.entry_id] = c
                latest[conv] = c
                found.append(c)
        elif row.kind == "follow-up":
            last[conv] = None  # a choice offered beside a follow-up's answer: asked of the follow-up
        elif row.kind in PICK_KINDS and row.entry_id:
            asked = last.get(conv)
            if asked is None or asked.kind not in ("suggest", "answer"):
                continue  # a pick from an older list: which question it answers is unknown
            if asked.kind == "answer" and asked.entry_id == row.entry_id:
                continue  # the answer given, opened again
            last[conv] = None  # a second pick from the same list is not a confirmation
            answered = pending[conv].get(asked.entry_id or "") if asked.kind == "answer" else None
            if answered is not None:
                # The runner-up beside an answer was chosen: the answer was not what was asked.
                answered.down = True
            c = _Confirmation(row.user_hash, asked.question, row.entry_id, picked=True)
            pending[conv][row.entry_id] = c
            latest[conv] = c
            found.append(c)
        elif row.kind == "wrong" and conv in latest:
            latest.pop(conv).down = True  # "sai rồi" typed right after: as a 👎 of that reply
        elif row.kind in ("feedback:up", "feedback:down") and row.entry_id:
            pressed = pending[conv].get(row.entry_id)
            if pressed is not None:
                if row.kind == "feedback:up":
                    pressed.up = True
                else:
                    pressed.down = True
    return found


def _best_wording(counter: Counter[str]) -> list[str]:
    # Most frequent first; on a tie the accented, lower-case, shorter wording fits the FAQ best.
    return sorted(counter, key=lambda t: (-counter[t], not has_accents(t), t != t.lower(), len(t), t))


def find_candidates(
    rows: Iterable[Interaction],
    book: FaqBook,
    rejected: Rejections,
    *,
    min_citizens: int = 1,
    matcher: Matcher | None = None,
) -> tuple[Candidate, ...]:
    """Phrasings worth a staff review, confirmed ones first (most citizens first), then unanswered groups.

    With a matcher, phrasings that mean nothing on their own are left out: a follow-up that only asks
    a part ("còn lệ phí thì sao?", answered from the context), only politeness, or names no procedure
    ("thủ tục thế nào": the bot asks which).
    """
    rows = list(rows)
    normalizer = Normalizer.for_pairs(book.synonyms)
    known = known_forms(book, normalizer)

    def alone(phrasing: str) -> bool:
        if matcher is None:
            return True
        result = matcher.match(phrasing)
        return not (result.facet_only or result.preamble_only or result.names_nothing)

    groups: dict[tuple[str, str], list[tuple[_Confirmation, str]]] = defaultdict(list)
    found = _confirmations(rows)
    # An answer disliked and never corrected by a pick: the question is as good as unanswered.
    corrected = {(c.user, c.question) for c in found if c.picked}
    disliked = [c.question for c in found if c.down and (c.user, c.question) not in corrected]
    for c in (c for c in found if c.counts):
        entry = book.entry(c.entry_id)
        phrasing = clean_phrasing(c.question)
        if entry is None or entry.is_out_of_scope or phrasing is None:
            continue
        key = comparable(phrasing, normalizer)
        if key and key not in known and not rejected.has(c.entry_id, key) and alone(phrasing):
            groups[(c.entry_id, key)].append((c, phrasing))
    confirmed: list[Candidate] = []
    for (entry_id, key), members in groups.items():
        citizens = len({c.user for c, _ in members})
        if citizens < min_citizens:
            continue
        wordings = _best_wording(Counter(p for _, p in members))
        confirmed.append(
            Candidate(
                entry_id=entry_id,
                phrasing=wordings[0],
                key=key,
                citizens=citizens,
                picks=sum(c.picked for c, _ in members),
                thumbs_up=sum(c.up for c, _ in members),
                examples=tuple(wordings[:MAX_EXAMPLES]),
            )
        )
    confirmed.sort(key=lambda c: (-c.citizens, -(c.picks + c.thumbs_up), c.entry_id or "", c.phrasing))
    asked = [r.question for r in rows if r.kind == "none"] + disliked
    unanswered = [p for q in asked if (p := clean_phrasing(q)) is not None]
    new: list[Candidate] = []
    for group in group_unanswered(unanswered, normalizer):
        key = comparable(group.label, normalizer)
        if not key or key in known or rejected.has(None, key) or group.count < min_citizens:
            continue
        if not alone(group.label):
            continue
        new.append(Candidate(None, group.label, key, group.count, examples=group.examples))
    return (*confirmed, *new)


# -- rejections ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Rejections:
    """Phrasings staff rejected, per entry ("" for unanswered groups): never offered again."""

    items: list[dict[str, str]] = field(default_factory=list)

    def has(self, entry_id: str | None, key: str) -> bool:
        """Whether this phrasing was rejected for this entry (None: as a new entry)."""
        return any(i.get("entry", "") == (entry_id or "") and i.get("key") == key for i in self.items)

    def add(self, candidate: Candidate, by: str, at: str) -> None:
        """Remember a rejection."""
        self.items.append(
            {
                "entry": candidate.entry_id or "",
                "key": candidate.key,
                "text": candidate.phrasing,
                "by": by,
                "at": at,
            }
        )


class LearnFileError(Exception):
    """A file of `faqbot learn` cannot be used; the message says which and what to do (Vietnamese)."""


def rejected_path(log_path: Path) -> Path:
    """Where rejections are remembered: next to the interaction log."""
    return log_path.with_name(log_path.stem + REJECTED_SUFFIX)


def audit_path(faq_path: Path) -> Path:
    """The audit log of FAQ changes made by `faqbot learn`: next to the FAQ."""
    return faq_path.with_name(faq_path.stem + AUDIT_SUFFIX)


def load_rejections(path: Path) -> Rejections:
    """The rejections remembered in `path` (none when the file does not exist yet)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Rejections()
    except (ValueError, UnicodeDecodeError):
        raise LearnFileError(
            f"tệp {path} (các cách hỏi đã từ chối) bị hỏng — hãy sửa lại hoặc xóa nó "
            "(xóa thì các cách hỏi đã từ chối sẽ được hỏi lại)."
        ) from None
    items = data.get("rejected") if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise LearnFileError(f"tệp {path} (các cách hỏi đã từ chối) không đúng định dạng — hãy xóa nó.")
    return Rejections([{str(k): str(v) for k, v in i.items()} for i in items])


def save_rejections(path: Path, rejections: Rejections) -> None:
    """Write the rejections atomically, readable by the owner only (they quote citizens' wording)."""
    text = json.dumps({"version": 1, "rejected": rejections.items}, ensure_ascii=False, indent=1) + "\n"
    _replace(path, text.encode("utf-8"), mode=0o600)


def append_audit(path: Path, record: dict[str, object]) -> None:
    """Append one JSON line to the audit log."""
    with open(path, "a", encoding="utf-8", newline="\n") as out:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _replace(path: Path, data: bytes, *, mode: int) -> None:
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


# -- write-back ---------------------------------------------------------------------------------


class Refused(Exception):
    """The phrasing was not written; `reasons` say why, in Vietnamese."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("\n".join(reasons))
        self.reasons = reasons


class ConcurrentEdit(Exception):
    """The FAQ file changed on disk since it was read: nothing was written."""


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _lint_key(problem: Problem) -> str:
    # Line numbers move when a line is added: compare what is said, not where.
    return _LINE_REF.sub("dòng …", problem.message)


def _lint(book: FaqBook, settings: MatchSettings) -> tuple[Problem, ...]:
    return lint(book, Matcher(book, settings))


@dataclass(slots=True)
class FaqFile:
    """The FAQ file as read: its bytes, their hash and the book they make."""

    path: Path
    data: bytes
    book: FaqBook
    settings: MatchSettings = field(default_factory=MatchSettings)
    _lint: Counter[str] | None = None

    @classmethod
    def read(cls, path: Path, settings: MatchSettings | None = None) -> FaqFile:
        """Read and check the file; LearnFileError listing the errors when the bot cannot use it."""
        data = path.read_bytes()
        report = check_faq(path)
        if report.book is None or not report.ok:
            lines = "\n".join(str(p) for p in report.errors)
            raise LearnFileError(f"tệp hỏi đáp đang có lỗi, hãy sửa trước rồi chạy lại:\n{lines}")
        if _digest(path.read_bytes()) != _digest(data):
            raise ConcurrentEdit()
        return cls(path, data, report.book, settings or MatchSettings())

    @property
    def sha256(self) -> str:
        """The hash of the bytes this object was read from (or wrote)."""
        return _digest(self.data)

    def lint_messages(self) -> Counter[str]:
        """The lint warnings of the file as read, without their line numbers (computed once)."""
        if self._lint is None:
            self._lint = Counter(_lint_key(p) for p in _lint(self.book, self.settings))
        return self._lint

    def add_phrasing(self, entry_id: str, phrasing: str) -> FaqFile:
        """Write the file with `phrasing` added to the entry; the new state, or Refused / ConcurrentEdit."""
        try:
            text = add_questions(self.data.decode("utf-8"), entry_id, [phrasing])
        except (WriteBackError, UnicodeDecodeError) as exc:
            raise Refused([str(exc)]) from None
        return self._write(text)

    def add_entry(self, entry: NewEntry) -> FaqFile:
        """Write the file with a new entry after the last one; the new state, or Refused / ConcurrentEdit."""
        try:
            text = add_entry(self.data.decode("utf-8"), entry)
        except (WriteBackError, UnicodeDecodeError) as exc:
            raise Refused([str(exc)]) from None
        return self._write(text)

    def _write(self, text: str) -> FaqFile:
        """Check the edited text (loader, no new lint warning, file unchanged) and replace the file."""
        data = text.encode("utf-8")
        fd, name = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        temp = Path(name)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            report = check_faq(temp)
            if report.book is None or not report.ok:
                raise Refused([_relocated(p, temp, self.path) for p in report.errors])
            before = Counter(self.lint_messages())
            problems = _lint(report.book, self.settings)
            added = []
            for problem in problems:
                if before[_lint_key(problem)] > 0:
                    before[_lint_key(problem)] -= 1
                else:
                    added.append(_relocated(problem, temp, self.path))
            if added:
                raise Refused(added)
            if _digest(self.path.read_bytes()) != self.sha256:
                raise ConcurrentEdit()
            os.chmod(temp, self.path.stat().st_mode & 0o7777)
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
        return FaqFile(self.path, data, report.book, self.settings, Counter(_lint_key(p) for p in problems))


def _relocated(problem: Problem, temp: Path, real: Path) -> str:
    return str(problem).replace(str(temp), str(real))


def now_iso(tz: dt.tzinfo | None = None) -> str:
    """The current time as ISO 8601 with its offset (for the audit log and rejections)."""
    return dt.datetime.now(tz or dt.UTC).isoformat(timespec="seconds")
