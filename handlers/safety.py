"""A citizen in danger, or being scammed, is told what to do first, whatever else the reply says.

"Chồng tôi hay đánh tôi, tôi phải làm sao", "con tôi đi lạc từ chiều chưa về", "có người xưng cán bộ
phường xin mã OTP để duyệt hồ sơ, có nên đưa không": no procedure answers these, and "chưa có thông
tin" with the office's hours — or a procedure the words are near — is the wrong first thing to read.
The emergency numbers and the never-give-your-code rule are the same for every office, so they are the
bot's own words (handlers/texts.py), put before the reply; the FAQ's answer, if any, still follows.

The cues are narrow on purpose: a letter that tells of a past accident or a lost cat, or a citizen who
forgot their own password, must not be told to call 113.
"""

from __future__ import annotations

import re
from dataclasses import replace
from enum import StrEnum

from faq.normalize import fold_accents, has_accents
from handlers import texts
from handlers.messages import Reply


class Danger(StrEnum):
    """What a message says that comes before any procedure."""

    EMERGENCY = "emergency"
    SCAM = "scam"


_PERSON = (
    "con|bé|cháu|em bé|thằng bé|con bé|mẹ|bố|ba|má|ông|bà|ông nội|ông ngoại|bà nội|bà ngoại|chồng|vợ"
    "|người nhà|người thân"
)
_EMERGENCY_CUES = (
    r"bạo hành|bạo lực gia đình|đánh đập|đánh (?:tôi|em|tui|mình|con|vợ|mẹ)\b|xâm hại|hiếp dâm|dọa giết"
    r"|đe dọa giết|tự tử|tự sát|bắt cóc|đang cháy|cứu với|cứu tôi"
    rf"|(?:{_PERSON}) (?:\w+ ){{0,3}}(?:đi lạc|bị lạc|mất tích|mất liên lạc)"
)
_EMERGENCY = re.compile(rf"\b(?:{_EMERGENCY_CUES})\b")
_EMERGENCY_BARE = re.compile(rf"\b(?:{fold_accents(_EMERGENCY_CUES.removeprefix('bạo hành|'))})\b")
"""Accents tell "bạo hành" from "bảo hành" (a warranty) and "tự tử" from "điện tử từ": the cues without
accents are looked for only in a message typed without any, and "bao hanh" is not one of them."""
_DIED = "qua đời|đã mất|rồi mất|chôn cất|an táng|hỏa táng|khai tử|chứng tử"
_NOT_EMERGENCY = re.compile(
    r"\btuyên bố (?:\w+ ){0,2}mất tích\b|\btuyen bo (?:\w+ ){0,2}mat tich\b"
    r"|\b(?:mất tích|mất liên lạc|mat tich|mat lien lac) (?:\w+ ){0,3}"
    r"(?:năm|nam|tháng|thang|lâu rồi|lau roi)\b"
    rf"|\b(?:{_DIED}|{fold_accents(_DIED)})\b"
)
"""A court's declaration of absence is a procedure's word, and so is an absence of months or years
("chồng tôi đi biển mất tích 3 năm rồi" was told to call 113 and got no procedure), or one that ended
in a death ("mẹ tôi đi lạc rồi mất ở tỉnh khác, bên đó đã lo chôn cất", QA round 14)."""
_PET = re.compile(r"\b(?:chó|mèo|meo|thú cưng|con vật)\b")
"""A lost pet is no emergency ("chó" only with its accent: "cho" is "for")."""
_SOMEONE = re.compile(
    r"\b(?:co nguoi|nguoi la|tu xung|xung la|xung (?:can bo|cong an)|gia danh|mao danh|goi dien|nhan tin"
    r"|cuoc goi|so la|zalo la)\b"
)
_ASKS_FOR = re.compile(
    r"\b(?:xin|doi|bao|yeu cau|bat|hoi|doc|lua)\b(?: \w+){0,6} (?:ma otp|otp|ma xac thuc|ma xac nhan|mat khau"
    r"|chuyen (?:khoan|tien)|cai (?:app|ung dung|lai)|bam (?:vao )?(?:link|duong link)|duong link)\b"
)


def danger_in(text: str) -> Danger | None:
    """What of a citizen's message calls for the emergency numbers or the scam warning, if anything."""
    lowered = " ".join(re.split(r"[^\w]+", text.lower()))
    folded = fold_accents(lowered)
    cue = _EMERGENCY if has_accents(lowered) else _EMERGENCY_BARE
    if cue.search(lowered) and not _NOT_EMERGENCY.search(lowered) and not _PET.search(lowered):
        return Danger.EMERGENCY
    if _SOMEONE.search(folded) and _ASKS_FOR.search(folded):
        return Danger.SCAM
    return None


def warned(reply: Reply, danger: Danger) -> Reply:
    """The reply with the warning for `danger` first."""
    first = texts.EMERGENCY if danger is Danger.EMERGENCY else texts.SCAM_WARNING
    numbered = f"{first}\n\n{reply.numbered_text}" if reply.numbered_text else ""
    return replace(reply, text=f"{first}\n\n{reply.text}", numbered_text=numbered)
