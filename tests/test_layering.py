"""Dependencies point one way: faq <- handlers <- bot; only bot/channels speak to a transport."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TRANSPORTS = {"telegram", "httpx", "aiohttp", "tornado", "http", "socket", "urllib.request", "requests"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        # Both the top-level package and the full name, so "urllib.request" can be
        # forbidden while the pure "urllib.parse" stays allowed.
        if isinstance(node, ast.Import):
            for alias in node.names:
                roots.update({alias.name.split(".")[0], alias.name})
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.update({node.module.split(".")[0], node.module})
    return roots


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        pytest.param("faq", {"bot", "handlers", "redis", *TRANSPORTS}, id="faq-is-pure"),
        pytest.param("handlers", {"bot", "yaml", "redis", *TRANSPORTS}, id="handlers-know-no-transport"),
    ],
)
def test_package_imports(package: str, forbidden: set[str]) -> None:
    offenders = {str(p.relative_to(ROOT)): sorted(imported_roots(p) & forbidden) for p in modules(package)}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_only_channels_import_transports() -> None:
    outside = [p for p in modules("bot") if "channels" not in p.parts]
    offenders = {str(p.relative_to(ROOT)): sorted(imported_roots(p) & {"telegram", "httpx"}) for p in outside}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_yaml_is_read_only_by_its_readers() -> None:
    # One reader per YAML file: the FAQ, the config, the labelled eval cases. faq/yaml_errors.py
    # reads no file: it rescans the text a reader already has, to explain that reader's syntax error.
    # faq/writeback.py reads no file either: it finds where an entry's questions end in the text it
    # is given (parser positions only, no data), and the loader judges the edited text.
    # faq/yaml_tree.py is the loader's own half: it turns the text the loader read into a tree with
    # line numbers, for the loader alone (FAQ and office overlays).
    readers = {
        ROOT / "faq" / "loader.py",
        ROOT / "faq" / "yaml_tree.py",
        ROOT / "bot" / "config.py",
        ROOT / "faq" / "evaluate.py",
        ROOT / "faq" / "yaml_errors.py",
        ROOT / "faq" / "writeback.py",
    }
    offenders = [
        str(p.relative_to(ROOT))
        for pkg in ("faq", "handlers", "bot")
        for p in modules(pkg)
        if p not in readers and "yaml" in imported_roots(p)
    ]
    assert offenders == []


def test_redis_is_spoken_to_by_the_state_store_only() -> None:
    # handlers/store.py is the protocol; bot/state.py the one Redis client (state.backend: redis).
    offenders = [
        str(p.relative_to(ROOT))
        for pkg in ("faq", "handlers", "bot")
        for p in modules(pkg)
        if p != ROOT / "bot" / "state.py" and "redis" in imported_roots(p)
    ]
    assert offenders == []
