"""The client address the limiters use: the socket's, or behind a trusted
proxy the right-most hop of X-Forwarded-For that is not a trusted proxy.
A spoofed or malformed header never raises and never names another client."""

import ipaddress

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from varde.client_address import client_address, client_key, parse_address

PROXY = "10.0.0.5"


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def _address(remote, forwarded=None):
    found = client_address(_request(remote, forwarded))
    return None if found is None else str(found)


@pytest.fixture
def behind_proxy(settings):
    settings.VARDE_TRUSTED_PROXIES = [PROXY, "10.1.0.0/16", "fd00::/8"]


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.VARDE_TRUSTED_PROXIES = []
    assert _address("198.51.100.7", "203.0.113.9") == "198.51.100.7"


def test_an_untrusted_sender_cannot_choose_its_address(behind_proxy):
    assert _address("198.51.100.7", "203.0.113.9") == "198.51.100.7"


def test_the_rightmost_untrusted_hop_is_the_client(behind_proxy):
    assert _address(PROXY, "203.0.113.9") == "203.0.113.9"
    # What the client wrote itself stands left of what the proxy appended.
    assert _address(PROXY, "192.0.2.1, 203.0.113.9") == "203.0.113.9"
    # Chained trusted proxies are walked past.
    assert _address(PROXY, "192.0.2.1, 203.0.113.9, 10.1.4.4") == "203.0.113.9"
    assert _address(PROXY, "  203.0.113.9 ,10.1.4.4 ") == "203.0.113.9"


def test_forms_of_an_address(behind_proxy):
    assert _address(PROXY, "203.0.113.9:4711") == "203.0.113.9"
    assert _address(PROXY, "[2001:db8::1]:443") == "2001:db8::1"
    assert _address(PROXY, "2001:db8::1") == "2001:db8::1"
    assert _address(PROXY, "::ffff:203.0.113.9") == "203.0.113.9"
    assert _address("::ffff:10.0.0.5", "203.0.113.9") == "203.0.113.9"


@pytest.mark.parametrize("header", [
    "", ",", "garbage", "203.0.113.9, garbage", "unknown", "999.1.1.1", "[::1", "1.2.3.4:",
    "1.2.3.4:port", "\x00", "a" * 5000, ",".join(["10.1.0.1"] * 500), "1.2.3.4 5.6.7.8",
    "203.0.113.9\r\n", "2001:db8::1:99999999",
])
def test_a_malformed_header_falls_back_to_the_proxy_and_never_fails(behind_proxy, header):
    found = _address(PROXY, header)
    # Either the trusted proxy (one shared bucket) or an address the header
    # really ended with; never an exception, never an address from the left.
    assert found in (PROXY, "10.1.0.1", "203.0.113.9"), found
    if "garbage" in header:
        assert found == PROXY


def test_a_garbage_hop_stops_the_walk_before_the_spoofed_part(behind_proxy):
    # The client wrote "192.0.2.1, garbage"; the proxy appended nothing useful.
    assert _address(PROXY, "192.0.2.1, garbage, 10.1.4.4") == "10.1.4.4"


def test_a_missing_or_broken_remote_address(behind_proxy):
    assert client_address(RequestFactory().get("/", REMOTE_ADDR="")) is None
    assert client_key(RequestFactory().get("/", REMOTE_ADDR="nonsense")) == "unknown"


def test_ipv6_clients_are_counted_by_their_64(behind_proxy):
    one = client_key(_request(PROXY, "2001:db8:1:2::1"))
    other = client_key(_request(PROXY, "2001:db8:1:2:ffff::9"))
    neighbour = client_key(_request(PROXY, "2001:db8:1:3::1"))
    assert one == other == "2001:db8:1:2::/64"
    assert neighbour != one
    assert client_key(_request("203.0.113.9")) == "203.0.113.9"


def test_a_bad_trusted_proxy_setting_is_a_configuration_error(settings):
    settings.VARDE_TRUSTED_PROXIES = ["10.0.0.0/8", "not-a-network"]
    with pytest.raises(ImproperlyConfigured, match="not-a-network"):
        client_address(_request("10.0.0.1"))


def test_parse_address_accepts_only_addresses():
    assert parse_address("203.0.113.9") == ipaddress.ip_address("203.0.113.9")
    assert parse_address(None) is None
    assert parse_address("example.org") is None
