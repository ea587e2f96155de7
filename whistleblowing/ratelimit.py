"""The channel's rate limits: :mod:`varde.ratelimit` under the ``wb`` prefix,
in the channel's cache (``VARDE_WB_CACHE``)."""

from varde.ratelimit import Limiter
from whistleblowing import conf


def _limiter() -> Limiter:
    return Limiter("wb", conf.cache_alias())


def client_tag(request) -> str:
    return _limiter().client_tag(request)


def allow(request, bucket: str, limit: conf.RateLimit, *, global_limit=None) -> bool:
    """Count one attempt; False once the client (or everyone) is over the limit."""
    return _limiter().allow(request, bucket, limit, global_limit=global_limit)


def allow_name(bucket: str, name: str, limit: conf.RateLimit) -> bool:
    """Count one attempt for a name (e.g. a member's login name), hashed the same way."""
    return _limiter().allow_name(bucket, name, limit)
