"""The web processes stop without losing what they accepted (issue 20).

A real server (``python -m varde.serve``, what ``bin/serve`` runs; one web
worker, no background worker) on the test database:

- a deploy's SIGTERM while a slow request is in flight: the server stops
  taking new connections at once, the request still gets its whole answer,
  then everything exits cleanly;
- a web process SIGKILLed while an anonymous incident report is inside its
  transaction (the case, the report and its jobs written, not committed):
  nothing of it is stored; the supervisor starts a new process, and the same
  report sent again is stored whole, with its jobs.

The served settings and the probe (the slow route, the hold before commit)
are in tests/serve/settings.py and tests/serve/urls.py.
"""

import contextlib
import json
import os
import secrets
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django_tasks_db.models import DBTaskResult

from cases.models import Case
from cases.services.definitions import definitions_sync
from incidents.models import IncidentReport
from org.models import Unit
from org.services import role_groups_ensure
from tests.serve import harness
from tests.serve.test_serve import Visitor, report

pytestmark = pytest.mark.django_db(transaction=True)

GRACE = 20


@pytest.fixture
def seeded(transactional_db):
    role_groups_ensure()
    definitions_sync(directory=settings.VARDE_WORKFLOW_DIR)
    Unit.objects.create(code="ivt", name="Fakultet for ingeniørvitenskap")


@pytest.fixture
def server(seeded, tmp_path):
    logs, cache, probe = tmp_path / "logs", tmp_path / "cache", tmp_path / "probe"
    for directory in (logs, cache, probe):
        directory.mkdir()
    (port,) = harness.free_ports(1)
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "VARDE_", "PYTEST")) and key != "DATABASE_URL"
    } | {
        "DATABASE_URL": harness.database_url(),
        "DJANGO_SETTINGS_MODULE": "tests.serve.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "VARDE_RECEIPT_PEPPER": secrets.token_urlsafe(32),
        "VARDE_VAR_DIR": str(tmp_path / "var"),
        "VARDE_TEST_CACHE_DIR": str(cache),
        "VARDE_TEST_PROBE_DIR": str(probe),
        "BIND": "127.0.0.1",
        "PORT": str(port),
        "WORKERS": "1",
        "TASK_WORKERS": "0",
        "GRACE_SECONDS": str(GRACE),
        "PYTHONUNBUFFERED": "1",
    }
    process = harness.start("serve", [sys.executable, "-m", "varde.serve"], logs, env)
    try:
        harness.wait_until_serving(process, port)
        yield process, port, probe
    finally:
        harness.stop(process)


def wait_for(path: Path, timeout=60.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text():
            return path.read_text()
        time.sleep(0.05)
    raise AssertionError(f"{path.name} did not appear")


def in_background(call):
    """Run ``call`` in a thread; the returned dict gets its result or error."""
    outcome = {}

    def run():
        try:
            outcome["result"] = call()
        except Exception as exc:  # noqa: BLE001 - the test looks at it
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def refused(port) -> bool:
    try:
        harness.request(port, "GET", "/", source=None)
    except OSError:
        return True
    return False


def test_sigterm_finishes_the_request_in_flight_and_takes_no_new_ones(server):
    process, port, probe = server
    thread, outcome = in_background(
        lambda: harness.request(port, "GET", "/test-slow/?seconds=4", source=None))
    wait_for(probe / "slow-started")
    process.popen.send_signal(signal.SIGTERM)
    stopped_at = time.monotonic()

    deadline = stopped_at + 3
    while not refused(port) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert refused(port), "a new connection is still taken after SIGTERM"
    assert process.popen.poll() is None, "the server did not wait for the request in flight"

    thread.join(timeout=GRACE + 10)
    assert "error" not in outcome, outcome.get("error")
    answer = outcome["result"]
    assert answer.status == 200
    assert answer.body.startswith("line 0000000 of the slow answer\n")
    assert answer.body.endswith("line 0019999 of the slow answer\nthe end\n")
    assert process.popen.wait(timeout=GRACE + 10) == 0
    assert time.monotonic() - stopped_at < GRACE, "it waited for the grace, not the request"
    assert "Killed" not in harness.tail(process)  # daphne's "Killed N pending application"


def test_a_web_process_killed_inside_the_report_transaction_stores_nothing(server):
    process, port, probe = server
    visitor = Visitor(port)
    (probe / "hold").touch()
    form = visitor.get("/hms/avvik/ny/")
    thread, outcome = in_background(
        lambda: visitor.post("/hms/avvik/ny/", report("Killed mid-request"), form))
    held = json.loads(wait_for(probe / "held"))
    # Inside the transaction the case, its report and its jobs were all written.
    assert held["cases"] == 1 and held["reports"] == 1 and held["jobs"] >= 1, held
    os.kill(held["pid"], signal.SIGKILL)
    thread.join(timeout=30)
    assert "error" in outcome, "the killed process answered"

    assert not Case.objects.exists()
    assert not IncidentReport.objects.exists()
    assert not DBTaskResult.objects.exists()

    # The supervisor starts a new web process; the report sent again is
    # stored whole: the case, its report and its jobs.
    (probe / "hold").unlink()
    with contextlib.suppress(FileNotFoundError):
        (probe / "held").unlink()
    harness.wait_until_serving(process, port)
    form = visitor.get("/hms/avvik/ny/")
    sent = visitor.post("/hms/avvik/ny/", report("Sent again"), form)
    assert sent.status == 302, sent.body[:2000]
    case = Case.objects.get()
    assert IncidentReport.objects.filter(case=case).exists()
    assert DBTaskResult.objects.count() == held["jobs"]
