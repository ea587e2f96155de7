"""Audit (issue 22): a refused CSRF check on an anonymous route must not put
the client's Referer in the log.

Django's Referer check (HTTPS, no Origin header) quotes ``urlsplit(referer).geturl()``,
not the header as sent. ``AnonymousRouteLogFilter`` only replaces a message
that contains a client header verbatim, so a Referer that ``geturl()``
normalises (an upper-case scheme, an empty query ``?`` or fragment ``#``)
passes the filter and its host and path reach stderr. Reproduced on a running
``bin/serve``: ``Forbidden (Referer checking failed - https://referer-c4n4ry7q.example/page
does not match any trusted origins.): /si-fra/logg-inn/``.

The records are run through the handlers' own filters, as the console handler
of ``settings.LOGGING`` does before it writes.
"""

import logging

import pytest
from django.test import Client

from varde.anonymity import AnonymousRouteLogFilter

CANARY = "referrer-canary-a4d1"


def _written(records) -> str:
    """What the console handler would write: its filter, then the message."""
    log_filter = AnonymousRouteLogFilter()
    kept = [r for r in records if log_filter.filter(r)]
    return "\n".join(logging.Formatter().format(r) for r in kept)


@pytest.mark.django_db
@pytest.mark.parametrize("referer", [
    f"https://{CANARY}.example/page",  # quoted verbatim: the filter catches it
    f"https://{CANARY}.example/page?",  # geturl() drops the empty query
    f"https://{CANARY}.example/page#",  # geturl() drops the empty fragment
    f"HTTPS://{CANARY}.example/page",  # geturl() lower-cases the scheme
])
@pytest.mark.parametrize("path", ["/si-fra/logg-inn/", "/hms/avvik/ny/", "/komite/logg-inn/"])
def test_a_refused_referer_is_not_written_for_an_anonymous_route(caplog, path, referer):
    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING):
        response = client.post(path, {"x": "1"}, secure=True, HTTP_REFERER=referer,
                               HTTP_USER_AGENT="AuditAgent", REMOTE_ADDR="127.9.8.7")
    assert response.status_code == 403
    assert caplog.records, "Django logged the refusal"
    assert CANARY not in _written(caplog.records)
