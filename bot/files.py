"""Files the bot creates hold citizens' questions or secrets: owner-only, 0600 files in 0700 directories.

Only what the bot creates is tightened: an existing directory (the current one, /var/log...) keeps
its mode, while an existing file at a path the bot writes is its own and is set to 0600.
On Windows os.chmod only sets the read-only flag; the folder's ACL is what protects the files there.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
"""Files SQLite keeps next to a database (it gives them the database file's mode when it makes them)."""


def private_dir(path: str | Path) -> Path:
    """Create `path` and its missing parents with mode 0700 (directories that exist are left alone)."""
    path = Path(path)
    missing = []
    for directory in (path, *path.parents):
        if directory.is_dir():
            break
        missing.append(directory)
    for directory in reversed(missing):
        try:
            directory.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(directory, DIR_MODE)  # mkdir's mode went through the umask
    return path


def private_file(path: str | Path) -> Path:
    """Create `path` empty (0600, in a private directory) if it is missing, else tighten it to 0600.

    A file of another user (a staff member running `faqbot report` on the bot's database) cannot be
    tightened and is left as it is.
    """
    path = Path(path)
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        pass
    else:
        os.close(fd)
    with contextlib.suppress(PermissionError):
        os.chmod(path, FILE_MODE)  # O_CREAT's mode went through the umask; an old file was 0644
    return path


def private_sqlite(path: str | Path) -> Path:
    """private_file for an SQLite database, plus its -wal/-shm/-journal files when they exist."""
    path = private_file(path)
    for suffix in SQLITE_SIDE_FILES:
        with contextlib.suppress(FileNotFoundError, PermissionError):
            os.chmod(path.with_name(path.name + suffix), FILE_MODE)
    return path
