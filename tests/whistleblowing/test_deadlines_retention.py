"""Test 10: deadlines across month ends (frozen time), the 14- and 3-day
reminders and overdue notices (content-free), and the retention purge,
which waits while the reporter's latest activity is unread."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from cases.models import Case, Task, TaskState
from cases.services import cases_wake_due
from notifications.models import Kind, Notification
from tests.whistleblowing.conftest import start_cases
from whistleblowing import storage
from whistleblowing.models import Entry, PurgeCounter, Report, ReportStatus
from whistleblowing.services import committee as work
from whistleblowing.services import reporting
from whistleblowing.services.retention import purge_expired

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")


def at(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=OSLO),
                               tick=False)


def do_step(member, report, bpmn_id, data, text=""):
    task = Task.objects.get(case=report.case, bpmn_id=bpmn_id, state=TaskState.READY)
    work.step_complete(holder=member.holder, report=report, task_id=task.pk, data=data,
                       text=text)
    report.refresh_from_db()


def submitted_and_acknowledged(committee, report_form, received: date, acknowledged: date):
    with at(received):
        submission = reporting.report_submit(data=report_form)
        start_cases()
    report = Report.objects.get(pk=submission.report.pk)
    with at(acknowledged):
        do_step(committee["anna"], report, "acknowledge", {"acknowledgement_sent": True}, "ok")
    return report, submission


@pytest.mark.parametrize("received, acknowledged, ack_due, feedback_due", [
    (date(2026, 1, 28), date(2026, 1, 31), date(2026, 2, 4), date(2026, 4, 30)),
    (date(2026, 11, 25), date(2026, 11, 30), date(2026, 12, 2), date(2027, 2, 28)),
    (date(2027, 11, 29), date(2027, 11, 30), date(2027, 12, 6), date(2028, 2, 29)),
    (date(2026, 12, 27), date(2027, 1, 2), date(2027, 1, 3), date(2027, 4, 2)),
])
def test_deadlines_across_month_ends(committee, report_form, received, acknowledged, ack_due,
                                     feedback_due):
    report, _ = submitted_and_acknowledged(committee, report_form, received, acknowledged)
    assert report.received_on == received
    assert report.ack_due == ack_due
    assert report.acknowledged_on == acknowledged
    assert report.feedback_due == feedback_due
    task = Task.objects.get(case=report.case, bpmn_id="assess", state=TaskState.READY)
    assert timezone.localtime(task.due_at).date() == feedback_due


def notified(kind) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def test_reminders_before_each_deadline_reach_only_grant_holders(committee, report_form):
    received = date(2026, 3, 2)
    with at(received):
        submission = reporting.report_submit(data=report_form,
                                             excluded_holder_id=committee["dag"].holder.pk)
        start_cases()
    report = submission.report
    holders = {"anna", "bjorn", "cecilie"}
    Notification.objects.all().delete()
    with at(received + timedelta(days=4), 17):  # 3 days before the acknowledgement deadline
        cases_wake_due()
    assert notified(Kind.REMINDER) == holders
    with at(received + timedelta(days=7), 17):
        cases_wake_due()
    assert notified(Kind.OVERDUE) == holders
    from django.utils import translation

    from notifications.texts import GENERIC

    with translation.override("nb"):
        generic = translation.gettext(GENERIC)
    for notification in Notification.objects.all():
        assert notification.text in (GENERIC, generic)

    with at(received + timedelta(days=8)):
        report.refresh_from_db()
        do_step(committee["anna"], report, "acknowledge", {"acknowledgement_sent": True}, "ok")
    feedback_due = report.feedback_due
    # Acknowledged a day late: the deadline stays received + 7 days + 3 months.
    assert feedback_due == date(2026, 6, 9)
    Notification.objects.all().delete()
    with at(feedback_due - timedelta(days=14), 17):
        cases_wake_due()
    assert notified(Kind.REMINDER) == holders
    Notification.objects.all().delete()
    with at(feedback_due - timedelta(days=3), 17):
        cases_wake_due()
    assert notified(Kind.REMINDER) == holders
    with at(feedback_due, 17):
        cases_wake_due()
    assert notified(Kind.OVERDUE) == holders


def close(committee, report):
    anna = committee["anna"]
    do_step(anna, report, "acknowledge", {"acknowledgement_sent": True}, "ack")
    do_step(anna, report, "assess", {"assessment_decision": "no_recommendation"})
    do_step(anna, report, "give_feedback", {"feedback_sent": True}, "feedback")


def test_purge_deletes_rows_and_files_and_keeps_a_counter(
    committee, report_form, settings, django_capture_on_commit_callbacks
):
    settings.VARDE_WB_RETENTION_DAYS = 30
    upload = _upload()
    submission = reporting.report_submit(data=report_form, uploads=[upload])
    start_cases()
    report = Report.objects.get()
    close(committee, report)
    assert report.status == ReportStatus.CLOSED
    assert report.purge_after == timezone.localdate() + timedelta(days=30)
    blob = Entry.objects.get(kind="attachment").blob
    case_id = report.case_id
    assert (storage.root() / blob).exists()

    assert purge_expired(today=report.purge_after - timedelta(days=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_expired(today=report.purge_after) == 1
    assert not Report.objects.exists() and not Entry.objects.exists()
    assert not Case.objects.filter(pk=case_id).exists()
    assert not (storage.root() / blob).exists()
    assert PurgeCounter.objects.get(year=report.purge_after.year).purged == 1
    from whistleblowing.exceptions import ReceiptNotAccepted

    with pytest.raises(ReceiptNotAccepted):
        reporting.reporter_unlock(receipt_text=submission.receipt)


def test_purge_waits_for_unread_reporter_activity(committee, report_form, settings):
    settings.VARDE_WB_OPEN_RETENTION_DAYS = 30
    reporting.report_submit(data=report_form)
    start_cases()
    report = Report.objects.get()
    reporting.reporter_post(report_id=report.pk, text="One more thing.")
    report.refresh_from_db()
    assert purge_expired(today=report.purge_after + timedelta(days=10)) == 0
    assert Report.objects.exists()
    anna = committee["anna"]
    view = work.case_open(holder=anna.holder, private_key=anna.private_key, report=report)
    assert "One more thing." in [m.data.get("text") for m in view.conversation]
    assert purge_expired(today=report.purge_after + timedelta(days=10)) == 1


def test_purge_command(committee, report_form, settings, capsys):
    from django.core.management import call_command

    call_command("whistleblowing_purge")
    assert "Purged 0" in capsys.readouterr().out


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes", "application/pdf")
