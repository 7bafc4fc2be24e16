"""A real `faqbot run` in a child process, for tests that kill it (-9) or run several side by side."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

MINI_FAQ = Path(__file__).parent.parent / "data" / "mini_faq.yaml"


def telegram_config(
    tmp_path: Path,
    name: str,
    *,
    token: str,
    base_url: str,
    concurrent_updates: int = 4,
    redis_url: str | None = None,
) -> Path:
    """A config file for a polling Telegram bot on the fake server (memory or redis state)."""
    state = (
        f'state: {{backend: redis, redis_url: "{redis_url}"}}' if redis_url else "state: {backend: memory}"
    )
    text = f"""
        faq: {{path: "{MINI_FAQ}", watch: false}}
        semantic: {{backend: none}}
        {state}
        storage: {{path: "{tmp_path / (name + ".sqlite3")}", salt: test-salt}}
        logging: {{level: INFO, file: "{tmp_path / (name + ".log")}"}}
        telegram:
          enabled: true
          token: "{token}"
          base_url: "{base_url}"
          poll_timeout: 1
          concurrent_updates: {concurrent_updates}
        """
    path = tmp_path / f"{name}.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


class BotProcess:
    """`python -m bot run --config <path>`; output goes to <path>.out (read it when a test fails)."""

    def __init__(self, config: Path) -> None:
        self.config = config
        self.output = config.with_suffix(".out")
        self.log = config.with_suffix(".log")
        with self.output.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run", "--config", str(config)],
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self.process.pid

    def kill(self) -> None:
        """kill -9: no clean-up of any kind."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def terminate(self, timeout: float = 30.0) -> int:
        """SIGTERM (a clean stop, as systemd does) and wait; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def log_text(self) -> str:
        """What the bot logged so far."""
        return self.log.read_text(encoding="utf-8") if self.log.exists() else ""

    def describe(self) -> str:
        """Output and log tail, for an assertion message."""
        out = self.output.read_text(encoding="utf-8", errors="replace") if self.output.exists() else ""
        return f"--- output ---\n{out[-3000:]}\n--- log ---\n{self.log_text()[-3000:]}"
