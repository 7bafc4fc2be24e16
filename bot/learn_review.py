"""Staff review of learning candidates from a chat group (issue 17): one message per candidate, taps.

Transport-neutral: `ReviewDesk.batch()` gives the messages to post (neutral `Reply`s with buttons)
and `ReviewDesk.tap()` acts on a pressed button and gives the message's new content. The Telegram
side (bot/channels/telegram_review.py) only renders, sends and edits.

Button data stays within Telegram's 64 bytes: `L:<verb>:<id>[:<n>]`, where `id` is a short hash
whose candidate (or draft) is kept in the state store, so any bot process can act on a tap. Accepted
content goes through the same write-back as `faqbot learn` (bot.learn.FaqFile: loader and lint gate,
concurrent-edit detection) and into the same audit log, under the staff member's Telegram name and
id; rejections join the same remembered list.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bot.config import LearningConfig
from bot.learn import (
    Candidate,
    ConcurrentEdit,
    FaqFile,
    LearnFileError,
    Refused,
    append_audit,
    asking_phrasing,
    audit_path,
    find_candidates,
    known_forms,
    load_rejections,
    now_iso,
    save_rejections,
)
from bot.oserrors import describe_os_error
from bot.storage import InteractionLog
from faq.decision import MatchSettings
from faq.knowledge import KnowledgeSource
from faq.normalize import Normalizer, fold_accents
from faq.schema import BUILT_IN_CATEGORIES, FaqBook
from faq.writeback import NewEntry
from handlers.messages import Button, Reply
from handlers.privacy import MASKS, mask_personal_data
from handlers.store import StateStore

log = logging.getLogger(__name__)

PREFIX = "L:"
RECORD_TTL = 30 * 86400.0
"""How long a posted candidate or draft can still be acted on."""
MAX_CHOICES = 5
TITLE_IN_LABEL = 40
MAX_TITLE = 100
_DATA = re.compile(r"L:([amtbrdsx]):([0-9a-f]{10})(?::([0-9]))?")
_MASK = re.compile("|".join(re.escape(m) for m in MASKS))

NO_FILE = (
    "Dạ, bot đang dùng tệp hỏi đáp đi kèm chương trình nên không thêm được cách hỏi mới. Hãy chép tệp đó "
    "ra thư mục của cơ quan và đặt faq.path trong cấu hình trỏ tới bản chép."
)
NO_LOG = "Dạ, nhật ký hỏi đáp chưa được bật (mục storage trong cấu hình) nên chưa có cách hỏi nào để duyệt."
NOTHING = "Dạ, hiện không có cách hỏi mới nào cần duyệt."
ADMINS_ONLY = "Chỉ cán bộ quản trị (admin) của bot mới duyệt được nội dung này."
DONE_ALREADY = "Nội dung này đã được xử lý rồi."
EXPIRED = "Đề xuất này đã hết hạn; anh/chị gõ /hoc để xem danh sách mới."
CONCURRENT = (
    "⚠️ Tệp hỏi đáp vừa được sửa ở nơi khác trong lúc kiểm tra nên chưa ghi (để không mất phần sửa kia). "
    "Anh/chị bấm lại nút để thử lại."
)


@dataclass(frozen=True, slots=True)
class Staff:
    """Who tapped: as named in the audit log and in the edited message."""

    name: str
    user_id: str
    is_admin: bool

    def __str__(self) -> str:
        return f"{self.name} (Telegram {self.user_id})"


@dataclass(frozen=True, slots=True)
class Tap:
    """What a tap did: the message's new content (None: leave it), and a short notice for the tapper."""

    reply: Reply | None
    notice: str = ""
    alert: bool = False


