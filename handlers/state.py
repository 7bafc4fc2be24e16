"""Per-chat conversation memory: the procedure last answered, the question suggestions were for...

Kept in the state store (one key per chat and field, expiring `ttl` seconds after it was set), so
that a follow-up reaching another bot process still finds the context.
"""

from __future__ import annotations

from typing import Literal

from handlers.store import StateStore

Field = Literal[
    "entry",
    "suggested_for",
    "offered_again",
    "detail",
    "unanswered",
    "told",
    "facet",
    "address",
    "declined",
    "ages",
]
"""What is remembered about a chat:

- entry: the procedure last answered (a facet-only follow-up refers to it);
- suggested_for: the question suggestions were offered for ("Không phải các ý trên" falls back on it);
- offered_again: the question whose choices were offered again for a part asked under them (a second
  part asked under them then gets the first choice's);
- detail: a detail asked under choices, of none of them in particular ("có bị phạt không"): the
  choice picked then answers it;
- unanswered: the last question without an answer ("Gặp cán bộ" hands it to staff);
- told: what the bot said to that question (a declined topic, an answer…), shown to staff with it;
- facet: a part asked before the procedure was known ("lệ phí bao nhiêu?" → "thủ tục nào ạ?"), that
  the procedure the citizen then picks leads with;
- address: how the citizen calls themselves when not "anh/chị" ("bác", "bà"…, handlers.address);
- declined: the topic the last reply said the office does not handle ("không phải, em hỏi …" rejects it);
- ages: the children's ages the chat last stated ("con tôi 16 tuổi", faq.ages), comma-separated: a
  sentence of an answer for another age ("Trẻ dưới 14 tuổi — cha, mẹ … làm thủ tục thay") is left
  out, or quoted with a note that it is for another age when nothing else was found.
"""

PREFIX = "ctx:"
"""Keys of this memory in the store: ctx:<channel>:<chat id>:<field>."""


class ChatStates:
    """Per-(channel, chat) memory in a state store; each value expires `ttl` seconds after it was set."""

    def __init__(self, store: StateStore, ttl: float) -> None:
        self._store = store
        self._ttl = ttl

    def get(self, key: tuple[str, str], field: Field) -> str | None:
        """A remembered value if still fresh."""
        return self._store.get(_key(key, field))

    def set(self, key: tuple[str, str], field: Field, value: str | None) -> None:
        """Remember (or with None forget) a value for this chat."""
        if value is None:
            self._store.delete(_key(key, field))
        else:
            self._store.set(_key(key, field), value, self._ttl)


def _key(key: tuple[str, str], field: Field) -> str:
    channel, chat_id = key
    return f"{PREFIX}{channel}:{chat_id}:{field}"
