"""The FAQ tree walker: _Reader checks every section of a composed FAQ and builds the FaqBook."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from faq.faq_keys import (
    _DATE,
    _EMAIL,
    _ID,
    _NEEDS_SUMMARY,
    AGENCY_KEYS,
    CATEGORY_KEYS,
    ENTRY_KEYS,
    ONLINE_KEYS,
    ONLINE_LEVELS,
    POSTAL_KEYS,
    SUPPORTED_VERSIONS,
    TOP_KEYS,
    VIETNAMESE_KEYS,
    _did_you_mean,
    _fold,
    _kind,
    _short,
    _slug,
    _unknown_key,
    _valid_url,
)
from faq.problems import ERROR, WARNING, Problem
from faq.schema import (
    BUILT_IN_CATEGORIES,
    CONTACT_CATEGORY,
    Agency,
    Category,
    Entry,
    FaqBook,
    Online,
    OnlineLevel,
    Postal,
)
from faq.yaml_errors import BULLETS
from faq.yaml_tree import Map as _Map
from faq.yaml_tree import Node as _Node
from faq.yaml_tree import Scalar as _Scalar
from faq.yaml_tree import Seq as _Seq
from faq.yaml_tree import clean as _clean
from faq.yaml_tree import compose_tree


class _Reader:
    """Walks the YAML tree once, collecting every problem, and builds the book if there is none."""

    def __init__(self, source: str, today: dt.date) -> None:
        self.source = source
        self.today = today
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.category_lines: dict[str, int] = {}
        self.synonym_lines: dict[str, int] = {}
        self.broken: set[tuple[str, str]] = set()
        """(where, key) of lists already reported as not lists: not also "left empty"."""

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

    def _required(
        self,
        f: Mapping[str, tuple[int, _Node]],
        key: str,
        keys: Mapping[str, str],
        where: str,
        line: int,
        required: bool,
    ) -> tuple[int, _Node] | None:
        """The (line, node) of a key, reporting it when required and absent."""
        item = f.get(key)
        if item is None and required:
            self.error(line, f"{where} thiếu khóa '{key}' ({keys[key]}).")
        return item

    def _empty(self, line: int, key: str, keys: Mapping[str, str], where: str) -> None:
        """Report a required key left empty."""
        self.error(line, f"{where}: khóa '{key}' ({keys[key]}) đang để trống.")

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
        item = self._required(f, key, keys, where, line, required)
        if item is None:
            return ""
        key_line, value = item
        if isinstance(value, _Scalar):
            text = "" if value.null else _clean(value.value)
            if not text and required:
                self._empty(key_line, key, keys, where)
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
        item = self._required(f, key, keys, where, line, required)
        if item is None:
            return ()
        key_line, value = item
        if isinstance(value, _Scalar) and value.null:
            if required:
                self._empty(key_line, key, keys, where)
            return ()
        if not isinstance(value, _Seq):
            pasted = _pasted_bullet(value)
            why = (
                f" (các ý đang bắt đầu bằng dấu '{pasted}', thường do dán từ Word: hãy thay mỗi dấu đó bằng "
                "'- ')"
                if pasted
                else ""
            )
            self.error(
                value.line,
                f"{where}: khóa '{key}' phải là một danh sách, mỗi ý viết trên một dòng riêng bắt "
                "đầu bằng '- ' (gạch ngang và dấu cách), thụt lề vào trong — đang là một "
                f"{_kind(value)}{why}.",
            )
            self.broken.add((where, key))
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
            synonym_lines=tuple(self.synonym_lines.get(c, 0) for c, _ in synonyms),
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
            self.synonym_lines[canonical] = key.line
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
            wanted = (
                ("summary", "updated")
                if entry.category == CONTACT_CATEGORY
                else ("summary", "steps", "updated")
            )
            for key in wanted:
                if key not in f:
                    self.warning(line, f"{where} chưa có '{key}' ({ENTRY_KEYS[key]}).")
            shown = {
                "summary": entry.summary,
                "steps": entry.steps,
                "documents": entry.documents,
                "fee": entry.fee,
                "processing_time": entry.processing_time,
                "where": entry.where,
            }
            for key, value in shown.items():
                if key in f and not value and (where, key) not in self.broken:
                    # Left empty, it reads as "no information" to citizens, as if the key were missing.
                    self.warning(
                        f[key][0],
                        f"{where}: '{key}' ({ENTRY_KEYS[key]}) đang để trống — hãy ghi nội dung, hoặc "
                        "xóa dòng này nếu chưa có thông tin.",
                    )
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


def _pasted_bullet(node: _Node) -> str:
    """The word processor's bullet a text meant as a list starts with ("• Bước 1 • Bước 2"), if any."""
    if not isinstance(node, _Scalar) or node.null:
        return ""
    first = node.value.lstrip()[:1]
    return first if first in BULLETS else ""
