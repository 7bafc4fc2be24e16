"""The lexical-only matcher on first FAQs: configured thresholds against faq.sparse's, side by side.

    python bench/bench_sparse.py [--repeats 5]

For the shipped FAQ stripped to its titles and the development FAQs of other offices (one or two
phrasings per entry), in the same run: the thresholds each decision uses, the quality figures on the
development questions (answered correctly / helped / wrong / out of scope rejected / out of scope
answered), and the time per message, [min, median, max] over the repeats with the ratio of medians.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from faq.decision import MatchSettings  # noqa: E402
from faq.evaluate import Case, evaluate, load_cases  # noqa: E402
from faq.lexical import LexicalMatcher  # noqa: E402
from faq.loader import load_faq  # noqa: E402
from faq.matcher import Matcher  # noqa: E402
from faq.schema import FaqBook, titles_only  # noqa: E402
from faq.sparse import lexical_only_settings, phrasings_median  # noqa: E402

DATA = ROOT / "tests" / "data"
TITLES_SETS = ("questions", "questions_letters", "questions_dev2", "questions_dev3")
FOREIGN = ("xa", "phuong", "tthc")


def timed(matcher: LexicalMatcher, texts: list[str], repeats: int) -> list[float]:
    """Milliseconds per message, one figure per repeat (no cache, so every message is ranked)."""
    out = []
    for _ in range(repeats):
        started = time.perf_counter()
        for text in texts:
            matcher.match(text)
        out.append((time.perf_counter() - started) / len(texts) * 1000)
    return out


def figures(matcher: Matcher, cases: tuple[Case, ...]) -> str:
    """The five quality figures of one evaluation."""
    r = evaluate(matcher, cases)
    values = (r.answered_correct, r.helped, r.wrong_answer, r.rejected, r.false_answer)
    return " / ".join(f"{v:.3f}" for v in values)


def main() -> int:
    """Print thresholds, quality and speed of both settings for each first FAQ."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    titles = titles_only(load_faq(None))
    runs: list[tuple[str, FaqBook, list[Path]]] = [
        ("titles only", titles, [DATA / f"{s}.yaml" for s in TITLES_SETS])
    ]
    runs += [
        (name, load_faq(DATA / "foreign" / f"faq_{name}.yaml"), [DATA / "foreign" / f"questions_{name}.yaml"])
        for name in FOREIGN
    ]
    configured = MatchSettings()
    print("FAQ          phrasings  thresholds (answer/suggest/margin)   ", end="")
    print("answered / helped / wrong / rejected / out of scope answered")
    for name, book, paths in runs:
        fitted = lexical_only_settings(configured, book)
        cases = tuple(c for path in paths for c in load_cases(path))
        texts = [c.q for c in cases]
        before = Matcher(book)
        before.lexical = LexicalMatcher(book, configured)
        after = Matcher(book)
        for label, settings, matcher in (("configured", configured, before), ("fitted", fitted, after)):
            values = (settings.answer_threshold, settings.suggest_threshold, settings.answer_margin)
            gates = "/".join(f"{v:.0f}" for v in values)
            print(
                f"{name:12s} {phrasings_median(book):9.0f}  {label:10s} {gates:24s} {figures(matcher, cases)}"
            )
        slow = timed(LexicalMatcher(book, configured, cache_size=0), texts, args.repeats)
        fast = timed(LexicalMatcher(book, fitted, cache_size=0), texts, args.repeats)
        spans = [f"[{min(t):.3f}, {statistics.median(t):.3f}, {max(t):.3f}]" for t in (slow, fast)]
        ratio = statistics.median(fast) / statistics.median(slow)
        speed = f"configured {spans[0]}, fitted {spans[1]}, ratio {ratio:.3f}"
        print(f"{'':12s} ms a message over {len(texts)}, [min, median, max]: {speed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
