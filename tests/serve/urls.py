"""The production URLconf plus routes and a hook for the server tests only.

- an anonymous route with a bug (the server must log it without the client);
- ``test-slow/``: an answer that takes ``?seconds=`` to come (a request in
  flight when a deploy stops the server);
- with ``VARDE_TEST_PROBE_DIR`` set and a file ``hold`` in it, every case
  service stops at the very end of its transaction (after the case, its
  content and its jobs are written, before the commit), writes what it sees
  to ``held`` and sleeps, so that a test can kill the process there.
"""

import json
import os
import time
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from cases import events
from varde.urls import urlpatterns as production_urlpatterns

PROBE_DIR = os.environ.get("VARDE_TEST_PROBE_DIR")
SLOW_BODY_LINES = 20000  # about 600 kB: more than one socket buffer


def broken_view(request):
    """A view bug on an anonymous route: the server must log it without the client."""
    raise RuntimeError("deliberate failure of the server test")


def slow_view(request):
    Path(PROBE_DIR, "slow-started").write_text(str(os.getpid()))
    time.sleep(float(request.GET.get("seconds", "3")))
    body = "".join(f"line {n:07d} of the slow answer\n" for n in range(SLOW_BODY_LINES))
    return HttpResponse(body + "the end\n", content_type="text/plain")


def hold_before_commit(batch) -> None:
    """The last in-transaction subscriber: see the module docstring."""
    if not PROBE_DIR or not Path(PROBE_DIR, "hold").exists():
        return
    from django_tasks_db.models import DBTaskResult

    from cases.models import Case
    from incidents.models import IncidentReport

    seen = {
        "pid": os.getpid(),
        "cases": Case.objects.count(),
        "reports": IncidentReport.objects.count(),
        "jobs": DBTaskResult.objects.count(),
    }
    Path(PROBE_DIR, "held").write_text(json.dumps(seen))
    time.sleep(120)


if PROBE_DIR:
    events.subscribe_in_transaction(hold_before_commit)

urlpatterns = [
    path("si-fra/test-feil/", broken_view),
    path("hms/avvik/ny/test-feil/", broken_view),
    path("test-slow/", slow_view),
    *production_urlpatterns,
]
