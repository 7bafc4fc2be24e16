"""STAND-IN (branch wt-offices) for the unit list reader written on branch wt-units (the lead keeps
theirs): `load_units` with the same signature over a few Hà Nội units."""

from __future__ import annotations

import csv
from collections.abc import Collection

from faq.units import Unit, UnitDirectory

_SAMPLE = (
    Unit("00316", "Phường Định Công", "Thành phố Hà Nội",
         ("Xã Tân Triều", "Xã Thanh Liệt", "Phường Đại Kim", "Phường Định Công", "Phường Giáp Bát",
          "Phường Hoàng Liệt", "Phường Thịnh Liệt")),
    Unit("00331", "Phường Hoàng Mai", "Thành phố Hà Nội",
         ("Phường Giáp Bát", "Phường Hoàng Liệt", "Phường Hoàng Văn Thụ", "Phường Lĩnh Nam",
          "Phường Tân Mai", "Phường Thịnh Liệt", "Phường Trần Phú", "Phường Tương Mai",
          "Phường Vĩnh Hưng", "Phường Yên Sở")),
    Unit("00337", "Phường Hoàng Liệt", "Thành phố Hà Nội",
         ("Thị trấn Văn Điển", "Xã Tam Hiệp", "Xã Thanh Liệt", "Phường Đại Kim", "Phường Hoàng Liệt")),
    Unit("00340", "Phường Yên Sở", "Thành phố Hà Nội",
         ("Xã Tứ Hiệp", "Phường Hoàng Liệt", "Phường Thịnh Liệt", "Phường Trần Phú", "Phường Yên Sở")),
)  # fmt: skip


def load_units(path: str | None, codes: Collection[str] | None = None) -> UnitDirectory:
    """The units of a CSV file (code,name,province,"former; former"), None: the shipped list;
    restricted to `codes` when given."""
    units: tuple[Unit, ...] = _SAMPLE
    if path is not None:
        with open(path, encoding="utf-8", newline="") as fh:
            rows = [r for r in csv.reader(fh) if r and not r[0].startswith("#") and r[0] != "code"]
        units = tuple(
            Unit(r[0], r[1], r[2], tuple(f.split("(")[0].strip() for f in r[3].split(";") if f.strip()))
            for r in rows
        )
    if codes is not None:
        keep = set(codes)
        units = tuple(u for u in units if u.code in keep)
    return UnitDirectory(units)
