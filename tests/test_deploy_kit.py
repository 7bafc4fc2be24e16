"""deploy/: the compose kit's config reads with the variables deploy/.env.example names."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.config import load_config

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def _example_env() -> dict[str, str]:
    """deploy/.env.example's variables, filled as an operator would (secrets made up)."""
    env = {}
    for line in (DEPLOY / ".env.example").read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            name, value = line.split("=", 1)
            env[name.strip()] = value.strip() or "FAKE-value-12345"
    env["TELEGRAM_BOT_TOKEN"] = "123456:FAKEFAKEFAKEFAKEFAKEFAKEFAKE"
    return env


def test_the_compose_kit_ships_the_config_it_mounts() -> None:
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))
    mounted = {v.split(":")[0] for v in compose["x-bot"]["volumes"] if v.startswith("./")}
    assert "./config.yaml" in mounted
    assert (DEPLOY / "config.yaml").is_file()  # a missing bind source becomes an empty directory


def test_the_kit_config_reads_with_what_compose_passes_the_workers() -> None:
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))
    example = _example_env()
    # The workers' environment as compose builds it from deploy/.env.
    env = {
        name: re.sub(r"\$\{(\w+)(?::-([^}]*))?\}", lambda m: example.get(m[1]) or (m[2] or ""), value)
        for name, value in compose["x-bot"]["environment"].items()
    }
    config = load_config(DEPLOY / "config.yaml", env=env, secrets=True)
    assert config.telegram.mode == "webhook" and config.state.backend == "redis"
    assert config.telegram.webhook.url == f"https://{example['PUBLIC_HOST']}/telegram"
    assert config.storage.url.startswith("postgresql://faqbot:")
    assert config.faq.path == "/etc/faqbot/faq.yaml"
    # The health check Docker runs asks the Telegram webhook port.
    assert "127.0.0.1:8443/healthz" in " ".join(compose["x-bot"]["healthcheck"]["test"])
    assert config.telegram.webhook.port == 8443
