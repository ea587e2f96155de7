"""A report through the whole committee workflow on the real engine:
acknowledgement, a question and an answer, a recommendation that only the
decision-maker can read, the decision, feedback and closure with a retention
date. The workflow data and the case events hold no content."""

import pytest
from django.utils import timezone

from cases.models import CaseEvent, Task, TaskState
from whistleblowing.models import ReportStatus
from whistleblowing.services import batch, reporting
from whistleblowing.services import committee as members_work

pytestmark = pytest.mark.django_db

SECRET = "CANARY-lifecycle-7f3a"


def open_task(report, bpmn_id):
    return Task.objects.get(case=report.case, bpmn_id=bpmn_id, state=TaskState.READY)


def step(member, report, bpmn_id, data, text=""):
    task = open_task(report, bpmn_id)
    members_work.step_complete(holder=member.holder, report=report, task_id=task.pk, data=data,
                            text=text)
    report.refresh_from_db()


def test_full_lifecycle(committee, report_form):
    anna, erik = committee["anna"], committee["erik"]
    report_form["what_happened"] = f"{SECRET} body"
    submission = reporting.report_submit(data=report_form)
    report = submission.report
    assert report.case is None  # the case starts in the batch, not at submission
    assert batch.reports_start_pending() == 1
    report.refresh_from_db()
    case = report.case
    assert case.title == "Report" and case.reporter is None and case.reference.startswith("VAR-")
    assert report.status == ReportStatus.RECEIVED
    assert report.ack_due == report.received_on + timezone.timedelta(days=7)

    step(anna, report, "acknowledge", {"acknowledgement_sent": True}, f"{SECRET} ack")
    assert report.status == ReportStatus.ASSESSMENT
    assert report.acknowledged_on == timezone.localdate()
    assert report.feedback_due is not None

    step(anna, report, "assess", {"assessment_decision": "need_information"},
         f"{SECRET} question")
    assert report.status == ReportStatus.AWAITING_REPORTER
    found, case_sk = reporting.reporter_unlock(receipt_text=submission.receipt)
    reporting.reporter_post(report_id=found.pk, text=f"{SECRET} answer")
    step(anna, report, "await_answer", {"answer_status": "answered"})
    assert report.status == ReportStatus.ASSESSMENT

    step(anna, report, "assess", {"assessment_decision": "recommend"})
    step(anna, report, "write_recommendation", {"release_confirmed": True},
         f"{SECRET} recommendation")
    assert report.status == ReportStatus.RECOMMENDATION
    view = members_work.decision_view(holder=erik.holder, private_key=erik.private_key,
                                   report=report)
    assert view.recommendation.data["text"] == f"{SECRET} recommendation"
    assert view.body is None and not view.conversation

    step(erik, report, "record_decision", {"decision": "measures"}, f"{SECRET} decision")
    assert report.status == ReportStatus.FEEDBACK
    step(anna, report, "give_feedback", {"feedback_sent": True}, f"{SECRET} feedback")
    assert report.status == ReportStatus.CLOSED
    assert report.purge_after is not None
    case.refresh_from_db()
    # Closed for the committee; the employer's check-ins with the reporter follow.
    assert case.status == "waiting"

    texts = [e.data.get("text") for e in reporting.reporter_entries(report=found,
                                                                     case_sk=case_sk)]
    assert f"{SECRET} ack" in texts and f"{SECRET} feedback" in texts
    assert f"{SECRET} recommendation" not in texts and f"{SECRET} decision" not in texts

    for event in CaseEvent.objects.filter(case=case):
        assert SECRET not in str(event.data)
    assert SECRET.encode() not in bytes(case.state)
