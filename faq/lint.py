"""Staff checks beyond the schema: questions answered by the wrong entry, near-duplicates, stale or
over-long content, references to small talk, procedures without online or postal information,
template placeholders ("[0xx xxxx xxxx]", "(thay bằng tên đơn vị)") left in the file, and a FAQ with
no synonyms or no declined topic."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from faq.decision import Kind, MatchResult
from faq.loader import WARNING, Problem
from faq.matcher import Matcher
from faq.normalize import Normalizer, fold_accents
from faq.schema import CONTACT_CATEGORY, Agency, Entry, FaqBook

DUPLICATE_RATIO = 90.0
"""rapidfuzz ratio (0-100) of normalised questions from which two entries look duplicated."""

PART_NAMES = {
    "summary": "phần tóm tắt (summary)",
    "steps": "các bước (steps)",
    "documents": "giấy tờ (documents)",
    "fee": "lệ phí (fee)",
    "processing_time": "thời hạn (processing_time)",
    "where": "nơi nộp (where)",
    "online": "phần nộp trực tuyến (online)",
    "postal": "phần bưu chính (postal)",
    "legal_basis": "căn cứ pháp lý (legal_basis)",
}


@dataclass(frozen=True, slots=True)
class LintSettings:
    """Limits of the staff checks."""

    max_age_days: int = 365
    """`updated` older than this many days is reported."""
    max_part_chars: int = 2000
    """One answer part must fit in one Zalo message."""
    today: dt.date | None = None
    """The reference day for ages (None: today)."""


def lint(
    book: FaqBook,
    matcher: Matcher,
    settings: LintSettings = LintSettings(),
) -> tuple[Problem, ...]:
    """Every staff-facing warning about a valid FAQ, in file order."""
    found: list[Problem] = []
    found += _self_match(book, matcher)
    found += _near_duplicates(book)
    found += _small_talk_refs(book)
    found += _stale(book, settings.max_age_days, settings.today or dt.date.today())
    found += _long_parts(book, settings.max_part_chars)
    found += _no_channel(book)
    found += placeholders(book)
    found += _coverage(book)
    found += _unused_synonyms(book, matcher.normalizer)
    return tuple(sorted(found, key=lambda p: p.line))


def _warn(book: FaqBook, entry: Entry, message: str, line: int = 0) -> Problem:
    return Problem(book.source or "<faq>", line or entry.line, message, WARNING)


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def _self_match(book: FaqBook, matcher: Matcher) -> list[Problem]:
    """Every question of an entry must be answered with that entry."""
    out: list[Problem] = []
    for entry in book.entries:
        for number, question in enumerate(entry.questions):
            result = matcher.match(question)
            found = result.declined if entry.is_out_of_scope else result.entry
            if found is not None and found.id == entry.id:
                continue
            what = _found_instead(entry, result)
            # The question's own line: an entry may have twenty of them.
            line = entry.line_of(f"questions.{number}")
            out.append(_warn(book, entry, f"câu hỏi {_quote(question)} của mục '{entry.id}' {what}", line))
    return out


def _ranked_first(result: MatchResult, entry: Entry) -> bool:
    """Whether the entry tops the ranking of a result."""
    return bool(result.candidates) and result.candidates[0].entry.id == entry.id


def _found_instead(entry: Entry, result: MatchResult) -> str:
    """What the bot does with one of the entry's own questions, when it is not answering it."""
    if result.declined is not None:
        return (
            f"bị bot coi là việc ngoài phạm vi '{result.declined.id}' (điểm {result.score:.0f}) — "
            "hãy viết câu hỏi rõ hơn, hoặc sửa câu hỏi của mục ngoài phạm vi đó cho khỏi trùng."
        )
    if entry.is_out_of_scope and _ranked_first(result, entry):
        return (
            f"chưa được bot nhận ra là việc ngoài phạm vi (điểm {result.score:.0f}, cần ít nhất "
            "bằng ngưỡng gợi ý) — hãy thêm từ đặc trưng của việc này vào câu hỏi."
        )
    if result.kind is Kind.ANSWER and result.entry is not None:
        return (
            f"lại được bot trả lời bằng mục '{result.entry.id}' (điểm {result.score:.0f}) — hãy "
            "viết câu hỏi rõ hơn hoặc chuyển nó sang mục đó."
        )
    if result.preamble_only:
        return (
            "bị bot coi là lời mở đầu lịch sự (như “dạ”, “cho em hỏi”) nên không tìm mục nào — "
            "hãy viết câu hỏi có nội dung."
        )
    ranked = result.candidates
    if _ranked_first(result, entry):
        if len(ranked) > 1:
            close = ranked[1]
            return (
                "không được bot trả lời thẳng: mục này đứng đầu nhưng bot chưa đủ chắc, vì mục "
                f"'{close.entry.id}' cũng gần — hãy thêm từ đặc trưng của thủ tục vào câu hỏi."
            )
        return (
            "không được bot trả lời thẳng: mục này đứng đầu nhưng bot chưa đủ chắc — hãy thêm từ đặc "
            "trưng của thủ tục vào câu hỏi."
        )
    if result.kind is Kind.SUGGEST:
        ids = ", ".join(f"'{e.id}'" for e in result.suggestions)
        return (
            f"chỉ được bot gợi ý các mục {ids} (điểm {result.score:.0f}), không trả lời bằng mục "
            "này — hãy viết câu hỏi rõ hơn."
        )
    if ranked:
        return (
            f"không được bot nhận ra (mục gần nhất: '{ranked[0].entry.id}', điểm "
            f"{result.score:.0f}) — hãy kiểm tra lại cách viết câu hỏi."
        )
    return "không được bot nhận ra — hãy kiểm tra lại cách viết câu hỏi."


