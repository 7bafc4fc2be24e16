"""`faqbot learn --config config.yaml [--list]`: review citizens' confirmed phrasings, add them to the FAQ."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
import time
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from bot.commands.common import read_config
from bot.commands.report import read_log
from bot.config import AppConfig
from bot.learn import (
    Candidate,
    ConcurrentEdit,
    FaqFile,
    LearnFileError,
    Refused,
    Rejections,
    append_audit,
    audit_path,
    find_candidates,
    known_forms,
    load_rejections,
    now_iso,
    rejected_path,
    save_rejections,
)
from bot.oserrors import describe_os_error
from bot.report import office_timezone, parse_since
from faq.loader import DEFAULT_FAQ
from faq.matcher import Matcher
from faq.normalize import Normalizer, fold_accents
from faq.schema import FaqBook

CHOICES = {
    "c": "accept",
    "chap nhan": "accept",
    "m": "move",
    "chuyen": "move",
    "chuyen sang muc khac": "move",
    "b": "skip",
    "bo qua": "skip",
    "t": "reject",
    "tu choi": "reject",
    "d": "stop",
    "dung": "stop",
}
PROMPT = "Chọn: [c] chấp nhận · [m] chuyển sang mục khác · [b] bỏ qua · [t] từ chối · [d] dừng: "
PROMPT_NEW = "Chọn: [m] thêm vào một mục có sẵn · [b] bỏ qua · [t] từ chối · [d] dừng: "


def register(subparsers: Any) -> None:
    """Add the `learn` subcommand."""
    parser = subparsers.add_parser(
        "learn",
        help="duyệt các cách hỏi người dân đã xác nhận và thêm vào tệp hỏi đáp",
        description=(
            "Tìm trong nhật ký hỏi đáp các cách hỏi người dân đã xác nhận (chọn một gợi ý, hoặc "
            "bấm 👍 sau câu trả lời) và các nhóm câu hỏi chưa trả lời được; với từng cách hỏi, cán "
            "bộ chọn chấp nhận, chuyển sang mục khác, bỏ qua hoặc từ chối. Cách hỏi được chấp nhận "
            "được thêm vào danh sách questions của mục, giữ nguyên mọi chú thích và cách trình bày."
        ),
    )
    parser.add_argument(
        "--config", metavar="TỆP", help="tệp cấu hình YAML (đường dẫn FAQ và nhật ký hỏi đáp)"
    )
    parser.add_argument(
        "--faq", metavar="TỆP", help="tệp hỏi đáp cần thêm (mặc định: faq.path trong cấu hình)"
    )
    parser.add_argument(
        "--since",
        default="30d",
        metavar="MỐC",
        help="xét nhật ký từ bao giờ: 30d (30 ngày qua, mặc định), 7d, 24h, hoặc một ngày YYYY-MM-DD",
    )
    parser.add_argument("--list", action="store_true", help="chỉ in danh sách cách hỏi đề xuất, không hỏi gì")
    parser.add_argument(
        "--min-citizens",
        type=int,
        default=1,
        metavar="N",
        help="chỉ đề xuất cách hỏi có ít nhất N người dân (hoặc N lượt hỏi) đứng sau (mặc định: 1)",
    )
    parser.add_argument(
        "--by", metavar="TÊN", help="tên cán bộ ghi vào nhật ký thay đổi (mặc định: tài khoản máy)"
    )
    parser.set_defaults(func=run)


def _who(by: str | None) -> str:
    if by and by.strip():
        return by.strip()
    try:
        return getpass.getuser()
    except Exception:  # no login name (a service account without USER on Windows)
        return "không rõ"


def run(args: argparse.Namespace) -> int:
    """List or review the candidates; 0 when done, 1 when the FAQ changed under the review, 2 on bad input."""
    config = read_config(args.config, AppConfig(), database=True)
    if config is None:
        return 2
    faq_arg = args.faq or config.faq.path
    if faq_arg is None and not args.list:
        print(
            "Lỗi: bot đang dùng tệp hỏi đáp đi kèm chương trình, không sửa được tệp đó — hãy chép "
            f"{DEFAULT_FAQ} ra thư mục của cơ quan, đặt faq.path trong config.yaml trỏ tới bản chép, "
            "rồi chạy lại (hoặc dùng --faq TỆP).",
            file=sys.stderr,
        )
        return 2
    faq_path = Path(faq_arg) if faq_arg is not None else DEFAULT_FAQ
    try:
        since = parse_since(args.since, time.time(), office_timezone(config.staff.timezone))
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    # The same reader as `faqbot report`: storage.url (PostgreSQL or SQLite), else storage.path.
    rows = read_log(config, since)
    if rows is None:
        return 2
    if isinstance(rows, str):
        print(rows)
        return 0
    # Rejections stay in a file beside storage.path, shared with the review in the staff group.
    db_path = Path(config.storage.path)
    try:
        faq = FaqFile.read(faq_path, config.matching)
        rejections = load_rejections(rejected_path(db_path))
    except (LearnFileError, ConcurrentEdit) as exc:
        print(f"Lỗi: {exc or 'tệp hỏi đáp vừa thay đổi trong lúc đọc — hãy chạy lại.'}", file=sys.stderr)
        return 2
    except OSError as exc:
        print("Lỗi: " + describe_os_error(exc), file=sys.stderr)
        return 2
    candidates = find_candidates(
        rows,
        faq.book,
        rejections,
        min_citizens=max(args.min_citizens, 1),
        matcher=Matcher(faq.book, config.matching),
    )
    if not candidates:
        print("Không có cách hỏi mới nào cần duyệt.")
        return 0
    if args.list:
        for i, c in enumerate(candidates, 1):
            print(describe(c, faq.book, i, len(candidates)))
            print()
        print(f"Có {len(candidates)} cách hỏi cần duyệt: chạy 'faqbot learn' (không có --list) để duyệt.")
        return 0
    tz = office_timezone(config.staff.timezone)
    return _review(candidates, faq, rejections, db_path, _who(args.by), tz)


def describe(c: Candidate, book: FaqBook, index: int, total: int) -> str:
    """One candidate as staff read it: the entry it would join, the phrasing, the evidence."""
    lines = []
    if c.entry_id is None:
        lines.append(f"[{index}/{total}] Câu hỏi chưa có mục nào trả lời — {c.citizens} lượt hỏi")
    else:
        entry = book.entry(c.entry_id)
        title = entry.title if entry is not None else c.entry_id
        lines.append(f"[{index}/{total}] Cách hỏi mới cho mục '{c.entry_id}' — {title}")
    lines.append(f"  Cách hỏi đề xuất: «{c.phrasing}»")
    if c.entry_id is not None:
        how = []
        if c.picks:
            how.append(f"{c.picks} lần chọn gợi ý này")
        if c.thumbs_up:
            how.append(f"{c.thumbs_up} lần bấm 👍 sau câu trả lời")
        lines.append(f"  Bằng chứng: {c.citizens} người dân ({', '.join(how)})")
    others = [e for e in c.examples if e != c.phrasing]
    if others:
        lines.append("  Cách viết khác: " + "; ".join(f"«{e}»" for e in others))
    return "\n".join(lines)


def _ask(prompt: str) -> str | None:
    try:
        return input(prompt)
    except EOFError:
        print()
        return None


def _choice(answer: str) -> str | None:
    return CHOICES.get(" ".join(fold_accents(answer.strip().lower()).split()))


def _pick_entry(book: FaqBook) -> str | None:
    """Ask for an entry id until one exists; None when staff give up (empty answer or end of input)."""
    # A topic the office does not handle takes citizens' wordings too: they make the bot say who does.
    ids = [e.id for e in book.entries if not e.is_small_talk]
    while True:
        answer = _ask("  Mã mục (id) muốn thêm vào (để trống để quay lại): ")
        if answer is None or not answer.strip():
            return None
        wanted = answer.strip()
        if wanted in ids:
            entry = book.entry(wanted)
            if entry is not None and entry.is_out_of_scope:
                print(
                    f"  (Mục '{wanted}' là việc ngoài phạm vi: hỏi như vậy, bot sẽ chỉ người dân nơi giải "
                    "quyết.)"
                )
            return wanted
        titles = {e.id: f"{e.id} {fold_accents(e.title.lower())}" for e in book.entries if e.id in ids}
        near = process.extract(fold_accents(wanted.lower()), titles, scorer=fuzz.WRatio, limit=3)
        hint = ", ".join(f"'{key}'" for _, _, key in near)
        print(f"  Không có mục '{wanted}'. Có phải: {hint}?")


def _review(
    candidates: tuple[Candidate, ...],
    faq: FaqFile,
    rejections: Rejections,
    db_path: Path,
    who: str,
    tz: dt.tzinfo | None = None,
) -> int:
    added = rejected = skipped = 0
    code = 0
    print(
        f"Có {len(candidates)} cách hỏi cần duyệt. Cách hỏi được chấp nhận sẽ được thêm ngay vào "
        f"{faq.path} (bot đang chạy tự nạp lại tệp)."
    )
    known = known_forms(faq.book, Normalizer.for_pairs(faq.book.synonyms))
    for i, c in enumerate(candidates, 1):
        if c.key in known:
            continue  # added a moment ago, under another candidate
        print()
        print(describe(c, faq.book, i, len(candidates)))
        decided = False
        while not decided:
            answer = _ask(PROMPT_NEW if c.is_new else PROMPT)
            if answer is None:
                print("Hết dữ liệu nhập: dừng duyệt.")
                return _summary(added, rejected, skipped, code)
            action = _choice(answer)
            if action is None or (action == "accept" and c.is_new):
                print("  Chưa hiểu lựa chọn này, hãy gõ một trong các chữ trong ngoặc vuông.")
                continue
            if action == "stop":
                return _summary(added, rejected, skipped, code)
            if action == "skip":
                skipped += 1
                decided = True
            elif action == "reject":
                rejections.add(c, who, now_iso())
                try:
                    save_rejections(rejected_path(db_path), rejections)
                except OSError as exc:
                    what = "tệp ghi các cách hỏi đã từ chối"
                    print("Lỗi: " + describe_os_error(exc, what), file=sys.stderr)
                    return _summary(added, rejected, skipped, 2)
                _audit(faq, who, "reject", c, c.entry_id, tz)
                rejected += 1
                decided = True
            else:
                target = c.entry_id if action == "accept" else _pick_entry(faq.book)
                if target is None:
                    continue
                print("  Đang kiểm tra tệp hỏi đáp với cách hỏi mới (có thể mất vài giây)…", flush=True)
                try:
                    faq = faq.add_phrasing(target, c.phrasing)
                except Refused as exc:
                    print("  Không thêm được, tệp hỏi đáp giữ nguyên. Lý do:")
                    for reason in exc.reasons:
                        print(f"  - {reason}")
                    continue
                except ConcurrentEdit:
                    print(
                        f"Tệp hỏi đáp {faq.path} vừa được sửa ở nơi khác trong lúc duyệt, nên chưa ghi cách "
                        "hỏi này (để không mất phần sửa kia). Hãy chạy lại 'faqbot learn'.",
                        file=sys.stderr,
                    )
                    return _summary(added, rejected, skipped, 1)
                except OSError as exc:
                    print("Lỗi: " + describe_os_error(exc, "tệp hỏi đáp"), file=sys.stderr)
                    return _summary(added, rejected, skipped, 2)
                _audit(faq, who, "add", c, target, tz)
                known = known_forms(faq.book, Normalizer.for_pairs(faq.book.synonyms))
                print(f"  Đã thêm «{c.phrasing}» vào mục '{target}'.")
                added += 1
                decided = True
    return _summary(added, rejected, skipped, code)


def _audit(
    faq: FaqFile, who: str, action: str, c: Candidate, entry_id: str | None, tz: dt.tzinfo | None = None
) -> None:
    # Office time, as the staff group's decisions are written in the same file.
    record: dict[str, object] = {
        "at": now_iso(tz),
        "by": who,
        "action": action,
        "entry": entry_id,
        "suggested_entry": c.entry_id,
        "text": c.phrasing,
        "citizens": c.citizens,
        "picks": c.picks,
        "thumbs_up": c.thumbs_up,
        "faq": str(faq.path),
        "sha256": faq.sha256,
    }
    try:
        append_audit(audit_path(faq.path), record)
    except OSError as exc:
        print("Cảnh báo: " + describe_os_error(exc, "nhật ký thay đổi"), file=sys.stderr)


def _summary(added: int, rejected: int, skipped: int, code: int) -> int:
    print(f"Đã thêm {added} cách hỏi, từ chối {rejected}, bỏ qua {skipped}.")
    return code