def short_id(*parts: str) -> str:
    """Ten hex digits naming a candidate or draft (the same in every process)."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:10]


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class ReviewDesk:
    """Candidates as messages with buttons, and what each button does; blocking (call from a thread)."""

    def __init__(
        self,
        *,
        faq_path: str | Path | None,
        settings: MatchSettings,
        knowledge: KnowledgeSource,
        interactions: InteractionLog | None,
        rejections: Path,
        store: StateStore,
        config: LearningConfig,
        reload: Callable[[], object] | None = None,
        tz: dt.tzinfo | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.faq_path = Path(faq_path) if faq_path else None
        self.settings = settings
        self.knowledge = knowledge
        self.interactions = interactions
        self.rejections = rejections
        self.store = store
        self.config = config
        self.reload = reload
        self.tz = tz or dt.UTC
        self.clock = clock
        self._lock = threading.Lock()
        """One write of the FAQ or of the rejections at a time in this process."""

    # -- posting -----------------------------------------------------------------------------

    def batch(self, fresh_only: bool = False) -> list[Reply]:
        """Messages for the next candidates (a single notice when there is nothing to review).

        `fresh_only` (the periodic post): leave out candidates it posted before (within RECORD_TTL);
        /hoc still shows them.
        """
        if self.faq_path is None:
            return [Reply(NO_FILE)]
        if self.interactions is None:
            return [Reply(NO_LOG)]
        knowledge = self.knowledge.current()
        since = self.clock() - self.config.since_days * 86400
        candidates = find_candidates(
            self.interactions.rows(since),
            knowledge.book,
            load_rejections(self.rejections),
            min_citizens=self.config.min_citizens,
            matcher=knowledge.matcher,
        )
        replies: list[Reply] = []
        for c in candidates:
            if len(replies) >= self.config.review_batch:
                break
            cid = short_id(c.entry_id or "", c.key)
            if fresh_only and not self.store.add(f"learn:posted:{cid}", "1", RECORD_TTL):
                continue
            if self.store.get(f"learn:done:{cid}") is not None:
                continue  # decided a moment ago; the log has not caught up
            record = _record(c, self._choices(c, knowledge.book))
            self.store.set(f"learn:c:{cid}", json.dumps(record, ensure_ascii=False), RECORD_TTL)
            replies.append(
                Reply(_candidate_text(record, knowledge.book), buttons=_buttons(cid, record, knowledge.book))
            )
        return replies or [Reply(NOTHING)]

    def _choices(self, c: Candidate, book: FaqBook) -> list[str]:
        """The entries most likely meant, best first (the suggested one left out)."""
        ranked, _, _, _ = self.knowledge.current().matcher.rank(c.phrasing)
        ids = [r.entry.id for r in ranked if r.entry.is_procedure and r.entry.id != c.entry_id]
        return list(dict.fromkeys(ids))[:MAX_CHOICES]

    def offer_draft(self, ticket_ref: str, question: str, answer: str) -> Button | None:
        """Keep a staff answer to a handed-off question as a possible new entry; its "Lưu vào FAQ" button.

        None when the bot serves the shipped FAQ (there is no office file to save into)."""
        if self.faq_path is None:
            return None
        record = {"ref": ticket_ref, "q": mask_personal_data(question), "a": mask_personal_data(answer)}
        did = short_id("draft", ticket_ref, record["q"], record["a"], str(self.clock()))
        self.store.set(f"learn:d:{did}", json.dumps(record, ensure_ascii=False), RECORD_TTL)
        return Button("💾 Lưu vào FAQ", payload=f"{PREFIX}d:{did}")

    # -- taps --------------------------------------------------------------------------------

    def tap(self, data: str, staff: Staff) -> Tap:
        """Act on a pressed review button; anything not ours or expired gets a notice only."""
        m = _DATA.fullmatch(data)
        if m is None:
            return Tap(None, EXPIRED)
        verb, rid, n = m.group(1), m.group(2), m.group(3)
        if verb != "d" and not staff.is_admin:
            return Tap(None, ADMINS_ONLY, alert=True)
        if verb in "dsx":
            return self._draft_tap(verb, rid, staff)
        if self.faq_path is None and verb in "at":
            return Tap(None, NO_FILE, alert=True)
        raw = self.store.get(f"learn:c:{rid}")
        if raw is None:
            return Tap(None, EXPIRED, alert=True)
        record: dict[str, Any] = json.loads(raw)
        book = self.knowledge.current().book
        text = _candidate_text(record, book)
        if verb == "m":
            rows = [
                (Button(f"➕ {_short(_title(book, eid), TITLE_IN_LABEL)}", payload=f"{PREFIX}t:{rid}:{i}"),)
                for i, eid in enumerate(record["choices"])
            ]
            rows.append((Button("↩️ Quay lại", payload=f"{PREFIX}b:{rid}"),))
            return Tap(Reply(text + "\n\nChọn mục muốn thêm cách hỏi này vào:", buttons=tuple(rows)))
        if verb == "b":
            return Tap(Reply(text, buttons=_buttons(rid, record, book)))
        if not self.store.add(f"learn:done:{rid}", str(staff), RECORD_TTL):
            return Tap(None, DONE_ALREADY)
        try:
            if verb == "r":
                return self._reject(rid, record, text, staff)
            target = record["entry"] if verb == "a" else _choice(record, n)
            if not target:
                self.store.delete(f"learn:done:{rid}")
                return Tap(None, EXPIRED)
            return self._accept(rid, record, target, text, staff)
        except BaseException:
            self.store.delete(f"learn:done:{rid}")
            raise

    def _accept(self, rid: str, record: dict[str, Any], target: str, text: str, staff: Staff) -> Tap:
        assert self.faq_path is not None
        title = _title(self.knowledge.current().book, target)
        with self._lock:
            try:
                faq = FaqFile.read(self.faq_path, self.settings)
                normalizer = Normalizer.for_pairs(faq.book.synonyms)
                if record["key"] in known_forms(faq.book, normalizer):
                    return Tap(Reply(f"{text}\n\nℹ️ Cách hỏi này đã có trong tệp hỏi đáp — {staff.name}."))
                faq = faq.add_phrasing(target, record["text"])
            except Refused as exc:
                return self._refused(rid, record, text, _reasons(exc.reasons))
            except (ConcurrentEdit, LearnFileError, OSError) as exc:
                return self._refused(rid, record, text, _failure(exc))
            self._append(staff, "add", record, target, faq.sha256)
        self._reload()
        log.info("learning: phrasing added to %s from the staff group", target)
        return Tap(Reply(f"{text}\n\n✅ Đã thêm vào mục «{title}» — {staff.name}."))

    def _refused(self, rid: str, record: dict[str, Any], text: str, why: str) -> Tap:
        self.store.delete(f"learn:done:{rid}")
        book = self.knowledge.current().book
        return Tap(Reply(f"{text}\n\n{why}", buttons=_buttons(rid, record, book)))

    def _reject(self, rid: str, record: dict[str, Any], text: str, staff: Staff) -> Tap:
        candidate = _candidate(record)
        with self._lock:
            try:
                rejections = load_rejections(self.rejections)
                rejections.add(candidate, str(staff), now_iso(self.tz))
                save_rejections(self.rejections, rejections)
            except (LearnFileError, OSError) as exc:
                return self._refused(rid, record, text, _failure(exc))
        if self.faq_path is not None:
            try:
                faq_sha = hashlib.sha256(self.faq_path.read_bytes()).hexdigest()
            except OSError:
                faq_sha = ""
            self._append(staff, "reject", record, record["entry"] or None, faq_sha)
        return Tap(Reply(f"{text}\n\n🚫 Đã từ chối — {staff.name}. Cách hỏi này sẽ không được đề xuất lại."))

    # -- drafts from staff answers -----------------------------------------------------------

    def _draft_tap(self, verb: str, did: str, staff: Staff) -> Tap:
        raw = self.store.get(f"learn:d:{did}")
        if raw is None:
            return Tap(None, EXPIRED, alert=True)
        record: dict[str, Any] = json.loads(raw)
        if verb == "d":
            if "entry" not in record:
                record["entry"] = asdict(self.draft(record["q"], record["a"]))
                self.store.set(f"learn:d:{did}", json.dumps(record, ensure_ascii=False), RECORD_TTL)
            return Tap(Reply(_draft_text(record), buttons=_draft_buttons(did)))
        if not self.store.add(f"learn:done:{did}", str(staff), RECORD_TTL):
            return Tap(None, DONE_ALREADY)
        if verb == "x":
            return Tap(Reply(f"{_draft_text(record, ask=False)}\n\n❌ Đã bỏ bản nháp — {staff.name}."))
        entry = NewEntry(**{**record["entry"], "questions": tuple(record["entry"]["questions"])})
        why = ""
        if self.faq_path is None:
            why = "⚠️ " + NO_FILE
        else:
            with self._lock:
                try:
                    faq = FaqFile.read(self.faq_path, self.settings).add_entry(entry)
                    self._append(
                        staff, "add_entry", {"text": entry.title, "ref": record["ref"]}, entry.id, faq.sha256
                    )
                except Refused as exc:
                    why = _reasons(exc.reasons)
                except (ConcurrentEdit, LearnFileError, OSError) as exc:
                    why = _failure(exc)
        if why:
            self.store.delete(f"learn:done:{did}")
            return Tap(Reply(f"{_draft_text(record, ask=False)}\n\n{why}", buttons=_draft_buttons(did)))
        self._reload()
        log.info("learning: new entry %s added from a staff answer", entry.id)
        return Tap(
            Reply(
                f"{_draft_text(record, ask=False)}\n\n✅ Đã lưu thành mục mới «{entry.title}» — {staff.name}."
            )
        )

    def draft(self, question: str, answer: str) -> NewEntry:
        """A new entry from a citizen's question and the staff answer (both masked again)."""
        knowledge = self.knowledge.current()
        book = knowledge.book
        phrasing = asking_phrasing(question)
        title = _short(phrasing[:1].upper() + phrasing[1:], MAX_TITLE)
        # A masked number would read as a template placeholder to citizens (and to lint): dropped.
        summary = tidy_gaps(" ".join(_MASK.sub(" ", mask_personal_data(answer)).split()))
        return NewEntry(
            id=_unique_id(_slug(title), {e.id for e in book.entries}),
            category=self._category(phrasing, book),
            title=title,
            questions=(phrasing,),
            summary=summary,
            updated=dt.datetime.fromtimestamp(self.clock(), self.tz).date().isoformat(),
        )

    def _category(self, phrasing: str, book: FaqBook) -> str:
        """The category of the nearest procedure, else the FAQ's first own category."""
        ranked, _, _, _ = self.knowledge.current().matcher.rank(phrasing)
        for r in ranked:
            if r.entry.is_procedure:
                return r.entry.category
        own = [c.id for c in book.categories if c.id not in BUILT_IN_CATEGORIES]
        return own[0] if own else (book.categories[0].id if book.categories else "khac")

    # -- shared ------------------------------------------------------------------------------

    def _append(self, staff: Staff, action: str, record: dict[str, Any], entry: str | None, sha: str) -> None:
        assert self.faq_path is not None
        line: dict[str, object] = {
            "at": now_iso(self.tz),
            "by": str(staff),
            "via": "telegram",
            "action": action,
            "entry": entry,
            "suggested_entry": (record.get("entry") or None) if action != "add_entry" else None,
            "text": record.get("text", ""),
            "citizens": record.get("citizens", 0),
            "faq": str(self.faq_path),
            "sha256": sha,
        }
        if "ref" in record:
            line["ticket"] = record["ref"]
        try:
            append_audit(audit_path(self.faq_path), line)
        except OSError as exc:
            log.warning("learning: audit log not written: %s", exc.strerror or type(exc).__name__)

    def _reload(self) -> None:
        if self.reload is None:
            return
        try:
            self.reload()
        except Exception:
            log.exception("learning: reload after a write-back failed (the file watcher will retry)")


