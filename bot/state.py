"""The state store the app uses: in memory (one process) or in Redis (several processes share it).

Why redis-py's synchronous client: `Conversation.handle` is synchronous and runs inline on the event
loop (a thread hop per message costs more than the work), and it reads and writes a few small values
per message. On loopback or a LAN a GET/SET is a fraction of a millisecond, so a blocking call from a
connection pool costs less than restructuring the conversation into async code, and it keeps
`handlers` free of any event-loop or client type. Short socket timeouts bound the stall when Redis
is unreachable: the message then gets the apology (error boundary) and the flood check lets it through.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from bot.config import StateConfig
from handlers.store import MemoryStore, StateStore, StateStoreError

if TYPE_CHECKING:
    import redis

log = logging.getLogger(__name__)

SOCKET_TIMEOUT = 0.5
"""Seconds a Redis call may block the event loop before it fails."""
_EXTEND = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
"""Lease renewal: only the holder extends, in one atomic step (a GET then PEXPIRE could extend a
lease another process took in between)."""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""
DEFAULT_PREFIX = "faqbot:"
"""Every key this bot writes in Redis starts with this (several bots may share one server)."""


class RedisMissing(StateStoreError):
    """state.backend is redis but the redis package (the 'redis' extra) is not installed."""


class RedisUrlInvalid(StateStoreError):
    """state.redis_url cannot be read as a Redis URL (its text is never shown: it may hold the password)."""


class RedisStore:
    """`StateStore` in Redis: TTLs are Redis's own, `add` is SET NX, `incr` one MULTI round trip."""

    def __init__(self, client: redis.Redis, prefix: str = DEFAULT_PREFIX) -> None:
        self._client = client
        self._prefix = prefix

    @classmethod
    def from_url(cls, url: str, prefix: str = DEFAULT_PREFIX) -> RedisStore:
        """A store on a connection pool to `url` (redis://[:password@]host:port/db, rediss://, unix://)."""
        try:
            import redis
        except ImportError as exc:
            raise RedisMissing("the redis package is not installed") from exc

        try:
            client = redis.Redis.from_url(
                url,
                decode_responses=True,
                socket_timeout=SOCKET_TIMEOUT,
                socket_connect_timeout=SOCKET_TIMEOUT,
                health_check_interval=30,
            )
        except ValueError:
            # Its text quotes the part of the URL it could not read: a password cut at "#" or "/".
            raise RedisUrlInvalid("state.redis_url is not a valid Redis URL") from None
        return cls(client, prefix)

    def ping(self) -> None:
        """Raise StateStoreError unless the server answers."""
        self._call(self._client.ping)

    def get(self, key: str) -> str | None:
        """The value, or None when absent or expired."""
        value = self._call(self._client.get, self._prefix + key)
        return None if value is None else str(value)

    def set(self, key: str, value: str, ttl: float) -> None:
        """Store the value for `ttl` seconds, replacing any earlier one."""
        self._call(self._client.set, self._prefix + key, value, px=_ms(ttl))

    def delete(self, key: str) -> None:
        """Forget the key (no error when absent)."""
        self._call(self._client.delete, self._prefix + key)

    def add(self, key: str, value: str, ttl: float) -> bool:
        """Store the value for `ttl` seconds only if the key is absent; True when this call stored it."""
        return bool(self._call(self._client.set, self._prefix + key, value, px=_ms(ttl), nx=True))

    def incr(self, key: str, ttl: float) -> int:
        """Add one to a counter and return it; a new counter (1) expires `ttl` seconds later."""
        name = self._prefix + key

        def run() -> list[Any]:
            # SET NX creates the counter with its expiry; INCR keeps an existing key's TTL. MULTI
            # makes the pair atomic, so no counter can be left without an expiry.
            pipe = self._client.pipeline(transaction=True)
            pipe.set(name, 0, px=_ms(ttl), nx=True)
            pipe.incr(name)
            return pipe.execute()

        return int(self._call(run)[1])

    def claim(self, key: str, owner: str, ttl: float) -> bool:
        """Take a lease for `owner` for `ttl` seconds if nobody holds it (SET NX PX)."""
        return self.add(key, owner, ttl)

    def extend(self, key: str, owner: str, ttl: float) -> bool:
        """Renew the lease for `ttl` seconds only if `owner` still holds it (a Lua check-and-extend)."""
        result = self._call(self._client.eval, _EXTEND, 1, self._prefix + key, owner, _ms(ttl))
        return bool(result)

    def release(self, key: str, owner: str) -> bool:
        """Give the lease up only if `owner` holds it (a Lua check-and-delete)."""
        return bool(self._call(self._client.eval, _RELEASE, 1, self._prefix + key, owner))

    def close(self) -> None:
        """Release the connection pool."""
        self._client.close()

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        import redis

        try:
            return fn(*args, **kwargs)
        except redis.RedisError as exc:
            raise StateStoreError(f"redis: {type(exc).__name__}: {exc}") from exc


def _ms(ttl: float) -> int:
    return max(1, round(ttl * 1000))


def build_store(config: StateConfig) -> StateStore:
    """The store `state.backend` names; a Redis one is checked with a PING (StateStoreError if down)."""
    if config.backend == "redis":
        store = RedisStore.from_url(config.redis_url)
        try:
            store.ping()
        except StateStoreError:
            store.close()
            raise
        return store
    return MemoryStore()
