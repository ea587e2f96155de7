"""Rate limits without storing addresses.

A client is counted under ``HMAC(daily key, client address)`` (the address
from :mod:`varde.client_address`, which sees real clients behind a trusted
proxy). The daily key is random and lives only in the cache (it expires after
two days), so a counter cannot be linked to an address later, not even with
the server's secrets. Nothing is written to the database and nothing is
logged.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.core.cache import caches
from django.utils import timezone

from varde.client_address import client_key


@dataclass(frozen=True)
class RateLimit:
    attempts: int
    seconds: int


class Limiter:
    """Counters under one key prefix in one cache (``namespace`` keeps the
    whistleblowing channel's counters apart from the others')."""

    def __init__(self, namespace: str, cache_alias: str = "default"):
        self.namespace = namespace
        self.cache_alias = cache_alias

    def _cache(self):
        return caches[self.cache_alias]

    def _daily_key(self) -> bytes:
        name = f"{self.namespace}:rl:key:{timezone.localdate().isoformat()}"
        cache = self._cache()
        cache.add(name, secrets.token_bytes(32), timeout=2 * 24 * 3600)
        return cache.get(name)

    def _tag(self, text: str) -> str:
        return hmac.new(self._daily_key(), text.encode(), hashlib.sha256).hexdigest()[:32]

    def client_tag(self, request) -> str:
        return self._tag(client_key(request))

    def _hit(self, name: str, limit: RateLimit) -> bool:
        cache = self._cache()
        cache.add(name, 0, timeout=limit.seconds)
        try:
            count = cache.incr(name)
        except ValueError:  # expired between add and incr
            cache.set(name, 1, timeout=limit.seconds)
            count = 1
        return count <= limit.attempts

    def allow(self, request, bucket: str, limit: RateLimit, *, global_limit=None) -> bool:
        """Count one attempt; False once the client (or everyone) is over the limit."""
        allowed = self._hit(f"{self.namespace}:rl:{bucket}:{self.client_tag(request)}", limit)
        if global_limit is not None:
            allowed = self._hit(f"{self.namespace}:rl:{bucket}:all", global_limit) and allowed
        return allowed

    def allow_name(self, bucket: str, name: str, limit: RateLimit) -> bool:
        """Count one attempt for a name (e.g. a login name), hashed the same way."""
        return self._hit(f"{self.namespace}:rl:{bucket}:{self._tag(name.lower())}", limit)
