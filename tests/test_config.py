"""bot.config: every bad config is a clear error naming the key; env secrets; the example is complete."""

from __future__ import annotations

import dataclasses
import datetime as dt
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.config import AppConfig, ConfigError, load_config, parse_span

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "config.example.yaml"
EXAMPLE_ENV = {"TELEGRAM_BOT_TOKEN": "123:example"}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str, env: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text), env=env or {})
    return info.value.problems


TG_ON = "telegram: {enabled: true"
"""Secrets are resolved only for an enabled channel."""

WEBHOOK_OK = """
telegram:
  enabled: true
  token: "1:a"
  mode: webhook
  webhook: {url: "https://bot.example.vn/telegram", secret_token: "s3cret_-X"}
"""


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        pytest.param("telegramm: {}\n", {}, "'telegramm'", id="unknown-top-level-key"),
        pytest.param("telegram: {tokn: x}\n", {}, "'telegram.tokn'", id="unknown-nested-key"),
        pytest.param(
            "telegram: {webhook: {prot: 1}}\n", {}, "'telegram.webhook.prot'", id="unknown-deep-key"
        ),
        pytest.param("telegram: {enabled: yes please}\n", {}, "'telegram.enabled'", id="not-a-bool"),
        pytest.param("telegram: {poll_timeout: soon}\n", {}, "'telegram.poll_timeout'", id="not-int"),
        pytest.param(
            "matching: {answer_threshold: high}\n", {}, "'matching.answer_threshold'", id="not-a-number"
        ),
        pytest.param("staff: {admin_user_ids: 42}\n", {}, "'staff.admin_user_ids'", id="not-a-list"),
        pytest.param("telegram: 3\n", {}, "'telegram'", id="section-not-a-mapping"),
        pytest.param("telegram: {mode: pull}\n", {}, "'telegram.mode'", id="bad-mode"),
        pytest.param("zalo_bot: {mode: push}\n", {}, "'zalo_bot.mode'", id="bad-zalo-mode"),
        pytest.param("faq: {path: '${NOPE}'}\n", {}, "${NOPE}", id="missing-env"),
        pytest.param(
            "telegram: {enabled: true, token: '${NOPE}'}\n",
            {},
            "${NOPE}",
            id="missing-env-of-enabled-channel",
        ),
        pytest.param("telegram: {enabled: true}\n", {}, "TELEGRAM_BOT_TOKEN", id="missing-token"),
        pytest.param(
            WEBHOOK_OK.replace("s3cret_-X", ""),
            {},
            "'telegram.webhook.secret_token'",
            id="webhook-without-secret",
        ),
        pytest.param(
            WEBHOOK_OK.replace("s3cret_-X", "has space"),
            {},
            "'telegram.webhook.secret_token'",
            id="webhook-secret-bad-chars",
        ),
        pytest.param(
            WEBHOOK_OK.replace("https://bot.example.vn/telegram", ""),
            {},
            "'telegram.webhook.url'",
            id="webhook-without-url",
        ),
        pytest.param("logging: {level: LOUD}\n", {}, "'logging.level'", id="bad-log-level"),
        pytest.param(
            "conversation: {flood_limit_per_minute: 0}\n",
            {},
            "'conversation.flood_limit_per_minute'",
            id="flood-limit-zero",
        ),
        pytest.param(
            "matching: {suggest_threshold: 90}\n",
            {},
            "'matching.suggest_threshold'",
            id="thresholds-out-of-order",
        ),
        pytest.param(
            "matching: {model_chars: 10}\n", {}, "'matching.model_chars'", id="model-reads-too-little"
        ),
        pytest.param(
            "matching: {model_chars: 100000}\n", {}, "'matching.model_chars'", id="model-reads-too-much"
        ),
        pytest.param("zalo_bot: {enabled: true}\n", {}, "ZALO_BOT_TOKEN", id="zalo-bot-no-token"),
        pytest.param("zalo_oa: {enabled: true}\n", {}, "'zalo_oa.app_id'", id="zalo-oa-no-app-id"),
        pytest.param(
            "zalo_bot: {enabled: true, mode: webhook, webhook_url: 'https://x.vn/z'}\n",
            {"ZALO_BOT_TOKEN": "zb"},
            "ZALO_BOT_SECRET_TOKEN",
            id="zalo-bot-webhook-no-secret",
        ),
        pytest.param(
            "zalo_oa: {enabled: true, app_id: '1', oa_secret_key: k}\n",
            {"ZALO_OA_REFRESH_TOKEN": "r"},
            "ZALO_OA_APP_SECRET",
            id="zalo-oa-refresh-without-app-secret",
        ),
        pytest.param("faq: [1, 2]\n", {}, "'faq'", id="faq-section-is-a-list"),
        pytest.param("- just\n- a list\n", {}, "bảng khóa", id="top-level-list"),
        pytest.param("telegram: {token: 'a'\n", {}, "YAML", id="yaml-syntax"),
        pytest.param(
            "staff: {working_hours: ['7h30-11h30']}\n",
            {},
            "'staff.working_hours'",
            id="office-hours-not-hh-mm",
        ),
        pytest.param(
            "staff: {working_hours: ['17:00-07:30']}\n",
            {},
            "'staff.working_hours'",
            id="office-hours-backwards",
        ),
        pytest.param("staff: {working_days: [1, 9]}\n", {}, "'staff.working_days'", id="day-nine"),
        pytest.param("staff: {timezone: Asia/Hanoi}\n", {}, "'staff.timezone'", id="unknown-zone"),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, text: str, env: dict[str, str], expected: str) -> None:
    problems = problems_of(tmp_path, text, env)
    assert any(expected in p for p in problems), problems


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, "telegram: {tokn: x, port: 1}\nlogging: {lvl: 1}\n")
    assert len(problems) == 3


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"config\.yaml"):
        load_config(tmp_path / "config.yaml", env={})


