"""The only reader of FAQ YAML: builds a frozen FaqBook or reports every problem with file:line."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from faq.schema import (
    BUILT_IN_CATEGORIES,
    OUT_OF_SCOPE,
    SMALL_TALK,
    Agency,
    Category,
    Entry,
    FaqBook,
    Online,
    OnlineLevel,
    Postal,
)
from faq.yaml_tree import Map as _Map
from faq.yaml_tree import Node as _Node
from faq.yaml_tree import Scalar as _Scalar
from faq.yaml_tree import Seq as _Seq
from faq.yaml_tree import clean as _clean
from faq.yaml_tree import compose_tree

DEFAULT_FAQ: Path = Path(str(resources.files("faq").joinpath("data", "default.yaml")))
"""The FAQ shipped with the package."""

SUPPORTED_VERSIONS = (1,)
MAX_FILE_BYTES = 20 * 1024 * 1024
"""Larger files are refused outright (an office FAQ is a few hundred kilobytes); the message and the
staff guide (docs/huong-dan-can-bo.md) state the limit."""

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a FAQ file, located for the staff member who edits it."""

    file: str
    line: int
    """1-based; 0 when the problem concerns the whole file."""
    message: str
    """Plain Vietnamese, for a non-programmer."""
    severity: str = ERROR
    """"error" (the file is refused) or "warning" (usable, but worth a look)."""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line > 0 else self.file
        marker = "(cảnh báo) " if self.severity == WARNING else ""
        return f"{where}: {marker}{self.message}"


