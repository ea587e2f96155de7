"""Rate limits without storing addresses.

A client is counted under a tag: ``HMAC(daily key, client address)`` cut to
``TAG_BITS`` bits (the address from :mod:`varde.client_address`, which sees
real clients behind a trusted proxy). The daily key is random and lives only
in the cache (it expires after two days), so once it is gone a counter cannot
be linked to an address, not even with the server's secrets. Nothing is
written to the database and nothing is logged.

While the key lives, a copy of the cache (a Redis dump or backup) holds the
key beside the counters, so whoever has it can compute the tag of a guessed
address. The tag is therefore short: 20 bits, about a million buckets, so one
tag stands for some 4,000 IPv4 addresses and every IPv6 address has countless
twins, and a counter names no address (trying all of IPv4 gives thousands of
candidates per tag). It does not make a guess harmless: a suspected address
that matches a tag is one in a million by chance, so within a small known
network the tag can still confirm a guess. That is the price of counters that
several processes share without a common secret; a key derived from
SECRET_KEY and the date was rejected because it would let anyone with the
server's secrets link every counter, even after the day is over. Two clients
share a bucket (and a limit) only rarely: with a thousand clients in one
window, each shares with another at odds of about one in a thousand.
"""

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass

from django.core.cache import caches
from django.utils import timezone

from varde.client_address import client_key

TAG_BITS = 20  # see the module docstring: short on purpose

logger = logging.getLogger(__name__)

# Used only while the cache cannot be reached; held in this process's memory.
_FALLBACK_KEY = secrets.token_bytes(32)


def _cache_unreachable(exc: Exception) -> None:
    # No key, tag or address in the message: the exception's class is enough.
    logger.warning("Rate limiter: the cache is unreachable (%s); the request is let "
                   "through uncounted.", type(exc).__name__)


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
        try:
            cache.add(name, secrets.token_bytes(32), timeout=2 * 24 * 3600)
            return cache.get(name) or _FALLBACK_KEY
        except Exception as exc:  # Redis gone: a limit must never refuse a report
            _cache_unreachable(exc)
            return _FALLBACK_KEY

    def _tag(self, text: str) -> str:
        digest = hmac.new(self._daily_key(), text.encode(), hashlib.sha256).digest()
        return format(int.from_bytes(digest[:4], "big") >> (32 - TAG_BITS), "x")

    def client_tag(self, request) -> str:
        return self._tag(client_key(request))

    def _hit(self, name: str, limit: RateLimit) -> bool:
        """Count one attempt under ``name``. While the cache (Redis) is
        unreachable nothing is counted and everything is let through: losing
        the flood limit for a while is better than losing reports (issue 20:
        submissions keep working when Redis goes away)."""
        cache = self._cache()
        try:
            cache.add(name, 0, timeout=limit.seconds)
            try:
                count = cache.incr(name)
            except ValueError:  # expired between add and incr
                cache.set(name, 1, timeout=limit.seconds)
                count = 1
        except Exception as exc:
            _cache_unreachable(exc)
            return True
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