def _near_duplicates(book: FaqBook) -> list[Problem]:
    """Questions of two different entries that read almost the same once normalised."""
    # Similarity is measured without the FAQ's synonyms: expanding "sổ đỏ" into a long canonical
    # phrase would make unrelated questions that share it look alike. Questions that become
    # identical once synonyms are applied ("làm cccd" / "làm căn cước") are duplicates too.
    plain = Normalizer()
    full = Normalizer.for_pairs(book.synonyms)
    owners: list[int] = []
    texts: list[str] = []
    originals: list[str] = []
    by_full_form: dict[str, list[int]] = {}
    numbers: list[int] = []
    for index, entry in enumerate(book.entries):
        for number, question in enumerate(entry.questions):
            owners.append(index)
            numbers.append(number)
            texts.append(_form(plain, question))
            by_full_form.setdefault(_form(full, question), []).append(len(originals))
            originals.append(question)
    pairs: set[tuple[int, int]] = {
        (i, j) for group in by_full_form.values() for i in group for j in group if i < j
    }
    # Compare each question only with the ones whose length still allows the ratio: with
    # len(a) <= len(b), ratio <= 200 * len(a) / (len(a) + len(b)).
    order = sorted(range(len(texts)), key=lambda k: len(texts[k]))
    lengths = [len(texts[k]) for k in order]
    stretch = 200.0 / DUPLICATE_RATIO - 1.0
    for position, i in enumerate(order):
        end = bisect.bisect_right(lengths, lengths[position] * stretch, lo=position + 1)
        window = [texts[k] for k in order[position + 1 : end]]
        for _, _, found in process.extract(
            texts[i], window, scorer=fuzz.ratio, processor=None, score_cutoff=DUPLICATE_RATIO, limit=None
        ):
            j = order[position + 1 + found]
            pairs.add((min(i, j), max(i, j)))
    out: list[Problem] = []
    reported: set[tuple[int, int]] = set()
    for i, j in sorted(pairs):
        a, b = owners[i], owners[j]
        if a == b or (a, b) in reported:
            continue
        reported.add((a, b))
        first, second = book.entries[a], book.entries[b]
        earlier = first.line_of(f"questions.{numbers[i]}")
        out.append(
            _warn(
                book,
                second,
                f"câu hỏi {_quote(originals[j])} của mục '{second.id}' gần trùng với câu hỏi "
                f"{_quote(originals[i])} của mục '{first.id}' (dòng {earlier}) — bot khó "
                "phân biệt hai mục; hãy bỏ bớt hoặc viết lại một câu.",
                second.line_of(f"questions.{numbers[j]}"),
            )
        )
    return out


def _form(normalizer: Normalizer, question: str) -> str:
    """Accents-off meaningful words of a question, for comparing questions with each other."""
    analysis = normalizer.analyze(question)
    return fold_accents(" ".join(analysis.content) or normalizer.normalize(question))


