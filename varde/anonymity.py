"""Which routes are anonymous, and error reports that keep no client detail.

The incident report form and its receipt, and the whole whistleblowing channel
(reporters under /si-fra/, the committee's login and pages under /komite/)
promise that nothing identifying a client is kept: no address, no port, no
user agent, no referrer. ``bin/serve`` writes no access-log line for them,
and Django's error reports (e-mail to ADMINS, logs) of any route leave the
request's headers and cookies out when the route is anonymous.
"""

import ipaddress
import logging
import re
from functools import lru_cache

from django.middleware.csrf import REASON_BAD_ORIGIN, REASON_BAD_REFERER
from django.urls import NoReverseMatch, reverse
from django.views.debug import SafeExceptionReporterFilter

ANONYMOUS_ROUTES = ("incidents:report", "incidents:receipt", "whistleblowing:info",
                    "wb_committee:dashboard")
# The same prefixes as varde/urls.py mounts them, should the URLconf not resolve.
FALLBACK_PREFIXES = ("/hms/avvik/ny/", "/hms/avvik/mottatt/", "/si-fra/", "/komite/")
# Request headers that come from (or identify) the client.
CLIENT_META = ("REMOTE_ADDR", "REMOTE_HOST", "HTTP_USER_AGENT", "HTTP_REFERER", "HTTP_ORIGIN",
               "HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED", "HTTP_COOKIE")
# Django's CSRF refusals that quote the Origin or Referer header, matched on
# their template: the quoted value is the header as Django normalised it
# (urlsplit(...).geturl()), which need not be the header as sent.
QUOTING_TEMPLATES = re.compile("|".join(
    re.escape(template).replace("%s", ".*") for template in (REASON_BAD_ORIGIN, REASON_BAD_REFERER)
), re.DOTALL)


@lru_cache(maxsize=1)
def anonymous_prefixes() -> tuple[str, ...]:
    """The path prefixes of the anonymous routes, from the URLconf."""
    try:
        return tuple(reverse(name) for name in ANONYMOUS_ROUTES)
    except NoReverseMatch:
        return FALLBACK_PREFIXES


def is_anonymous_path(path: str) -> bool:
    return path.startswith(anonymous_prefixes())


class AnonymousRouteReporterFilter(SafeExceptionReporterFilter):
    """Django's default filter, but an anonymous route's report carries no
    request headers (META holds REMOTE_ADDR and HTTP_USER_AGENT) or cookies."""

    def _anonymous(self, request) -> bool:
        return request is not None and is_anonymous_path(getattr(request, "path", ""))

    def get_safe_request_meta(self, request):
        if self._anonymous(request):
            return {}
        return super().get_safe_request_meta(request)

    def get_safe_cookies(self, request):
        if self._anonymous(request):
            return {}
        return super().get_safe_cookies(request)


class AnonymousRouteLogFilter(logging.Filter):
    """Log records about a request to an anonymous route keep its path and
    the error, but not a message that quotes what identifies the client.

    Django's own records can: a refused CSRF check names the Origin or
    Referer header ("Origin checking failed - https://… does not match"),
    recognised by its template whatever the value; any other message that
    contains a client header verbatim is caught too. Such a message is
    replaced by the status and the path.
    """

    def filter(self, record):
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if not isinstance(path, str) or not is_anonymous_path(path):
            return True
        meta = getattr(request, "META", {}) or {}
        values = [str(meta.get(key) or "") for key in CLIENT_META]
        message = record.getMessage()
        if QUOTING_TEMPLATES.search(message) or any(
            len(value) >= 3 and value in message for value in values
        ):
            record.msg = "%s: %s (the message quoted the client's request and is left out)"
            record.args = (getattr(record, "status_code", None) or record.levelname, path)
        return True


# An address-like token: hex digits, dots and colons, at least one of the latter.
_ADDRESS_TOKEN = re.compile(r"(?<![\w.:])[0-9A-Fa-f.:]*[.:][0-9A-Fa-f.:]*(?:%\w+)?(?![\w.:])")
# daphne's protocol reprs: <WebSocketProtocol client=['127.0.0.1', 41234] path=b'/ws/'>
_CLIENT_FIELD = re.compile(r"client=(\[[^\]]*\]|\([^)]*\)|\S+)")


def _without_address(match: re.Match) -> str:
    token = match.group()
    for candidate in (token, token.rstrip(".:")):
        try:
            ipaddress.ip_address(candidate.split("%", 1)[0])
        except ValueError:
            continue
        return "[address]" + token[len(candidate):]
    return token


def scrub_addresses(text: str) -> str:
    """``text`` with every IP address and daphne ``client=[…]`` field replaced."""
    return _ADDRESS_TOKEN.sub(_without_address, _CLIENT_FIELD.sub("client=[-]", text))


class AddressFreeLogFilter(logging.Filter):
    """Rewrites a record so that no IP address or client field is written.

    ``bin/serve`` puts it on the root logger's handlers: daphne's WARNING and
    ERROR lines name the connection (``<WebSocketProtocol client=['…', port]
    …>`` when an application is killed after a websocket has gone), and an
    exception's text may quote an address too.
    """

    def filter(self, record):
        message = record.getMessage()
        scrubbed = scrub_addresses(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub_addresses(record.exc_text)
        return True
