"""What a built config must satisfy beyond its types: every problem, in Vietnamese, for staff.

bot/config.py reads the file and builds the frozen AppConfig; this module judges it (modes, ranges,
secrets of the enabled channels, state and storage URLs, staff hours, offices, learning).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.config import (
    DEFAULT_TIMEZONE,
    POSTGRES_SCHEMES,
    SQLITE_SCHEME,
    AppConfig,
    LearningConfig,
    StaffConfig,
    StateConfig,
    StorageConfig,
    parse_span,
)
from faq.decision import MatchSettings

_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
"""What Telegram accepts as a webhook secret_token."""
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
MIN_MODEL_CHARS = 40
"""Less and the sentence model cannot read even a short question ("đăng ký tạm trú cho con ở đâu")."""
MAX_MODEL_CHARS = 2000


def check_config(config: AppConfig, secrets: bool, database: bool = False) -> list[str]:
    """Every problem of a built config, in Vietnamese (empty when it can be served)."""
    problems: list[str] = []
    for key, mode in (("telegram.mode", config.telegram.mode), ("zalo_bot.mode", config.zalo_bot.mode)):
        if mode not in ("polling", "webhook"):
            problems.append(f"Khóa '{key}' phải là 'polling' hoặc 'webhook' (đang là '{mode}').")
    problems.extend(_check_channels(config, secrets))
    problems.extend(_check_state(config.state, secrets))
    c = config.conversation
    if c.flood_limit_per_minute < 1:
        problems.append("Khóa 'conversation.flood_limit_per_minute' phải ít nhất là 1.")
    if c.context_ttl <= 0:
        problems.append("Khóa 'conversation.context_ttl' phải lớn hơn 0.")
    if config.logging.level.upper() not in LOG_LEVELS:
        problems.append(
            f"Khóa 'logging.level' phải là một trong {', '.join(LOG_LEVELS)} "
            f"(đang là '{config.logging.level}')."
        )
    if config.logging.max_size_mb < 0:
        problems.append("Khóa 'logging.max_size_mb' không được âm (0: không giới hạn kích thước).")
    if config.logging.backup_count < 1:
        problems.append("Khóa 'logging.backup_count' phải ít nhất là 1.")
    m = config.matching
    if not 0 <= m.suggest_confidence <= m.answer_confidence <= 1:
        problems.append(
            "Các ngưỡng 'matching.suggest_confidence' ≤ 'matching.answer_confidence' phải nằm trong 0–1."
        )
    if not 0 <= m.suggest_threshold <= m.answer_threshold <= 100:
        problems.append(
            "Các ngưỡng 'matching.suggest_threshold' ≤ 'matching.answer_threshold' phải nằm trong 0–100."
        )
    if m.max_suggestions < 1:
        problems.append("Khóa 'matching.max_suggestions' phải ít nhất là 1.")
    if not MIN_MODEL_CHARS <= m.model_chars <= MAX_MODEL_CHARS:
        problems.append(
            f"Khóa 'matching.model_chars' phải từ {MIN_MODEL_CHARS} đến {MAX_MODEL_CHARS} ký tự "
            f"(đang là {m.model_chars}; mặc định {MatchSettings().model_chars})."
        )
    if not 0 <= config.health.port <= 65535:
        problems.append("Khóa 'health.port' phải từ 0 (tắt) đến 65535.")
    problems.extend(_check_storage(config.storage, secrets or database))
    problems.extend(_check_staff(config.staff))
    problems.extend(_check_offices(config, secrets))
    problems.extend(_check_learning(config.learning))
    return problems


_OFFICE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _check_offices(config: AppConfig, secrets: bool) -> list[str]:
    """Each office: an id, a unit, an overlay; own accounts checked like the shared ones."""
    problems: list[str] = []
    seen: set[str] = set()
    token_files = {config.zalo_oa.token_file} if config.zalo_oa.enabled else set()
    for number, office in enumerate(config.offices, start=1):
        where = f"offices[{number}]" + (f" ({office.id})" if office.id else "")
        if not _OFFICE_ID.fullmatch(office.id):
            problems.append(
                f"Đơn vị {where}: khóa 'id' phải là mã ngắn gồm chữ thường không dấu, chữ số và dấu "
                "gạch ngang, ví dụ 'hoang-liet'."
            )
        elif office.id in seen:
            problems.append(f"Đơn vị {where}: mã '{office.id}' bị trùng — mỗi đơn vị cần một mã riêng.")
        seen.add(office.id)
        if not office.unit.strip():
            problems.append(f"Đơn vị {where}: thiếu khóa 'unit' (mã hoặc tên xã/phường, ví dụ '00337').")
        if not office.overlay.strip():
            problems.append(f"Đơn vị {where}: thiếu khóa 'overlay' (đường dẫn tệp hỏi đáp riêng của đơn vị).")
        own = dataclasses.replace(
            AppConfig(), telegram=office.telegram, zalo_bot=office.zalo_bot, zalo_oa=office.zalo_oa
        )
        problems.extend(f"Đơn vị {where}: {p}" for p in _check_channels(own, secrets))
        if office.zalo_oa.enabled:
            if office.zalo_oa.token_file in token_files:
                problems.append(
                    f"Đơn vị {where}: Zalo OA riêng cần khóa 'zalo_oa.token_file' riêng (đang trùng với "
                    "một tài khoản khác, hai OA sẽ ghi đè token của nhau)."
                )
            token_files.add(office.zalo_oa.token_file)
    return problems


def _check_learning(learning: LearningConfig) -> list[str]:
    problems = []
    if learning.review_interval_days < 0:
        problems.append("Khóa 'learning.review_interval_days' không được âm (0: chỉ duyệt khi gõ /hoc).")
    for key, value in (
        ("review_batch", learning.review_batch),
        ("since_days", learning.since_days),
        ("min_citizens", learning.min_citizens),
    ):
        if value < 1:
            problems.append(f"Khóa 'learning.{key}' phải ít nhất là 1.")
    return problems


def _check_staff(staff: StaffConfig) -> list[str]:
    """Office hours are read when the bot starts: a typo must be a clear message, not a crash."""
    problems = []
    for span in staff.working_hours:
        try:
            parse_span(span)
        except ValueError:
            problems.append(
                "Khóa 'staff.working_hours' phải là các khoảng giờ dạng \"07:30-11:30\" (giờ bắt "
                f"đầu trước giờ kết thúc) — đang có '{span}'."
            )
    wrong_days = [d for d in staff.working_days if not 0 <= d <= 6]
    if wrong_days:
        problems.append(
            "Khóa 'staff.working_days' chỉ gồm các số từ 0 (thứ Hai) đến 6 (Chủ nhật) — đang có "
            f"{', '.join(map(str, wrong_days))}."
        )
    if staff.timezone != DEFAULT_TIMEZONE:
        try:
            ZoneInfo(staff.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(
                f"Khóa 'staff.timezone' không phải một múi giờ hợp lệ (đang là '{staff.timezone}'); "
                "ở Việt Nam hãy ghi 'Asia/Ho_Chi_Minh'."
            )
    return problems


def _check_storage(storage: StorageConfig, resolved: bool) -> list[str]:
    """Retention, buffer, and the log's URL (only when it was resolved: the commands that use it)."""
    problems = []
    if storage.retention_days < 1:
        problems.append("Khóa 'storage.retention_days' phải ít nhất là 1.")
    if storage.buffer_rows < 1:
        problems.append("Khóa 'storage.buffer_rows' phải ít nhất là 1.")
    url = storage.url
    if not resolved or not url:
        return problems
    if url.startswith(SQLITE_SCHEME):
        if not url[len(SQLITE_SCHEME) :].strip():
            problems.append(
                "Khóa 'storage.url' thiếu đường dẫn tệp SQLite: hãy ghi sqlite:///var/faqbot.sqlite3 "
                "(đường dẫn tương đối) hoặc sqlite:////srv/faqbot/faqbot.sqlite3 (đường dẫn tuyệt đối)."
            )
    elif url.startswith(POSTGRES_SCHEMES):
        if importlib.util.find_spec("psycopg") is None or importlib.util.find_spec("psycopg_pool") is None:
            problems.append(
                "storage.url trỏ tới PostgreSQL nhưng máy này chưa cài thư viện psycopg — hãy chạy "
                "pip install -c constraints.txt -e '.[postgres]' rồi chạy lại lệnh."
            )
    else:
        problems.append(
            "Khóa 'storage.url' phải bắt đầu bằng sqlite:/// (tệp SQLite, ví dụ "
            "sqlite:///var/faqbot.sqlite3) hoặc postgresql:// (ví dụ "
            "postgresql://faqbot:mật-khẩu@10.0.0.5:5432/faqbot); "
            "để trống thì dùng tệp ở khóa 'storage.path'."
        )
    return problems


