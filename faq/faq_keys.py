"""What the FAQ format allows (key tables, patterns, versions) and the small helpers wording its messages."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from faq.schema import OUT_OF_SCOPE, SMALL_TALK, OnlineLevel
from faq.yaml_tree import Map as _Map
from faq.yaml_tree import Node as _Node
from faq.yaml_tree import Seq as _Seq

SUPPORTED_VERSIONS = (1,)

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}|localhost", re.IGNORECASE)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

TOP_KEYS = {
    "version": "phiên bản định dạng, ghi 'version: 1'",
    "agency": "thông tin cơ quan",
    "synonyms": "các từ đồng nghĩa, viết tắt",
    "categories": "danh sách nhóm thủ tục",
    "entries": "danh sách các mục hỏi đáp",
}
AGENCY_KEYS = {
    "name": "tên cơ quan",
    "address": "địa chỉ",
    "hours": "giờ làm việc",
    "phone": "số điện thoại",
    "email": "thư điện tử",
    "portal": "địa chỉ cổng dịch vụ công",
}
CATEGORY_KEYS = {"id": "mã nhóm", "title": "tên nhóm"}
ENTRY_KEYS = {
    "id": "mã mục",
    "category": "mã nhóm",
    "title": "tên thủ tục",
    "questions": "những cách người dân hay hỏi",
    "keywords": "từ khóa",
    "summary": "tóm tắt câu trả lời",
    "steps": "các bước thực hiện",
    "documents": "giấy tờ cần chuẩn bị",
    "fee": "lệ phí",
    "processing_time": "thời hạn giải quyết",
    "where": "nơi nộp hồ sơ",
    "online": "nộp trực tuyến",
    "postal": "nộp và nhận kết quả qua bưu chính",
    "procedure_code": "mã thủ tục hành chính",
    "legal_basis": "căn cứ pháp lý",
    "related": "các mục liên quan",
    "updated": "ngày rà soát gần nhất",
}
ONLINE_KEYS = {"url": "đường dẫn nộp trực tuyến", "level": "mức trực tuyến", "note": "ghi chú"}
POSTAL_KEYS = {"submit": "cách gửi hồ sơ qua bưu chính", "receive": "cách nhận kết quả qua bưu chính"}
# Staff sometimes write the Vietnamese name of a key; point them at the real one.
VIETNAMESE_KEYS = {
    "ma": "id",
    "nhom": "category",
    "danh muc": "category",
    "tieu de": "title",
    "ten": "title",
    "cau hoi": "questions",
    "tu khoa": "keywords",
    "tom tat": "summary",
    "cac buoc": "steps",
    "giay to": "documents",
    "ho so": "documents",
    "le phi": "fee",
    "phi": "fee",
    "thoi gian": "processing_time",
    "noi nop": "where",
    "truc tuyen": "online",
    "buu chinh": "postal",
    "buu dien": "postal",
    "ma thu tuc": "procedure_code",
    "can cu": "legal_basis",
    "lien quan": "related",
    "cap nhat": "updated",
    "ngay cap nhat": "updated",
}
ONLINE_LEVELS = {"toan trinh": OnlineLevel.FULL, "mot phan": OnlineLevel.PARTIAL, "khong": OnlineLevel.NONE}
_NEEDS_SUMMARY = {
    SMALL_TALK: "mục trò chuyện cần có 'summary' (câu bot sẽ trả lời).",
    OUT_OF_SCOPE: "mục ngoài phạm vi cần có 'summary' (cho người dân biết việc này do đâu giải quyết).",
}
"""What the summary is for, per built-in category (a procedure may go without one, with a warning)."""


def _fold(text: str) -> str:
    """Lower case, accents off, đ→d, single spaces: for forgiving comparisons only."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[_\-]+", " ", bare).split())


def _slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", _fold(text))) or "vi-du-ma-muc"


def _kind(node: _Node) -> str:
    if isinstance(node, _Seq):
        return "danh sách"
    if isinstance(node, _Map):
        return "khối khóa con"
    return "đoạn chữ"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _did_you_mean(value: str, choices: Iterable[str]) -> str:
    options = sorted(choices)
    close = difflib.get_close_matches(value.lower(), options, n=1, cutoff=0.6)
    return f" — có phải ý bạn là '{close[0]}'?" if close else "."


def _unknown_key(name: str, keys: Mapping[str, str], where: str, hints: Mapping[str, str] | None) -> str:
    guess = (hints or {}).get(_fold(name))
    if guess is None:
        close = difflib.get_close_matches(name.lower(), list(keys), n=1, cutoff=0.6)
        guess = close[0] if close else None
    if guess is not None:
        return f"khóa '{_short(name)}' không hợp lệ — có phải ý bạn là '{guess}'?"
    return f"khóa '{_short(name)}' không hợp lệ trong {where} — các khóa được dùng: {', '.join(keys)}."


def _valid_url(value: str) -> bool:
    if any(c.isspace() for c in value):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return False
    host = parts.hostname or ""
    return parts.scheme in ("http", "https") and bool(_HOST.fullmatch(host))
