"""Anonymous reporting over HTTP leaves no trace of the reporter: no account
link, no actor in the audit trail, no session, and the client's IP address
and user agent in no column of any table and in no log record."""

import logging
import zlib

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse

from cases.models import Case, CaseEvent
from tests.web.conftest import report_post

pytestmark = pytest.mark.django_db(transaction=True)

IP = "203.0.113.77"
AGENT = "VardeProbe/9.9 (marker-agent-5f3c)"
MARKERS = (IP, "marker-agent-5f3c")


def _texts(value):
    """Every readable form of a stored value (workflow state is compressed)."""
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        yield value.decode("utf-8", "replace")
        try:
            yield zlib.decompress(value).decode("utf-8", "replace")
        except zlib.error:  # not compressed
            return
    elif value is not None:
        yield str(value)


def _tables_containing(markers) -> list[str]:
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if any(m in text for text in _texts(value) for m in markers):
                        hits.append(table)
    return hits


def test_logged_out_report_is_anonymous_and_untraceable(
    client, definitions, people, report_data, caplog
):
    caplog.set_level(logging.DEBUG)
    meta = {"REMOTE_ADDR": IP, "HTTP_USER_AGENT": AGENT}
    form = client.get(reverse("incidents:report"), **meta)
    assert "your report is anonymous" in form.content.decode()
    assert "options-anonymous" not in form.content.decode()  # no checkbox when logged out

    response = client.post(reverse("incidents:report"), report_post(report_data), **meta)
    assert response.status_code == 302
    receipt = client.get(response["Location"], **meta)
    case = Case.objects.get()
    assert case.reference in receipt.content.decode()

    assert case.reporter is None
    assert case.incident.anonymous
    assert not CaseEvent.objects.filter(case=case, actor__isnull=False).exists()
    assert Session.objects.count() == 0
    assert "sessionid" not in response.cookies
    assert _tables_containing(MARKERS) == []
    # The scan itself works: it finds a value that is stored.
    assert _tables_containing([case.reference])
    logged = [record.getMessage() for record in caplog.records]
    assert not [line for line in logged if any(m in line for m in MARKERS)]


def test_logged_in_reporter_can_report_anonymously(client, definitions, people, report_data):
    client.force_login(people["reporter"])
    session_before = dict(client.session.items())
    form = client.get(reverse("incidents:report"))
    assert "Report anonymously" in form.content.decode()
    assert 'aria-describedby="id_options-anonymous_helptext"' in form.content.decode()

    post = report_post(report_data) | {"options-anonymous": "on"}
    response = client.post(reverse("incidents:report"), post)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.reporter is None and case.incident.anonymous
    assert not CaseEvent.objects.filter(case=case, actor__isnull=False).exists()
    # Nothing in the user's session or list links them to the report.
    assert dict(client.session.items()) == session_before
    assert list(client.get(reverse("cases:mine")).context["cases"]) == []
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 404


def test_receipt_echoes_only_a_wellformed_reference(client, db):
    assert client.get(reverse("incidents:receipt"), {"ref": "HMS-2026-00042"}).status_code == 200
    assert client.get(reverse("incidents:receipt"), {"ref": "<script>"}).status_code == 404
    assert client.get(reverse("incidents:receipt")).status_code == 404
