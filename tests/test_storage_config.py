"""storage.url: which database the log uses, which file keeps the tickets, and the config errors."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from bot.config import ConfigError, StorageConfig, load_config
from bot.storage import InteractionLog
from bot.storage_sql import hide_password, redact


@pytest.mark.parametrize(
    ("storage", "log_url", "sqlite_path"),
    [
        pytest.param(StorageConfig(), "sqlite:///var/faqbot.sqlite3", "var/faqbot.sqlite3", id="defaults"),
        pytest.param(
            StorageConfig(path="/srv/a.sqlite3"),
            "sqlite:////srv/a.sqlite3",
            "/srv/a.sqlite3",
            id="absolute-path",
        ),
        pytest.param(
            StorageConfig(path="p.sqlite3", url="sqlite:///data/log.sqlite3"),
            "sqlite:///data/log.sqlite3",
            "data/log.sqlite3",
            id="sqlite-url-wins-over-path",
        ),
        pytest.param(
            StorageConfig(url="sqlite:////srv/log.sqlite3"),
            "sqlite:////srv/log.sqlite3",
            "/srv/log.sqlite3",
            id="absolute-sqlite-url",
        ),
        pytest.param(
            StorageConfig(path="t.sqlite3", url="postgresql://u:p@db/faqbot"),
            "postgresql://u:p@db/faqbot",
            "t.sqlite3",
            id="postgresql-tickets-stay-in-path",
        ),
    ],
)
def test_which_database_and_which_file(storage: StorageConfig, log_url: str, sqlite_path: str) -> None:
    assert (storage.log_url, storage.sqlite_path) == (log_url, sqlite_path)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param(
            "postgresql://faqbot:s3cret@10.0.0.5:5432/faqbot",
            "postgresql://faqbot:***@10.0.0.5:5432/faqbot",
            id="password-in-netloc",
        ),
        pytest.param(
            "postgresql://10.0.0.5/faqbot?user=a&password=s3cret",
            "postgresql://10.0.0.5/faqbot?user=a&password=***",
            id="password-in-query",
        ),
        pytest.param("postgresql://faqbot@db/faqbot", "postgresql://faqbot@db/faqbot", id="no-password"),
        pytest.param(
            "postgresql://faqbot:SECRET#VALUE@127.0.0.1:5440/faqbot",
            "postgresql://faqbot:***@127.0.0.1:5440/faqbot",
            id="hash-in-the-password",
        ),
        pytest.param(
            "postgresql://faqbot:SECRET/VALUE@db:5432/faqbot",
            "postgresql://faqbot:***@db:5432/faqbot",
            id="slash-in-the-password",
        ),
        pytest.param(
            "postgresql://faqbot:SECRET VALUE?x@db/faqbot",
            "postgresql://faqbot:***@db/faqbot",
            id="space-and-question",
        ),
        pytest.param("redis://:SECRET#VALUE@127.0.0.1:6391/0", "redis://:***@127.0.0.1:6391/0", id="redis"),
        pytest.param("var/faqbot.sqlite3", "var/faqbot.sqlite3", id="a-path"),
    ],
)
def test_redact_hides_the_password(url: str, expected: str) -> None:
    assert redact(url) == expected


def test_relative_and_absolute_sqlite_urls(tmp_path: Path) -> None:
    InteractionLog("sqlite:///var/relative.sqlite3", salt="s").close()
    assert (tmp_path / "var" / "relative.sqlite3").is_file()  # the tests run in tmp_path
    absolute = tmp_path / "abs" / "log.sqlite3"
    InteractionLog(f"sqlite:///{absolute}", salt="s").close()
    assert absolute.is_file()


def write(tmp_path: Path, storage: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text("storage:\n" + storage, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("storage", "fragment"),
    [
        pytest.param("  url: mysql://u@db/faqbot\n", "phải bắt đầu bằng sqlite:///", id="unknown-scheme"),
        pytest.param("  url: /srv/faqbot.sqlite3\n", "phải bắt đầu bằng sqlite:///", id="a-bare-path"),
        pytest.param("  url: 'sqlite:///'\n", "thiếu đường dẫn tệp SQLite", id="sqlite-without-a-path"),
        pytest.param("  buffer_rows: 0\n", "'storage.buffer_rows' phải ít nhất là 1", id="no-buffer"),
    ],
)
def test_a_bad_storage_setting_is_one_vietnamese_problem(tmp_path: Path, storage: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, storage), env={}, database=True)
    (problem,) = caught.value.problems
    assert fragment in problem


def test_a_missing_driver_names_the_extra_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "psycopg" else real(name, *a)
    )
    with pytest.raises(ConfigError, match=r"chưa cài thư viện psycopg .*\.\[postgres\]"):
        load_config(write(tmp_path, "  url: postgresql://u@db/faqbot\n"), env={}, database=True)


@pytest.mark.parametrize(
    ("secrets", "database", "expected"),
    [
        pytest.param(True, False, "postgresql://u:p@db/faqbot", id="run-reads-it"),
        pytest.param(False, True, "postgresql://u:p@db/faqbot", id="report-and-migrate-log-read-it"),
        pytest.param(False, False, "", id="check-ask-chat-never-look"),
    ],
)
def test_the_database_url_is_a_secret_read_only_where_needed(
    tmp_path: Path, secrets: bool, database: bool, expected: str
) -> None:
    env = {"FAQBOT_DATABASE_URL": "postgresql://u:p@db/faqbot"}
    from_env = load_config(
        write(tmp_path, "  retention_days: 30\n"), env=env, secrets=secrets, database=database
    )
    assert from_env.storage.url == expected
    referenced = write(tmp_path, "  url: ${FAQBOT_DATABASE_URL}\n")
    assert load_config(referenced, env=env, secrets=secrets, database=database).storage.url == expected
    if not expected:
        # An unset variable cannot stop a command that does not use the log.
        assert load_config(referenced, env={}, secrets=secrets, database=database).storage.url == ""


@pytest.mark.parametrize(
    ("text", "url", "expected"),
    [
        pytest.param(
            'unexpected spaces found in "SECRET VALUE", use percent-encoded spaces',
            "postgresql://faqbot:SECRET VALUE@db/faqbot",
            'unexpected spaces found in "***", use percent-encoded spaces',
            id="quoted-by-the-driver",
        ),
        pytest.param(
            'password "p@ss" rejected',
            "postgresql://faqbot:p%40ss@db/faqbot",
            'password "***" rejected',
            id="decoded",
        ),
        pytest.param(
            "server closed the connection",
            "postgresql://faqbot@db/faqbot",
            "server closed the connection",
            id="no-password",
        ),
    ],
)
def test_hide_password(text: str, url: str, expected: str) -> None:
    assert hide_password(text, url) == expected
