"""`faqbot migrate-log [--from sqlite:///…] [--to postgresql://…]`: copy an SQLite log into another database.

Each copied row carries its origin (the source file's log id and the row's id) under a unique index,
so running the command again, or after the bot wrote more rows to the file, copies only what is new.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.commands.common import read_config
from bot.config import POSTGRES_SCHEMES, SQLITE_SCHEME, AppConfig, sqlite_url
from bot.migrations import SchemaTooNew
from bot.storage import one_line
from bot.storage_sql import (
    COLUMNS,
    DriverMissing,
    Engine,
    SqliteEngine,
    database_errors,
    hide_password,
    open_engine,
    redact,
)
from handlers.privacy import mask_personal_data

CHUNK = 1000
"""Rows copied in one transaction."""


def register(subparsers: Any) -> None:
    """Add the `migrate-log` subcommand."""
    parser = subparsers.add_parser(
        "migrate-log",
        help="chép nhật ký hỏi đáp từ tệp SQLite sang PostgreSQL (chạy lại không bị trùng)",
        description=(
            "Chép mọi lượt hỏi đáp trong tệp SQLite sang cơ sở dữ liệu khác (thường là PostgreSQL, khi "
            "chuyển sang chạy nhiều tiến trình bot). Chạy lại bao nhiêu lần cũng không chép trùng: chỉ "
            "những lượt chưa chép mới được thêm. Tệp SQLite được nâng cấp cấu trúc tại chỗ nếu là bản cũ, "
            "không mất dòng nào."
        ),
    )
    parser.add_argument(
        "--from",
        dest="source",
        metavar="NGUỒN",
        help="tệp SQLite nguồn, dạng sqlite:///var/faqbot.sqlite3 hoặc đường dẫn tệp "
        "(mặc định: storage.path trong cấu hình)",
    )
    parser.add_argument(
        "--to",
        dest="target",
        metavar="ĐÍCH",
        help="cơ sở dữ liệu đích, dạng postgresql://người-dùng:mật-khẩu@máy:5432/tên "
        "(mặc định: storage.url trong cấu hình, tức biến môi trường FAQBOT_DATABASE_URL)",
    )
    parser.add_argument("--config", metavar="TỆP", help="tệp cấu hình YAML (mặc định: cấu hình mặc định)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Copy the rows and print how many; 0 on success, 2 on bad input or an unusable database."""
    config = read_config(args.config, database=True)
    if config is None:
        return 2
    source = args.source or _default_source(config)
    target = args.target or (config.storage.url if config.storage.url.startswith(POSTGRES_SCHEMES) else "")
    if not target:
        print(
            "Lỗi: chưa biết chép sang đâu — hãy ghi --to postgresql://người-dùng:mật-khẩu@máy:5432/tên "
            "hoặc đặt storage.url (biến môi trường FAQBOT_DATABASE_URL) trỏ tới PostgreSQL.",
            file=sys.stderr,
        )
        return 2
    source_path = Path(source[len(SQLITE_SCHEME) :] if source.startswith(SQLITE_SCHEME) else source)
    if "://" in str(source_path):
        print(
            f"Lỗi: nguồn phải là một tệp SQLite (sqlite:///đường/dẫn hoặc đường dẫn tệp), không phải "
            f"{redact(source)}.",
            file=sys.stderr,
        )
        return 2
    if not source_path.is_file():
        print(f"Lỗi: không có tệp nhật ký hỏi đáp {source_path} để chép.", file=sys.stderr)
        return 2
    if (
        target.startswith(SQLITE_SCHEME)
        and Path(target[len(SQLITE_SCHEME) :]).resolve() == source_path.resolve()
    ):
        print("Lỗi: nguồn và đích là cùng một tệp.", file=sys.stderr)
        return 2
    where = redact(target)
    try:
        copied, skipped = copy_log(SqliteEngine(source_path), open_engine(target, pooled=False))
    except (SchemaTooNew, DriverMissing) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    except ValueError:
        print(
            "Lỗi: đích phải bắt đầu bằng postgresql:// hoặc sqlite:/// (đang là " + where + ").",
            file=sys.stderr,
        )
        return 2
    except OSError as exc:
        print(f"Lỗi: không mở được tệp {source_path} ({exc}).", file=sys.stderr)
        return 2
    except database_errors() as exc:
        said = hide_password(one_line(exc), target)
        print(
            f"Lỗi: không chép được sang {where} ({said}) — hãy kiểm tra máy chủ "
            "PostgreSQL đang chạy, địa chỉ, mật khẩu và quyền tạo bảng của người dùng. Chạy lại lệnh "
            "sau khi sửa: những dòng đã chép sẽ không bị chép trùng.",
            file=sys.stderr,
        )
        return 2
    print(
        f"Đã chép {copied} lượt hỏi đáp từ {source_path} sang {where}"
        + (f"; {skipped} lượt đã có từ lần chép trước nên được bỏ qua." if skipped else ".")
    )
    return 0


def _default_source(config: AppConfig) -> str:
    url = config.storage.url
    return url if url.startswith(SQLITE_SCHEME) else sqlite_url(config.storage.path)


def copy_log(source: SqliteEngine, target: Engine) -> tuple[int, int]:
    """Copy every row of `source` not yet in `target`; (rows copied, rows already there)."""
    try:
        source.migrate()
        target.migrate()
        with source.connection() as src:
            (log_id,) = src.execute("SELECT value FROM log_meta WHERE key = 'log_id'").fetchone()
        insert = target.insert_sql(("origin",))
        insert = insert + " ON CONFLICT (origin) DO NOTHING"
        select = f"SELECT id, {', '.join(COLUMNS)}, origin FROM interactions WHERE id > ? ORDER BY id LIMIT ?"
        copied = skipped = 0
        last = 0
        while True:
            with source.connection() as src:
                chunk = src.execute(select, (last, CHUNK)).fetchall()
            if not chunk:
                return copied, skipped
            values = [_values(r, log_id) for r in chunk]
            with target.connection() as dst, target.transaction(dst):
                cur = dst.cursor()
                cur.executemany(insert, values)
                added = max(cur.rowcount, 0)
            copied += added
            skipped += len(chunk) - added
            last = chunk[-1][0]
    finally:
        target.close()


def _values(r: tuple[Any, ...], log_id: str) -> tuple[object, ...]:
    row_id, at, channel, user_hash, question, kind, entry_id, score, facet, delivered, office, origin = r
    return (
        at,
        channel,
        user_hash,
        # Masked again: rows written by an older version may predate a masking rule added since.
        mask_personal_data(question),
        kind,
        entry_id,
        score,
        facet,
        None if delivered is None else bool(delivered),
        office,
        origin or f"{log_id}:{row_id}",
    )
