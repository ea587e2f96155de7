"""Tests 1 and 2 of the design (§5): no plaintext and no network metadata in
storage.

A canary is planted in the report body, the identity, an attachment's file
name and bytes, the reporter's answer and the committee's messages, all
through the real web views. Then every column of every table (sessions and
task queue included; the workflow state decompressed), every stored file,
the cache and every captured log line are searched for it in UTF-8 and
UTF-16. Runs on SQLite and, with DATABASE_URL, on PostgreSQL.
"""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cases.models import Task, TaskState
from tests.whistleblowing.conftest import login_member, start_cases, submit_via_web
from tests.whistleblowing.scan import (
    Capture,
    cache_hits,
    database_hits,
    file_hits,
    tables_scanned,
)
from whistleblowing.models import Entry, Report

pytestmark = pytest.mark.django_db

CANARY = "CANARY-7f3a9c1e"
ADDRESS = "203.0.113.77"
AGENT = "CANARY-AGENT-5d2b Mozilla/5.0"
REFERRER = "https://CANARY-REFERRER-91ee.example/page"


@pytest.fixture
def captured_logs(caplog):
    caplog.set_level(logging.DEBUG)
    handler = Capture()
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.DEBUG)
    yield handler, caplog
    root.removeHandler(handler)
    root.setLevel(previous)


def run_whole_story(committee, report_form):
    headers = {"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": AGENT, "HTTP_REFERER": REFERRER}
    reporter = Client(**headers)
    report_form = {**report_form, "what_happened": f"{CANARY} body",
                   "identity": f"{CANARY} identity", "witnesses": f"{CANARY} witness"}
    upload = SimpleUploadedFile(f"{CANARY}-name.txt", f"{CANARY} file bytes".encode(),
                                "text/plain")
    receipt = submit_via_web(reporter, report_form, [upload])
    reporter.post(reverse("whistleblowing:receipt_saved"), {"saved": "on"})
    start_cases()
    report = Report.objects.get()

    member = Client(**headers)
    login_member(member, committee["anna"])
    task = Task.objects.get(case=report.case, bpmn_id="acknowledge", state=TaskState.READY)
    member.post(reverse("wb_committee:step", args=[report.uuid, task.pk]),
                {"step-acknowledgement_sent": "on", "text-text": f"{CANARY} acknowledgement"})
    member.post(reverse("wb_committee:message", args=[report.uuid]),
                {"text": f"{CANARY} committee message",
                 "attachments": [SimpleUploadedFile(f"{CANARY}-c.pdf", f"{CANARY} pdf".encode())]})
    member.post(reverse("wb_committee:identity", args=[report.uuid]), {"action": "request"})
    member.post(reverse("wb_committee:exclude", args=[report.uuid]),
                {"holder": committee["dag"].holder.pk, "reason": "reported_person"})

    assert reporter.post(reverse("whistleblowing:login"), {"receipt": receipt}).status_code == 302
    assert reporter.post(reverse("whistleblowing:reply"),
                         {"text": f"{CANARY} reporter answer"}).status_code == 302
    page = reporter.get(reverse("whistleblowing:case"))
    assert f"{CANARY} committee message".encode() in page.content
    entry = Entry.objects.filter(kind="attachment", sender="reporter").get()
    download = reporter.get(reverse("whistleblowing:attachment", args=[entry.uuid]))
    assert b"".join(download.streaming_content) == f"{CANARY} file bytes".encode()
    page = member.get(reverse("wb_committee:case", args=[report.uuid]))
    assert f"{CANARY} reporter answer".encode() in page.content
    download = member.get(reverse("wb_committee:attachment", args=[report.uuid, entry.uuid]))
    assert b"".join(download.streaming_content) == f"{CANARY} file bytes".encode()
    # Issue 27's steps: hearing the reported person, closing (the employer's bare
    # notice) and a message after closing that starts a linked case.
    def step(bpmn_id, fields, text):
        task = Task.objects.get(case=report.case, bpmn_id=bpmn_id, state=TaskState.READY)
        response = member.post(reverse("wb_committee:step", args=[report.uuid, task.pk]),
                               {**fields, "text-text": text})
        assert response.status_code == 302, bpmn_id

    from django.utils import timezone

    step("assess", {"step-assessment_decision": "hear_reported_person"}, "")
    step("hear_reported_person", {"step-heard_on": timezone.localdate().isoformat()},
         f"{CANARY} hearing record")
    step("assess", {"step-assessment_decision": "no_recommendation"}, "")
    step("give_feedback", {"step-feedback_sent": "on"}, f"{CANARY} feedback")
    assert reporter.post(reverse("whistleblowing:reply"),
                         {"text": f"{CANARY} retaliation"}).status_code == 302
    start_cases()
    assert Report.objects.filter(parent=report).exists()
    # An unknown receipt and a form error are handled (and possibly logged) too.
    reporter.post(reverse("whistleblowing:login"), {"receipt": f"{CANARY}-wrong"})
    reporter.post(reverse("whistleblowing:report"), {"where": f"{CANARY} where"})
    return report


