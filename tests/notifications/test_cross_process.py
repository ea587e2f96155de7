"""With Redis, an event committed in one process reaches a socket served by
another: the production layout of several ASGI workers and background
workers behind one Redis."""

import os
import subprocess
import sys

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection

from tests.notifications.test_consumers import connect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

SCRIPT = """
import django
django.setup()
from django.contrib.auth.models import User
from incidents.services import incident_report_submit
incident_report_submit(reporter=User.objects.get(username="reporter"), data={data!r})
"""


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (channels-redis)")
async def test_event_from_another_process_reaches_this_socket(definitions, people, report_data):
    if connection.vendor != "postgresql":
        pytest.skip("the other process needs a shared database server")
    socket, connected = await connect(people["coordinator"])
    assert connected
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env["DATABASE_URL"] = (
        f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    result = await sync_to_async(subprocess.run)(
        [sys.executable, "-c", SCRIPT.format(data=report_data)],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    message = await socket.receive_json_from(timeout=5)
    assert message["type"] == "case_event"
    await socket.disconnect()
