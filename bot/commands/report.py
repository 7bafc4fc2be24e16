"""`faqbot report [--since 7d] [--csv] [--office ID]`: what citizens asked, from the interaction log."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from bot.commands.common import read_config
from bot.config import SQLITE_SCHEME, AppConfig
from bot.migrations import SchemaTooNew
from bot.oserrors import describe_os_error
from bot.report import (
    CSV_COLUMNS,
    CSV_SECTIONS,
    answered_titles,
    build_report,
    format_csv,
    format_text,
    office_timezone,
    parse_since,
)
from bot.storage import Interaction, InteractionLog, LogUnavailable, one_line
from bot.storage_sql import DriverMissing, database_errors, hide_password, log_where, open_engine
from faq.loader import FaqError, load_faq
from faq.matcher import Matcher
from faq.schema import FaqBook

CSV_BOM = "\ufeff"
"""Written first in CSV output so that Excel on Windows reads the file as UTF-8."""
CSV_HELP = (
    f"in dạng CSV để mở bằng Excel: một bảng duy nhất, cột '{CSV_COLUMNS[0]}' cho biết phần "
    f"({', '.join(CSV_SECTIONS)}); các cột còn lại: {', '.join(CSV_COLUMNS[1:])}"
)


def register(subparsers: Any) -> None:
    """Add the `report` subcommand."""
    parser = subparsers.add_parser(
        "report",
        help="báo cáo câu hỏi chưa trả lời được, gợi ý, đánh giá, lượt hỏi theo kênh và theo ngày",
        description=(
            "Báo cáo cho cán bộ từ nhật ký hỏi đáp: câu hỏi chưa trả lời được (gộp theo nội dung "
            "gần giống nhau), gợi ý được chọn, đánh giá 👍/👎 từng mục, mục chưa ai hỏi tới, "
            "số lượt theo kênh và theo ngày."
        ),
    )
    parser.add_argument(
        "--since",
        default="7d",
        metavar="MỐC",
        help="từ bao giờ: 7d (7 ngày qua), 24h (24 giờ qua), 30d, hoặc một ngày như 06/12/2026 hay "
        "2026-12-06 (mặc định: 7d)",
    )
    parser.add_argument("--csv", action="store_true", help=CSV_HELP)
    parser.add_argument(
        "--office",
        metavar="MÃ",
        help="chỉ báo cáo các lượt hỏi đáp của một đơn vị (xã/phường), theo mã đơn vị khai báo ở "
        "khóa offices[].id trong cấu hình, ví dụ hoang-liet (mặc định: cả tỉnh, kèm một dòng "
        "cho mỗi đơn vị)",
    )
    parser.add_argument(
        "--output",
        "-o",
        metavar="TỆP",
        help="ghi báo cáo vào tệp này thay vì in ra màn hình (trên Windows nên dùng cách này thay cho "
        "dấu >, để giữ đúng chữ tiếng Việt)",
    )
    parser.add_argument("--config", metavar="TỆP", help="tệp cấu hình YAML (mặc định: cấu hình mặc định)")
    parser.add_argument(
        "--faq", metavar="TỆP", help="tệp hỏi đáp để đối chiếu (mặc định: faq.path trong cấu hình)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the report; 0 also when there is no data yet, 2 on a bad config or --since."""
    config = read_config(args.config, database=True)
    if config is None:
        return 2
    tz = office_timezone(config.staff.timezone)
    now = time.time()
    try:
        since = parse_since(args.since, now, tz)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    offices = [o.id for o in config.offices]
    if args.office is not None and args.office not in offices:
        print(unknown_office(args.office, offices), file=sys.stderr)
        return 2
    book = _book(args.faq or config.faq.path)
    rows = read_log(config, since, args.office)
    if rows is None:
        return 2
    if isinstance(rows, str):
        print(rows)
        return 0
    # The lexical stage: quick, no model to load for a report.
    answers = answered_titles(Matcher(book, config.matching)) if rows and book is not None else None
    report = build_report(
        rows, book, since, now=now, tz=tz, office=args.office, offices=offices, answers=answers
    )
    body = format_csv(report) if args.csv else format_text(report) + "\n"
    if not rows and not args.csv:
        # "Chưa có dữ liệu" from the wrong log (no --config: the defaults') looks like a quiet week.
        default = "" if args.config else " (chưa có --config: đường dẫn mặc định)"
        body += (
            f"Nhật ký đã đọc: {log_where(config.storage)}{default} — nếu bot ghi ở chỗ khác, hãy thêm "
            "--config với tệp cấu hình của bot.\n"
        )
    if args.output is None:
        # The byte-order mark tells Excel on Windows that the CSV is UTF-8 (else accents come out garbled).
        sys.stdout.write(CSV_BOM + body if args.csv else body)
        return 0
    try:
        with open(args.output, "w", encoding="utf-8-sig" if args.csv else "utf-8") as out:
            out.write(body)
    except OSError as exc:
        print("Lỗi: " + describe_os_error(exc, "tệp báo cáo"), file=sys.stderr)
        return 2
    print(f"Đã ghi báo cáo vào {args.output}.")
    return 0


