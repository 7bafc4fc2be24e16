"""What several subcommands share: reading the config file with its problems told to the operator."""

from __future__ import annotations

import sys

from bot.config import AppConfig, ConfigError, load_config
from bot.semantic import cold_cache_text, semantic_setup
from faq.knowledge import Indexer


def read_config(
    path: str | None, default: AppConfig | None = None, *, secrets: bool = False, database: bool = False
) -> AppConfig | None:
    """The config at `path` (`default` when given and there is no path), or None after printing why not.

    Secrets (tokens, the salt) are resolved only with `secrets=True`: only `faqbot run` needs them;
    `database=True` resolves storage.url alone (commands that read the interaction log).
    """
    if path is None and default is not None:
        return default
    try:
        return load_config(path, secrets=secrets, database=database)
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"Lỗi cấu hình: {problem}", file=sys.stderr)
        return None


def _announce(count: int) -> None:
    print(cold_cache_text(count), file=sys.stderr, flush=True)


def indexer_or_note(config: AppConfig, lexical_only: bool = False) -> Indexer | None:
    """The semantic indexer for a one-shot command; when it cannot run, say so once on stderr."""
    if lexical_only:
        return None
    setup = semantic_setup(config.semantic, announce=_announce)
    if setup.indexer is None:
        print(f"Lưu ý: {setup.note}", file=sys.stderr)
    if setup.cache_note:
        print(f"Lưu ý: {setup.cache_note}", file=sys.stderr)
    return setup.indexer
