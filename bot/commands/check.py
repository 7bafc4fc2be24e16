"""`faqbot check [PATH] [--strict] [--max-age-days N] [--json]`: every error and warning of a FAQ."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from bot.commands.report import read_log
from bot.config import AppConfig, ConfigError, load_config
from bot.recheck import format_recheck, recheck
from bot.semantic import semantic_setup
from faq.decision import MatchSettings
from faq.knowledge import Indexer, build_matcher
from faq.lint import LintSettings, lint
from faq.loader import DEFAULT_FAQ, Problem, check_faq
from faq.matcher import Matcher
from faq.overlay_loader import check_overlay
from faq.schema import FaqBook
from faq.sparse import lexical_only_settings, phrasings_median

RECHECK_DAYS = 30
"""How far back `check --config` asks citizens' answered questions again."""


def register(subparsers: Any) -> None:
    """Add the `check` subcommand."""
    parser = subparsers.add_parser(
        "check",
        help="kiểm tra tệp FAQ: lỗi (bot không dùng được) và cảnh báo (nên xem lại)",
        description=(
            "Kiểm tra tệp FAQ: báo mọi lỗi và cảnh báo kèm số dòng. Mã thoát 1 khi có lỗi "
            "(hoặc có cảnh báo khi dùng --strict), 0 khi tệp dùng được."
        ),
    )
    parser.add_argument("path", nargs="?", metavar="TỆP", help="tệp FAQ YAML (mặc định: FAQ đi kèm gói)")
    parser.add_argument("--strict", action="store_true", help="coi cảnh báo như lỗi (mã thoát 1)")
    parser.add_argument(
        "--max-age-days",
        type=_positive_int,
        default=LintSettings().max_age_days,
        metavar="N",
        help="cảnh báo mục có ngày rà soát (updated) cũ hơn N ngày (mặc định: %(default)s)",
    )
    parser.add_argument("--config", metavar="TỆP", help="tệp cấu hình YAML (ngưỡng so khớp và đường dẫn FAQ)")
    parser.add_argument(
        "--overlay",
        action="append",
        default=[],
        metavar="TỆP",
        help="tệp riêng của một xã/phường, kiểm tra cùng tệp FAQ chung (dùng nhiều lần được; mặc định: "
        "các tệp 'overlay' của mọi đơn vị trong cấu hình)",
    )
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    parser.set_defaults(func=run)


def _is_config(path: Path) -> bool:
    """Whether a file that fails as a FAQ reads as the bot's config file."""
    try:
        load_config(path, secrets=False)
    except ConfigError:
        return False
    return True


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"cần một số nguyên dương, không phải '{text}'")
    return value


def run(args: argparse.Namespace) -> int:
    """Check one FAQ file and print its problems; 1 on errors (or warnings with --strict)."""
    try:
        config = load_config(args.config, secrets=False) if args.config else AppConfig()
    except ConfigError as exc:
        for message in exc.problems:
            print(f"Lỗi cấu hình: {message}")
        return 2
    path = Path(args.path or config.faq.path or DEFAULT_FAQ)
    report = check_faq(path)
    if report.errors and args.path and not args.config and _is_config(path):
        # "faqbot check config.yaml" (--config forgotten) listed a dozen keys "not valid in a FAQ file".
        if not args.json:
            print(
                f"Tệp {path} là tệp cấu hình của bot, không phải tệp hỏi đáp — kiểm tra theo --config {path}:"
            )
        return run(argparse.Namespace(**{**vars(args), "config": str(path), "path": None}))
    warnings = list(report.warnings)
    if report.book is not None and not report.errors:
        matcher = Matcher(report.book, config.matching)
        warnings += lint(report.book, matcher, LintSettings(max_age_days=args.max_age_days))
        warnings.sort(key=lambda p: p.line)
    errors = list(report.errors)
    shared = report.book if report.book is not None and not errors else None
    overlays = list(args.overlay) or ([o.overlay for o in config.offices] if not args.path else [])
    checked: list[tuple[str, int | None, list[Problem], list[Problem]]] = []
    for overlay in overlays:
        found = check_overlay(overlay, shared)
        mine = found.overlay
        count = len(mine.entries) + len(mine.replaces) if mine is not None and not found.errors else None
        checked.append((overlay, count, list(found.errors), list(found.warnings)))
    failed = bool(errors) or (args.strict and bool(warnings))
    failed = failed or any(e or (args.strict and w) for _, _, e, w in checked)
    semantic = semantic_setup(config.semantic)
    entries = len(report.book.entries) if report.book is not None and not errors else None
    if args.json:
        result = _as_json(path, entries, errors, warnings, failed)
        if checked:
            result["overlays"] = [_as_json(Path(o), n, e, w, bool(e)) for o, n, e, w in checked]
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        for problem in (*errors, *warnings):
            print(problem)
        print(_summary(entries, len(errors), len(warnings), args.strict))
        for overlay, count, overlay_errors, overlay_warnings in checked:
            for problem in (*overlay_errors, *overlay_warnings):
                print(problem)
            print(_overlay_summary(overlay, count, len(overlay_errors), len(overlay_warnings)))
        if semantic.indexer is None:
            print(f"Lưu ý: {semantic.note}")
            sparse = _sparse_note(shared, config.matching) if shared is not None else None
            if sparse is not None:
                print(f"Lưu ý: {sparse}")
        if args.config and shared is not None:
            for line in _recheck_lines(args.config, shared, semantic.indexer):
                print(line)
    return 1 if failed else 0


