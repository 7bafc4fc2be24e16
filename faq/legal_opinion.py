"""Whether a message asks for a legal opinion rather than for a procedure.

"Giấy ủy quyền viết tay không chứng thực thì có giá trị không", "công ty bắt nộp giấy xác nhận độc
thân, họ có quyền đòi không", "đóng bảo hiểm 20 năm rồi nghỉ, có nên rút một lần không": each names a
procedure's words, and the matcher finds that procedure near, but what is asked is whether something
is lawful, valid, a right or wise. No procedure's answer says that, and the bot must not seem to rule
on the law: the procedure is offered as a choice, beside a pointer to legal aid, never as the answer.

Only the asking part of a short message is looked at: a letter's story often says "hợp pháp" or "có
quyền" on the way to a question that a procedure answers.
"""

from __future__ import annotations

import re
from dataclasses import replace

from faq.decision import Kind, MatchResult
from faq.normalize import fold_accents

_CUES = re.compile(
    r"\b(?:"
    r"(?:co|cho|vay|the) (?:dung|trai|sai) (?:luat|quy dinh)"  # asked, not told ("thu tiền sai quy định")
    r"|hop phap(?! hoa)"  # "vợ chồng hợp pháp chưa"; "hợp pháp hóa lãnh sự" is a procedure's name
    r"|co quyen"  # "họ có quyền đòi không"
    r"|co nen"  # "có nên rút một lần không"
    r"|co gia tri(?! (?:bao|trong|may|den|toi|duoc bao))"  # validity, not "có giá trị bao lâu"
    r"|(?:vay|the|nhu vay) (?:co )?dung (?:khong|ko|k|hong|hok|hem)"  # "phạt vậy đúng không"
    r"|co dung (?:khong|ko|k|hong|hok|hem)"
    r")\b"
)
_NOT_WORD = re.compile(r"[^\w]+")


_TRUE = re.compile(r"(?:(?:vay|the|nhu vay) )?(?:co )?dung (?:khong|ko|k|hong|hok|hem)")
_HEARSAY = re.compile(
    r"\b(?:nghe (?:noi|bao|dau|nguoi ta)|thay (?:bao|noi)|nguoi ta (?:noi|bao)|doc (?:bao|tren mang) thay"
    r"|tren mang (?:noi|bao))\b"
)
"""A rule heard of, checked ("nghe nói sổ hộ khẩu bỏ rồi, có đúng không"): what the answer says, not
an opinion on anyone's conduct."""
_SCAM = re.compile(
    r"\b(?:otp|ma xac thuc|ma xac nhan|mat khau|tu xung|gia danh|gia mao|lua dao|cai (?:app|ung dung)"
    r"|duong link|bam (?:vao )?link|chuyen tien)\b"
)
"""Someone asking for a code, a password or money, or to install an app ("… xin mã OTP, có nên đưa
không"): the answer that warns of it, never the legal-aid pointer."""

_PURPOSE = re.compile(r"\b(?:de|cho)\b(?: \w+){0,7} $")
"""What is wanted, not asked: "để được công nhận là vợ chồng hợp pháp", "làm giấy tờ cho hợp pháp"."""


_HOW = re.compile(
    r"\b(?:lam the nao|lam sao|the nao|ra sao|nhu the nao|thu tuc|can (?:gi|nhung gi)|lam gi|o dau)\b"
)
"""A how-to after "cho đúng luật" ("muốn đăng ký cho đúng luật thì làm thế nào"): the lawful way asked,
which the procedure is, not an opinion."""


def asks_legal_opinion(question: str) -> bool:
    """Whether the asking part of a message asks if something is lawful, valid, a right or advisable."""
    return bool(_opinion_cues(_folded(question)))


def asks_advice_only(question: str) -> bool:
    """Whether the only opinion asked is whether something is advisable ("có nên"), with no word of
    the law: "con em sốt 39 độ có nên cho đi viện không" asks a doctor, not a lawyer."""
    folded = _folded(question)
    return set(_opinion_cues(folded)) == {"co nen"} and _LAW.search(folded) is None


_LAW = re.compile(
    r"\b(?:luat|phap|quy dinh|kien|tranh chap|hop dong|thua ke|di chuc|boi thuong|toa|xu phat|phat|quyen"
    r"|nghia vu|giay to|ho so|thu tuc|dang ky|uy quyen|chung thuc|cong chung|bao hiem|bhxh)\b"
)
"""Words of the law or of the office's work: "có nên" beside them asks for legal advice."""


def _folded(question: str) -> str:
    """Lower case, accents off, words only."""
    return _NOT_WORD.sub(" ", fold_accents(question.lower()))


def _opinion_cues(folded: str) -> list[str]:
    """The cues of an opinion asked in a folded asking text (none for a scam warning)."""
    if _SCAM.search(folded):
        return []
    hearsay = _HEARSAY.search(folded) is not None
    found = []
    for cue in _CUES.finditer(folded):
        if cue.group().startswith("hop phap") and _PURPOSE.search(folded[: cue.start()]):
            continue
        if cue.group().startswith("cho ") and _HOW.search(folded[cue.end() :]):
            continue
        if hearsay and _TRUE.fullmatch(cue.group()):
            continue
        found.append(cue.group())
    return found


def decided_for_legal_opinion(
    result: MatchResult, max_suggestions: int, advice_only: bool = False
) -> MatchResult:
    """The decision for a message that asks a legal opinion: an answer becomes the first choice, and
    choices the matcher was unsure of are dropped (the pointer to legal aid is the reply). Advice
    asked (`asks_advice_only`) about nothing the FAQ has stays nothing: no pointer to legal aid."""
    if advice_only and result.kind is not Kind.ANSWER:
        return replace(result, kind=Kind.NONE, suggestions=()) if result.kind is Kind.SUGGEST else result
    if result.kind is Kind.SUGGEST:
        return replace(result, kind=Kind.NONE, suggestions=(), legal_opinion=True)
    if result.kind is not Kind.ANSWER:
        return replace(result, legal_opinion=True)
    if result.entry is None or not result.entry.is_procedure:
        return result  # small talk ("bot có biết luật không") keeps its own answer
    rest = tuple(e for e in result.suggestions if e != result.entry)
    choices = (result.entry, *rest)[:max_suggestions]
    return replace(result, kind=Kind.SUGGEST, entry=None, suggestions=choices, legal_opinion=True)