class FaqError(Exception):
    """The FAQ file cannot be used; `problems` lists every error at once."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Outcome of checking a FAQ: the book only when there is no error."""

    book: FaqBook | None
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the file can be served."""
        return self.book is not None and not self.errors


def check_faq(path: str | Path | None = None, *, today: dt.date | None = None) -> CheckReport:
    """Check a FAQ file (None: the shipped one); never raises for bad content."""
    target = DEFAULT_FAQ if path is None else Path(path)
    text = _read(target)
    if isinstance(text, Problem):
        return CheckReport(book=None, errors=(text,))
    return parse_faq(text, str(target), today=today)


def _read(target: Path) -> str | Problem:
    """The text of a FAQ or overlay file, or the one problem that stops it being read."""
    source = str(target)
    try:
        with target.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
            size = os.fstat(fh.fileno()).st_size
    except FileNotFoundError:
        return Problem(source, 0, "không tìm thấy tệp FAQ — hãy kiểm tra lại đường dẫn.")
    except IsADirectoryError:
        return Problem(source, 0, "đường dẫn này là một thư mục, không phải tệp FAQ.")
    except PermissionError:
        if target.is_dir():  # how Windows reports opening a folder
            return Problem(source, 0, "đường dẫn này là một thư mục, không phải tệp FAQ.")
        return Problem(
            source, 0, "không có quyền đọc tệp FAQ — hãy cấp quyền đọc cho tài khoản đang chạy bot."
        )
    except OSError as exc:
        return Problem(source, 0, f"không đọc được tệp FAQ ({exc.strerror or exc}).")
    if len(data) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        megabytes = max(size, len(data)) / (1024 * 1024)
        return Problem(
            source,
            0,
            f"tệp FAQ quá lớn: {megabytes:.1f} MB, trong khi giới hạn là {limit} MB (tệp FAQ của một cơ "
            "quan thường chỉ vài trăm KB) — có chọn nhầm tệp không?",
        )
    return _decode(data, source)


def load_faq(path: str | Path | None = None, *, today: dt.date | None = None) -> FaqBook:
    """Load a FAQ file (None: the shipped one), raising FaqError listing every error."""
    report = check_faq(path, today=today)
    if not report.ok or report.book is None:
        raise FaqError(report.errors)
    return report.book


def parse_faq(text: str, source: str = "<faq>", *, today: dt.date | None = None) -> CheckReport:
    """Check FAQ YAML given as a string; never raises for bad content."""
    if not isinstance(text, str):
        return _failed(source, "nội dung FAQ phải là văn bản.")
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff"))
    reader = _Reader(source, today or dt.date.today())
    root = reader.compose(text)
    book = reader.book(root) if root is not None else None
    errors = tuple(sorted(reader.errors, key=lambda p: p.line))
    warnings = tuple(sorted(reader.warnings, key=lambda p: p.line))
    return CheckReport(book=None if errors else book, errors=errors, warnings=warnings)


def _failed(source: str, message: str) -> CheckReport:
    return CheckReport(book=None, errors=(Problem(source, 0, message),))


def _decode(data: bytes, source: str) -> str | Problem:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Problem(
            source,
            0,
            "tệp đang được lưu bằng mã UTF-16; hãy mở tệp và lưu lại với mã hóa UTF-8.",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return Problem(
            source,
            line,
            "tệp không được lưu bằng mã UTF-8 (gặp ký tự lạ ở dòng này, có thể tệp đang dùng mã "
            "Windows-1258/TCVN3 hoặc không phải tệp văn bản). Hãy mở tệp bằng trình soạn thảo và "
            "lưu lại với mã hóa UTF-8.",
        )


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


class _Reader:
    """Walks the YAML tree once, collecting every problem, and builds the book if there is none."""

    def __init__(self, source: str, today: dt.date) -> None:
        self.source = source
        self.today = today
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.category_lines: dict[str, int] = {}

    def error(self, line: int, message: str) -> None:
        self.errors.append(Problem(self.source, line, message, ERROR))

    def warning(self, line: int, message: str) -> None:
        self.warnings.append(Problem(self.source, line, message, WARNING))

    # --- text to tree ---------------------------------------------------------------------------

    def compose(self, text: str) -> _Node | None:
        """The YAML tree of the text, or None with the problems recorded."""
        root = compose_tree(text, self.error, self.warning)
        if root is None and not self.errors:
            self.error(0, "tệp FAQ trống — cần có các phần version, agency, categories, entries.")
        return root

    # --- generic shapes ------------------------------------------------------------------------

    def fields(
        self, node: _Node, keys: Mapping[str, str], where: str, hints: Mapping[str, str] | None = None
    ) -> dict[str, tuple[int, _Node]] | None:
        """Key → (key line, value) of a mapping, reporting unknown keys; None if not a mapping."""
        if not isinstance(node, _Map):
            if isinstance(node, _Scalar) and node.null:
                return {}
            self.error(
                node.line,
                f"{where} phải là một khối khóa con ({', '.join(keys)}), mỗi khóa một dòng và thụt "
                f"lề vào trong — đang là một {_kind(node)}.",
            )
            return None
        found: dict[str, tuple[int, _Node]] = {}
        for key, value in node.items:
            name = _clean(key.value)
            if name in keys:
                found[name] = (key.line, value)
                continue
            self.error(key.line, _unknown_key(name, keys, where, hints))
        return found

    def text(
        self,
        f: Mapping[str, tuple[int, _Node]],
        key: str,
        keys: Mapping[str, str],
        where: str,
        line: int,
        required: bool = False,
    ) -> str:
        """A stripped text value ("" when absent), reporting a missing required one."""
        item = f.get(key)
        if item is None:
            if required:
                self.error(line, f"{where} thiếu khóa '{key}' ({keys[key]}).")
            return ""
        key_line, value = item
        if isinstance(value, _Scalar):
            text = "" if value.null else _clean(value.value)
            if not text and required:
                self.error(key_line, f"{where}: khóa '{key}' ({keys[key]}) đang để trống.")
            return text
        self.error(
            value.line,
            f"{where}: khóa '{key}' phải là một đoạn chữ, không phải {_kind(value)}. Nếu nội "
            "dung có dấu ':' hoặc bắt đầu bằng '-' hay '[', hãy đặt cả đoạn trong dấu ngoặc kép.",
        )
        return ""

    def texts(
        self,
        f: Mapping[str, tuple[int, _Node]],
        key: str,
        keys: Mapping[str, str],
        where: str,
        line: int,
        required: bool = False,
    ) -> tuple[str, ...]:
        """A list of stripped texts, reporting wrong shapes and empty items."""
        item = f.get(key)
        if item is None:
            if required:
                self.error(line, f"{where} thiếu khóa '{key}' ({keys[key]}).")
            return ()
        key_line, value = item
        if isinstance(value, _Scalar) and value.null:
            if required:
                self.error(key_line, f"{where}: khóa '{key}' ({keys[key]}) đang để trống.")
            return ()
        if not isinstance(value, _Seq):
            self.error(
                value.line,
                f"{where}: khóa '{key}' phải là một danh sách, mỗi ý viết trên một dòng riêng bắt "
                "đầu bằng '- ' (gạch ngang và dấu cách), thụt lề vào trong — đang là một "
                f"{_kind(value)}.",
            )
            return ()
        out: list[str] = []
        for number, node in enumerate(value.items, start=1):
            if isinstance(node, _Map):
                self.error(
                    node.line,
                    f"{where}: ý thứ {number} của '{key}' có dấu ':' theo sau là dấu cách nên bị "
                    'hiểu nhầm thành khóa con — hãy đặt cả câu trong dấu ngoặc kép "...".',
                )
            elif isinstance(node, _Seq):
                self.error(node.line, f"{where}: ý thứ {number} của '{key}' phải là một dòng chữ.")
            elif node.null or not node.value.strip():
                self.error(
                    node.line,
                    f"{where}: ý thứ {number} của '{key}' đang để trống — hãy điền nội dung hoặc "
                    "xóa dòng '- ' đó.",
                )
            else:
                if node.plain and node.end_line > node.line and " - " in node.value:
                    self.warning(
                        node.line,
                        f"{where}: ý thứ {number} của '{key}' kéo dài nhiều dòng và có ' - ' ở giữa "
                        "— có thể một dòng '- ' bên dưới thụt lề sai nên bị gộp vào ý này.",
                    )
                out.append(_clean(node.value))
        if required and not out and not value.items:
            self.error(key_line, f"{where}: khóa '{key}' ({keys[key]}) đang để trống.")
        return tuple(out)

    def url(self, value: str, line: int, where: str, key: str) -> None:
        if not _valid_url(value):
            self.error(
                line,
                f"{where}: đường dẫn '{key}' không hợp lệ ('{_short(value)}') — phải có dạng http:// "
                "hoặc https:// kèm tên miền, ví dụ https://dichvucong.gov.vn.",
            )

    def ident(self, value: str, line: int, what: str) -> bool:
        if _ID.fullmatch(value):
            return True
        self.error(
            line,
            f"{what} '{_short(value)}' không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và dấu "
            f"gạch ngang, ví dụ '{_slug(value)}'.",
        )
        return False

    # --- the FAQ itself -------------------------------------------------------------------------

    def book(self, root: _Node) -> FaqBook | None:
        if not isinstance(root, _Map):
            self.error(
                root.line,
                "tệp FAQ phải gồm các phần 'version', 'agency', 'categories', 'entries', mỗi phần "
                f"bắt đầu ở đầu dòng dạng 'tên: ...' — đang là một {_kind(root)}.",
            )
            return None
        top = self.fields(root, TOP_KEYS, "tệp FAQ") or {}
        for key in ("version", "agency", "categories", "entries"):
            if key not in top:
                self.error(1, f"tệp FAQ thiếu phần '{key}' ({TOP_KEYS[key]}).")
        version = self.version(top.get("version"))
        agency = self.agency(top["agency"]) if "agency" in top else None
        synonyms = self.synonyms(top["synonyms"][1]) if "synonyms" in top else ()
        # None when the section is missing or unreadable: then no entry is blamed for its category.
        categories = self.categories(top["categories"][1]) if "categories" in top else None
        entries = self.entries(top["entries"], categories) if "entries" in top else ()
        if self.errors or version is None or agency is None:
            return None
        return FaqBook(
            version=version,
            agency=agency,
            synonyms=synonyms,
            categories=categories or (),
            entries=entries,
            source=self.source,
        )

    def version(self, item: tuple[int, _Node] | None) -> int | None:
        if item is None:
            return None
        _, node = item
        raw = _clean(node.value) if isinstance(node, _Scalar) else ""
        if raw.isdigit() and int(raw) in SUPPORTED_VERSIONS:
            return int(raw)
        self.error(
            node.line,
            f"phiên bản định dạng '{_short(raw)}' chưa được hỗ trợ — hãy ghi 'version: 1'.",
        )
        return None

    def agency(self, item: tuple[int, _Node]) -> Agency | None:
        where = "phần 'agency'"
        key_line, node = item
        f = self.fields(node, AGENCY_KEYS, where)
        if f is None:
            return None
        line = key_line
        values = {
            key: self.text(f, key, AGENCY_KEYS, where, line, required=key != "email") for key in AGENCY_KEYS
        }
        if values["portal"]:
            self.url(values["portal"], f["portal"][0], where, "portal")
        if values["email"] and not _EMAIL.fullmatch(values["email"]):
            self.error(
                f["email"][0],
                f"{where}: địa chỉ thư điện tử '{_short(values['email'])}' không hợp lệ.",
            )
        return Agency(
            name=values["name"],
            address=values["address"],
            hours=values["hours"],
            phone=values["phone"],
            portal=values["portal"],
            email=values["email"] or None,
            line=key_line,
            lines=_field_lines(node),
        )

    def synonyms(self, node: _Node) -> tuple[tuple[str, tuple[str, ...]], ...]:
        where = "phần 'synonyms'"
        if isinstance(node, _Scalar) and node.null:
            return ()
        if not isinstance(node, _Map):
            self.error(
                node.line,
                f"{where} phải gồm các dòng 'cụm từ chuẩn: [cách viết 1, cách viết 2]' — đang là "
                f"một {_kind(node)}.",
            )
            return ()
        out: list[tuple[str, tuple[str, ...]]] = []
        for key, value in node.items:
            canonical = _clean(key.value)
            if not canonical:
                self.error(key.line, f"{where}: có một cụm từ chuẩn để trống.")
                continue
            label = {canonical: f"các cách viết khác của '{canonical}'"}
            aliases = self.texts(
                {canonical: (key.line, value)}, canonical, label, where, key.line, required=True
            )
            out.append((canonical, aliases))
        return tuple(out)

    def categories(self, node: _Node) -> tuple[Category, ...] | None:
        if isinstance(node, _Scalar) and node.null:
            return ()
        if not isinstance(node, _Seq):
            self.error(
                node.line,
                "phần 'categories' phải là một danh sách nhóm, mỗi nhóm một dòng dạng "
                f"'- {{id: ho-tich, title: Hộ tịch}}' — đang là một {_kind(node)}.",
            )
            return None
        out: list[Category] = []
        seen: dict[str, int] = {}
        for number, item in enumerate(node.items, start=1):
            where = f"nhóm thứ {number} trong 'categories'"
            f = self.fields(item, CATEGORY_KEYS, where)
            if f is None:
                continue
            cid = self.text(f, "id", CATEGORY_KEYS, where, item.line, required=True)
            title = self.text(f, "title", CATEGORY_KEYS, where, item.line, required=True)
            if cid and self.ident(cid, f["id"][0], "mã nhóm"):
                if cid in seen:
                    self.error(f["id"][0], f"mã nhóm '{cid}' bị trùng (đã dùng ở dòng {seen[cid]}).")
                    continue
                seen[cid] = f["id"][0]
                self.category_lines[cid] = item.line
                out.append(Category(cid, title))
        return tuple(out)

    def entries(self, item: tuple[int, _Node], categories: tuple[Category, ...] | None) -> tuple[Entry, ...]:
        _, node = item
        if (isinstance(node, _Scalar) and node.null) or (isinstance(node, _Seq) and not node.items):
            self.error(node.line, "phần 'entries' chưa có mục hỏi đáp nào.")
            return ()
        if not isinstance(node, _Seq):
            self.error(
                node.line,
                "phần 'entries' phải là một danh sách mục, mỗi mục bắt đầu bằng dòng '- id: ...' — "
                f"đang là một {_kind(node)}.",
            )
            return ()
        known_categories = None if categories is None else {c.id for c in categories} | BUILT_IN_CATEGORIES
        built: list[tuple[Entry, dict[str, tuple[int, _Node]]]] = []
        seen: dict[str, int] = {}
        for number, child in enumerate(node.items, start=1):
            result = self.entry(child, number, known_categories)
            if result is None:
                continue
            entry, f = result
            if entry.id in seen:
                self.error(
                    f["id"][0],
                    f"mã mục '{entry.id}' bị trùng (đã dùng ở dòng {seen[entry.id]}) — mỗi mục cần "
                    "một mã riêng.",
                )
                continue
            if entry.id:
                seen[entry.id] = entry.line
            built.append((entry, f))
        ids = [entry.id for entry, _ in built if entry.id]
        for entry, f in built:
            self.related(entry, f, ids)
        used = {entry.category for entry, _ in built}
        for category in categories or ():
            if category.id not in used and category.id not in BUILT_IN_CATEGORIES:
                self.warning(
                    self.category_lines.get(category.id, node.line),
                    f"nhóm '{category.id}' ({category.title}) chưa có mục nào nên sẽ không hiện trong menu.",
                )
        return tuple(entry for entry, _ in built)

    def entry(
        self, node: _Node, number: int, known_categories: set[str] | None
    ) -> tuple[Entry, dict[str, tuple[int, _Node]]] | None:
        id_item = _lookup(node, "id")
        raw_id = _clean(id_item.value) if isinstance(id_item, _Scalar) and not id_item.null else ""
        where = f"mục '{raw_id}'" if raw_id else f"mục thứ {number} trong 'entries'"
        f = self.fields(node, ENTRY_KEYS, where, VIETNAMESE_KEYS)
        if f is None:
            return None
        line = node.line

        def text(key: str, required: bool = False) -> str:
            return self.text(f, key, ENTRY_KEYS, where, line, required)

        def texts(key: str, required: bool = False) -> tuple[str, ...]:
            return self.texts(f, key, ENTRY_KEYS, where, line, required)

        eid = text("id", required=True)
        if eid:
            self.ident(eid, f["id"][0], "mã mục")
        category = text("category", required=True)
        if category and known_categories is not None and category not in known_categories:
            self.error(
                f["category"][0],
                f"{where}: nhóm '{_short(category)}' chưa được khai báo trong phần 'categories'"
                + _did_you_mean(category, known_categories),
            )
        entry = Entry(
            id=eid,
            category=category,
            title=text("title", required=True),
            questions=texts("questions", required=True),
            summary=text("summary"),
            keywords=texts("keywords"),
            steps=texts("steps"),
            documents=texts("documents"),
            fee=text("fee"),
            processing_time=text("processing_time"),
            where=text("where"),
            online=self.online(f, where),
            postal=self.postal(f, where),
            procedure_code=text("procedure_code"),
            legal_basis=texts("legal_basis"),
            related=texts("related"),
            updated=self.date(f, "updated", where),
            line=line,
            lines=_field_lines(node),
        )
        if not entry.is_procedure:
            if not entry.summary:
                at = f["summary"][0] if "summary" in f else line
                self.error(at, f"{where}: {_NEEDS_SUMMARY[entry.category]}")
        else:
            for key in ("summary", "steps", "updated"):
                if key not in f:
                    self.warning(line, f"{where} chưa có '{key}' ({ENTRY_KEYS[key]}).")
        return entry, f

    def block(
        self, f: Mapping[str, tuple[int, _Node]], key: str, keys: Mapping[str, str], owner: str, needs: str
    ) -> tuple[int, str, dict[str, tuple[int, _Node]]] | None:
        """(key line, where, fields) of an optional nested block; None when absent, empty or broken."""
        if key not in f:
            return None
        key_line, node = f[key]
        where = f"{owner}, phần '{key}'"
        sub = self.fields(node, keys, where)
        if not sub:
            if sub is not None:
                self.error(key_line, f"{where} đang để trống — hãy ghi {needs}, hoặc xóa khóa này.")
            return None
        return key_line, where, sub

    def online(self, f: Mapping[str, tuple[int, _Node]], owner: str) -> Online | None:
        found = self.block(f, "online", ONLINE_KEYS, owner, "url và level")
        if found is None:
            return None
        line, where, sub = found
        level_text = self.text(sub, "level", ONLINE_KEYS, where, line, required=True)
        level = ONLINE_LEVELS.get(_fold(level_text)) if level_text else None
        if level_text and level is None:
            self.error(
                sub["level"][0],
                f"{where}: mức trực tuyến '{_short(level_text)}' không hợp lệ — chỉ dùng một trong "
                "ba giá trị: toàn trình, một phần, không.",
            )
        url = self.text(sub, "url", ONLINE_KEYS, where, line, required=level is not OnlineLevel.NONE)
        if url:
            self.url(url, sub["url"][0], where, "url")
        note = self.text(sub, "note", ONLINE_KEYS, where, line)
        return Online(url=url, level=level or OnlineLevel.NONE, note=note)

    def postal(self, f: Mapping[str, tuple[int, _Node]], owner: str) -> Postal | None:
        found = self.block(f, "postal", POSTAL_KEYS, owner, "submit và receive")
        if found is None:
            return None
        key_line, where, sub = found
        submit = self.text(sub, "submit", POSTAL_KEYS, where, key_line, required=True)
        receive = self.text(sub, "receive", POSTAL_KEYS, where, key_line, required=True)
        return Postal(submit=submit, receive=receive)

    def date(self, f: Mapping[str, tuple[int, _Node]], key: str, where: str) -> dt.date | None:
        if key not in f:
            return None
        key_line, node = f[key]
        raw = _clean(node.value) if isinstance(node, _Scalar) and not node.null else ""
        if not raw:
            self.error(key_line, f"{where}: khóa '{key}' đang để trống — ghi ngày dạng 2025-07-01.")
            return None
        match = _DATE.fullmatch(raw)
        if match is None:
            self.error(
                node.line,
                f"{where}: ngày '{_short(raw)}' không đúng dạng năm-tháng-ngày — hãy viết ví dụ 2025-07-01.",
            )
            return None
        try:
            value = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            self.error(node.line, f"{where}: ngày '{raw}' không có trên lịch — hãy kiểm tra lại.")
            return None
        if value > self.today:
            self.warning(
                node.line,
                f"{where}: ngày cập nhật {value.isoformat()} nằm ở tương lai — có nhầm năm hoặc tháng không?",
            )
        return value

    def related(self, entry: Entry, f: Mapping[str, tuple[int, _Node]], ids: list[str]) -> None:
        if "related" not in f:
            return
        _, node = f["related"]
        lines = [n.line for n in node.items] if isinstance(node, _Seq) else []
        known = set(ids)
        where = f"mục '{entry.id}'"
        seen: set[str] = set()
        for index, ref in enumerate(entry.related):
            line = lines[index] if index < len(lines) else node.line
            if ref == entry.id:
                self.error(line, f"{where} tự liên kết tới chính nó trong 'related' — hãy xóa '{ref}'.")
            elif ref not in known:
                self.error(
                    line,
                    f"{where}: mục liên quan '{_short(ref)}' không tồn tại" + _did_you_mean(ref, known),
                )
            elif ref in seen:
                self.warning(line, f"{where}: mục liên quan '{ref}' được ghi hai lần.")
            seen.add(ref)


def _field_lines(node: _Node) -> tuple[tuple[str, int], ...]:
    """(key, line) of a mapping's fields, its list items ("steps.0") and nested keys ("postal.submit")."""
    found: list[tuple[str, int]] = []
    for key, value in node.items if isinstance(node, _Map) else ():
        name = _clean(key.value)
        found.append((name, key.line))
        if isinstance(value, _Seq):
            found.extend((f"{name}.{i}", item.line) for i, item in enumerate(value.items))
        elif isinstance(value, _Map):
            found.extend((f"{name}.{_clean(k.value)}", k.line) for k, _ in value.items)
    return tuple(found)


def _lookup(node: _Node, key: str) -> _Node | None:
    if isinstance(node, _Map):
        for k, v in node.items:
            if _clean(k.value) == key:
                return v
    return None


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