def _recheck_lines(config_path: str, book: FaqBook, indexer: Indexer | None) -> list[str]:
    """Citizens' answered questions of the last RECHECK_DAYS asked again of `book` (bot.recheck)."""
    try:
        config = load_config(config_path, secrets=False, database=True)
    except ConfigError:
        return []  # storage.url's secret is not set where check runs: `report` says why
    rows = read_log(config, time.time() - RECHECK_DAYS * 86400)
    if not isinstance(rows, list) or not rows:
        return []
    found = recheck(rows, build_matcher(book, config.matching, indexer))
    return format_recheck(found, book, RECHECK_DAYS)


def _sparse_note(book: FaqBook, settings: MatchSettings) -> str | None:
    """What staff are told when the lexical-only thresholds are lowered for this FAQ (faq.sparse)."""
    fitted = lexical_only_settings(settings, book)
    if fitted is settings:
        return None
    return (
        f"mỗi thủ tục trong tệp này có khoảng {phrasings_median(book):.0f} cách hỏi (kể cả tiêu đề), nên khi "
        f"chỉ so khớp theo từ ngữ, bot tự hạ ngưỡng trả lời từ {settings.answer_threshold:.0f} xuống "
        f"{fitted.answer_threshold:.0f} điểm và ngưỡng gợi ý từ {settings.suggest_threshold:.0f} xuống "
        f"{fitted.suggest_threshold:.0f} điểm. Thêm những câu người dân thật sự đã hỏi vào các mục "
        "(faqbot learn) thì bot trả lời chắc hơn."
    )


def _summary(entries: int | None, errors: int, warnings: int, strict: bool) -> str:
    """One plain Vietnamese line saying whether the bot can use the file."""
    if errors:
        also = f" (và {warnings} cảnh báo)" if warnings else ""
        return f"Có {errors} lỗi{also}, bot sẽ không dùng tệp này cho đến khi sửa xong."
    if warnings and strict:
        return f"Có {warnings} cảnh báo; chế độ --strict coi cảnh báo là lỗi, hãy xem lại trước khi dùng."
    if warnings:
        return f"Tệp FAQ hợp lệ: {entries} mục, {warnings} cảnh báo."
    return f"Tệp FAQ hợp lệ: {entries} mục, không có cảnh báo."


def _overlay_summary(path: str, entries: int | None, errors: int, warnings: int) -> str:
    """One plain Vietnamese line per office's overlay file."""
    if errors:
        return f"Tệp riêng {path}: {errors} lỗi, bot giữ nội dung cũ của đơn vị này cho đến khi sửa xong."
    also = f", {warnings} cảnh báo" if warnings else ", không có cảnh báo"
    return f"Tệp riêng {path} hợp lệ: {entries} mục riêng hoặc thay thế{also}."


def _as_json(
    path: Path, entries: int | None, errors: list[Problem], warnings: list[Problem], failed: bool
) -> dict[str, Any]:
    def item(p: Problem) -> dict[str, Any]:
        return {"file": p.file, "line": p.line, "message": p.message, "severity": p.severity}

    return {
        "file": str(path),
        "ok": not failed,
        "entries": entries,
        "errors": [item(p) for p in errors],
        "warnings": [item(p) for p in warnings],
    }
