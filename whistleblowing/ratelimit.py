"""Rate limits without storing addresses.

A client is counted under ``HMAC(daily key, REMOTE_ADDR)``. The daily key is
random and lives only in the cache (it expires after two days), so a counter
cannot be linked to an address later, not even with the server's secrets.
Nothing is written to the database.
"""

import hashlib
import hmac
import secrets

from django.core.cache import caches
from django.utils import timezone

from whistleblowing import conf


def _cache():
    return caches[conf.cache_alias()]


def _daily_key() -> bytes:
    name = f"wb:rl:key:{timezone.localdate().isoformat()}"
    cache = _cache()
    cache.add(name, secrets.token_bytes(32), timeout=2 * 24 * 3600)
    return cache.get(name)


def client_tag(request) -> str:
    address = request.META.get("REMOTE_ADDR", "") or ""
    return hmac.new(_daily_key(), address.encode(), hashlib.sha256).hexdigest()[:32]


def _hit(name: str, limit: conf.RateLimit) -> bool:
    cache = _cache()
    cache.add(name, 0, timeout=limit.seconds)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=limit.seconds)
        count = 1
    return count <= limit.attempts


def allow(request, bucket: str, limit: conf.RateLimit, *, global_limit=None) -> bool:
    """Count one attempt; False once the client (or everyone) is over the limit."""
    allowed = _hit(f"wb:rl:{bucket}:{client_tag(request)}", limit)
    if global_limit is not None:
        allowed = _hit(f"wb:rl:{bucket}:all", global_limit) and allowed
    return allowed


def allow_name(bucket: str, name: str, limit: conf.RateLimit) -> bool:
    """Count one attempt for a name (e.g. a member's login name), hashed the same way."""
    tag = hmac.new(_daily_key(), name.lower().encode(), hashlib.sha256).hexdigest()[:32]
    return _hit(f"wb:rl:{bucket}:{tag}", limit)
