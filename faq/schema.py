"""Frozen dataclasses describing a loaded FAQ; built only by faq.loader (its reader, faq.faq_reader)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

SMALL_TALK = "small-talk"
"""Category id of greetings, thanks and other chit-chat entries."""
OUT_OF_SCOPE = "out-of-scope"
"""Category id of topics the office does not handle: matched only to say so and point elsewhere."""
CONTACT_CATEGORY = "lien-he"
"""Entries of this category answer with the agency block (address, hours, phone) and have nothing to
submit; the category also takes the place of the generic "📞 Liên hệ cơ quan" menu button."""
BUILT_IN_CATEGORIES = frozenset({SMALL_TALK, OUT_OF_SCOPE})
"""Categories that need no declaration and are never shown in the menu."""


class Facet(StrEnum):
    """The part of an answer a citizen asked about."""

    DOCUMENTS = "documents"
    FEE = "fee"
    TIME = "time"
    WHERE = "where"
    ONLINE = "online"
    POSTAL = "postal"
    STEPS = "steps"


class OnlineLevel(StrEnum):
    """How much of a procedure can be done on the online portal."""

    FULL = "toàn trình"
    PARTIAL = "một phần"
    NONE = "không"


def _line_of(lines: tuple[tuple[str, int], ...], key: str, default: int) -> int:
    """The line recorded for `key`, else for its parent key ("steps" for "steps.2"), else `default`."""
    found = dict(lines)
    return found.get(key) or found.get(key.split(".", 1)[0]) or default


@dataclass(frozen=True, slots=True)
class Agency:
    """The office that runs the bot: shown in greetings, fallback and contact replies."""

    name: str
    address: str
    hours: str
    phone: str
    portal: str
    email: str | None = None
    line: int = 0
    """1-based line of the `agency:` block in its source file (0 for an agency built in code)."""
    lines: tuple[tuple[str, int], ...] = field(default=(), compare=False, repr=False)
    """(key, 1-based line) of each field in the source file, for staff-facing messages."""

    def line_of(self, key: str) -> int:
        """The source line of one field ("phone"), else of the block."""
        return _line_of(self.lines, key, self.line)


@dataclass(frozen=True, slots=True)
class Category:
    """A group of entries shown as one menu button."""

    id: str
    title: str


@dataclass(frozen=True, slots=True)
class Online:
    """Where and how far a procedure can be done online."""

    url: str
    level: OnlineLevel
    note: str = ""


@dataclass(frozen=True, slots=True)
class Postal:
    """Submitting the dossier and receiving the result through the public postal service."""

    submit: str
    receive: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One procedure (or one small-talk item) of the FAQ."""

    id: str
    category: str
    title: str
    questions: tuple[str, ...]
    summary: str = ""
    keywords: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    fee: str = ""
    processing_time: str = ""
    where: str = ""
    online: Online | None = None
    postal: Postal | None = None
    procedure_code: str = ""
    legal_basis: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    updated: dt.date | None = None
    line: int = 0
    """1-based line of the entry in its source file, for staff-facing messages."""
    lines: tuple[tuple[str, int], ...] = field(default=(), compare=False, repr=False)
    """(key, 1-based line) of each field: "summary", list items as "steps.2" (0-based), nested keys
    as "postal.submit"."""

    def line_of(self, key: str) -> int:
        """The source line of one field ("summary", "steps.2", "postal.submit"), else of the entry."""
        return _line_of(self.lines, key, self.line)

    @property
    def is_procedure(self) -> bool:
        """True for an entry the office answers with guidance (not small talk, not out of scope)."""
        return not (self.is_small_talk or self.is_out_of_scope)

    @property
    def is_small_talk(self) -> bool:
        """True for greetings, thanks and other chit-chat."""
        return self.category == SMALL_TALK

    @property
    def is_out_of_scope(self) -> bool:
        """True for a topic the office does not handle (never answered as a procedure)."""
        return self.category == OUT_OF_SCOPE


@dataclass(frozen=True, slots=True)
class FaqBook:
    """A whole, valid FAQ: the only thing the matcher and the conversation read."""

    version: int
    agency: Agency
    synonyms: tuple[tuple[str, tuple[str, ...]], ...]
    """(canonical phrase, what citizens type instead), in file order."""
    categories: tuple[Category, ...]
    entries: tuple[Entry, ...]
    source: str = ""
    """Path the book was loaded from (for messages), empty for books built in code."""
    synonym_lines: tuple[int, ...] = ()
    """The line of each synonym group (same order as `synonyms`; empty for books built in code)."""
    _by_id: dict[str, Entry] = field(init=False, repr=False, compare=False)
    _categories_by_id: dict[str, Category] = field(init=False, repr=False, compare=False)
    _by_category: dict[str, tuple[Entry, ...]] = field(init=False, repr=False, compare=False)
    _menu: tuple[Category, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Asked on every menu and fallback reply: worked out once per loaded FAQ.
        object.__setattr__(self, "_by_id", {e.id: e for e in self.entries})
        object.__setattr__(self, "_categories_by_id", {c.id: c for c in self.categories})
        by_category: dict[str, list[Entry]] = {}
        for e in self.entries:
            by_category.setdefault(e.category, []).append(e)
        object.__setattr__(self, "_by_category", {k: tuple(v) for k, v in by_category.items()})
        menu = tuple(c for c in self.categories if c.id not in BUILT_IN_CATEGORIES and c.id in by_category)
        object.__setattr__(self, "_menu", menu)

    def entry(self, entry_id: str) -> Entry | None:
        """The entry with this id, or None."""
        return self._by_id.get(entry_id)

    def category(self, category_id: str) -> Category | None:
        """The category with this id, or None."""
        return self._categories_by_id.get(category_id)

    def entries_in(self, category_id: str) -> tuple[Entry, ...]:
        """Entries of one category, in file order."""
        return self._by_category.get(category_id, ())

    @property
    def menu_categories(self) -> tuple[Category, ...]:
        """Categories shown in the menu: every category that has entries, except small talk and
        out-of-scope topics."""
        return self._menu


def titles_only(book: FaqBook) -> FaqBook:
    """The book as a first FAQ looks: every entry stripped to its title (no questions, no keywords)."""
    entries = tuple(dataclasses.replace(e, questions=(), keywords=()) for e in book.entries)
    return dataclasses.replace(book, entries=entries)


@dataclass(frozen=True, slots=True)
class NotHandled:
    """A shared procedure one office does not handle, and who does."""

    id: str
    handled_by: str
    """Who handles it, as citizens read it ("Công an tỉnh, Phòng Quản lý xuất nhập cảnh")."""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Overlay:
    """One office's additions to the shared FAQ: its contact, its own entries, its exceptions."""

    agency: Agency
    categories: tuple[Category, ...] = ()
    """Categories of its own (entries may also use the shared FAQ's)."""
    entries: tuple[Entry, ...] = ()
    """Entries only this office has."""
    replaces: tuple[Entry, ...] = ()
    """Entries that take the place of the shared entry with the same id, for this office."""
    not_handled: tuple[NotHandled, ...] = ()
    source: str = ""