def _record(c: Candidate, choices: list[str]) -> dict[str, Any]:
    return {
        "entry": c.entry_id or "",
        "text": c.phrasing,
        "key": c.key,
        "citizens": c.citizens,
        "picks": c.picks,
        "thumbs_up": c.thumbs_up,
        "examples": list(c.examples),
        "choices": choices,
    }


def _candidate(record: dict[str, Any]) -> Candidate:
    return Candidate(record["entry"] or None, record["text"], record["key"], record["citizens"])


def _choice(record: dict[str, Any], n: str | None) -> str | None:
    choices: list[str] = record["choices"]
    return choices[int(n)] if n is not None and int(n) < len(choices) else None


def _title(book: FaqBook, entry_id: str) -> str:
    entry = book.entry(entry_id)
    return entry.title if entry is not None else entry_id


def _candidate_text(record: dict[str, Any], book: FaqBook) -> str:
    """A candidate as staff read it in the group."""
    if record["entry"]:
        lines = [f"📝 Cách hỏi mới cho mục «{_title(book, record['entry'])}»:", f"«{record['text']}»"]
        how = []
        if record["picks"]:
            how.append(f"{record['picks']} lần chọn gợi ý này")
        if record["thumbs_up"]:
            how.append(f"{record['thumbs_up']} lần bấm 👍")
        lines.append(f"Bằng chứng: {record['citizens']} người dân ({', '.join(how)}).")
    else:
        lines = [
            f"📝 Câu hỏi chưa có mục nào trả lời ({record['citizens']} lượt hỏi):",
            f"«{record['text']}»",
        ]
    others = [e for e in record["examples"] if e != record["text"]]
    if others:
        lines.append("Cách viết khác: " + "; ".join(f"«{e}»" for e in others))
    return "\n".join(lines)


