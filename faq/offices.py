"""One province, many offices: one shared FAQ indexed once, each office's overlay on top of it.

How, in words:
- The matcher indexes one book: the shared entries once, then every office's own and replacing
  entries (under an internal id "<office>/<entry id>"). A hundred offices cost a hundred small
  overlays in that index, never a hundred copies of the shared FAQ; an office's version of a shared
  entry counts once with it in word weights (`families`).
- Each office gets a Knowledge whose view keeps, of that index, the shared entries it neither
  replaces nor leaves to another body, plus its own: matching looks at no other entry. Its book is
  what the conversation reads (menu, buttons, contact): the office's agency block, the shared
  categories and its own, the shared entries with its replacements in their place, its own entries.
- A shared entry the office does not handle stays in its view, so that the question is still
  recognised, and is answered with who handles it (Knowledge.not_handled) instead of guidance.
- The province's own Knowledge (a shared account before the citizen has named an office) sees the
  shared entries only, with the shared FAQ's agency block.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace

from faq.decision import MatchSettings
from faq.knowledge import Indexer, Knowledge, build_matcher
from faq.matcher import Matcher
from faq.schema import Category, Entry, FaqBook, Overlay

log = logging.getLogger(__name__)

SEPARATOR = "/"
"""Between the office id and the entry id in the index (neither may contain it)."""


@dataclass(frozen=True, slots=True)
class Province:
    """The shared FAQ, the offices' overlays, one matcher over all of them, a Knowledge per office."""

    shared: FaqBook
    overlays: Mapping[str, Overlay]
    matcher: Matcher
    province: Knowledge
    """The shared entries only, with the shared agency block (no office chosen yet)."""
    offices: Mapping[str, Knowledge]
    notes: tuple[str, ...] = ()
    """What was left out, in English for the log (an overlay replacing an id the shared FAQ lost)."""

    def knowledge(self, office: str | None) -> Knowledge:
        """The Knowledge of one office; the province's when the office is None or unknown."""
        if office is None:
            return self.province
        return self.offices.get(office, self.province)

    def depends_on_office(self, entry_id: str) -> bool:
        """Whether some office answers this shared entry its own way (replaces it or leaves it to
        another body): then the answer needs the citizen's office."""
        return entry_id in self._touched()

    def _touched(self) -> frozenset[str]:
        touched: set[str] = set()
        for overlay in self.overlays.values():
            touched.update(e.id for e in overlay.replaces)
            touched.update(n.id for n in overlay.not_handled)
        return frozenset(touched)


def build_province(
    shared: FaqBook,
    overlays: Mapping[str, Overlay],
    settings: MatchSettings,
    indexer: Indexer | None = None,
) -> Province:
    """Index the shared FAQ and every overlay once, and cut a view for each office."""
    notes: list[str] = []
    shared_ids = {e.id for e in shared.entries}
    entries: list[Entry] = list(shared.entries)
    families: list[str] = [e.id for e in shared.entries]
    categories: dict[str, Category] = {c.id: c for c in shared.categories}
    placed: dict[str, list[tuple[int, Entry]]] = {}
    for office in sorted(overlays):
        overlay = overlays[office]
        for c in overlay.categories:
            categories.setdefault(c.id, c)
        mine = placed.setdefault(office, [])
        for entry in overlay.replaces:
            if entry.id not in shared_ids:
                notes.append(f"office {office}: replaced entry {entry.id} is no longer in the shared FAQ")
        for entry in (*overlay.replaces, *overlay.entries):
            mine.append((len(entries), entry))
            entries.append(replace(entry, id=f"{office}{SEPARATOR}{entry.id}"))
            families.append(entry.id)
    union = replace(shared, categories=tuple(categories.values()), entries=tuple(entries))
    matcher = build_matcher(union, settings, indexer, families if overlays else None)
    shared_indexes = range(len(shared.entries))
    province = Knowledge(
        book=shared,
        matcher=matcher,
        view=matcher.view("", shared_indexes) if overlays else None,
    )
    offices: dict[str, Knowledge] = {}
    for office, overlay in overlays.items():
        offices[office] = _office_knowledge(office, overlay, shared, matcher, placed.get(office, []), notes)
    return Province(shared, dict(overlays), matcher, province, offices, tuple(notes))


def _office_knowledge(
    office: str,
    overlay: Overlay,
    shared: FaqBook,
    matcher: Matcher,
    placed: list[tuple[int, Entry]],
    notes: list[str],
) -> Knowledge:
    """One office's view of the shared index, and the book its conversation reads."""
    own_ids = {entry.id for _, entry in placed}
    not_handled = {n.id: n for n in overlay.not_handled if n.id not in own_ids}
    missing = [n.id for n in overlay.not_handled if shared.entry(n.id) is None]
    for entry_id in missing:
        notes.append(f"office {office}: not-handled entry {entry_id} is no longer in the shared FAQ")
    indexes = [i for i, e in enumerate(shared.entries) if e.id not in own_ids]
    indexes.extend(i for i, _ in placed)
    by_id = {entry.id: entry for _, entry in placed}
    book_entries = [by_id.get(e.id, e) for e in shared.entries if e.id not in not_handled]
    book_entries.extend(entry for _, entry in placed if shared.entry(entry.id) is None)
    categories = (*shared.categories, *(c for c in overlay.categories if shared.category(c.id) is None))
    book = FaqBook(
        version=shared.version,
        agency=overlay.agency,
        synonyms=shared.synonyms,
        categories=categories,
        entries=tuple(book_entries),
        source=overlay.source,
    )
    own = {f"{office}{SEPARATOR}{entry.id}": entry for _, entry in placed}
    return Knowledge(
        book=book,
        matcher=matcher,
        view=matcher.view(office, indexes),
        own=own,
        not_handled=not_handled,
        office=office,
    )
