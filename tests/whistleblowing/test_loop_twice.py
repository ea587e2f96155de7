"""The one loop back of the whistleblowing process, gone round twice on the
real engine: the committee asks the reporter twice (answered once, and once
left unanswered until the 21-day timeout), then recommends."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases import services
from cases.models import CaseStatus, Task, TaskState
from whistleblowing.models import ReportStatus
from whistleblowing.services import batch, reporting
from whistleblowing.services import committee as members_work

pytestmark = pytest.mark.django_db


def step(member, report, bpmn_id, data, text=""):
    task = Task.objects.get(case=report.case, bpmn_id=bpmn_id, state=TaskState.READY)
    members_work.step_complete(holder=member.holder, report=report, task_id=task.pk, data=data,
                               text=text)
    report.refresh_from_db()


def test_asking_the_reporter_twice_then_recommending(committee, report_form, time_machine):
    anna = committee["anna"]
    time_machine.move_to(timezone.now(), tick=False)
    submission = reporting.report_submit(data=report_form)
    batch.reports_start_pending()
    report = submission.report
    report.refresh_from_db()
    step(anna, report, "acknowledge", {"acknowledgement_sent": True}, "ack")

    # Round 1: asked and answered.
    step(anna, report, "assess", {"assessment_decision": "need_information"}, "question 1")
    assert report.status == ReportStatus.AWAITING_REPORTER
    found, _ = reporting.reporter_unlock(receipt_text=submission.receipt)
    reporting.reporter_post(report_id=found.pk, text="answer 1")
    step(anna, report, "await_answer", {"answer_status": "answered"})
    assert report.status == ReportStatus.ASSESSMENT

    # Round 2: asked, no answer; the timeout brings the assessment back.
    step(anna, report, "assess", {"assessment_decision": "need_information"}, "question 2")
    assert report.status == ReportStatus.AWAITING_REPORTER
    time_machine.move_to(timezone.now() + timedelta(days=22), tick=False)
    services.case_wake(case_id=report.case_id)
    report.refresh_from_db()
    report.case.refresh_from_db()
    assert report.case.status != CaseStatus.ERROR, report.case.error_message
    assert report.status == ReportStatus.ASSESSMENT
    assert Task.objects.filter(case=report.case, bpmn_id="assess",
                               state=TaskState.READY).count() == 1

    step(anna, report, "assess", {"assessment_decision": "recommend"})
    step(anna, report, "write_recommendation", {"release_confirmed": True}, "recommendation")
    assert report.status == ReportStatus.RECOMMENDATION