def _buttons(rid: str, record: dict[str, Any], book: FaqBook) -> tuple[tuple[Button, ...], ...]:
    rows: list[tuple[Button, ...]] = []
    if record["entry"]:
        label = f"✅ Thêm vào «{_short(_title(book, record['entry']), TITLE_IN_LABEL)}»"
        rows.append((Button(label, payload=f"{PREFIX}a:{rid}"),))
        rows.append((Button("↪️ Chuyển sang mục khác", payload=f"{PREFIX}m:{rid}"),))
    elif record["choices"]:
        rows.append((Button("↪️ Thêm vào một mục có sẵn", payload=f"{PREFIX}m:{rid}"),))
    # "Từ chối", as in `faqbot learn`, where "bỏ qua" means "ask again later".
    rows.append((Button("🚫 Từ chối (không đề xuất lại)", payload=f"{PREFIX}r:{rid}"),))
    return tuple(rows)


_GAPS = (
    (
        re.compile(
            r"\b(?:email|e-mail|sđt|số điện thoại|điện thoại|đt|zalo|số)\s*(?=[,;)]|$)", re.IGNORECASE
        ),
        "",
    ),
    (re.compile(r"\s+([,.;:)])"), r"\1"),  # "Hoa ," -> "Hoa,"
    (re.compile(r"([,;:])(?:\s*[,;:])+"), r"\1"),  # "Hoa,, email" -> "Hoa, email"
    (re.compile(r"\(\s*[,;:]\s*"), "("),
    (re.compile(r"\s*[,;:]\s*\)"), ")"),
    (re.compile(r"\(\s*\)"), ""),
    (re.compile(r"\s{2,}"), " "),
    (re.compile(r"\s+([,.;:)])"), r"\1"),
)