def _small_talk_refs(book: FaqBook) -> list[Problem]:
    """`related` links to small talk or out-of-scope topics, and procedures filed under either."""
    out: list[Problem] = []
    for entry in book.entries:
        for ref in entry.related:
            target = book.entry(ref)
            if target is not None and not target.is_procedure:
                kind = "trò chuyện" if target.is_small_talk else "ngoài phạm vi"
                out.append(
                    _warn(
                        book,
                        entry,
                        f"mục '{entry.id}' liên kết (related) tới mục {kind} '{ref}' — mục "
                        "liên quan nên là một thủ tục.",
                    )
                )
        if not entry.is_procedure and (found := _procedure_parts(entry)):
            parts = ", ".join(found)
            group = "trò chuyện (small-talk)" if entry.is_small_talk else "ngoài phạm vi (out-of-scope)"
            out.append(
                _warn(
                    book,
                    entry,
                    f"mục '{entry.id}' nằm trong nhóm {group} nhưng có nội dung thủ tục ({parts}) — "
                    "có phải đặt nhầm nhóm?",
                )
            )
    return out


def _procedure_parts(entry: Entry) -> list[str]:
    parts = {
        "steps": entry.steps,
        "documents": entry.documents,
        "fee": entry.fee,
        "processing_time": entry.processing_time,
        "where": entry.where,
        "online": entry.online,
        "postal": entry.postal,
        "procedure_code": entry.procedure_code,
        "legal_basis": entry.legal_basis,
    }
    return [name for name, value in parts.items() if value]


def _stale(book: FaqBook, max_age_days: int, today: dt.date) -> list[Problem]:
    """Content not reviewed for longer than the configured age."""
    out: list[Problem] = []
    for entry in book.entries:
        if entry.updated is None:
            continue
        age = (today - entry.updated).days
        if age > max_age_days:
            out.append(
                _warn(
                    book,
                    entry,
                    f"mục '{entry.id}' được rà soát lần cuối ngày {entry.updated.isoformat()} "
                    f"({age} ngày trước, quá {max_age_days} ngày) — hãy kiểm tra quy định mới rồi "
                    "cập nhật 'updated'.",
                )
            )
    return out


def answer_parts(entry: Entry) -> dict[str, str]:
    """Each part of an entry's answer as the text a citizen would receive (roughly)."""
    online = entry.online
    postal = entry.postal
    return {
        "summary": entry.summary,
        "steps": "\n".join(f"{n}. {s}" for n, s in enumerate(entry.steps, start=1)),
        "documents": "\n".join(f"- {d}" for d in entry.documents),
        "fee": entry.fee,
        "processing_time": entry.processing_time,
        "where": entry.where,
        "online": "\n".join(x for x in (online.url, online.level, online.note) if x) if online else "",
        "postal": "\n".join(x for x in (postal.submit, postal.receive) if x) if postal else "",
        "legal_basis": "\n".join(f"- {b}" for b in entry.legal_basis),
    }


def _long_parts(book: FaqBook, limit: int) -> list[Problem]:
    """Answer parts that would not fit in one Zalo message."""
    out: list[Problem] = []
    for entry in book.entries:
        for name, text in answer_parts(entry).items():
            if len(text) > limit:
                out.append(
                    _warn(
                        book,
                        entry,
                        f"mục '{entry.id}': {PART_NAMES[name]} dài {len(text)} ký tự, quá "
                        f"{limit} ký tự của một tin nhắn Zalo — hãy rút gọn hoặc tách bớt.",
                    )
                )
    return out


def _no_channel(book: FaqBook) -> list[Problem]:
    """Procedures (entries with steps) that leave out a part citizens ask about: what to bring, the
    fee, the time, where, and doing it online or by post (each asked of them gets "chưa có thông tin")."""
    out: list[Problem] = []
    for entry in book.entries:
        # Information entries (contact, small talk) have no steps and nothing to submit.
        if not entry.is_procedure or not entry.steps or entry.category == CONTACT_CATEGORY:
            continue
        missing = [
            label
            for label, value in (
                ("giấy tờ cần chuẩn bị (documents)", entry.documents),
                ("lệ phí (fee)", entry.fee),
                ("thời gian giải quyết (processing_time)", entry.processing_time),
                ("nơi nộp (where)", entry.where),
                ("nộp trực tuyến (online)", entry.online),
                ("bưu chính (postal)", entry.postal),
            )
            if not value
        ]
        if missing:
            listed = " và ".join([", ".join(missing[:-1]), missing[-1]] if len(missing) > 1 else missing)
            out.append(
                _warn(
                    book,
                    entry,
                    f"thủ tục '{entry.id}' chưa có thông tin {listed} — người dân hỏi phần nào chưa có "
                    "sẽ được trả lời «chưa có thông tin».",
                )
            )
    return out


