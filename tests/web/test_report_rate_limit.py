"""The incident report form's flood limit (issue 12, item 5).

Logged-out reporters are counted per client (HMAC of the address with a daily
key, in the cache only), signed-in reporters per account with a higher limit.
Over the limit the form comes back with a polite message in the reporter's
language and the typed report kept, and no case is started. Behind a trusted
proxy each client has its own bucket; a spoofed X-Forwarded-For from an
untrusted sender changes nothing. No address reaches the database or the
cache's keys.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from tests.web.conftest import report_post
from tests.whistleblowing.scan import database_hits

pytestmark = pytest.mark.django_db

URL = "/hms/avvik/ny/"
MESSAGE_EN = "You have sent many reports in a short time"
MESSAGE_NB = "Du har sendt mange meldinger på kort tid"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.VARDE_INCIDENT_RATE = (3, 3600)
    settings.VARDE_INCIDENT_RATE_SIGNED_IN = (5, 3600)
    settings.VARDE_TRUSTED_PROXIES = ["10.0.0.5"]


def _client(remote, forwarded=None, language="en"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    client = Client(**extra)
    client.cookies["django_language"] = language
    return client


def _send(client, data, title="Loose handrail"):
    return client.post(URL, report_post(data | {"title": title}))


def test_the_url_is_the_report_form():
    assert reverse("incidents:report") == URL


def test_a_flooding_client_is_stopped_politely_and_keeps_its_text(definitions, units,
                                                                   report_data):
    with time_machine.travel(timezone.now(), tick=False):
        flood = _client("198.51.100.23")
        assert [_send(flood, report_data).status_code for _ in range(3)] == [302] * 3
        refused = _send(flood, report_data, title="The fourth report, typed in full")
        assert refused.status_code == 429
        page = refused.content.decode()
        assert MESSAGE_EN in page
        assert 'value="The fourth report, typed in full"' in page
        assert report_data["description"] in page
        assert 'class="error-summary" role="alert"' in page
        assert Case.objects.count() == 3

        # Another client is not affected.
        assert _send(_client("198.51.100.99"), report_data).status_code == 302
        # In Norwegian the message is Norwegian.
        norwegian = _send(_client("198.51.100.23", language="nb"), report_data)
        assert norwegian.status_code == 429 and MESSAGE_NB in norwegian.content.decode()

    keys = list(caches["default"]._cache)
    assert keys and not any("198.51.100" in key for key in keys)
    assert database_hits("198.51.100.23") == [] and database_hits("198.51.100.99") == []

    with time_machine.travel(timezone.now() + timedelta(minutes=61), tick=False):
        assert _send(_client("198.51.100.23"), report_data).status_code == 302


def test_invalid_forms_do_not_use_up_the_limit(definitions, units, report_data):
    client = _client("198.51.100.23")
    for _ in range(5):
        assert _send(client, report_data, title="").status_code == 200  # title missing
    assert _send(client, report_data).status_code == 302


def test_signed_in_reporters_have_their_own_higher_limit(definitions, people, report_data):
    # The shared address is exhausted by anonymous reports...
    anonymous = _client("198.51.100.23")
    for _ in range(3):
        _send(anonymous, report_data)
    assert _send(anonymous, report_data).status_code == 429
    # ...but a signed-in reporter on it counts under the account.
    reporter = _client("198.51.100.23")
    reporter.force_login(people["reporter"])
    assert [_send(reporter, report_data).status_code for _ in range(5)] == [302] * 5
    refused = _send(reporter, report_data)
    assert refused.status_code == 429 and MESSAGE_EN in refused.content.decode()
    assert 'name="options-anonymous"' in refused.content.decode()
    colleague = _client("198.51.100.23")
    colleague.force_login(people["other_reporter"])
    assert _send(colleague, report_data).status_code == 302
    assert database_hits("198.51.100.23") == []


def test_a_signed_in_anonymous_report_is_counted_by_address_not_account(
    definitions, people, report_data
):
    reporter = _client("198.51.100.23")
    reporter.force_login(people["reporter"])
    anonymous = report_post(report_data) | {"options-anonymous": "on"}
    assert [reporter.post(URL, anonymous).status_code for _ in range(3)] == [302] * 3
    refused = reporter.post(URL, anonymous)
    assert refused.status_code == 429
    assert 'id="id_options-anonymous" checked>' in refused.content.decode()  # choice kept
    # The account's own counter was not touched: named reports still go.
    assert [_send(reporter, report_data).status_code for _ in range(5)] == [302] * 5
    # And the anonymous reports were counted against the address, as anyone's.
    assert _send(_client("198.51.100.23"), report_data).status_code == 429


def test_clients_behind_a_trusted_proxy_have_separate_buckets(definitions, units,
                                                              report_data):
    flood = _client("10.0.0.5", "198.51.100.23")
    for _ in range(3):
        assert _send(flood, report_data).status_code == 302
    assert _send(flood, report_data).status_code == 429
    # What the client wrote itself stands left of what the proxy appended.
    assert _send(_client("10.0.0.5", "198.51.100.99, 198.51.100.23"),
                 report_data).status_code == 429
    assert _send(_client("10.0.0.5", "198.51.100.99"), report_data).status_code == 302


def test_a_spoofed_header_from_an_untrusted_sender_is_ignored(definitions, units,
                                                              report_data):
    for index in range(3):
        spoofer = _client("198.51.100.50", f"192.0.2.{index}")
        assert _send(spoofer, report_data).status_code == 302
    assert _send(_client("198.51.100.50", "192.0.2.200"), report_data).status_code == 429
    # The addresses it named were not charged.
    assert _send(_client("10.0.0.5", "192.0.2.1"), report_data).status_code == 302


def test_a_malformed_header_is_no_error(definitions, units, report_data):
    for header in ("garbage", ",,,", "[::1", "1.2.3.4:x", "a" * 3000):
        response = _send(_client("10.0.0.5", header), report_data)
        assert response.status_code in (302, 429)
