"""The problem and report types of FAQ checks: ERROR/WARNING, Problem, FaqError and CheckReport."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from faq.schema import FaqBook

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a FAQ file, located for the staff member who edits it."""

    file: str
    line: int
    """1-based; 0 when the problem concerns the whole file."""
    message: str
    """Plain Vietnamese, for a non-programmer."""
    severity: str = ERROR
    """"error" (the file is refused) or "warning" (usable, but worth a look)."""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line > 0 else self.file
        marker = "(cảnh báo) " if self.severity == WARNING else ""
        return f"{where}: {marker}{self.message}"


class FaqError(Exception):
    """The FAQ file cannot be used; `problems` lists every error at once."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Outcome of checking a FAQ: the book only when there is no error."""

    book: FaqBook | None
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the file can be served."""
        return self.book is not None and not self.errors
