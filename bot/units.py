"""The only reader of the units file (faq/data/units/units.csv or the operator's own copy).

CSV, one unit per line: `mã,tên,tỉnh,tên cũ`; former names separated by ';', each optionally
followed by its district and "một phần" in brackets. Lines starting with '#' are comments. Every
problem is reported at once, in Vietnamese, as file:line.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Collection
from importlib import resources
from pathlib import Path

from bot.oserrors import describe_os_error
from faq.normalize import fold_accents
from faq.units import FormerUnit, Unit, UnitDirectory

DEFAULT_UNITS: Path = Path(str(resources.files("faq").joinpath("data", "units", "units.csv")))
HEADER = ("mã", "tên", "tỉnh", "tên cũ")
_FORMER = re.compile(r"(?P<name>[^()]*?)\s*(?:\((?P<notes>[^()]*)\))?\s*")
_PARTIAL = "mot phan"
_WHAT = "tệp danh sách xã/phường"


class UnitsError(Exception):
    """The units file cannot be used; `problems` lists every reason (in Vietnamese, file:line)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _folded(cell: str) -> str:
    return " ".join(fold_accents(cell).lower().split())


def normalize_code(code: str) -> str:
    """An official code as written in the file: five digits (spreadsheets drop the leading zeros)."""
    code = code.strip()
    return code.zfill(5) if code.isdigit() and len(code) <= 5 else code


def _formers(cell: str, where: str, problems: list[str]) -> tuple[FormerUnit, ...]:
    """The former units of one cell: "Phường Đại Kim (Quận Hoàng Mai, một phần); Xã Thanh Liệt"."""
    out: list[FormerUnit] = []
    for part in cell.split(";"):
        if not part.strip():
            continue
        match = _FORMER.fullmatch(part.strip())
        if match is None or not match["name"]:
            problems.append(
                f"{where}: không đọc được tên cũ '{part.strip()}' — hãy ghi dạng 'Xã Tên Cũ' hoặc "
                "'Xã Tên Cũ (Huyện Tên Huyện)', các tên cách nhau bằng dấu ';'."
            )
            continue
        notes = [n.strip() for n in (match["notes"] or "").split(",") if n.strip()]
        partial = any(_folded(n) == _PARTIAL for n in notes)
        district = ", ".join(n for n in notes if _folded(n) != _PARTIAL)
        out.append(FormerUnit(" ".join(match["name"].split()), district, partial))
    return tuple(out)


def read_units(path: str | Path | None = None) -> tuple[Unit, ...]:
    """Every unit in the file (the shipped list when `path` is None); UnitsError names each bad line."""
    path = Path(path) if path is not None else DEFAULT_UNITS
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnitsError(
            [f"{path}: tệp không ở mã UTF-8 — hãy lưu lại dưới dạng 'CSV UTF-8' (có dấu tiếng Việt)."]
        ) from exc
    except OSError as exc:
        message = describe_os_error(exc, _WHAT)
        raise UnitsError([message[:1].upper() + message[1:]]) from exc
    problems: list[str] = []
    units: list[Unit] = []
    seen: dict[str, int] = {}
    header_seen = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{path}:{number}"
        cells = [c.strip() for c in next(csv.reader([line]))]
        if not header_seen:
            header_seen = True
            if tuple(_folded(c) for c in cells) != tuple(_folded(h) for h in HEADER):
                problems.append(f"{where}: dòng tiêu đề phải là '{','.join(HEADER)}'.")
            continue
        if len(cells) == 3:
            cells.append("")
        if len(cells) != 4:
            problems.append(
                f"{where}: dòng có {len(cells)} cột, cần 4 cột (mã, tên, tỉnh, tên cũ) — nếu tên có "
                'dấu phẩy, hãy bọc cả ô trong ngoặc kép "...".'
            )
            continue
        code, name, province, former = cells
        code = normalize_code(code)
        if not (code.isdigit() and len(code) == 5):
            problems.append(
                f"{where}: mã '{cells[0]}' không hợp lệ — mã xã/phường gồm 5 chữ số, ví dụ 00283."
            )
            continue
        if not name or not province:
            problems.append(f"{where}: thiếu {'tên đơn vị' if not name else 'tên tỉnh/thành phố'}.")
            continue
        if code in seen:
            problems.append(
                f"{where}: mã {code} bị trùng với dòng {seen[code]} — mỗi đơn vị chỉ ghi một dòng."
            )
            continue
        seen[code] = number
        formers = _formers(former, where, problems)
        units.append(Unit(code, name, province, tuple(f.name for f in formers), formers))
    if not header_seen:
        problems.append(f"{path}: tệp trống — cần dòng tiêu đề '{','.join(HEADER)}' và mỗi dòng một đơn vị.")
    if problems:
        raise UnitsError(problems)
    return tuple(units)


def load_units(path: str | None, codes: Collection[str] | None = None) -> UnitDirectory:
    """The units of the file (None: the shipped list), restricted to `codes` when given."""
    units = read_units(path)
    if codes is None:
        return UnitDirectory(units)
    wanted = [normalize_code(c) for c in codes]
    known = {u.code for u in units}
    unknown = [c for c in dict.fromkeys(wanted) if c not in known]
    if unknown:
        shown = ", ".join(unknown)
        where = path if path is not None else DEFAULT_UNITS
        raise UnitsError(
            [
                f"{where}: không có đơn vị nào mang mã {shown} — hãy kiểm tra lại mã xã/phường trong "
                "cấu hình (mã gồm 5 chữ số, tra trong cột 'mã' của tệp này)."
            ]
        )
    keep = set(wanted)
    return UnitDirectory(u for u in units if u.code in keep)