def tidy_gaps(text: str) -> str:
    """A text whose personal data was taken out, without the stray commas and bare labels left behind
    ("chị Hoa,, email )" -> "chị Hoa)")."""
    for pattern, repl in _GAPS:
        text = pattern.sub(repl, text)
    return text.strip()


def _draft_text(record: dict[str, Any], ask: bool = True) -> str:
    e = record["entry"]
    lines = [
        f"📝 Bản nháp mục hỏi đáp mới (từ câu hỏi {record['ref']}):",
        f"Mã mục: {e['id']} · nhóm: {e['category']}",
        f"Tiêu đề: {e['title']}",
        f"Câu hỏi: «{e['questions'][0]}»",
        f"Nội dung trả lời: {e['summary']}",
    ]
    if _MASK.search(mask_personal_data(record["a"])):
        lines.append(
            "(Số điện thoại, số giấy tờ… trong câu trả lời đã được bỏ ra; cần thì sửa lại trong tệp.)"
        )
    if ask:
        lines.append(
            "\nCán bộ quản trị bấm «✅ Lưu» để thêm mục này vào tệp hỏi đáp (có thể sửa lại trong tệp sau)."
        )
    return "\n".join(lines)


def _draft_buttons(did: str) -> tuple[tuple[Button, ...], ...]:
    return ((Button("✅ Lưu", payload=f"{PREFIX}s:{did}"), Button("❌ Bỏ", payload=f"{PREFIX}x:{did}")),)


def _reasons(reasons: list[str]) -> str:
    return "⚠️ Không thêm được, tệp hỏi đáp giữ nguyên. Lý do:\n" + "\n".join(f"- {r}" for r in reasons)


def _failure(exc: BaseException) -> str:
    if isinstance(exc, ConcurrentEdit):
        return CONCURRENT
    if isinstance(exc, OSError):
        return "⚠️ Không ghi được: " + describe_os_error(exc, "tệp hỏi đáp")
    return f"⚠️ Không thêm được: {exc}"


def _slug(title: str) -> str:
    folded = fold_accents(unicodedata.normalize("NFC", title).lower()).replace("đ", "d")
    words = re.findall(r"[a-z0-9]+", folded)
    return "-".join(words[:6]) or "muc-moi"


def _unique_id(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
