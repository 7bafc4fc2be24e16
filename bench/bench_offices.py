"""Province benchmark: start-up time and memory with 1, 10 and 100 offices over one shared FAQ.

Run: .venv/bin/python bench/bench_offices.py [--offices 1,10,100] [--repeats 3] [--no-semantic]

The shipped FAQ is the shared file; each office gets a small generated overlay (agency block, two
entries of its own, one entry replacing a shared one). Each measurement runs in its own subprocess
(so peak RSS belongs to it). Reported, beside the single-FAQ baseline measured in the same run:
- start-up: reading the shared FAQ and every overlay, and building the one index with a view per
  office (faq.offices.build_province), lexical-only and with the semantic stage (vector cache warm:
  what a restart costs; the cold figure, every new overlay text embedded once, is printed apart);
- reloading one overlay (the whole index is rebuilt: shared vectors come from the cache);
- per-message time of one office's view (lexical-only), p50 over the shipped labelled questions;
- peak RSS.
Figures are min / median / max over repeats, and the ratio of the medians to the baseline.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_matcher import peak_rss_mb  # noqa: E402

SHARED_REPLACED = {"khai-sinh": "ho-tich", "tam-tru": "cu-tru", "can-cuoc": "can-cuoc", "ket-hon": "ho-tich"}


def overlay_text(n: int) -> str:
    """A small overlay: agency, two entries of its own, one replacing a shared entry."""
    replaced = list(SHARED_REPLACED)[n % len(SHARED_REPLACED)]
    return f"""\
version: 1
agency:
  name: Ủy ban nhân dân xã Thử Nghiệm {n}
  address: Số {n} đường Thử, xã Thử Nghiệm {n}
  hours: "Thứ Hai đến Thứ Sáu: 7:30–11:30, 13:30–17:00"
  phone: "0200 000 {n:03d}"
  portal: https://dichvucong.gov.vn
entries:
  - id: cho-phien-{n}
    category: kinh-doanh
    title: Đăng ký bán hàng ở chợ phiên số {n}
    questions: [muốn bán hàng ở chợ phiên {n} thì đăng ký ở đâu, thuê sạp chợ phiên {n}]
    summary: Đăng ký với Ban quản lý chợ phiên số {n}.
    updated: 2025-07-01
  - id: nha-van-hoa-{n}
    category: dich-vu-cong
    title: Mượn nhà văn hóa thôn {n}
    questions: [mượn nhà văn hóa thôn {n} tổ chức đám cưới, đăng ký dùng hội trường thôn {n}]
    summary: Liên hệ trưởng thôn {n} trước ba ngày.
    updated: 2025-07-01
replace:
  - id: {replaced}
    category: {SHARED_REPLACED[replaced]}
    title: Thủ tục tại xã Thử Nghiệm {n}
    questions: [làm {replaced.replace("-", " ")} ở xã {n}]
    summary: Tại xã Thử Nghiệm {n}, nộp hồ sơ ở quầy số {n % 5 + 1}.
    updated: 2025-07-01
"""


def child(offices: int, semantic: bool, cache: str) -> dict[str, object]:
    """One measurement, in this (fresh) process."""
    from bot.config import SemanticConfig
    from bot.semantic import semantic_setup
    from faq.decision import MatchSettings
    from faq.evaluate import load_cases
    from faq.knowledge import load_knowledge
    from faq.loader import load_faq
    from faq.offices import build_province
    from faq.overlay_loader import load_overlay

    indexer = semantic_setup(SemanticConfig(cache=cache)).indexer if semantic else None
    if semantic and indexer is None:
        return {"error": "semantic stage unavailable"}
    settings = MatchSettings()
    folder = Path(tempfile.mkdtemp(prefix="offices-"))
    paths = {}
    for n in range(offices):
        paths[f"xa-{n}"] = folder / f"xa-{n}.yaml"
        paths[f"xa-{n}"].write_text(overlay_text(n), encoding="utf-8")
    start = time.perf_counter()
    if offices == 0:
        knowledge = load_knowledge(None, settings, indexer)
        matcher_match = knowledge.match
    else:
        shared = load_faq(None)
        overlays = {office: load_overlay(path, shared) for office, path in paths.items()}
        province = build_province(shared, overlays, settings, indexer)
        matcher_match = province.knowledge("xa-0").match
    startup = time.perf_counter() - start
    reload_s = None
    if offices:
        start = time.perf_counter()
        overlays["xa-0"] = load_overlay(paths["xa-0"], shared)
        build_province(shared, overlays, settings, indexer)
        reload_s = time.perf_counter() - start
    per_message = []
    if not semantic:
        cases = load_cases(ROOT / "tests" / "data" / "questions.yaml")
        for case in cases:
            start = time.perf_counter()
            matcher_match(case.q)
            per_message.append((time.perf_counter() - start) * 1000)
    return {
        "startup_s": round(startup, 3),
        "reload_s": round(reload_s, 3) if reload_s is not None else None,
        "p50_ms": round(statistics.median(per_message), 3) if per_message else None,
        "peak_rss_mb": peak_rss_mb(),
    }


def run_child(offices: int, semantic: bool, cache: str) -> dict[str, object]:
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            str(offices),
            "--cache",
            cache,
            *(["--semantic"] if semantic else []),
        ],
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def spread(values: list[float]) -> str:
    return f"{min(values):.3f} / {statistics.median(values):.3f} / {max(values):.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--offices", default="1,10,100")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-semantic", action="store_true")
    parser.add_argument("--child", type=int, default=None)
    parser.add_argument("--semantic", action="store_true")
    parser.add_argument("--cache", default="")
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child, args.semantic, args.cache)))
        return
    counts = [0, *(int(n) for n in args.offices.split(","))]
    modes = [False] if args.no_semantic else [False, True]
    with tempfile.TemporaryDirectory() as tmp:
        cache = str(Path(tmp) / "vectors.sqlite3")
        for semantic in modes:
            label = "lexical + semantic (warm vector cache)" if semantic else "lexical only"
            print(f"\n== {label}: min / median / max over {args.repeats} runs; ratio = median / baseline")
            cold: dict[int, object] = {}
            if semantic:
                for n in counts:  # fills the cache with every text once: the cold start
                    cold[n] = run_child(n, True, cache)["startup_s"]
            base: dict[str, float] = {}
            for n in counts:
                runs = [run_child(n, semantic, cache) for _ in range(args.repeats)]
                start = [float(r["startup_s"]) for r in runs]  # type: ignore[arg-type]
                rss = [float(r["peak_rss_mb"]) for r in runs if r["peak_rss_mb"] is not None]  # type: ignore[arg-type]
                name = "baseline (one FAQ)" if n == 0 else f"{n} offices"
                if n == 0:
                    base = {"start": statistics.median(start), "rss": statistics.median(rss) if rss else 0.0}
                ratio = statistics.median(start) / base["start"]
                line = f"{name:>20}: start-up s {spread(start)} (x{ratio:.2f})"
                if rss:
                    line += f", peak RSS MB {spread(rss)} (x{statistics.median(rss) / base['rss']:.2f})"
                if n and runs[0]["reload_s"] is not None:
                    line += f", reload one overlay s {spread([float(r['reload_s']) for r in runs])}"  # type: ignore[arg-type]
                if runs[0]["p50_ms"] is not None:
                    line += f", p50 ms/message {spread([float(r['p50_ms']) for r in runs])}"  # type: ignore[arg-type]
                if semantic:
                    line += f"; cold start-up s {cold[n]}"
                print(line, flush=True)


if __name__ == "__main__":
    main()