def test_canary_absent_from_every_table_file_cache_and_log(
    committee, report_form, captured_logs, settings
):
    handler, caplog = captured_logs
    report = run_whole_story(committee, report_form)

    tables = tables_scanned()
    assert {"django_session", "whistleblowing_entry", "whistleblowing_auditevent",
            "cases_case", "cases_caseevent", "notifications_notification"} <= set(tables)
    assert database_hits(CANARY) == []
    assert file_hits(settings.VARDE_WHISTLEBLOWING_FILES, CANARY) == []
    assert any(settings.VARDE_WHISTLEBLOWING_FILES.iterdir())  # files were stored
    assert cache_hits(CANARY) == []
    assert CANARY not in handler.text() and CANARY not in caplog.text
    # The same search finds a planted value, so it really looks everywhere.
    assert database_hits(str(report.uuid).replace("-", "")) or database_hits(
        report.case.reference)


def test_no_network_metadata_and_dates_only(committee, report_form, captured_logs, settings):
    handler, caplog = captured_logs
    report = run_whole_story(committee, report_form)
    for needle in (ADDRESS, "CANARY-AGENT-5d2b", "CANARY-REFERRER-91ee"):
        assert database_hits(needle) == [], needle
        assert cache_hits(needle) == [], needle
        assert needle not in handler.text() and needle not in caplog.text, needle
    report.refresh_from_db()
    assert type(report.received_on).__name__ == "date"
    for entry in Entry.objects.all():
        assert type(entry.sent_on).__name__ == "date"


def test_error_reports_of_channel_views_carry_no_form_data_or_headers(rf):
    """Django's error report (mail to ADMINS, debug page) for a failing
    channel view: no POST data, no local variables, no IP or user agent.
    (Canaries made at run time: the report also quotes source lines.)"""
    import secrets
    import sys

    from django.views.debug import ExceptionReporter

    from whistleblowing.views.guards import ChannelExceptionFilter

    posted, local, address, agent, cookie = (secrets.token_hex(8) for _ in range(5))
    request = rf.post("/si-fra/varsle/", {"what_happened": posted},
                      REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    request.COOKIES["wbr"] = cookie
    request.exception_reporter_filter = ChannelExceptionFilter()
    request.sensitive_post_parameters = "__ALL__"

    def failing(text):
        secret_local = text  # noqa: F841 - a local variable holding plaintext
        raise RuntimeError("boom")

    try:
        failing(local)
    except RuntimeError:
        reporter = ExceptionReporter(request, *sys.exc_info())
        text = reporter.get_traceback_text() + reporter.get_traceback_html()
    for value in (posted, local, address, agent, cookie):
        assert value not in text
