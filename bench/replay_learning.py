"""Measured effect of learning from citizens (issue 17): a labelled set replayed as a stream of citizens.

    python bench/replay_learning.py [--lexical-only] [--seeds 5] [--markdown]
        [--faq PATH --set NAME ...]   (another FAQ and its labelled sets, names under tests/data)

For each set (questions_blind2, questions_letters) and each seed: shuffle the cases with that seed;
the first half are the "citizens". Each first-half question the bot did not answer, but whose
expected entry was among its suggestions, counts as a confirmed pick: its phrasing (cleaned as
`faqbot learn` cleans candidates: masked, one line, at most 150 characters) is accepted for the
picked entry through the real write-back path (bot.learn.FaqFile: loader and lint gate) into a temp
copy of the shipped FAQ, and the matcher is rebuilt (live reload) before the next citizen. Refusals
are counted. Then the SECOND half is evaluated (faq/evaluate.py) with the FAQ before and after.

With --asking-sentence, a long letter teaches its last asking sentence (bot.learn.asking_phrasing,
as the "Lưu vào FAQ" draft does) instead of nothing.

The baseline ("before") is measured in the same run on the same half; figures are fractions of
the second half's in-scope (answered correctly, helped, wrong) and out-of-scope (answered) cases,
min / median / max over the seeds. The shipped FAQ itself is never written.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.learn import (  # noqa: E402
    ConcurrentEdit,
    FaqFile,
    Refused,
    asking_phrasing,
    clean_phrasing,
    known_forms,
)
from bot.report import comparable  # noqa: E402
from faq.decision import Kind, MatchSettings  # noqa: E402
from faq.evaluate import Case, EvalReport, evaluate, load_cases  # noqa: E402
from faq.loader import DEFAULT_FAQ  # noqa: E402
from faq.matcher import Matcher  # noqa: E402
from faq.normalize import Normalizer  # noqa: E402
from faq.schema import FaqBook  # noqa: E402

DATA = ROOT / "tests" / "data"
SETS = ("questions_blind2", "questions_letters")
FIGURES = (
    ("answered_correct", "answered correctly"),
    ("helped", "helped"),
    ("wrong_answer", "wrong"),
    ("false_answer", "out of scope answered"),
)


@dataclass
class Replay:
    """One seed of one set: what the first half taught and how the second half fared."""

    picks: int = 0
    accepted: int = 0
    refused: int = 0
    too_long: int = 0
    known: int = 0
    before: EvalReport | None = None
    after: EvalReport | None = None
    asked_before: EvalReport | None = None
    """The first half itself, asked again: shows the accepted phrasings took effect."""
    asked_after: EvalReport | None = None


def matcher_factory(lexical_only: bool) -> Callable[[FaqBook], Matcher]:
    """Builds the real Matcher of a book as the bot does: lexical, or with the semantic stage (the
    default model and the bot's on-disk passage-vector cache, so unchanged passages are not re-embedded)."""
    if lexical_only:
        return Matcher
    from bot.config import SemanticConfig
    from bot.semantic import semantic_setup
    from faq.knowledge import build_matcher

    setup = semantic_setup(SemanticConfig())
    indexer = setup.indexer
    if indexer is None:
        raise SystemExit(f"semantic stage unavailable: {setup.reason}")
    return lambda book: build_matcher(book, MatchSettings(), indexer)


def replay(
    cases: tuple[Case, ...],
    seed: int,
    build: Callable[[FaqBook], Matcher],
    work: Path,
    asking: bool = False,
    source: Path = DEFAULT_FAQ,
) -> Replay:
    """Stream the first half as citizens into a copy of the FAQ, evaluate the second half."""
    order = list(cases)
    random.Random(seed).shuffle(order)
    half = len(order) // 2
    citizens, later = order[:half], order[half:]
    path = work / f"faq-{seed}.yaml"
    shutil.copyfile(source, path)
    faq = FaqFile.read(path, MatchSettings())
    matcher = build(faq.book)
    out = Replay(before=evaluate(matcher, later), asked_before=evaluate(matcher, citizens))
    for case in citizens:
        if not case.expect:
            continue
        result = matcher.match(case.q)
        if result.kind is Kind.ANSWER:
            continue
        picked = next((e.id for e in result.suggestions if e.id in case.expect), None)
        if picked is None:
            continue
        out.picks += 1
        phrasing = asking_phrasing(case.q) if asking else clean_phrasing(case.q)
        if phrasing is None:
            out.too_long += 1
            continue
        normalizer = Normalizer.for_pairs(faq.book.synonyms)
        if comparable(phrasing, normalizer) in known_forms(faq.book, normalizer):
            out.known += 1
            continue
        try:
            faq = faq.add_phrasing(picked, phrasing)
        except (Refused, ConcurrentEdit):
            out.refused += 1
            continue
        out.accepted += 1
        matcher = build(faq.book)
    out.after = evaluate(matcher, later)
    out.asked_after = evaluate(matcher, citizens)
    return out


def _spread(values: list[float]) -> str:
    values = [v for v in values if v == v]  # a ratio over a zero baseline is left out
    if not values:
        return "—"
    return f"{min(values):.3f} / {statistics.median(values):.3f} / {max(values):.3f}"


def main() -> int:
    """Replay every set over the seeds and print the before/after table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lexical-only", action="store_true", help="without the semantic stage")
    parser.add_argument("--seeds", type=int, default=5, help="repeats, each with its own shuffle (seeds 1…N)")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument(
        "--asking-sentence",
        action="store_true",
        help="a long letter teaches its last asking sentence (as 'Lưu vào FAQ' drafts do) instead of nothing",
    )
    parser.add_argument("--faq", type=Path, default=DEFAULT_FAQ, help="the FAQ to learn into (a temp copy)")
    parser.add_argument(
        "--set", action="append", dest="sets", help="a labelled set under tests/data (repeatable)"
    )
    args = parser.parse_args()
    build = matcher_factory(args.lexical_only)
    stages = "lexical" if args.lexical_only else "lexical + semantic"
    taught = (
        "last asking sentence of long letters"
        if args.asking_sentence
        else "phrasings as `faqbot learn` offers"
    )
    print(f"stages: {stages}; {taught}; seeds 1…{args.seeds}; figures min / median / max over the seeds")
    with tempfile.TemporaryDirectory(prefix="replay-learning-") as tmp:
        for name in args.sets or SETS:
            cases = load_cases(DATA / f"{name}.yaml")
            started = time.perf_counter()
            runs = [
                replay(cases, seed, build, Path(tmp), args.asking_sentence, args.faq)
                for seed in range(1, args.seeds + 1)
            ]
            took = time.perf_counter() - started
            _print(name, len(cases), runs, args.markdown, took)
    return 0


def _print(name: str, total: int, runs: list[Replay], markdown: bool, took: float) -> None:
    counts = {
        "confirmed picks": [r.picks for r in runs],
        "accepted as phrasings": [r.accepted for r in runs],
        "refused by the lint gate": [r.refused for r in runs],
        "too long to offer (>150 chars)": [r.too_long for r in runs],
        "already in the FAQ": [r.known for r in runs],
    }
    second = runs[0].before
    assert second is not None
    print()
    halves = f"second half {second.in_scope} in scope + {second.out_of_scope} out"
    print(f"{name}: {total} cases; {halves} ({took:.0f} s)")
    if markdown:
        print("| first half (citizens) | min / median / max |")
        print("|---|---|")
        for label, values in counts.items():
            print(f"| {label} | {min(values)} / {statistics.median(values):g} / {max(values)} |")
        print()
        print("| second half | before | after | after − before | after / before |")
        print("|---|---|---|---|---|")
    else:
        for label, values in counts.items():
            print(f"  {label:32s} {min(values)} / {statistics.median(values):g} / {max(values)}")
        heads = ("before", "after", "after − before", "after / before")
        print(f"  {'second half':24s} " + " ".join(f"{h:>25s}" for h in heads))
    rows = [(key, label, "before", "after") for key, label in FIGURES]
    rows.append(
        ("answered_correct", "(first half re-asked) answered correctly", "asked_before", "asked_after")
    )
    for key, label, first, then in rows:
        before = [getattr(getattr(r, first), key) for r in runs]
        after = [getattr(getattr(r, then), key) for r in runs]
        gain = [a - b for a, b in zip(after, before, strict=True)]
        ratio = [a / b if b else float("nan") for a, b in zip(after, before, strict=True)]
        if markdown:
            print(f"| {label} | {_spread(before)} | {_spread(after)} | {_spread(gain)} | {_spread(ratio)} |")
        else:
            cells = (_spread(before), _spread(after), _spread(gain), _spread(ratio))
            print(f"  {label:24s} " + " ".join(f"{c:>25s}" for c in cells))


if __name__ == "__main__":
    sys.exit(main())
