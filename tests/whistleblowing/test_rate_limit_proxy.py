"""The receipt limiter behind a reverse proxy (issue 22): clients behind one
trusted proxy have their own buckets; an untrusted sender's X-Forwarded-For
is ignored; a malformed header is no error. The shared pieces are
varde/client_address.py and varde/ratelimit.py."""

import pytest
import time_machine
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.whistleblowing.scan import database_hits
from whistleblowing import receipts
from whistleblowing.services import reporting

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"


def _client(remote, forwarded=None):
    return Client(REMOTE_ADDR=remote, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}))


def _wrong():
    return {"receipt": receipts.display(receipts.generate())}


@pytest.fixture
def url(settings):
    settings.VARDE_TRUSTED_PROXIES = [PROXY]
    return reverse("whistleblowing:login")


def test_clients_behind_a_trusted_proxy_are_counted_apart(committee, report_form, url):
    good = reporting.report_submit(data=report_form).receipt
    with time_machine.travel(timezone.now(), tick=False):
        flood = _client(PROXY, "198.51.100.23")
        for _ in range(10):
            assert flood.post(url, _wrong()).status_code == 200
        assert flood.post(url, {"receipt": good}).status_code == 429
        # The flooder's own text to the left changes nothing.
        assert _client(PROXY, "198.51.100.99, 198.51.100.23").post(
            url, {"receipt": good}).status_code == 429
        # Another reporter behind the same proxy gets in.
        assert _client(PROXY, "198.51.100.99").post(url, {"receipt": good}).status_code == 302
    keys = list(caches["default"]._cache)
    assert keys and not any("198.51.100" in key or PROXY in key for key in keys)
    assert database_hits("198.51.100.23") == [] and database_hits("198.51.100.99") == []


def test_an_untrusted_sender_cannot_pick_a_bucket(committee, report_form, url):
    good = reporting.report_submit(data=report_form).receipt
    with time_machine.travel(timezone.now(), tick=False):
        for index in range(10):
            spoofer = _client("198.51.100.50", f"192.0.2.{index}")
            assert spoofer.post(url, _wrong()).status_code == 200
        assert _client("198.51.100.50", "192.0.2.77").post(
            url, {"receipt": good}).status_code == 429
        # The addresses it named were not charged.
        assert _client(PROXY, "192.0.2.1").post(url, {"receipt": good}).status_code == 302


@pytest.mark.parametrize("header", ["garbage", ",", "[::1", "1.2.3.4:x", "x" * 3000])
def test_a_malformed_header_is_no_error(committee, url, header):
    assert _client(PROXY, header).post(url, _wrong()).status_code == 200