def test_valid_webhook_config(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, WEBHOOK_OK), env={})
    assert config.telegram.mode == "webhook"
    assert config.telegram.webhook.secret_token == "s3cret_-X"


@pytest.mark.parametrize(
    ("text", "env", "path", "expected"),
    [
        pytest.param(
            TG_ON + "}\n",
            {"TELEGRAM_BOT_TOKEN": "9:env"},
            ("telegram", "token"),
            "9:env",
            id="env-fills-empty-secret",
        ),
        pytest.param(
            TG_ON + ", token: '1:file'}\n",
            {"TELEGRAM_BOT_TOKEN": "9:env"},
            ("telegram", "token"),
            "1:file",
            id="explicit-file-value-kept",
        ),
        pytest.param(
            TG_ON + ", token: '${MY_TOKEN}'}\n",
            {"MY_TOKEN": "7:ref"},
            ("telegram", "token"),
            "7:ref",
            id="env-reference",
        ),
        pytest.param(
            TG_ON + ", token: 'x${A}y${B}'}\n",
            {"A": "1", "B": "2"},
            ("telegram", "token"),
            "x1y2",
            id="two-references",
        ),
        pytest.param(
            TG_ON + ", token: '${NOPE:-fallback}'}\n",
            {},
            ("telegram", "token"),
            "fallback",
            id="default-when-unset",
        ),
        pytest.param("faq: {path: '${NOPE:-}'}\n", {}, ("faq", "path"), "", id="empty-default"),
        pytest.param(
            "storage: {salt: ''}\n",
            {"FAQBOT_SALT": "pepper"},
            ("storage", "salt"),
            "pepper",
            id="salt-from-env",
        ),
        pytest.param(
            "zalo_oa: {enabled: true, app_id: '1'}\n",
            {"ZALO_OA_SECRET_KEY": "k"},
            ("zalo_oa", "oa_secret_key"),
            "k",
            id="zalo-secret-from-env",
        ),
        pytest.param(
            "telegram: {poll_timeout: '${T}'}\n",
            {"T": "12"},
            ("telegram", "poll_timeout"),
            12,
            id="int-from-env",
        ),
        pytest.param(
            "conversation: {context_ttl: '${T}'}\n",
            {"T": "1.5"},
            ("conversation", "context_ttl"),
            1.5,
            id="float-from-env",
        ),
        pytest.param(
            "telegram: {enabled: '${ON}', token: x}\n",
            {"ON": "true"},
            ("telegram", "enabled"),
            True,
            id="bool-from-env",
        ),
        pytest.param(
            "staff: {telegram_chat_id: -100123}\n",
            {},
            ("staff", "telegram_chat_id"),
            -100123,
            id="optional-int",
        ),
        pytest.param(
            "staff: {admin_user_ids: [1, '2']}\n",
            {},
            ("staff", "admin_user_ids"),
            ("1", "2"),
            id="ids-as-strings",
        ),
    ],
)
def test_values_and_env(
    tmp_path: Path, text: str, env: dict[str, str], path: tuple[str, str], expected: Any
) -> None:
    config = load_config(write(tmp_path, text), env=env)
    assert getattr(getattr(config, path[0]), path[1]) == expected


def test_no_file_means_defaults() -> None:
    assert load_config(None, env={}) == AppConfig()


