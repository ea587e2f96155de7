"""How many reports one client may send: the flood limit of the report form.

Anonymous reports are counted per client address (HMAC with a daily key, in
the cache only: :mod:`varde.ratelimit`); a signed-in reporter's named reports
per account, with a higher limit (``VARDE_INCIDENT_RATE`` and
``VARDE_INCIDENT_RATE_SIGNED_IN``: attempts, seconds). A signed-in reporter
who ticks "anonymous" is counted like any anonymous client, by address: no
counter derived from the account may sit in the cache next to the moment an
anonymous case was created.
"""

from django.conf import settings

from varde.ratelimit import Limiter, RateLimit

ANONYMOUS_DEFAULT = (10, 60 * 60)
SIGNED_IN_DEFAULT = (30, 60 * 60)


def anonymous_limit() -> RateLimit:
    return RateLimit(*getattr(settings, "VARDE_INCIDENT_RATE", ANONYMOUS_DEFAULT))


def signed_in_limit() -> RateLimit:
    return RateLimit(*getattr(settings, "VARDE_INCIDENT_RATE_SIGNED_IN", SIGNED_IN_DEFAULT))


def report_allowed(request, *, anonymous: bool) -> bool:
    """Count one report; False once this client or account is over its limit."""
    limiter = Limiter("incident", getattr(settings, "VARDE_INCIDENT_CACHE", "default"))
    if request.user.is_authenticated and not anonymous:
        return limiter.allow_name("report-user", str(request.user.pk), signed_in_limit())
    return limiter.allow(request, "report", anonymous_limit())
