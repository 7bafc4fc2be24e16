"""Mask personal data (ID numbers, phones, e-mails, plates) before anything is stored or relayed."""

from __future__ import annotations

import hashlib
import hmac
import re

ID_MASK = "[số giấy tờ]"
PHONE_MASK = "[số điện thoại]"
EMAIL_MASK = "[email]"
PLATE_MASK = "[biển số xe]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)

# Vehicle plates: province code, series (letters, maybe a digit), then 4 or 5 digits
# ("29A-123.45", "51F1 234.56", "30e12345", "59-X1 123.45", "29LD-01234").
_PLATE = re.compile(
    r"(?<![\w.])\d{2}\s?-?\s?[A-Za-z]{1,2}\d?\s?[-.]?\s?(?:\d{3}\.\d{2}|\d{4,5})(?![\w.]|\.\d)"
)

# A run of digits possibly broken by single spaces, dots or hyphens, optionally led by +.
_DIGIT_RUN = re.compile(r"(?<![\w+])\+?\d(?:[ .\-]?\d)*(?![\w])")

_MONEY_GROUPS = re.compile(r"\d{1,3}(?:[.,]\d{3})+")


def mask_personal_data(text: str) -> str:
    """Replace ID numbers, phone numbers, e-mails and vehicle plates with neutral placeholders."""
    text = _EMAIL.sub(EMAIL_MASK, text)
    text = _PLATE.sub(PLATE_MASK, text)
    return _DIGIT_RUN.sub(_mask_digits, text)


def _mask_digits(match: re.Match[str]) -> str:
    raw = match.group(0)
    digits = re.sub(r"\D", "", raw)
    international = digits.startswith("84") and len(digits) in (11, 12)
    if raw.startswith("+84") or (international and " " not in raw):
        return PHONE_MASK if 10 <= len(digits) <= 12 else raw
    if digits.startswith("0") and len(digits) in (10, 11):
        return PHONE_MASK
    # Amounts such as 1.500.000 or 12,000,000 are fees, not identifiers.
    if _MONEY_GROUPS.fullmatch(raw) and not digits.startswith("0"):
        return raw
    if len(digits) >= 9:
        # ID numbers (9-digit CMND, 12-digit CCCD) and other long numbers (bank accounts and the
        # like) are personal.
        return ID_MASK
    return raw


def hash_user_id(channel: str, user_id: str, salt: str) -> str:
    """A salted, non-reversible id for one citizen on one channel (for counting, not contact)."""
    key = salt.encode("utf-8") or b"faqbot"
    return hmac.new(key, f"{channel}:{user_id}".encode(), hashlib.sha256).hexdigest()[:20]
