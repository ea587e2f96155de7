"""Holding an unwrapped private key between requests without storing it.

Members: the Django session (a database row) holds only ``AEAD(K_s, sk)``;
``K_s`` is in the ``wbk`` cookie (HttpOnly, SameSite=Strict, scoped to the
committee's URL prefix). Reporters: no Django session at all; the cache holds
``AEAD(K_s, case_sk)`` for 15 minutes under a random id, and the ``wbr``
cookie holds the id and ``K_s``. A dump of the session table or the cache
alone yields no key.
"""

import base64
import secrets
import time

from django.conf import settings
from django.core.cache import caches
from django.urls import reverse

from whistleblowing import conf, crypto, keys

MEMBER_COOKIE = "wbk"
REPORTER_COOKIE = "wbr"
SESSION_BLOB = "wb_sk"
SESSION_SEEN = "wb_seen"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def member_path() -> str:
    return reverse("wb_committee:dashboard")


def reporter_path() -> str:
    return reverse("whistleblowing:info")


def _secure(request) -> bool:
    return request.is_secure() or settings.SESSION_COOKIE_SECURE


def _set_cookie(request, response, name: str, value: str, path: str) -> None:
    response.set_cookie(name, value, path=path, httponly=True, samesite="Strict",
                        secure=_secure(request))


# -- members -------------------------------------------------------------------

def member_session_start(request, response, private_key: bytes) -> None:
    session_key, blob = keys.session_wrap(private_key, context=f"member:{request.user.pk}")
    request.session[SESSION_BLOB] = _b64(blob)
    request.session[SESSION_SEEN] = int(time.time())
    _set_cookie(request, response, MEMBER_COOKIE, _b64(session_key), member_path())


def member_idle_expired(request) -> bool:
    seen = request.session.get(SESSION_SEEN)
    return seen is None or time.time() - seen > conf.MEMBER_IDLE_SECONDS


def member_touch(request) -> None:
    request.session[SESSION_SEEN] = int(time.time())


def member_key(request) -> bytes | None:
    blob = request.session.get(SESSION_BLOB)
    cookie = request.COOKIES.get(MEMBER_COOKIE)
    if not blob or not cookie:
        return None
    try:
        return keys.session_unwrap(_unb64(cookie), _unb64(blob),
                                   context=f"member:{request.user.pk}")
    except (crypto.CryptoError, ValueError):
        return None


def member_session_end(request, response) -> None:
    request.session.flush()
    response.delete_cookie(MEMBER_COOKIE, path=member_path(), samesite="Strict")
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'


# -- reporters -----------------------------------------------------------------

def _cache():
    return caches[conf.cache_alias()]


def reporter_session_start(request, response, report_id: int, case_sk: bytes) -> None:
    sid = secrets.token_urlsafe(24)
    session_key, blob = keys.session_wrap(case_sk, context=f"reporter:{sid}")
    _cache().set(f"wb:rs:{sid}", {"report": report_id, "blob": blob},
                 timeout=conf.REPORTER_IDLE_SECONDS)
    _set_cookie(request, response, REPORTER_COOKIE, f"{sid}.{_b64(session_key)}",
                reporter_path())


def reporter_session(request) -> tuple[int, bytes] | None:
    """(report id, case private key) of a live reporter session; each use
    extends it by the idle timeout."""
    cookie = request.COOKIES.get(REPORTER_COOKIE, "")
    sid, _dot, encoded = cookie.partition(".")
    if not sid or not encoded:
        return None
    name = f"wb:rs:{sid}"
    stored = _cache().get(name)
    if not stored:
        return None
    try:
        case_sk = keys.session_unwrap(_unb64(encoded), stored["blob"],
                                      context=f"reporter:{sid}")
    except (crypto.CryptoError, ValueError):
        return None
    _cache().touch(name, conf.REPORTER_IDLE_SECONDS)
    return stored["report"], case_sk


def reporter_session_end(request, response) -> None:
    sid = request.COOKIES.get(REPORTER_COOKIE, "").partition(".")[0]
    if sid:
        _cache().delete(f"wb:rs:{sid}")
    response.delete_cookie(REPORTER_COOKIE, path=reporter_path(), samesite="Strict")
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
