"""When the database or the cache (Redis) cannot be reached, or an upload
cannot be stored outside a form that can say so: a 503 "try again in a
moment" page.

Every request whose database work fails with a connection error
(``OperationalError``, ``InterfaceError``) gets this page in the user's
language instead of a server error; the page itself needs no database (no
session, no user, no context processors). Django's ``CONN_HEALTH_CHECKS``
(settings) replaces a broken persistent connection at the next request, so
the process recovers by itself when the database is back.

Most pages never need the cache while Redis is down (the rate limiters let
requests through uncounted, live updates pause); the whistleblowing reporter's
session lives only there, so signing in with a receipt waits for Redis.

``DatabaseUnavailableMiddleware`` answers for exceptions raised in views and
while templates render; ``server_error`` (``handler500``) for those raised in
other middleware. The browser keeps what was typed in a form when the user
goes back (the page says so).
"""

import errno
import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views import defaults

logger = logging.getLogger("varde.unavailable")

RETRY_AFTER_SECONDS = 5
DATABASE_ERRORS = (OperationalError, InterfaceError)
# An upload that cannot be written: disk full, quota, permissions, read-only
# or failing disk. The step's transaction rolled back with the exception, so
# no case points to a file that is missing.
STORAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM,
                            errno.EROFS, errno.EIO})


def is_database_unreachable(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, DATABASE_ERRORS):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def is_cache_unreachable(exc: BaseException | None) -> bool:
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - redis is installed with channels-redis
        return False
    while exc is not None:
        if isinstance(exc, RedisConnectionError | RedisTimeoutError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def is_storage_failure(exc: BaseException | None) -> bool:
    return isinstance(exc, OSError) and exc.errno in STORAGE_ERRNOS


def unavailable_response(request, *, storage: bool = False, cache: bool = False) -> HttpResponse:
    # Django closes the broken connection when the request finishes
    # (close_old_connections: errors occurred and it is no longer usable).
    body = loader.render_to_string("cases/unavailable.html",
                                   {"storage": storage, "cache": cache})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_storage_failure(exception):
            logger.error("Files cannot be stored (%s) during %s %s: answered 503",
                         errno.errorcode.get(exception.errno, exception.errno),
                         request.method, request.path)
            return unavailable_response(request, storage=True)
        if is_cache_unreachable(exception):
            logger.warning("Cache unreachable (%s) during %s %s: answered 503",
                           exception.__class__.__name__, request.method, request.path)
            return unavailable_response(request, cache=True)
        if not is_database_unreachable(exception):
            return None
        logger.warning("Database unreachable (%s) during %s %s: answered 503",
                       exception.__class__.__name__, request.method, request.path)
        return unavailable_response(request)


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: a database outage met outside a view is a 503 as well."""
    import sys

    if is_database_unreachable(sys.exc_info()[1]):
        return unavailable_response(request)
    if is_cache_unreachable(sys.exc_info()[1]):
        return unavailable_response(request, cache=True)
    try:
        return defaults.server_error(request, template_name)
    except Exception:  # noqa: BLE001 - the 500 template itself needs the database
        return HttpResponseServerError("<h1>Server Error (500)</h1>")
