"""The channel over HTTP: the button, the report form, the receipt, the
reporter's follow-up, and the committee's login, case page and steps."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cases.models import Task, TaskState
from tests.whistleblowing.conftest import login_member, start_cases, submit_via_web
from whistleblowing.models import Report, ReportStatus
from whistleblowing.session import MEMBER_COOKIE, REPORTER_COOKIE

pytestmark = pytest.mark.django_db


def test_button_on_every_page_leads_to_the_info_page(client, committee):
    home = client.get(reverse("home"))
    assert reverse("whistleblowing:info").encode() in home.content
    info = client.get(reverse("whistleblowing:info"))
    assert info.status_code == 200
    text = info.content.decode()
    assert "Anna, psychologist" in text and "02800" in text
    assert "not against someone who controls the running server" in text
    assert info["Cache-Control"] == "no-store" and info["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in info["Content-Security-Policy"]


def test_invalid_submission_keeps_input_and_stores_nothing(client, committee):
    response = client.post(reverse("whistleblowing:report"), {"where": "Kept text"})
    assert response.status_code == 200
    assert b"Kept text" in response.content
    assert not Report.objects.exists()


def test_report_receipt_follow_up_and_committee_reply(committee, report_form):
    reporter = Client()
    upload = SimpleUploadedFile("photo.jpg", b"\xff\xd8 image bytes", "image/jpeg")
    receipt = submit_via_web(reporter, report_form, [upload])
    assert settings.SESSION_COOKIE_NAME not in reporter.cookies  # no Django session
    assert not Session.objects.exists()
    saved = reporter.post(reverse("whistleblowing:receipt_saved"), {"saved": "on"})
    assert saved.status_code == 302
    assert reporter.post(reverse("whistleblowing:receipt_saved"), {}).status_code == 400
    start_cases()

    member = Client()
    login_member(member, committee["anna"])
    assert member.cookies[MEMBER_COOKIE]["httponly"]
    assert member.cookies[MEMBER_COOKIE]["samesite"] == "Strict"
    assert member.cookies[MEMBER_COOKIE]["path"] == reverse("wb_committee:dashboard")
    report = Report.objects.get()
    dashboard = member.get(reverse("wb_committee:dashboard"))
    assert report.case.reference.encode() in dashboard.content
    page = member.get(reverse("wb_committee:case", args=[report.uuid]))
    assert report_form["what_happened"].encode() in page.content
    assert b"photo.jpg" in page.content

    task = Task.objects.get(case=report.case, bpmn_id="acknowledge", state=TaskState.READY)
    url = reverse("wb_committee:step", args=[report.uuid, task.pk])
    assert member.post(url, {"step-acknowledgement_sent": "on"}).status_code == 400  # no text
    response = member.post(url, {"step-acknowledgement_sent": "on",
                                 "text-text": "We have received your report."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ASSESSMENT

    login = reporter.post(reverse("whistleblowing:login"), {"receipt": receipt.lower()})
    assert login.status_code == 302
    assert reporter.cookies[REPORTER_COOKIE]["httponly"]
    case_page = reporter.get(reverse("whistleblowing:case"))
    assert b"We have received your report." in case_page.content
    assert b"Acknowledged, being assessed" in case_page.content
    reply = reporter.post(reverse("whistleblowing:reply"), {"text": "Thank you, more details."})
    assert reply.status_code == 302
    report.refresh_from_db()
    assert report.reporter_activity_unread
    page = member.get(reverse("wb_committee:case", args=[report.uuid]))
    assert b"Thank you, more details." in page.content
    report.refresh_from_db()
    assert not report.reporter_activity_unread

    logout = member.post(reverse("wb_committee:logout"))
    assert "cookies" in logout["Clear-Site-Data"]
    assert member.get(reverse("wb_committee:dashboard")).status_code == 302


def test_member_without_grant_cannot_open_the_case(committee, report_form):
    from whistleblowing.services import reporting

    reporting.report_submit(data=report_form, excluded_holder_id=committee["dag"].holder.pk)
    start_cases()
    report = Report.objects.get()
    member = Client()
    login_member(member, committee["dag"])
    assert member.get(reverse("wb_committee:case", args=[report.uuid])).status_code == 404
    assert report.case.reference.encode() not in member.get(
        reverse("wb_committee:dashboard")).content


def test_generic_case_pages_never_show_whistleblowing_cases(client, committee, report_form):
    from whistleblowing.services import reporting

    reporting.report_submit(data=report_form)
    start_cases()
    report = Report.objects.get()
    client.force_login(committee["anna"].user)
    assert client.get(reverse("cases:detail", args=[report.case.reference])).status_code == 404
    task = Task.objects.get(case=report.case)
    assert client.get(reverse("cases:task", args=[task.pk])).status_code == 404


def test_decision_maker_sees_only_the_released_recommendation(committee, report_form):
    from whistleblowing.services import committee as work
    from whistleblowing.services import reporting

    reporting.report_submit(data=report_form)
    start_cases()
    report = Report.objects.get()
    anna = committee["anna"]
    for bpmn_id, data, text in [
        ("acknowledge", {"acknowledgement_sent": True}, "ack"),
        ("assess", {"assessment_decision": "recommend"}, ""),
        ("write_recommendation", {"release_confirmed": True}, "Move the researcher."),
    ]:
        task = Task.objects.get(case=report.case, bpmn_id=bpmn_id, state=TaskState.READY)
        work.step_complete(holder=anna.holder, report=report, task_id=task.pk, data=data,
                           text=text)
    employer = Client()
    login_member(employer, committee["erik"])
    assert report.case.reference.encode() in employer.get(
        reverse("wb_committee:dashboard")).content
    page = employer.get(reverse("wb_committee:decision_case", args=[report.uuid]))
    assert b"Move the researcher." in page.content
    assert report_form["what_happened"].encode() not in page.content
    assert employer.get(reverse("wb_committee:case", args=[report.uuid])).status_code == 403
    response = employer.post(reverse("wb_committee:decision_case", args=[report.uuid]),
                             {"step-decision": "measures", "text-text": "Moved to campus B."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.FEEDBACK
    member = Client()
    login_member(member, anna)
    assert b"Moved to campus B." in member.get(
        reverse("wb_committee:case", args=[report.uuid])).content
