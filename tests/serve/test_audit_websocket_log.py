"""Audit (issue 22): bin/serve must write no client address, even when the
application is slow.

daphne's ``application_checker`` logs at WARNING ("Application instance … for
connection <WebSocketProtocol client=['127.8.9.10', 41234] path=b'/ws/live/'>
took too long to shut down and was killed.") when a websocket's client has
gone and the application has not finished ``application_close_timeout``
seconds later. ``varde.serve`` keeps daphne's loggers at WARNING, so the
client's address and port reach stderr (the journal). Reproduced on a running
``bin/serve`` with PostgreSQL: an anonymous client opens ``/ws/live/`` with a
session cookie while the database is slow (here: the session table is
locked, as during a long migration or a VACUUM FULL), then gives up.

PostgreSQL only (the lock); reuses tests/serve/test_serve.py's server.
"""

import contextlib
import socket
import time

import psycopg
import pytest
from django.db import connection

from tests.serve import harness
from tests.serve.harness import SOURCE
from tests.serve.test_serve import seeded, site  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


def _open_websocket_and_leave(port: int) -> None:
    sock = socket.create_connection(("127.0.0.1", port), timeout=3, source_address=(SOURCE, 0))
    with sock:
        sock.sendall(
            b"GET /ws/live/ HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            b"Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://127.0.0.1\r\n"
            b"Cookie: sessionid=abcdefghijklmnopqrstuvwxyz012345\r\n\r\n"
        )
        with contextlib.suppress(OSError):  # no answer while the database is slow
            sock.recv(100)


def test_a_slow_websocket_leaves_no_client_address_in_the_log(site, seeded):  # noqa: F811
    if connection.vendor != "postgresql":
        pytest.skip("locks the session table: PostgreSQL only")
    with psycopg.connect(harness.database_url()) as lock:
        lock.execute("LOCK TABLE django_session IN ACCESS EXCLUSIVE MODE")
        _open_websocket_and_leave(site.port)
        time.sleep(14)  # bin/serve's application_close_timeout (10 s) and daphne's checker
        lock.rollback()
    time.sleep(1)
    written = "\n".join(p.read_text(errors="replace") for p in site.server.logs)
    assert "listening on" in written  # the search below searched the server's output
    assert SOURCE not in written, [line for line in written.splitlines() if SOURCE in line]
