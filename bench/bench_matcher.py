"""Matcher benchmark: synthetic FAQs of 40, 400 and 4,000 entries, ours against the naive approach.

Run: .venv/bin/python bench/bench_matcher.py [--sizes 40,400,4000] [--queries 300]

Each size runs in its own subprocess so peak RSS (ru_maxrss) belongs to that size alone. Reported per
size: FAQ load time (YAML → FaqBook through faq.loader) and index build time (Matcher), peak RSS,
per-message latency p50/p99 of Matcher.match and of the naive approach many FAQ bots use
(rapidfuzz process.extractOne with fuzz.WRatio and utils.default_process over every question),
the speed ratio, and top-1 accuracy of both on the same synthetic queries (typos, accents off,
abbreviations, polite preambles).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process, utils  # noqa: E402

try:
    import resource
except ImportError:  # Windows has no resource module: no peak-RSS figure there
    resource = None  # type: ignore[assignment]

from faq.normalize import fold_accents, place_tone  # noqa: E402

ONSETS = str.split("b c ch d đ g gh h k kh l m n ng nh p ph qu r s t th tr v x")
RHYMES = str.split(
    "a ai am an ang anh ao au ay ăm ăn ăng âm ân âng âu ây e em en eo ê êm ên ênh êu i ia im in inh "
    "iêm iên iêu o oa oai oan oang oanh oi om on ong ô ôi ôm ôn ông ơ ơi ơm ơn u ua uân uê ui um un "
    "ung uôi uôn uông ư ưa ưi ưng ươi ươn ương ưu y"
)
TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
VERBS = ("Đăng ký", "Cấp", "Cấp lại", "Xác nhận", "Chứng thực", "Thay đổi", "Gia hạn", "Đăng ký lại")
QUESTION_TEMPLATES = (
    "{verb} {a} cần những gì",
    "làm {a} ở đâu",
    "{a} {b} mất bao lâu",
    "thủ tục {a} online được không",
    "{verb} {a} cho {c} hết bao nhiêu tiền",
    "{a} nộp hồ sơ ở đâu",
    "hồ sơ {a} gồm những giấy tờ gì",
    "{b} có phải làm {a} không",
    "làm {a} qua bưu điện được không",
    "hướng dẫn {verb} {a} {b}",
)
QUERY_TEMPLATES = (
    "cho em hỏi {a} cần giấy tờ gì ạ",
    "{verb} {a} mất mấy ngày",
    "muốn làm {a} thì làm sao",
    "{a} lệ phí bao nhiêu",
    "dạ {a} {b} làm ở chỗ nào ạ",
    "{c} đi {verb} {a} được không",
    "{a} làm trên vneid được ko",
    "ad ơi {a} nộp ở đâu",
    "em ở {c} muốn hỏi về {a}",
    "{b} thì có cần {a} không ạ",
)
ABBREVIATE = {"không": "ko", "được": "dc", "đăng ký": "dk", "bao nhiêu": "bn", "hồ sơ": "hs"}


def syllable(rng: random.Random) -> str:
    """One random Vietnamese-looking syllable with a tone."""
    word = rng.choice(ONSETS) + rng.choice(RHYMES)
    tone = rng.choice(TONES)
    if not tone:
        return word
    return place_tone(unicodedata.normalize("NFC", unicodedata.normalize("NFD", word) + tone))


def vocabulary(rng: random.Random, count: int) -> list[str]:
    """Distinct two-syllable words."""
    words: set[str] = set()
    while len(words) < count:
        words.add(f"{syllable(rng)} {syllable(rng)}")
    return sorted(words)


def build_faq(size: int, seed: int = 7) -> tuple[str, list[tuple[str, str, str, str, str]]]:
    """A synthetic FAQ YAML text and, per entry, (id, verb, topic a, topic b, shared word c)."""
    rng = random.Random(seed)
    topics = vocabulary(rng, size * 2)
    rng.shuffle(topics)
    shared = vocabulary(rng, max(4, size // 20))
    lines = [
        "version: 1",
        "agency: {name: UBND phường Mẫu, address: Số 1, hours: 7h30-17h, phone: '0200', "
        "portal: 'https://dichvucong.gov.vn'}",
        "categories:",
        "  - {id: chung, title: Thủ tục chung}",
        "entries:",
    ]
    plan = []
    for i in range(size):
        a, b = topics[2 * i], topics[2 * i + 1]
        c = shared[i % len(shared)]
        verb = rng.choice(VERBS)
        entry_id = f"tt-{i:05d}"
        plan.append((entry_id, verb, a, b, c))
        questions = [t.format(verb=verb.lower(), a=a, b=b, c=c) for t in QUESTION_TEMPLATES]
        lines += [
            f"  - id: {entry_id}",
            "    category: chung",
            f"    title: {verb} {a}",
            "    questions:",
            *(f"      - {q}" for q in questions),
            f"    keywords: [{a}, {b}]",
            f"    summary: Hướng dẫn {verb.lower()} {a}.",
        ]
    return "\n".join(lines) + "\n", plan


def typo(word: str, rng: random.Random) -> str:
    """Drop, double or swap one letter of a word."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice(("drop", "double", "swap"))
    if op == "drop":
        return word[:i] + word[i + 1 :]
    if op == "double":
        return word[:i] + word[i] + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def make_queries(plan: list, count: int, seed: int = 11) -> list[tuple[str, str]]:
    """(query, expected id): realistic phrasings with typos, accents off and abbreviations."""
    rng = random.Random(seed)
    queries = []
    for _ in range(count):
        entry_id, verb, a, b, c = rng.choice(plan)
        text = rng.choice(QUERY_TEMPLATES).format(verb=verb.lower(), a=a, b=b, c=c)
        if rng.random() < 0.25:
            words = text.split()
            k = rng.randrange(len(words))
            words[k] = typo(words[k], rng)
            text = " ".join(words)
        if rng.random() < 0.2:
            for full, short in ABBREVIATE.items():
                text = text.replace(full, short)
        if rng.random() < 0.3:
            text = fold_accents(text)
        queries.append((text, entry_id))
    return queries


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run_size(size: int, query_count: int) -> dict:
    """Benchmark one FAQ size in this process; returns the figures."""
    from faq.loader import load_faq
    from faq.matcher import Matcher

    text, plan = build_faq(size)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "faq.yaml"
        path.write_text(text, encoding="utf-8")
        t0 = time.perf_counter()
        book = load_faq(path)
        t1 = time.perf_counter()
    matcher = Matcher(book, cache_size=0)  # every message scored (synthetic queries repeat)
    t2 = time.perf_counter()
    queries = make_queries(plan, query_count)
    ours, ours_right = [], 0
    for q, expected in queries:
        start = time.perf_counter()
        result = matcher.match(q)
        ours.append((time.perf_counter() - start) * 1000)
        top = result.entry or (result.suggestions[0] if result.suggestions else None)
        ours_right += top is not None and top.id == expected
    choices = [question for e in book.entries for question in e.questions]
    owner = [e.id for e in book.entries for _ in e.questions]
    naive, naive_right = [], 0
    naive_queries = queries[: max(50, query_count // 3)] if size >= 4000 else queries
    for q, expected in naive_queries:
        start = time.perf_counter()
        best = process.extractOne(q, choices, scorer=fuzz.WRatio, processor=utils.default_process)
        naive.append((time.perf_counter() - start) * 1000)
        naive_right += best is not None and owner[best[2]] == expected
    ours_p50, naive_p50 = statistics.median(ours), statistics.median(naive)
    return {
        "entries": size,
        "questions": len(choices),
        "yaml_load_s": round(t1 - t0, 3),
        "index_build_s": round(t2 - t1, 3),
        "peak_rss_mb": peak_rss_mb(),
        "ours_p50_ms": round(ours_p50, 3),
        "ours_p99_ms": round(percentile(ours, 99), 3),
        "ours_top1": round(ours_right / len(queries), 3),
        "naive_p50_ms": round(naive_p50, 3),
        "naive_p99_ms": round(percentile(naive, 99), 3),
        "naive_top1": round(naive_right / len(naive_queries), 3),
        "speedup_p50": round(naive_p50 / ours_p50, 1),
    }


def peak_rss_mb() -> float | None:
    """Peak resident memory of this process in MB; None where it cannot be read (Windows)."""
    if resource is None:
        return None
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def shipped_per_message_ms(passes: int = 5) -> tuple[int, float]:
    """(questions, best mean ms per message) of Matcher.match on the shipped FAQ over the labelled
    questions of tests/data/questions.yaml, with the ranking cache off (distinct messages)."""
    from faq.evaluate import load_cases
    from faq.loader import load_faq
    from faq.matcher import Matcher

    matcher = Matcher(load_faq(None), cache_size=0)
    questions = [case.q for case in load_cases(ROOT / "tests" / "data" / "questions.yaml")]
    for q in questions:  # warm the normaliser's word caches, as a running bot has them
        matcher.match(q)
    best = float("inf")
    for _ in range(passes):
        start = time.perf_counter()
        for q in questions:
            matcher.match(q)
        best = min(best, time.perf_counter() - start)
    return len(questions), best / len(questions) * 1000


class ChildFailed(Exception):
    """The subprocess benchmarking one size did not finish; carries what it wrote on stderr."""

    def __init__(self, size: int, returncode: int, stderr: str) -> None:
        super().__init__(f"the {size}-entry run exited with code {returncode}")
        self.size = size
        self.returncode = returncode
        self.stderr = stderr


def run_child(size: int, queries: int) -> dict:
    """Benchmark one size in a fresh interpreter; ChildFailed with its stderr when it fails."""
    done = subprocess.run(
        [sys.executable, __file__, "--one", str(size), "--queries", str(queries)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise ChildFailed(size, done.returncode, done.stderr)
    return json.loads(lines[-1])


def main(argv: list[str] | None = None) -> int:
    """Run every size in a subprocess and print a table; 1 (with the child's stderr) when one fails."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="40,400,4000")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_size(args.one, args.queries)))
        return 0
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        try:
            rows.append(run_child(size, args.queries))
        except ChildFailed as exc:
            print(f"{exc}; its stderr:\n{exc.stderr.rstrip() or '(empty)'}", file=sys.stderr)
            return 1
        print(f"done {size} entries", file=sys.stderr)
    columns = list(rows[0])
    print(" | ".join(f"{c:>13}" for c in columns))
    for row in rows:
        print(" | ".join(f"{row[c]!s:>13}" for c in columns))
    last = rows[-1]
    print(
        f"\nAt {last['entries']} entries: matcher p50 {last['ours_p50_ms']} ms, "
        f"naive p50 {last['naive_p50_ms']} ms: {last['speedup_p50']}x faster; "
        f"load {last['yaml_load_s']} s + index {last['index_build_s']} s; "
        f"peak RSS {last['peak_rss_mb'] if last['peak_rss_mb'] is not None else 'n/a'} MB."
    )
    count, per_message = shipped_per_message_ms()
    print(f"Shipped FAQ, {count} labelled questions, no cache: {per_message:.3f} ms per message.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
