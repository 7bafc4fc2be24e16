"""Secrets are resolved only for a channel that is enabled, and only by a command that runs channels."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot.app import config_secrets
from bot.cli import main
from bot.config import ConfigError, load_config

MINI_FAQ = Path(__file__).parent / "data" / "mini_faq.yaml"

# config.example.yaml as an office leaves it for a Zalo-only bot: Telegram switched off, its token
# line still pointing at ${TELEGRAM_BOT_TOKEN}, which is not set on this machine.
TELEGRAM_OFF = """
faq: {{path: "{faq}"}}
telegram:
  enabled: false
  token: ${{TELEGRAM_BOT_TOKEN}}
  webhook: {{secret_token: "${{TELEGRAM_WEBHOOK_SECRET}}"}}
zalo_bot:
  enabled: {zalo}
  token: ${{ZALO_BOT_TOKEN}}
zalo_oa:
  enabled: false
  app_secret: ${{ZALO_OA_APP_SECRET}}
storage: {{path: "{db}", salt: "${{FAQBOT_SALT}}"}}
"""


def write(tmp_path: Path, zalo: bool = False) -> Path:
    path = tmp_path / "config.yaml"
    text = TELEGRAM_OFF.format(faq=MINI_FAQ, db=tmp_path / "log.sqlite3", zalo=str(zalo).lower())
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _no_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in (
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_WEBHOOK_SECRET",
        "ZALO_BOT_TOKEN",
        "ZALO_OA_APP_SECRET",
        "FAQBOT_SALT",
    ):
        monkeypatch.delenv(var, raising=False)


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["report"], id="report"),
        pytest.param(["check"], id="check"),
        pytest.param(["ask", "làm giấy khai sinh"], id="ask"),
        pytest.param(["chat"], id="chat"),
    ],
)
def test_commands_without_channels_need_no_secret(
    tmp_path: Path, argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("thoát\n"))
    code = main([*argv, "--config", str(write(tmp_path, zalo=True))])
    out = capsys.readouterr()
    assert "biến môi trường" not in out.out + out.err
    assert code == 0, out


def test_zalo_only_run_needs_no_telegram_token(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, zalo=True), env={"ZALO_BOT_TOKEN": "zb", "FAQBOT_SALT": "s"})
    assert config.zalo_bot.token == "zb"
    assert config.storage.salt == "s"
    assert config.telegram.token == "" and config.telegram.webhook.secret_token == ""
    assert config.zalo_oa.app_secret == ""


def test_enabled_channel_without_its_secret_is_still_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, zalo=True), env={"FAQBOT_SALT": "s"})
    assert info.value.problems == [
        "Khóa 'zalo_bot.token' dùng biến môi trường ${ZALO_BOT_TOKEN} nhưng biến này chưa được đặt."
    ]


def test_secrets_false_resolves_no_secret(tmp_path: Path) -> None:
    env = {"ZALO_BOT_TOKEN": "zb", "FAQBOT_SALT": "s", "TELEGRAM_BOT_TOKEN": "1:t"}
    config = load_config(write(tmp_path, zalo=True), env=env, secrets=False)
    assert (config.zalo_bot.token, config.storage.salt, config.telegram.token) == ("", "", "")
    assert config.zalo_bot.enabled


def test_enabled_channel_secret_missing_is_not_checked_without_secrets(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("telegram: {enabled: true}\n", encoding="utf-8")
    assert load_config(path, env={}, secrets=False).telegram.enabled
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN"):
        load_config(path, env={})


# -- the state store (issue 15) ------------------------------------------------------------------


def _state_config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "state.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_redis_url_comes_from_the_environment_only_when_the_backend_is_redis(tmp_path: Path) -> None:
    env = {"FAQBOT_REDIS_URL": "redis://:pw@10.0.0.5:6379/2"}
    redis = load_config(_state_config(tmp_path, "state: {backend: redis}\n"), env=env)
    assert (redis.state.backend, redis.state.redis_url) == ("redis", "redis://:pw@10.0.0.5:6379/2")
    memory = load_config(_state_config(tmp_path, "state: {redis_url: '${UNSET_VAR}'}\n"), env={})
    assert (memory.state.backend, memory.state.redis_url) == ("memory", "")
    assert "redis://:pw@10.0.0.5:6379/2" in config_secrets(redis)


def test_url_passwords_are_secrets_alone_too(tmp_path: Path) -> None:
    # psycopg quotes a malformed password alone ("unexpected spaces found in …") into the log.
    env = {"FAQBOT_DATABASE_URL": "postgresql://faqbot:SECRET VALUE%23x@db/faqbot"}
    config = load_config(_state_config(tmp_path, "storage: {url: '${FAQBOT_DATABASE_URL}'}\n"), env=env)
    secrets = config_secrets(config)
    assert "SECRET VALUE%23x" in secrets and "SECRET VALUE#x" in secrets


@pytest.mark.parametrize(
    ("body", "env", "expected"),
    [
        pytest.param("state: {backend: redis}\n", {}, "FAQBOT_REDIS_URL", id="redis-without-url"),
        pytest.param("state: {backend: reddis}\n", {}, "'memory' hoặc 'redis'", id="unknown-backend"),
        pytest.param(
            "state: {backend: redis, redis_url: '10.0.0.5:6379'}\n", {}, "redis://", id="url-without-scheme"
        ),
        pytest.param("state: {backend: redis, redis_url: '${NOPE}'}\n", {}, "${NOPE}", id="unset-variable"),
    ],
)
def test_state_problems_are_named(tmp_path: Path, body: str, env: dict[str, str], expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(_state_config(tmp_path, body), env=env)
    assert expected in str(caught.value)


def test_redis_url_is_not_needed_without_secrets(tmp_path: Path) -> None:
    config = load_config(_state_config(tmp_path, "state: {backend: redis}\n"), env={}, secrets=False)
    assert config.state.redis_url == ""