def unknown_office(office: str, offices: list[str]) -> str:
    """The Vietnamese error for an --office id that is not configured."""
    if not offices:
        return (
            f"Lỗi: cấu hình chưa khai báo đơn vị nào (khóa offices), nên không có đơn vị '{office}' — "
            "hãy bỏ --office để xem báo cáo chung."
        )
    return (
        f"Lỗi: không có đơn vị '{office}' trong cấu hình. Các đơn vị đã khai báo (khóa offices[].id): "
        f"{', '.join(offices)}."
    )


def read_log(config: AppConfig, since: float, office: str | None = None) -> list[Interaction] | str | None:
    """The log's rows since `since` (storage.url, else storage.path), only `office`'s when given; a
    Vietnamese line when there is no log yet; None after printing on stderr why it cannot be read."""
    storage = config.storage
    target = storage.log_url
    if target.startswith(SQLITE_SCHEME):
        db_path = Path(storage.sqlite_path)
        key = "storage.url" if storage.url else "storage.path"
        if db_path.is_dir():
            print(
                f"Lỗi: {key} ({db_path}) là một thư mục, không phải tệp nhật ký hỏi đáp — hãy ghi "
                "đường dẫn tới một tệp, ví dụ var/faqbot.sqlite3.",
                file=sys.stderr,
            )
            return None
        if not db_path.is_file():
            return (
                f"Chưa có dữ liệu: chưa có tệp nhật ký hỏi đáp {db_path} "
                "(tệp được tạo khi bot chạy và có người hỏi)."
            )
    where = log_where(storage)
    try:
        log = InteractionLog(
            open_engine(target, pooled=False),
            salt=storage.salt,
            retention_days=storage.retention_days,
            wait_for_server=False,
        )
        try:
            return log.rows(since, office)
        finally:
            log.close()
    except OSError as exc:
        print("Lỗi: " + describe_os_error(exc, "tệp nhật ký hỏi đáp"), file=sys.stderr)
    except (SchemaTooNew, DriverMissing) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
    except LogUnavailable as exc:
        said = hide_password(str(exc), target)
        print(
            f"Lỗi: không kết nối được cơ sở dữ liệu nhật ký hỏi đáp {where} ({said}) — hãy kiểm tra máy chủ "
            "PostgreSQL đang chạy, địa chỉ và mật khẩu trong storage.url (biến môi trường "
            "FAQBOT_DATABASE_URL).",
            file=sys.stderr,
        )
    except database_errors() as exc:
        if target.startswith(SQLITE_SCHEME):
            advice = (
                "hãy kiểm tra quyền đọc tệp và thư mục chứa nó; nếu tệp bị hỏng, hãy chép bản sao lưu "
                "gần nhất vào chỗ của nó."
            )
        else:
            advice = (
                "hãy kiểm tra tên cơ sở dữ liệu, người dùng và quyền của người dùng đó trong storage.url."
            )
        said = hide_password(one_line(exc), target)
        print(f"Lỗi: không đọc được nhật ký hỏi đáp {where} ({said}) — {advice}", file=sys.stderr)
    return None


def _book(path: str | None) -> FaqBook | None:
    try:
        return load_faq(path)
    except FaqError as exc:
        print(
            "Tệp hỏi đáp đang có lỗi nên báo cáo không liệt kê được mục chưa ai hỏi tới:",
            file=sys.stderr,
        )
        print(str(exc), file=sys.stderr)
        return None
