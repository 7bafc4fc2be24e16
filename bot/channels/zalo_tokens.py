"""Zalo OA access/refresh token pair: refresh before expiry, persist atomically, survive restarts.

Refresh tokens are single-use: a refresh returns a new pair and kills the old one. With several bot
processes sharing a state store (state.backend: redis), the pair lives in the store too
(`zalo_oa:tokens:<app_id>`), and exactly one process refreshes it: the one holding the lock
`zalo_oa:refresh-lock:<app_id>` (SET NX PX, released when done). Before using a refresh token that
process also marks it spent in the store (`zalo_oa:spent:<fingerprint>`, SET NX), so the same refresh
token is never sent twice, even if a lock expired under a very slow refresh. Every other process
reads the pair from the store before each call and uses the new one as soon as it is written.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bot.config import ZaloOAConfig
from bot.files import private_dir
from bot.lease import new_owner_id
from handlers.store import StateStore, StateStoreError

log = logging.getLogger(__name__)

REFRESH_MARGIN = 1800.0
"""Seconds before expiry at which the access token (valid ~25 h) is renewed."""
RETRY_DELAY = 60.0
"""First wait after a failed background refresh; doubles up to MAX_RETRY_DELAY."""
MAX_RETRY_DELAY = 3600.0
DEFAULT_LIFETIME = 90000.0
"""Seconds an access token lives when the answer omits or garbles `expires_in` (documented 25 h)."""
PAIR_TTL = 100 * 86400.0
"""Seconds the shared pair is kept in the store: longer than a refresh token lives (3 months)."""
LOCK_TTL = 45.0
"""Seconds the refresh lock lasts: longer than one refresh call (15 s per phase) can take."""
WAIT_STEP = 0.2
"""Seconds between two looks at the store while another process refreshes."""


class TokenError(Exception):
    """The OA tokens cannot be used or renewed; the message (Vietnamese) tells staff what to do."""

    def __init__(self, message: str, *, permanent: bool = True) -> None:
        super().__init__(message)
        self.permanent = permanent
        """False for network trouble worth retrying; True when staff must re-authorise."""


@dataclass(frozen=True, slots=True)
class TokenPair:
    """One access token with the single-use refresh token issued alongside it."""

    access_token: str
    refresh_token: str
    expires_at: float | None = None
    """Epoch seconds; None when unknown (a pair typed into the config)."""


def _fingerprint(refresh_token: str) -> str:
    return hashlib.sha256(refresh_token.encode("utf-8")).hexdigest()[:16]


class OATokens:
    """Hands out a valid access token; one refresh at a time, since refresh tokens are single-use."""

    def __init__(
        self,
        *,
        app_id: str,
        app_secret: str,
        oauth_base: str,
        token_file: str | Path,
        initial: TokenPair,
        client: httpx.AsyncClient,
        clock: Callable[[], float] = time.time,
        margin: float = REFRESH_MARGIN,
        store: StateStore | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self._app_id = app_id
        self._app_secret = app_secret
        self._url = oauth_base.rstrip("/") + "/v4/oa/access_token"
        self._file = Path(token_file)
        self._client = client
        self._clock = clock
        self._margin = margin
        self._pair = initial
        # The config pair this store grew from: a different one in the config means staff
        # re-authorised, so the config wins over an older file.
        self._seed = _fingerprint(initial.refresh_token) if initial.refresh_token else ""
        self._lock = asyncio.Lock()
        self._store = store
        self._sleep = sleep
        self._owner = new_owner_id()
        self._pair_key = f"zalo_oa:tokens:{app_id}"
        self._lock_key = f"zalo_oa:refresh-lock:{app_id}"
        self._published = False
        self.refreshes = 0
        """Refresh calls this instance made to the OAuth server."""

    @classmethod
    def from_config(
        cls,
        config: ZaloOAConfig,
        client: httpx.AsyncClient,
        clock: Callable[[], float] = time.time,
        store: StateStore | None = None,
    ) -> OATokens:
        """A store seeded with the config's tokens (call load() to prefer the token file); `store`:
        the state store shared with other processes, if any."""
        return cls(
            app_id=config.app_id,
            app_secret=config.app_secret,
            oauth_base=config.oauth_base,
            token_file=config.token_file,
            initial=TokenPair(config.access_token, config.refresh_token),
            client=client,
            clock=clock,
            store=store,
        )

    @property
    def pair(self) -> TokenPair:
        """The pair in use now."""
        return self._pair

    def load(self) -> bool:
        """Prefer the saved pair over the config's; True when the file was used."""
        try:
            raw = json.loads(self._file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return False
        except (OSError, ValueError) as exc:
            raise TokenError(
                f"Không đọc được tệp mã truy cập Zalo OA {self._file}: hãy xóa tệp này và "
                "điền access_token, refresh_token mới vào cấu hình."
            ) from exc
        pair = _pair_from_file(raw)
        if pair is None:
            raise TokenError(
                f"Tệp mã truy cập Zalo OA {self._file} bị hỏng: hãy xóa tệp này và "
                "điền access_token, refresh_token mới vào cấu hình."
            )
        seed = raw.get("seed", "")
        if self._seed and seed and seed != self._seed:
            log.info("zalo_oa: config holds a newer token pair than %s; using the config", self._file)
            return False
        self._pair = pair
        self._seed = seed or self._seed
        log.info("zalo_oa: tokens loaded from %s", self._file)
        return True

    def needs_refresh(self) -> bool:
        """True when the access token is missing, of unknown age, or about to expire."""
        if not self._pair.refresh_token:
            return False
        if not self._pair.access_token or self._pair.expires_at is None:
            return True
        return self._clock() >= self._pair.expires_at - self._margin

    async def access_token(self) -> str:
        """A token good for the next call, refreshing first when it is about to expire."""
        self.sync()
        if self.needs_refresh():
            return await self.refresh(self._pair.access_token)
        return self._pair.access_token

    async def refresh(self, stale: str | None = None) -> str:
        """Renew the pair unless another task or process already replaced `stale` (None: the pair in
        use once the shared one is read); returns the access token."""
        async with self._lock:
            self.sync()
            if stale is None:
                stale = self._pair.access_token
            elif self._replaced(stale):
                return self._pair.access_token
            if not self._pair.refresh_token:
                raise TokenError(
                    "Mã truy cập Zalo OA đã hết hạn và chưa có refresh_token: "
                    "hãy cấp quyền lại cho ứng dụng và điền refresh_token vào cấu hình."
                )
            if self._store is None:
                return await self._renew(self._pair.refresh_token)
            return await self._renew_shared(stale)

    def _replaced(self, stale: str) -> bool:
        return self._pair.access_token != stale

    async def _renew(self, refresh_token: str) -> str:
        """Spend `refresh_token` for a new pair, keep it (store, file) and return its access token."""
        self.refreshes += 1
        pair = await self._request_new_pair(refresh_token)
        self._pair = pair
        self._publish(pair)
        try:
            await asyncio.to_thread(self._save, pair)
        except OSError:
            # The new pair only lives in memory (and the shared store) now; the old one is dead.
            log.exception("zalo_oa: could not save the new token pair to %s", self._file)
        log.info("zalo_oa: access token renewed")
        return pair.access_token

    async def _renew_shared(self, stale: str) -> str:
        """Renew under the store's lock, or wait for the process that holds it to publish the pair."""
        store = self._store
        assert store is not None
        deadline = time.monotonic() + 2 * LOCK_TTL
        try:
            while True:
                if store.claim(self._lock_key, self._owner, LOCK_TTL):
                    try:
                        self.sync()  # the holder before us may have just published a new pair
                        if self._replaced(stale):
                            return self._pair.access_token
                        refresh_token = self._pair.refresh_token
                        if not store.add(_spent_key(refresh_token), self._owner, PAIR_TTL):
                            raise TokenError(
                                "Một tiến trình bot khác đã dùng refresh_token của Zalo OA nhưng chưa "
                                "lưu được cặp mã mới: hãy cấp quyền lại cho ứng dụng, điền access_token "
                                "và refresh_token mới vào cấu hình rồi khởi động lại các tiến trình bot."
                            )
                        try:
                            return await self._renew(refresh_token)
                        except TokenError as exc:
                            if not exc.permanent:
                                # Not spent (the OAuth server failed before using it): usable again.
                                store.delete(_spent_key(refresh_token))
                            raise
                    finally:
                        store.release(self._lock_key, self._owner)
                # Another process is renewing: use its pair once it is in the store.
                while store.get(self._lock_key) is not None and time.monotonic() < deadline:
                    await self._sleep(WAIT_STEP)
                    self.sync()
                    if self._replaced(stale):
                        return self._pair.access_token
                self.sync()
                if self._replaced(stale):
                    return self._pair.access_token
                if time.monotonic() >= deadline:
                    raise TokenError(
                        "Tiến trình bot khác đang làm mới mã truy cập Zalo OA quá lâu; bot sẽ thử lại.",
                        permanent=False,
                    )
        except StateStoreError as exc:
            # Renewing alone could spend a refresh token another process is spending: wait instead.
            log.warning("zalo_oa: token refresh postponed, state store unavailable: %s", exc)
            raise TokenError(
                "Không kết nối được kho trạng thái dùng chung để làm mới mã Zalo OA; bot sẽ thử lại.",
                permanent=False,
            ) from exc

    def sync(self) -> None:
        """Take the pair another process published in the shared store (if any); publish ours when
        the store has none or an older authorisation (staff put a new pair in the config)."""
        if self._store is None:
            return
        try:
            raw = self._store.get(self._pair_key)
        except StateStoreError as exc:
            log.warning("zalo_oa: shared token pair not read, state store unavailable: %s", exc)
            return
        record = _load_record(raw)
        shared = _pair_from_file(record) if record is not None else None
        if shared is None or (not self._published and self._seed and record is not None
                              and record.get("seed") not in ("", None, self._seed)):  # fmt: skip
            if self._pair.refresh_token:
                self._publish(self._pair)
            return
        self._published = True
        if shared != self._pair:
            if shared.access_token != self._pair.access_token:
                log.info("zalo_oa: using the token pair renewed by another process")
            self._pair = shared

    def _publish(self, pair: TokenPair) -> None:
        if self._store is None:
            return
        record = {
            "access_token": pair.access_token,
            "refresh_token": pair.refresh_token,
            "expires_at": pair.expires_at,
            "seed": self._seed,
        }
        try:
            self._store.set(self._pair_key, json.dumps(record), PAIR_TTL)
            self._published = True
        except StateStoreError as exc:
            log.error("zalo_oa: token pair not shared, state store unavailable: %s", exc)

    async def keep_fresh(self, sleep: Callable[[float], Awaitable[object]] = asyncio.sleep) -> None:
        """Renew shortly before each expiry, forever, so the chain survives quiet weeks."""
        delay = RETRY_DELAY
        while True:
            expires_at = self._pair.expires_at
            if self.needs_refresh() or expires_at is None:
                wait = 0.0
            else:
                wait = max(0.0, expires_at - self._margin - self._clock())
            if wait > 0:
                await sleep(wait)
                continue
            if not self._pair.refresh_token:
                return
            try:
                await self.refresh(self._pair.access_token)
                delay = RETRY_DELAY
            except TokenError as exc:
                log.error("zalo_oa: token refresh failed (%s); retrying in %.0f s", exc, delay)
                await sleep(delay)
                delay = min(delay * 2, MAX_RETRY_DELAY)

    async def _request_new_pair(self, refresh_token: str) -> TokenPair:
        try:
            response = await self._client.post(
                self._url,
                headers={"secret_key": self._app_secret},
                data={
                    "refresh_token": refresh_token,
                    "app_id": self._app_id,
                    "grant_type": "refresh_token",
                },
            )
            body: Any = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise TokenError(
                "Không kết nối được máy chủ cấp mã Zalo OA để làm mới mã truy cập.", permanent=False
            ) from exc
        if response.status_code >= 500 or response.status_code == 429:
            # The OAuth server is having trouble: the refresh token was not used, try again later.
            log.warning("zalo_oa: token refresh failed with HTTP %d, will retry", response.status_code)
            raise TokenError(
                f"Máy chủ cấp mã Zalo OA tạm thời lỗi (HTTP {response.status_code}); bot sẽ thử lại.",
                permanent=False,
            )
        if not isinstance(body, dict) or not body.get("access_token"):
            code = body.get("error", response.status_code) if isinstance(body, dict) else "?"
            log.error("zalo_oa: refresh rejected (HTTP %d, error %s)", response.status_code, code)
            raise TokenError(
                f"Zalo từ chối làm mới mã truy cập OA (mã lỗi {code}): hãy cấp quyền lại cho "
                "ứng dụng, điền access_token và refresh_token mới vào cấu hình rồi khởi động lại."
            )
        try:
            lifetime = float(body.get("expires_in") or DEFAULT_LIFETIME)
        except (TypeError, ValueError):
            lifetime = DEFAULT_LIFETIME
        return TokenPair(
            access_token=str(body["access_token"]),
            refresh_token=str(body.get("refresh_token") or refresh_token),
            expires_at=self._clock() + max(lifetime, 2 * self._margin),
        )

    def _save(self, pair: TokenPair) -> None:
        record = {
            "access_token": pair.access_token,
            "refresh_token": pair.refresh_token,
            "expires_at": pair.expires_at,
            "saved_at": self._clock(),
            "seed": self._seed,
        }
        write_private_atomically(self._file, json.dumps(record, indent=2).encode("utf-8"))


def write_private_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` (mode 0600) so a crash leaves the old or the new file, never half."""
    private_dir(path.parent)  # mkdir(parents=True, mode=...) leaves the parents it makes 0755
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    try:
        # The mode given to os.open is narrowed by the umask: set it again. Windows has no fchmod
        # before Python 3.13 (and only a read-only flag behind chmod): the path form stands in.
        fchmod = getattr(os, "fchmod", None)
        if fchmod is not None:
            fchmod(fd, 0o600)
        else:
            os.chmod(tmp, 0o600)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _spent_key(refresh_token: str) -> str:
    return f"zalo_oa:spent:{_fingerprint(refresh_token)}"


def _load_record(raw: str | None) -> dict[str, Any] | None:
    if raw is None:
        return None
    try:
        record = json.loads(raw)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def _pair_from_file(raw: Any) -> TokenPair | None:
    if not isinstance(raw, dict):
        return None
    access, refresh = raw.get("access_token"), raw.get("refresh_token")
    expires_at = raw.get("expires_at")
    if not isinstance(access, str) or not isinstance(refresh, str) or not refresh:
        return None
    if expires_at is not None and not isinstance(expires_at, (int, float)):
        return None
    return TokenPair(access, refresh, float(expires_at) if expires_at is not None else None)
