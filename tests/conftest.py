"""Shared test setup."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Relative paths of the default config (var/faqbot.sqlite3...) land in the test's own folder."""
    monkeypatch.chdir(tmp_path)
