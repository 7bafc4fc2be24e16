"""Cost of UnitDirectory.resolve against the whole shipped list (3,321 units, ~10,600 former names).

Run: .venv/bin/python bench/bench_units.py [--repeats 7] [--rounds 200]

Each kind of text (an exact name, a former name with its old district, a typo after "phường", a typo
alone when the bot asked "which commune?", a question that names no unit, a long message) is resolved
`rounds` times per repeat. The baseline, measured in the same run, is the simplest fuzzy lookup one
would write first: one rapidfuzz extractOne of the text over the 3,321 current names. Printed per
kind: milliseconds per call (min/median/max over the repeats) and the ratio to the baseline's median.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

from bot.units import load_units  # noqa: E402
from faq.units import UnitDirectory  # noqa: E402

KINDS: dict[str, tuple[str, bool]] = {
    "exact name": ("phường Hoàng Liệt", False),
    "former + old district": ("xa binh hung huyen binh chanh", False),
    "typo after type word": ("phuong hoang liec", False),
    "typo alone (asked)": ("hoàng liệc", True),
    "question, no unit": ("đăng ký kết hôn cần giấy tờ gì", False),
    "long message": (
        "dạ chào anh chị, em thường trú ở quê nhưng đang ở trọ tại phường hoàng liệt, em muốn làm "
        "thẻ căn cước mới ở công an phường chỗ em trọ được không hay phải về quê ạ",
        False,
    ),
}


def per_call_ms(call: Callable[[], object], rounds: int, repeats: int) -> list[float]:
    """Milliseconds per call, one figure per repeat."""
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(rounds):
            call()
        out.append((time.perf_counter() - start) * 1000 / rounds)
    return out


def main() -> int:
    """Print the figures; 0 always."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    start = time.perf_counter()
    directory: UnitDirectory = load_units(None)
    loaded = time.perf_counter() - start
    names = [u.name for u in directory]
    print(f"load_units(None): {loaded * 1000:.0f} ms for {len(directory)} units")
    text = KINDS["exact name"][0]
    base = per_call_ms(lambda: process.extractOne(text, names, scorer=fuzz.WRatio), args.rounds, args.repeats)
    base_median = statistics.median(base)
    print(f"{'kind':24} {'min':>7} {'median':>7} {'max':>7}  ratio to baseline (median)")
    print(f"{'baseline extractOne':24} {min(base):7.3f} {base_median:7.3f} {max(base):7.3f}  1.00")
    for kind, (query, asked) in KINDS.items():
        times = per_call_ms(lambda q=query, a=asked: directory.resolve(q, asked=a), args.rounds, args.repeats)
        median = statistics.median(times)
        print(f"{kind:24} {min(times):7.3f} {median:7.3f} {max(times):7.3f}  {median / base_median:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