def _check_state(state: StateConfig, secrets: bool) -> list[str]:
    """The state backend; the Redis URL only when secrets were resolved (`faqbot run`)."""
    if state.backend not in ("memory", "redis"):
        return [f"Khóa 'state.backend' phải là 'memory' hoặc 'redis' (đang là '{state.backend}')."]
    if state.backend != "redis" or not secrets:
        return []
    if not state.redis_url:
        return [
            "state.backend là 'redis' nhưng chưa có địa chỉ Redis: hãy đặt biến môi trường "
            "FAQBOT_REDIS_URL (hoặc khóa 'state.redis_url'), ví dụ redis://127.0.0.1:6379/0."
        ]
    if not state.redis_url.startswith(("redis://", "rediss://", "unix://")):
        return [
            "Khóa 'state.redis_url' phải bắt đầu bằng redis://, rediss:// hoặc unix:// "
            "(ví dụ redis://127.0.0.1:6379/0)."
        ]
    return []


def _check_channels(config: AppConfig, secrets: bool) -> list[str]:
    """Channel settings; a missing secret only when secrets were resolved (`faqbot run`)."""
    problems: list[str] = []
    tg = config.telegram
    if tg.enabled:
        if secrets and not tg.token:
            problems.append(
                "Chưa có token Telegram: hãy đặt biến môi trường TELEGRAM_BOT_TOKEN "
                "(hoặc khóa 'telegram.token') bằng token lấy từ @BotFather."
            )
        if tg.poll_timeout < 0:
            problems.append("Khóa 'telegram.poll_timeout' không được âm.")
        if tg.concurrent_updates < 1:
            problems.append("Khóa 'telegram.concurrent_updates' phải ít nhất là 1.")
        if tg.mode == "webhook":
            if not tg.webhook.url:
                problems.append("Chế độ webhook cần khóa 'telegram.webhook.url' (địa chỉ HTTPS công khai).")
            if secrets and not _SECRET_TOKEN.fullmatch(tg.webhook.secret_token):
                problems.append(
                    "Chế độ webhook cần khóa 'telegram.webhook.secret_token': 1–256 ký tự "
                    "chỉ gồm A–Z, a–z, 0–9, '_' và '-'."
                )
    zb = config.zalo_bot
    if secrets and zb.enabled and not zb.token:
        problems.append(
            "Chưa có token Zalo Bot: hãy đặt biến môi trường ZALO_BOT_TOKEN (hoặc khóa 'zalo_bot.token')."
        )
    # Every secret an enabled channel cannot start without is said here, all at once, so that a missing
    # one stops `faqbot run` like the others (it only disabled that channel, to be retried for ever).
    if secrets and zb.enabled and zb.mode == "webhook" and not 8 <= len(zb.secret_token) <= 256:
        problems.append(
            "Chế độ webhook của Zalo Bot cần khóa 'zalo_bot.secret_token' dài 8–256 ký tự "
            "(hoặc biến môi trường ZALO_BOT_SECRET_TOKEN)."
        )
    oa = config.zalo_oa
    if oa.enabled:
        for key, value in (("app_id", oa.app_id), ("oa_secret_key", oa.oa_secret_key)):
            if not value and (secrets or key == "app_id"):
                problems.append(f"Kênh Zalo OA cần khóa 'zalo_oa.{key}'.")
        if secrets and oa.refresh_token and not oa.app_secret:
            problems.append(
                "Kênh Zalo OA cần khóa 'zalo_oa.app_secret' (biến môi trường ZALO_OA_APP_SECRET) "
                "để làm mới mã truy cập."
            )
    return problems
