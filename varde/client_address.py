"""The client's address, as the rate limiters see it (in memory only).

Behind a reverse proxy every request comes from the proxy; the real client is
in ``X-Forwarded-For``, which each proxy extends on the right with the address
it was connected from. Only a proxy listed in ``VARDE_TRUSTED_PROXIES``
(addresses or networks; empty = no proxy) is believed, so the answer is the
right-most hop that is not a trusted proxy. Whatever a client writes into the
header itself sits to the left of that hop and is never reached.

A hop that is not an address (garbage, an unknown token) stops the walk at the
trusted proxy that passed it on: a malformed header never raises and never
lands a client in another client's bucket.

The address is returned for hashing and never stored or logged. An IPv6
client is counted by its /64 network, since one host usually holds a whole
/64 and could otherwise pick a fresh address per request.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
MAX_HOPS = 32  # a longer chain is cut at this many hops from the right


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"VARDE_TRUSTED_PROXIES holds {entry!r}, which is not an address or network."
            ) from exc
    return tuple(networks)


def trusted_proxies() -> tuple:
    return _networks(tuple(e for e in getattr(settings, "VARDE_TRUSTED_PROXIES", ()) if e.strip()))


def parse_address(text: str | None) -> Address | None:
    """An address from a header hop or REMOTE_ADDR, or None if it is not one.

    Accepts ``1.2.3.4``, ``1.2.3.4:port``, ``2001:db8::1``, ``[2001:db8::1]`` and
    ``[2001:db8::1]:port``; IPv4-mapped IPv6 becomes IPv4.
    """
    if not text:
        return None
    text = text.strip()
    if len(text) > 64:
        return None
    if text.startswith("["):
        end = text.find("]")
        if end < 0 or (text[end + 1:] and not _is_port(text[end + 1:])):
            return None
        text = text[1:end]
    elif text.count(":") == 1:
        host, _, port = text.partition(":")
        if not _is_port(":" + port):
            return None
        text = host
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_port(text: str) -> bool:
    return text.startswith(":") and text[1:].isdigit() and len(text) <= 6


def _trusted(address: Address, networks) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_address(request) -> Address | None:
    """The real client's address, or None when even the socket's is unknown."""
    address = parse_address(request.META.get("REMOTE_ADDR"))
    networks = trusted_proxies()
    if address is None or not networks or not _trusted(address, networks):
        return address
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not isinstance(header, str):
        return address
    for hop in reversed(header.split(",")[-MAX_HOPS:]):
        parsed = parse_address(hop)
        if parsed is None:
            return address  # the trusted proxy that passed garbage on
        address = parsed
        if not _trusted(address, networks):
            return address
    return address  # every hop is a trusted proxy


def client_key(request) -> str:
    """A stable text for the limiter's HMAC: the address, an IPv6 client's /64."""
    address = client_address(request)
    if address is None:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
