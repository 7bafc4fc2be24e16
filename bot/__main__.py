"""`python -m bot` is `faqbot`."""

import sys
from pathlib import Path


def _unshadow() -> None:
    """Drop the current directory from the import path when a folder of data there has one of our
    packages' names: an operator's `faq/` folder of YAML files (the province layout) would otherwise
    be imported as the `faq` package, with a traceback."""
    here = Path.cwd()
    if sys.path and sys.path[0] in ("", str(here)):
        for package in ("faq", "handlers", "bot"):
            folder = here / package
            if folder.is_dir() and not (folder / "__init__.py").exists():
                sys.path.pop(0)
                return


_unshadow()

from bot.cli import main  # noqa: E402 - after the import path is mended

sys.exit(main())