def _unused_synonyms(book: FaqBook, normalizer: Normalizer) -> list[Problem]:
    """Synonym groups whose standard phrase no entry uses, not even word by word: what citizens type is
    rewritten to words nothing answers with ("chuyển khẩu" helps only where an entry says "chuyển …
    thường trú")."""
    words = [
        {w for text in (e.title, *e.questions, *e.keywords, e.summary, *e.steps, *e.documents, e.where)
         for w in normalizer.tokens(text)}
        for e in book.entries
        if not e.is_small_talk
    ]  # fmt: skip
    unused = [
        (i, canonical)
        for i, (canonical, _) in enumerate(book.synonyms)
        if not any(set(normalizer.tokens(canonical)) <= said for said in words)
    ]
    if not unused:
        return []
    # One warning for all of them: a copied template block names topics the office may not handle.
    first = unused[0][0]
    line = book.synonym_lines[first] if first < len(book.synonym_lines) else 0
    named = ", ".join(f"«{c}»" for _, c in unused[:8]) + (
        f" và {len(unused) - 8} cụm khác" if len(unused) > 8 else ""
    )
    return [
        Problem(
            book.source or "<faq>",
            line,
            f"phần 'synonyms': không mục nào dùng cụm từ chuẩn {named}, nên các cách gõ khác của chúng "
            "không giúp bot nhận ra câu hỏi nào — nếu đơn vị có làm việc đó, hãy dùng đúng cụm từ chuẩn "
            "trong câu hỏi hoặc từ khóa của mục tương ứng (ví dụ «chuyển khẩu» chỉ có tác dụng khi một mục "
            "có chữ «chuyển thường trú»); nếu không, có thể xóa các dòng ấy.",
            WARNING,
        )
    ]


def _coverage(book: FaqBook) -> list[Problem]:
    """A FAQ with procedures but no synonyms, or no topic it declines: both cost citizens answers."""
    procedures = [e for e in book.entries if e.is_procedure]
    if not procedures:
        return []
    source = book.source or "<faq>"
    out: list[Problem] = []
    if not book.synonyms:
        # Measured on two development FAQs written without them, with the shipped FAQ's synonyms
        # added: a commune's answered 0.563 → 0.579 and helped 0.831 → 0.843, a mountain commune's
        # 0.437 → 0.479 and 0.721 → 0.763; out-of-scope rejected 0.759 → 0.724 and 0.829 → 0.814 (the
        # words that make questions understood make near-misses look near too: a declined topic helps).
        out.append(
            Problem(
                source,
                book.agency.line or 1,
                "tệp chưa có phần 'synonyms' (cách người dân hay gõ: cccd, hộ khẩu, sổ đỏ, sao y, bằng "
                "lái…): bot sẽ khó nhận ra các cách gõ đó khi các mục không viết như vậy. Nên chép phần "
                "'synonyms' của tệp mẫu (faq/data/default.yaml) vào sau phần 'agency' rồi sửa cho phù hợp.",
                WARNING,
            )
        )
    if not any(e.is_out_of_scope for e in book.entries):
        # Without one, a question about a passport or a pension can only be offered the nearest
        # procedure or nothing; with one, the bot says who handles it.
        out.append(
            _warn(
                book,
                procedures[0],
                "tệp chưa có mục nào thuộc nhóm 'out-of-scope' (việc đơn vị không giải quyết, kèm nơi "
                "giải quyết: hộ chiếu, lý lịch tư pháp, ly hôn, lương hưu…): khi người dân hỏi những "
                "việc đó, bot chỉ có thể gợi ý một thủ tục gần giống. Nên khai báo các việc hay bị hỏi "
                "nhầm, mỗi việc một mục (tệp mẫu faq/data/default.yaml có sẵn các mục như vậy ở nhóm "
                "'out-of-scope': chép những mục đúng với đơn vị mình và sửa nơi giải quyết).",
            )
        )
    return out


