"""bin/serve's log filter: no IP address or daphne client field is written."""

import logging
import sys

from varde.anonymity import AddressFreeLogFilter


def _written(message: str, *args) -> str:
    record = logging.LogRecord("daphne.server", logging.WARNING, __file__, 1, message, args, None)
    assert AddressFreeLogFilter().filter(record)
    return logging.Formatter().format(record)


def test_daphne_s_killed_application_line_keeps_no_client():
    line = _written(
        "Application instance %r for connection %s took too long to shut down and was killed.",
        "<Task pending>", "<WebSocketProtocol client=['127.9.8.7', 37007] path=b'/ws/live/'>",
    )
    assert "127.9.8.7" not in line and "37007" not in line
    assert "took too long to shut down" in line and "/ws/live/" in line


def test_addresses_of_both_families_are_replaced_and_times_are_not():
    line = _written("at 19:20:01 from 10.1.2.3, [2001:db8::5]:443, fe80::1%eth0 and "
                    "::ffff:1.2.3.4.")
    for address in ("10.1.2.3", "2001:db8::5", "fe80::1", "1.2.3.4"):
        assert address not in line
    assert "19:20:01" in line and line.endswith("[address].")


def test_an_exception_s_text_is_scrubbed_too():
    try:
        raise ConnectionError("peer 192.0.2.44 went away")
    except ConnectionError:
        record = logging.LogRecord("daphne", logging.ERROR, __file__, 1, "boom", (), sys.exc_info())
    AddressFreeLogFilter().filter(record)
    written = logging.Formatter().format(record)
    assert "ConnectionError" in written and "192.0.2.44" not in written
