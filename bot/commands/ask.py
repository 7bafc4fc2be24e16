"""`faqbot ask "câu hỏi" [--faq PATH] [--config PATH] [--json]`: what the matcher decides for one message."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from bot.commands.common import indexer_or_note, read_config
from bot.config import AppConfig
from faq.decision import Candidate, Kind, MatchResult, MatchSettings
from faq.knowledge import build_matcher
from faq.lint import PART_NAMES
from faq.loader import FaqError, load_faq
from faq.matcher import Matcher
from faq.schema import FaqBook, titles_only

_KINDS = {Kind.ANSWER: "trả lời", Kind.SUGGEST: "gợi ý", Kind.NONE: "không có câu trả lời"}


def register(subparsers: Any) -> None:
    """Add the `ask` subcommand."""
    parser = subparsers.add_parser(
        "ask",
        help="hỏi thử một câu: xem bot chọn mục nào, điểm bao nhiêu",
        description="Hỏi thử một câu và xem quyết định của bộ so khớp: mục trả lời, gợi ý, điểm.",
    )
    parser.add_argument("question", metavar="CÂU_HỎI", help="câu hỏi, đặt trong dấu ngoặc kép")
    add_faq_options(parser)
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    parser.set_defaults(func=run)


def add_faq_options(parser: argparse.ArgumentParser) -> None:
    """--faq and --config, shared by ask and eval."""
    parser.add_argument("--faq", metavar="TỆP", help="tệp FAQ YAML (mặc định: FAQ đi kèm gói)")
    parser.add_argument("--config", metavar="TỆP", help="tệp cấu hình YAML (để dùng ngưỡng so khớp của nó)")
    parser.add_argument(
        "--lexical-only",
        action="store_true",
        help="chỉ so khớp theo từ ngữ, không dùng bộ hiểu ngữ nghĩa (để so sánh)",
    )
    parser.add_argument(
        "--titles-only",
        action="store_true",
        help="bỏ mọi cách hỏi và từ khóa, chỉ giữ tiêu đề mỗi mục (thử FAQ mới viết, mỗi mục một câu)",
    )


def load_matcher(args: argparse.Namespace) -> Matcher | int:
    """The matcher for --faq/--config, or an exit code after printing the problems."""
    config = read_config(args.config, default=AppConfig())
    if config is None:
        return 2
    settings: MatchSettings = config.matching
    try:
        book: FaqBook = load_faq(args.faq or config.faq.path)
    except FaqError as exc:
        print("Tệp FAQ có lỗi:", file=sys.stderr)
        for faq_problem in exc.problems:
            print(f"  {faq_problem}", file=sys.stderr)
        return 1
    if args.titles_only:
        book = titles_only(book)
    return build_matcher(book, settings, indexer_or_note(config, args.lexical_only))


def result_dict(result: MatchResult, nearest: Sequence[Candidate], semantic: bool = False) -> dict[str, Any]:
    """The JSON shape of `faqbot ask --json`."""
    return {
        "stages": ["lexical", "semantic"] if semantic else ["lexical"],
        "kind": result.kind.value,
        "entry": result.entry.id if result.entry else None,
        "suggestions": [e.id for e in result.suggestions],
        "declined": result.declined.id if result.declined else None,
        "facet": result.facet.value if result.facet else None,
        "legal_opinion": result.legal_opinion,
        "score": result.score,
        "candidates": [{"id": c.entry.id, "score": c.score} for c in nearest],
    }


def run(args: argparse.Namespace) -> int:
    """Match one question and print the decision; 1 when the FAQ has errors."""
    matcher = load_matcher(args)
    if isinstance(matcher, int):
        return matcher
    result = matcher.match(args.question)
    semantic = matcher.semantic is not None
    # With the semantic stage the decision ranks by fused score; the lexical stage alone looks only
    # at entries that can change its decision, and staff want the nearest ones too.
    nearest = list(result.candidates) if semantic else matcher.rank(args.question)[0]
    if args.json:
        print(json.dumps(result_dict(result, nearest, semantic), ensure_ascii=False, indent=2))
        return 0
    how = "theo từ ngữ và theo ngữ nghĩa" if semantic else "chỉ theo từ ngữ"
    print(f"So khớp: {how}")
    settings = matcher.settings
    if semantic:
        # The same 0–1 scale as matching.answer_confidence / suggest_confidence in config.yaml.
        how_sure = (
            f"độ tin cậy {_vn(result.score / 100)} (trả lời thẳng từ {_vn(settings.answer_confidence)}, "
            f"gợi ý từ {_vn(settings.suggest_confidence)})"
        )
    else:
        how_sure = f"điểm {_vn(result.score, 1)} (trả lời thẳng từ {_vn(settings.answer_threshold, 0)})"
    print(f"Quyết định: {_KINDS[result.kind]}, {how_sure}")
    if result.entry is not None:
        print(f"Mục trả lời: {result.entry.id} — {result.entry.title}")
    for i, entry in enumerate(result.suggestions, 1):
        print(f"Gợi ý {i}: {entry.id} — {entry.title}")
    if result.declined is not None:
        print(f"Ngoài phạm vi, chỉ người dân sang: {result.declined.id} — {result.declined.title}")
    print(f"Phần được hỏi: {_part(result.facet.value) if result.facet else '—'}")
    if result.preamble_only:
        print("Tin nhắn chỉ có lời chào/lời mở đầu, chưa có câu hỏi.")
    if result.facet_only:
        print("Tin nhắn chỉ hỏi một phần (phí, thời gian...), không nêu thủ tục nào.")
    if result.names_nothing:
        print("Tin nhắn không nêu thủ tục nào (chỉ có từ chung như «thủ tục», «giấy tờ», «đăng ký»):")
        print(
            "  bot hỏi lại người dân muốn hỏi thủ tục nào, hoặc trả lời theo thủ tục vừa được hỏi trước đó."
        )
    if result.legal_opinion:
        print("Tin nhắn hỏi ý kiến pháp lý (đúng luật, có giá trị, có quyền, có nên):")
        print("  bot chỉ nơi hỏi tư vấn; thủ tục gần nhất (khi bot chắc) chỉ được đưa ra dưới dạng gợi ý.")
    if nearest:
        scale = "điểm gộp hai cách so khớp, 0–100" if semantic else "điểm so khớp từ ngữ, 0–100"
        print(f"Các mục gần nhất ({scale}):")
        for c in nearest:
            print(f"  {c.score:5.1f}  {c.entry.id} — {c.entry.title}")
    return 0


def _vn(number: float, digits: int = 2) -> str:
    """A number as Vietnamese write it (decimal comma)."""
    return f"{number:.{digits}f}".replace(".", ",")


def _part(facet: str) -> str:
    """The asked part in staff's words ("lệ phí (fee)")."""
    return PART_NAMES.get("processing_time" if facet == "time" else facet, facet)
