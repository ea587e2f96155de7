"""The channel's rate limits, which cannot lock out a real user.

Built on :mod:`varde.ratelimit` (an HMAC of the client address, seen through
:mod:`varde.client_address`, under a daily random key that lives only in the
cache) with the ``wb`` prefix in the channel's cache (``VARDE_WB_CACHE``).
Nothing is written to the database.

- Receipts: refused per client and per receipt value; the global count only
  brakes (a delay), so a flood from many addresses slows attackers but never
  turns away a reporter with a correct receipt.
- Committee sign-in: refused per (client, account) pair; per account only
  slowed, more with each recent failure, up to a ceiling: someone who knows
  a user name cannot lock the member out.
"""

import time

from varde.ratelimit import Limiter
from whistleblowing import conf

FAILURE_WINDOW = 15 * 60


def _limiter() -> Limiter:
    return Limiter("wb", conf.cache_alias())


def _cache():
    return _limiter()._cache()


def _hit(name: str, limit: conf.RateLimit) -> bool:
    return _limiter()._hit(name, limit)


def client_tag(request) -> str:
    return _limiter().client_tag(request)


def name_tag(name: str) -> str:
    return _limiter()._tag(name.lower())


def allow(request, bucket: str, limit: conf.RateLimit, *, global_limit=None) -> bool:
    """Count one attempt; False once the client (or everyone) is over the limit."""
    return _limiter().allow(request, bucket, limit, global_limit=global_limit)


def allow_name(bucket: str, name: str, limit: conf.RateLimit) -> bool:
    """Count one attempt for a name (e.g. a member's login name), hashed the same way."""
    return _limiter().allow_name(bucket, name, limit)


def brake(seconds: float) -> None:
    """Slow this request down (never refuse it)."""
    if seconds > 0:
        time.sleep(seconds)


def receipt_attempt(request, normalized_receipt: str) -> bool:
    """Count one receipt attempt. False (refuse) when this client or this
    receipt value is over its limit; when everyone together is over the
    global limit the attempt is only slowed down."""
    client_ok = _hit(f"wb:rl:receipt:{client_tag(request)}", conf.receipt_rate_limit())
    value_ok = _hit(f"wb:rl:receipt_value:{name_tag(normalized_receipt)}",
                    conf.receipt_value_rate_limit())
    if not _hit("wb:rl:receipt:all", conf.receipt_global_limit()):
        brake(conf.global_brake_seconds())
    return client_ok and value_ok


def _failures_key(username: str) -> str:
    return f"wb:rl:member_failures:{name_tag(username)}"


def member_login_delay(username: str) -> float:
    """Seconds a sign-in for this account waits: none for the first three
    recent failures, then doubling from one second up to the ceiling."""
    try:
        failures = _cache().get(_failures_key(username), 0)
    except Exception:  # the cache is unreachable: no delay (see varde.ratelimit)
        return 0.0
    if failures <= 3:
        return 0.0
    return min(2.0 ** (failures - 4), conf.member_login_max_delay())


def member_login_attempt(request, username: str) -> bool:
    """Before checking a sign-in: False (refuse) when this client has tried
    this account too often; otherwise slow down per the account's failures."""
    pair = f"{client_tag(request)}:{name_tag(username)}"
    allowed = _hit(f"wb:rl:member_login:{pair}", conf.member_login_pair_limit())
    if allowed:
        brake(member_login_delay(username))
    return allowed


def member_login_failed(username: str) -> None:
    cache = _cache()
    key = _failures_key(username)
    try:
        cache.add(key, 0, timeout=FAILURE_WINDOW)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=FAILURE_WINDOW)
    except Exception:  # the cache is unreachable: not counted (see varde.ratelimit)
        return


def member_login_succeeded(username: str) -> None:
    try:
        _cache().delete(_failures_key(username))
    except Exception:  # the cache is unreachable (see varde.ratelimit)
        return