_BRACKETED = re.compile(r"\[[^\[\]\n]*\w[^\[\]\n]*\]")
"""A square-bracket placeholder of the template: "[0xx xxxx xxxx]", "[Số nhà, đường…]"."""
_REPLACE_ME = re.compile(r"(?:^|[(\[—–-])\s*thay bằng\b[^)\]]*\)?", re.IGNORECASE)
"""The template's "(thay bằng tên đơn vị)" and "— thay bằng địa chỉ…"; plain prose ("có thể thay
bằng bản sao") is not a placeholder."""

AGENCY_FIELDS = {
    "name": "tên cơ quan (name)",
    "address": "địa chỉ (address)",
    "hours": "giờ làm việc (hours)",
    "phone": "số điện thoại (phone)",
    "email": "thư điện tử (email)",
    "portal": "cổng dịch vụ công (portal)",
}


def find_placeholders(text: str) -> list[str]:
    """The template placeholders left in one text, in order ("[0xx xxxx xxxx]", "(thay bằng …)")."""
    found = [(m.start(), m.group()) for m in _BRACKETED.finditer(text)]
    found += [(m.start(), m.group().strip()) for m in _REPLACE_ME.finditer(text)]
    return [snippet for _, snippet in sorted(found)]


def placeholders(book: FaqBook) -> list[Problem]:
    """Template placeholders left in the agency block or in any entry, each at its own line."""
    source = book.source or "<faq>"
    out: list[Problem] = []
    for key, label, text in _agency_texts(book.agency):
        for snippet in find_placeholders(text):
            out.append(
                Problem(
                    source,
                    book.agency.line_of(key),
                    f"phần 'agency', {label}: còn chỗ mẫu chưa thay {_quote(snippet)} — người dân sẽ "
                    "thấy nguyên văn trong lời chào, thông tin liên hệ và câu trả lời; hãy ghi thông "
                    "tin thật của đơn vị.",
                    WARNING,
                )
            )
    for entry in book.entries:
        for key, label, text in _entry_texts(entry):
            for snippet in find_placeholders(text):
                out.append(
                    _warn(
                        book,
                        entry,
                        f"mục '{entry.id}', {label}: còn chỗ mẫu chưa thay {_quote(snippet)} — hãy "
                        "ghi nội dung thật (địa chỉ, số điện thoại, giờ làm việc của cơ quan thì chỉ "
                        "cần sửa ở phần 'agency').",
                        entry.line_of(key),
                    )
                )
    return out


def _agency_texts(agency: Agency) -> Iterator[tuple[str, str, str]]:
    for key, label in AGENCY_FIELDS.items():
        value = getattr(agency, key)
        if value:
            yield key, label, value


_ENTRY_FIELDS = {
    "title": "tên thủ tục (title)",
    "questions": "câu hỏi (questions)",
    "keywords": "từ khóa (keywords)",
    **PART_NAMES,
}


def _entry_texts(entry: Entry) -> Iterator[tuple[str, str, str]]:
    """(key for Entry.line_of, label, text) of every text an entry holds."""
    singles = {
        "title": entry.title,
        "summary": entry.summary,
        "fee": entry.fee,
        "processing_time": entry.processing_time,
        "where": entry.where,
    }
    lists = {
        "questions": entry.questions,
        "keywords": entry.keywords,
        "steps": entry.steps,
        "documents": entry.documents,
        "legal_basis": entry.legal_basis,
    }
    for key, text in singles.items():
        yield key, _ENTRY_FIELDS[key], text
    for key, items in lists.items():
        for i, text in enumerate(items):
            yield f"{key}.{i}", _ENTRY_FIELDS[key], text
    if entry.online is not None:
        yield "online.url", _ENTRY_FIELDS["online"], entry.online.url
        yield "online.note", _ENTRY_FIELDS["online"], entry.online.note
    if entry.postal is not None:
        yield "postal.submit", _ENTRY_FIELDS["postal"], entry.postal.submit
        yield "postal.receive", _ENTRY_FIELDS["postal"], entry.postal.receive