def _fields(cls: Any, prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        if dataclasses.is_dataclass(default):
            keys |= _fields(type(default), f"{prefix}{f.name}.")
        else:
            keys.add(f"{prefix}{f.name}")
    return keys


def _keys(raw: dict[str, Any], prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for k, v in raw.items():
        if isinstance(v, dict):
            keys |= _keys(v, f"{prefix}{k}.")
        else:
            keys.add(f"{prefix}{k}")
    return keys


def test_example_documents_every_key() -> None:
    raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    assert _keys(raw) == _fields(AppConfig)


def test_example_loads_and_matches_defaults() -> None:
    config = load_config(EXAMPLE, env=EXAMPLE_ENV)
    # The example turns Telegram on with the token from the environment; the rest are defaults.
    expected = dataclasses.replace(
        AppConfig(),
        telegram=dataclasses.replace(AppConfig().telegram, enabled=True, token="123:example"),
    )
    assert config == expected


def test_example_needs_the_telegram_token() -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN"):
        load_config(EXAMPLE, env={})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            'telegram:\n  enabled: false\n  base_url: "https://api.telegram.org/bot\n  mode: polling\n'
            'staff:\n  timezone: "Asia/Ho_Chi_Minh"\n',
            ':3: lỗi cú pháp YAML: dấu ngoặc kép (") mở ở dòng này chưa được đóng',
            id="unclosed-quote-at-its-line",
        ),
        pytest.param(
            "staff:\n  working_days:\n    - 0\n    - 1\n   - 2\n",
            ":5: lỗi cú pháp YAML: ý danh sách ở dòng này thụt lề 3 dấu cách, còn các ý khác",
            id="item-out-of-line",
        ),
        pytest.param(
            "telegram: {token: 'a'\n", ":1: lỗi cú pháp YAML: khối mở bằng '{'", id="unclosed-brace"
        ),
        pytest.param("logging:\n\tlevel: INFO\n", ":2: lỗi cú pháp YAML: dòng này có phím Tab", id="tab"),
        pytest.param(
            "telegram:\n  enabled: true\n  mode: webhook\nlogging: {}\ntelegram:\n  enabled: false\n",
            ":5: khóa 'telegram' đã ghi ở dòng 1; ghi hai lần thì bot chỉ đọc lần sau",
            id="a-section-pasted-twice",
        ),
        pytest.param(
            "staff:\n  timezone: Asia/Ho_Chi_Minh\n  working_days: [0]\n  timezone: UTC\n",
            ":4: khóa 'staff.timezone' đã ghi ở dòng 2",
            id="a-key-twice-in-a-section",
        ),
    ],
)
def test_yaml_error_has_line_and_explanation(tmp_path: Path, text: str, expected: str) -> None:
    (problem,) = problems_of(tmp_path, text)
    assert problem.startswith(str(tmp_path / "config.yaml") + expected), problem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "telegram:\n  enabled: false\n  tokn: x\n",
            ":3: Khóa 'telegram.tokn' không được hỗ trợ — có phải ý bạn là 'telegram.token'?",
            id="nested-typo",
        ),
        pytest.param(
            "stafff: {}\n",
            ":1: Khóa 'stafff' không được hỗ trợ — có phải ý bạn là 'staff'?",
            id="top-level-typo",
        ),
        pytest.param(
            "logging: {xyz: 1}\n",
            ":1: Khóa 'logging.xyz' không được hỗ trợ (các khóa hợp lệ:",
            id="no-near-key",
        ),
    ],
)
def test_unknown_key_has_line_and_hint(tmp_path: Path, text: str, expected: str) -> None:
    (problem,) = problems_of(tmp_path, text)
    assert problem.startswith(str(tmp_path / "config.yaml") + expected), problem


@pytest.mark.parametrize(
    ("text", "span"),
    [
        pytest.param("07:30-11:30", (dt.time(7, 30), dt.time(11, 30)), id="morning"),
        pytest.param("7:30-11:30", (dt.time(7, 30), dt.time(11, 30)), id="no-leading-zero"),
        pytest.param("00:00-24:00", (dt.time(0, 0), dt.time.max), id="round-the-clock"),
    ],
)  # fmt: skip
def test_office_hours_spans(text: str, span: tuple[dt.time, dt.time]) -> None:
    assert parse_span(text) == span


@pytest.mark.parametrize(
    ("run_from", "problem"),
    [
        pytest.param("outside", True, id="run-from-elsewhere"),
        pytest.param("office", False, id="run-from-the-config-folder"),
    ],
)
def test_a_faq_beside_the_config_but_not_from_the_working_directory_is_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_from: str, problem: bool
) -> None:
    office = tmp_path / "office"
    (office / "faq").mkdir(parents=True)
    (office / "faq" / "xa.yaml").write_text("version: 1\n", encoding="utf-8")
    (office / "config.yaml").write_text("faq:\n  path: faq/xa.yaml\n", encoding="utf-8")
    (tmp_path / "outside").mkdir()
    monkeypatch.chdir(tmp_path / run_from)
    config_path = office / "config.yaml"
    if not problem:
        assert load_config(config_path).faq.path == "faq/xa.yaml"
        return
    with pytest.raises(ConfigError) as caught:
        load_config(config_path)
    message = "\n".join(caught.value.problems)
    assert "faq.path 'faq/xa.yaml' không có ở thư mục đang chạy lệnh" in message
    assert f'cd "{office}"' in message
