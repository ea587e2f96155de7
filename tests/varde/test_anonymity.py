"""What keeps a client's details out of logs on the anonymous routes: the
route list, Django's error-report filter, the log filter, and bin/serve's
access log (the end-to-end search is tests/serve/test_serve.py)."""

import io
import logging

import pytest
from django.test import RequestFactory
from django.urls import reverse

from varde.anonymity import (
    AnonymousRouteLogFilter,
    AnonymousRouteReporterFilter,
    is_anonymous_path,
)
from varde.serve import AddressFreeAccessLog

AGENT = "CanaryAgent/1.0 (marker-51f2)"


def _request(path, **meta):
    return RequestFactory().post(path, REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT=AGENT,
                                 HTTP_ORIGIN="https://origin-marker.example", **meta)


@pytest.mark.parametrize("path, anonymous", [
    ("/hms/avvik/ny/", True), ("/hms/avvik/mottatt/", True), ("/si-fra/", True),
    ("/si-fra/logg-inn/", True), ("/komite/sak/x/", True), ("/hms/avvik/statistikk/", False),
    ("/saker/", False), ("/", False),
])
def test_the_anonymous_routes(path, anonymous):
    assert is_anonymous_path(path) is anonymous


def test_the_route_list_follows_the_urlconf():
    assert is_anonymous_path(reverse("incidents:report"))
    assert is_anonymous_path(reverse("whistleblowing:login"))
    assert is_anonymous_path(reverse("wb_committee:login"))


def test_error_reports_of_anonymous_routes_carry_no_headers():
    reporter = AnonymousRouteReporterFilter()
    assert reporter.get_safe_request_meta(_request("/si-fra/logg-inn/")) == {}
    assert reporter.get_safe_request_meta(_request("/hms/avvik/ny/")) == {}
    other = reporter.get_safe_request_meta(_request("/saker/"))
    assert other["HTTP_USER_AGENT"] == AGENT  # Django's usual report elsewhere


def _record(message, args, request, status=403):
    record = logging.LogRecord("django.security.csrf", logging.WARNING, __file__, 1,
                               message, args, None)
    record.request, record.status_code = request, status
    return record


def test_a_log_message_quoting_the_client_is_replaced_on_anonymous_routes():
    request = _request("/si-fra/logg-inn/")
    record = _record("Forbidden (%s): %s", (
        "Origin checking failed - https://origin-marker.example does not match any "
        "trusted origins.", request.path), request)
    assert AnonymousRouteLogFilter().filter(record)
    message = record.getMessage()
    assert "origin-marker" not in message
    assert message.startswith("403: /si-fra/logg-inn/")


def test_other_messages_and_routes_are_left_alone():
    anonymous = _request("/si-fra/finnes-ikke/")
    plain = _record("Not Found: %s", (anonymous.path,), anonymous, 404)
    AnonymousRouteLogFilter().filter(plain)
    assert plain.getMessage() == "Not Found: /si-fra/finnes-ikke/"
    signed_in = _request("/saker/")
    quoting = _record("Forbidden (%s): %s", ("https://origin-marker.example", "/saker/"),
                      signed_in)
    AnonymousRouteLogFilter().filter(quoting)
    assert "origin-marker" in quoting.getMessage()


def test_the_access_log_has_no_client_and_no_anonymous_route():
    stream = io.StringIO()
    log = AddressFreeAccessLog(stream)
    for path in ("/saker/?q=secret", "/si-fra/", "/hms/avvik/ny/", "/si-fr%61/logg-inn/"):
        log("http", "complete", {"path": path, "status": 200, "method": "GET",
                                 "client": "203.0.113.77:51234", "time_taken": 0.1,
                                 "size": 10})
    log("websocket", "connected", {"path": "/ws/live/", "client": "203.0.113.77:51234"})
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].endswith('"GET /saker/" 200 10')
    assert lines[1].endswith('"WSCONNECTED /ws/live/"')
    assert "203.0.113.77" not in stream.getvalue() and "secret" not in stream.getvalue()
