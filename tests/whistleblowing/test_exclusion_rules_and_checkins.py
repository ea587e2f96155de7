"""The rules that answer the audit of issue 27: excluding another member
takes two members, the last decision-maker stays, and the reporter's answer
to the employer's check-in goes to the employer while something new still
starts a linked case for the committee."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from cases.calendar import shift_months
from cases.models import Task, TaskState
from notifications.models import Kind, Notification
from tests.whistleblowing.conftest import login_member, start_cases
from tests.whistleblowing.test_audit_issue27 import (
    RECEIVED,
    at,
    close_without_recommendation,
    submit,
    wake,
)
from whistleblowing.exceptions import ExclusionNeedsSecondMember, LastDecisionMaker
from whistleblowing.models import AuditEvent, CaseGrant, Exclusion, Report
from whistleblowing.services import committee as work
from whistleblowing.services import exclusions
from whistleblowing.services.batch import activity_notices_send

pytestmark = pytest.mark.django_db


def test_excluding_another_member_takes_a_second_member(committee, report_form):
    anna, bjorn, cecilie = committee["anna"], committee["bjorn"], committee["cecilie"]
    report, _receipt = submit(report_form)
    with pytest.raises(ExclusionNeedsSecondMember):
        exclusions.member_exclude(actor=anna.holder, report=report, holder=bjorn.holder,
                                  reason="conflict")
    exclusions.exclusion_request(actor=anna.holder, report=report, holder=bjorn.holder,
                                 reason="reported_person")
    with pytest.raises(ExclusionNeedsSecondMember):  # the proposer cannot approve
        exclusions.member_exclude(actor=anna.holder, report=report, holder=bjorn.holder,
                                  reason="reported_person")
    assert CaseGrant.objects.filter(report=report, holder=bjorn.holder).exists()
    exclusions.member_exclude(actor=cecilie.holder, report=report, holder=bjorn.holder,
                              reason="reported_person")
    exclusion = Exclusion.objects.get(report=report, holder=bjorn.holder)
    assert exclusion.reason == "reported_person"
    assert not CaseGrant.objects.filter(report=report, holder=bjorn.holder).exists()
    actions = list(AuditEvent.objects.filter(chain=str(report.uuid))
                   .values_list("action", flat=True))
    assert "exclusion_requested" in actions and "excluded" in actions


def test_a_proposal_is_not_shown_to_the_member_concerned_who_may_step_down_alone(
    committee, report_form
):
    anna, bjorn = committee["anna"], committee["bjorn"]
    report, _receipt = submit(report_form)
    exclusions.exclusion_request(actor=anna.holder, report=report, holder=bjorn.holder,
                                 reason="conflict")
    concerned = Client()
    login_member(concerned, bjorn)
    page = concerned.get(reverse("wb_committee:case", args=[report.uuid])).content.decode()
    assert 'id="exclusion-requests"' not in page
    exclusions.member_exclude(actor=bjorn.holder, report=report, holder=bjorn.holder,
                              reason="self")
    assert not CaseGrant.objects.filter(report=report, holder=bjorn.holder).exists()
    assert not exclusions.pending_requests(report).exists()


def test_the_last_decision_maker_cannot_be_excluded(committee, report_form):
    anna, erik = committee["anna"], committee["erik"]
    report, _receipt = submit(report_form)
    with pytest.raises(LastDecisionMaker):
        exclusions.member_exclude(actor=anna.holder, report=report, holder=erik.holder,
                                  reason="conflict")
    member = Client()
    login_member(member, anna)
    response = member.post(reverse("wb_committee:exclude", args=[report.uuid]),
                           {"holder": erik.holder.pk, "reason": "conflict"})
    assert response.status_code == 400
    assert "only decision-maker left" in response.content.decode()
    assert not Exclusion.objects.filter(report=report, holder=erik.holder).exists()


def _checkin(committee, report_form):
    erik = committee["erik"]
    report, receipt = submit(report_form)
    closed_on = RECEIVED + timedelta(days=2)
    close_without_recommendation(committee, report, closed_on)
    first = shift_months(closed_on, 3)
    wake(first)
    task = Task.objects.get(case=report.case, bpmn_id="employer_checkin", state=TaskState.READY)
    with at(first):
        work.step_complete(holder=erik.holder, report=report, task_id=task.pk,
                           data={"checkin_sent": True}, text="How are things at work now?")
    return report, receipt, first


def test_an_answer_reaches_the_employer_and_the_committee_without_a_new_case(
    committee, report_form
):
    erik, anna = committee["erik"], committee["anna"]
    report, receipt, first = _checkin(committee, report_form)
    reporter = Client()
    with at(first + timedelta(days=1)):
        reporter.post(reverse("whistleblowing:login"), {"receipt": receipt})
        page = reporter.get(reverse("whistleblowing:case")).content.decode()
        assert 'id="checkin-pending"' in page and 'name="new_matter"' in page
        reporter.post(reverse("whistleblowing:reply"), {"text": "Fine now, thank you."})
        start_cases()
        Notification.objects.all().delete()
        activity_notices_send()
    assert not Report.objects.filter(parent=report).exists()
    notified = set(Notification.objects.filter(kind=Kind.NEW_ACTIVITY)
                   .values_list("user__username", flat=True))
    assert {"erik", "anna"} <= notified
    view = work.decision_view(holder=erik.holder, private_key=erik.private_key, report=report)
    assert [item.data["text"] for item in view.followup] == [
        "How are things at work now?", "Fine now, thank you."]
    member = Client()
    login_member(member, erik)
    page = member.get(reverse("wb_committee:decision_case", args=[report.uuid]))
    assert "Fine now, thank you." in page.content.decode()
    texts = [m.data.get("text") for m in work.case_open(
        holder=anna.holder, private_key=anna.private_key, report=report).conversation]
    assert "Fine now, thank you." in texts
    # The next message is no longer an answer: it starts a linked case.
    with at(first + timedelta(days=2)):
        reporter.post(reverse("whistleblowing:login"), {"receipt": receipt})
        reporter.post(reverse("whistleblowing:reply"), {"text": "Moved to nights."})
    assert Report.objects.filter(parent=report).count() == 1


def test_something_new_during_a_checkin_starts_a_linked_case_for_the_committee(
    committee, report_form
):
    erik = committee["erik"]
    report, receipt, first = _checkin(committee, report_form)
    reporter = Client()
    with at(first + timedelta(days=1)):
        reporter.post(reverse("whistleblowing:login"), {"receipt": receipt})
        reporter.post(reverse("whistleblowing:reply"),
                      {"text": "A warning letter after I reported.", "new_matter": "on"})
        start_cases()
    child = Report.objects.get(parent=report)
    assert child.case_id is not None
    view = work.decision_view(holder=erik.holder, private_key=erik.private_key, report=report)
    assert [item.data["text"] for item in view.followup] == ["How are things at work now?"]
