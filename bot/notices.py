"""Notices for the operator at the console: a Vietnamese line on stderr, the same event logged in English.

A log record flagged with ON_STDERR is kept out of the stderr log handler (the operator has just read
the Vietnamese line there) but still reaches a log file (logging.file).
"""

from __future__ import annotations

ON_STDERR = "faqbot_on_stderr"
"""Log-record attribute: the event was already told to the operator on stderr."""
