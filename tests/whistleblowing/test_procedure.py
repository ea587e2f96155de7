"""Issue 27: the channel as a complete procedure, driven through the real
engine with time moved: clocks that never stop, exclusions that hold,
keeping and deleting, and both people protected."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.calendar import shift_months
from cases.models import Case, Task, TaskState
from cases.services import cases_wake_due
from notifications.models import Kind, Notification, OutgoingEmail
from tests.conftest import make_user
from tests.whistleblowing.conftest import enroll, login_member, start_cases
from whistleblowing.exceptions import (
    MemberExcluded,
    NoAccess,
    NotWhistleblowingSecondMember,
    SecondMemberRequired,
    TextRequired,
)
from whistleblowing.models import (
    AuditEvent,
    CaseGrant,
    Entry,
    EntryKind,
    EntryShare,
    Exclusion,
    Outcome,
    PurgeCounter,
    Report,
    ReportStatus,
)
from whistleblowing.roles import COMMITTEE, DECISION_MAKER
from whistleblowing.services import committee as work
from whistleblowing.services import exclusions, grants, reporting
from whistleblowing.services.audit import audit_verify
from whistleblowing.services.retention import purge_expired

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")
RECEIVED = date(2027, 3, 1)


def at(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=OSLO),
                               tick=False)


def submit(report_form, day=RECEIVED, **kwargs):
    with at(day):
        submission = reporting.report_submit(data=report_form, **kwargs)
        start_cases()
    return Report.objects.get(pk=submission.report.pk), submission.receipt


def do_step(member, report, bpmn_id, data, text=""):
    task = Task.objects.get(case=report.case, bpmn_id=bpmn_id, state=TaskState.READY)
    work.step_complete(holder=member.holder, report=report, task_id=task.pk, data=data,
                       text=text)
    report.refresh_from_db()


def wake(day: date, hour: int = 17):
    with at(day, hour):
        cases_wake_due()


def received_by(kind) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


# 1. Clocks that never stop ------------------------------------------------------------------

def test_the_feedback_deadline_exists_from_arrival_and_overdue_work_escalates(
    committee, report_form, settings
):
    settings.VARDE_WB_OVERDUE_REPEAT_DAYS = 7
    settings.VARDE_WB_COMMITTEE_LEADER = "leder"
    settings.VARDE_WB_CHANNEL_RESPONSIBLE_EMAIL = "ansvarlig@example.org"
    make_user("leder", roles=[COMMITTEE])
    report, _receipt = submit(report_form)
    ack_due = RECEIVED + timedelta(days=7)
    assert report.ack_due == ack_due
    assert report.feedback_due == shift_months(ack_due, 3)
    holders = ["anna", "bjorn", "cecilie", "dag"]

    wake(ack_due - timedelta(days=3))
    assert received_by(Kind.REMINDER) == holders
    wake(ack_due)  # nobody acknowledged: members
    assert received_by(Kind.OVERDUE) == holders
    wake(ack_due + timedelta(days=1))  # no second notice the next day
    assert received_by(Kind.OVERDUE) == holders
    wake(ack_due + timedelta(days=7))  # repeats, and reaches the leader
    assert received_by(Kind.OVERDUE) == sorted(holders * 2 + ["leder"])
    assert not OutgoingEmail.objects.filter(to="ansvarlig@example.org").exists()
    wake(ack_due + timedelta(days=14))  # then the person responsible for the channel
    email = OutgoingEmail.objects.get(to="ansvarlig@example.org")
    report.refresh_from_db()
    for secret in (report_form["what_happened"], report.case.reference, str(report.uuid)):
        assert secret not in email.subject + email.body
    wake(ack_due + timedelta(days=21))  # and again: the clock never stops
    assert OutgoingEmail.objects.filter(to="ansvarlig@example.org").count() == 2
    assert AuditEvent.objects.filter(action="overdue_notice", chain=str(report.uuid)).count() == 4

    # The feedback clock ran all along, from arrival.
    Notification.objects.all().delete()
    wake(report.feedback_due - timedelta(days=14))
    assert set(received_by(Kind.REMINDER)) == set(holders)
    wake(report.feedback_due)
    assert set(holders) <= set(received_by(Kind.OVERDUE))
    case = Case.objects.get(pk=report.case_id)
    assert case.next_timer_at is not None  # still watched


@pytest.mark.parametrize("acknowledged_after, expected", [
    (1, shift_months(RECEIVED + timedelta(days=1), 3)),  # earlier: moved earlier
    (30, shift_months(RECEIVED + timedelta(days=7), 3)),  # late: never later
])
def test_acknowledgement_moves_the_feedback_deadline_earlier_never_later(
    committee, report_form, acknowledged_after, expected
):
    report, _receipt = submit(report_form)
    with at(RECEIVED + timedelta(days=acknowledged_after)):
        do_step(committee["anna"], report, "acknowledge", {"acknowledgement_sent": True}, "ok")
    assert report.feedback_due == expected
    task = Task.objects.get(case=report.case, bpmn_id="assess", state=TaskState.READY)
    assert task.due_at.astimezone(OSLO).date() == expected


def close_without_recommendation(committee, report, day=RECEIVED + timedelta(days=2)):
    anna = committee["anna"]
    with at(day):
        do_step(anna, report, "acknowledge", {"acknowledgement_sent": True}, "ack")
        do_step(anna, report, "assess", {"assessment_decision": "no_recommendation"})
        do_step(anna, report, "give_feedback", {"feedback_sent": True}, "feedback")


def test_a_case_closed_without_a_recommendation_reaches_the_employer_bare(
    committee, report_form, settings
):
    settings.VARDE_WB_NO_MEASURES_WORDING = "Varsel mottatt og vurdert. Ingen tiltak anbefalt."
    report, _receipt = submit(report_form)
    close_without_recommendation(committee, report)
    assert report.status == ReportStatus.CLOSED
    erik = committee["erik"]
    view = work.decision_view(holder=erik.holder, private_key=erik.private_key, report=report)
    assert view.employer_notice.data == {
        "no_measures": True, "wording": "Varsel mottatt og vurdert. Ingen tiltak anbefalt.",
    }
    assert view.recommendation is None and view.body is None and not view.conversation
    assert received_by(Kind.NEW_ACTIVITY) == ["erik"]
    employer = Client()
    login_member(employer, erik)
    page = employer.get(reverse("wb_committee:decision_case", args=[report.uuid]))
    assert "Ingen tiltak anbefalt" in page.content.decode()
    assert report_form["what_happened"] not in page.content.decode()


# 2. Exclusions that hold -------------------------------------------------------------------

def test_a_reporters_exclusion_can_never_be_undone(committee, report_form):
    dag, anna = committee["dag"], committee["anna"]
    report, _receipt = submit(report_form, excluded_holder_id=dag.holder.pk)
    assert Exclusion.objects.filter(report=report, holder=dag.holder, by="reporter").exists()
    with pytest.raises(MemberExcluded):
        grants.grant_access(granter=anna.holder, private_key=anna.private_key, report=report,
                            grantee=dag.holder)
    assert grants.grant_all(granter=anna.holder, private_key=anna.private_key,
                            grantee=dag.holder) == 0
    member = Client()
    login_member(member, anna)
    page = member.get(reverse("wb_committee:case", args=[report.uuid]))
    grant_form = page.content.decode().split('action="/komite/sak/')[1]
    assert f'value="{dag.holder.pk}"' not in grant_form.split("</form>")[0]
    response = member.post(reverse("wb_committee:grant", args=[report.uuid]),
                           {"holder": dag.holder.pk})
    assert response.status_code == 400
    assert not CaseGrant.objects.filter(report=report, holder=dag.holder).exists()


def test_a_conflicted_member_is_removed_from_the_page_and_the_reporter_is_told(
    committee, report_form
):
    anna, bjorn = committee["anna"], committee["bjorn"]
    report, receipt = submit(report_form)
    member = Client()
    login_member(member, anna)
    response = member.post(reverse("wb_committee:exclude", args=[report.uuid]),
                           {"holder": bjorn.holder.pk, "reason": "reported_person"})
    assert response.status_code == 302
    assert response.url == reverse("wb_committee:case", args=[report.uuid])
    # One member only proposes; a second member's approval excludes.
    assert CaseGrant.objects.filter(report=report, holder=bjorn.holder).exists()
    second = Client()
    login_member(second, committee["cecilie"])
    page = second.get(reverse("wb_committee:case", args=[report.uuid])).content.decode()
    assert 'id="exclusion-requests"' in page
    response = second.post(reverse("wb_committee:exclude", args=[report.uuid]),
                           {"holder": bjorn.holder.pk, "reason": "reported_person"})
    assert response.status_code == 302
    assert not CaseGrant.objects.filter(report=report, holder=bjorn.holder).exists()
    event = AuditEvent.objects.get(action="excluded", chain=str(report.uuid))
    assert event.detail == f"holder:{bjorn.holder.pk}:reported_person"
    with pytest.raises(NoAccess):
        work.case_open(holder=bjorn.holder, private_key=bjorn.private_key, report=report)
    with pytest.raises(MemberExcluded):
        grants.grant_access(granter=anna.holder, private_key=anna.private_key, report=report,
                            grantee=bjorn.holder)
    # The excluded member sees neither the case nor its trail.
    excluded = Client()
    login_member(excluded, bjorn)
    assert excluded.get(reverse("wb_committee:case", args=[report.uuid])).status_code == 404
    trail = excluded.get(reverse("wb_committee:audit")).content.decode()
    assert "reported_person" not in trail and str(report.uuid)[:8] not in trail
    # The reporter is told that a member was excluded, not who.
    reporter = Client()
    assert reporter.post(reverse("whistleblowing:login"), {"receipt": receipt}).status_code == 302
    page = reporter.get(reverse("whistleblowing:case")).content.decode()
    assert "a committee member was excluded from your case" in page
    assert "Bjørn" not in page and "bjorn" not in page


def test_revealing_the_identity_needs_two_members(committee, report_form):
    anna, bjorn, cecilie = committee["anna"], committee["bjorn"], committee["cecilie"]
    report, _receipt = submit(report_form | {"identity": "Kari, 555 01 234"})
    with pytest.raises(SecondMemberRequired):
        work.identity_reveal(holder=anna.holder, private_key=anna.private_key, report=report)
    work.identity_request(holder=anna.holder, report=report)
    with pytest.raises(SecondMemberRequired):
        work.identity_approve(holder=anna.holder, report=report)
    with pytest.raises(SecondMemberRequired):
        work.identity_reveal(holder=anna.holder, private_key=anna.private_key, report=report)
    member = Client()
    login_member(member, bjorn)
    response = member.post(reverse("wb_committee:identity", args=[report.uuid]),
                           {"action": "approve"})
    assert response.status_code == 302
    assert work.identity_reveal(holder=anna.holder, private_key=anna.private_key,
                                report=report) == "Kari, 555 01 234"
    page = member.post(reverse("wb_committee:identity", args=[report.uuid]),
                       {"action": "reveal"})
    assert "Kari, 555 01 234" in page.content.decode()
    with pytest.raises(SecondMemberRequired):  # a third member was not one of the two
        work.identity_reveal(holder=cecilie.holder, private_key=cecilie.private_key,
                             report=report)
    actions = list(AuditEvent.objects.filter(chain=str(report.uuid))
                   .values_list("action", flat=True))
    assert actions.count("identity_revealed") == 2
    assert "identity_reveal_requested" in actions and "identity_reveal_approved" in actions


def test_a_conflicted_decision_maker_can_be_excluded(committee, report_form):
    anna, erik = committee["anna"], committee["erik"]
    frida = enroll("frida", role=DECISION_MAKER)
    report, _receipt = submit(report_form)
    exclusions.member_exclude(actor=anna.holder, report=report, holder=erik.holder,
                              reason="conflict")
    with at(RECEIVED + timedelta(days=2)):
        do_step(anna, report, "acknowledge", {"acknowledgement_sent": True}, "ack")
        do_step(anna, report, "assess", {"assessment_decision": "recommend"})
        do_step(anna, report, "write_recommendation", {"release_confirmed": True}, "Measures.")
    recommendation = Entry.objects.get(report=report, kind=EntryKind.RECOMMENDATION)
    assert list(EntryShare.objects.filter(entry=recommendation)
                .values_list("holder__user__username", flat=True)) == ["frida"]
    with pytest.raises(NoAccess):
        work.decision_view(holder=erik.holder, private_key=erik.private_key, report=report)
    view = work.decision_view(holder=frida.holder, private_key=frida.private_key,
                              report=report)
    assert view.recommendation.data["text"] == "Measures."


# 3. Keeping and deleting -------------------------------------------------------------------

def test_not_whistleblowing_closes_with_where_to_go_and_a_deletion_date(
    committee, report_form, settings
):
    settings.VARDE_WB_NOT_WHISTLEBLOWING_RETENTION_DAYS = 90
    anna = committee["anna"]
    report, receipt = submit(report_form)
    closed_on = RECEIVED + timedelta(days=3)
    with at(closed_on):
        do_step(anna, report, "acknowledge", {"acknowledgement_sent": True}, "ack")
        with pytest.raises(TextRequired):
            do_step(anna, report, "assess", {"assessment_decision": "not_whistleblowing"})
        do_step(anna, report, "assess", {"assessment_decision": "not_whistleblowing"},
                "This is about your pay: contact HR or your union representative.")
        # One member cannot close it alone; the message waits for the second.
        assert report.status != ReportStatus.CLOSED
        assert Entry.objects.filter(report=report, sender="committee",
                                    visible_to_reporter=False).exists()
        with pytest.raises(NotWhistleblowingSecondMember):
            do_step(anna, report, "confirm_not_whistleblowing",
                    {"not_whistleblowing_confirmation": "close"})
        do_step(committee["bjorn"], report, "confirm_not_whistleblowing",
                {"not_whistleblowing_confirmation": "close"})
    assert report.status == ReportStatus.CLOSED
    assert report.outcome == Outcome.NOT_WHISTLEBLOWING
    assert report.purge_after == closed_on + timedelta(days=90)
    assert Case.objects.get(pk=report.case_id).status == "completed"
    assert not Entry.objects.filter(report=report, kind=EntryKind.EMPLOYER_NOTICE).exists()
    reporter = Client()
    with at(closed_on + timedelta(days=1)):
        reporter.post(reverse("whistleblowing:login"), {"receipt": receipt})
        page = reporter.get(reverse("whistleblowing:case")).content.decode()
    assert "contact HR or your union representative" in page
    assert 'id="not-whistleblowing"' in page and "Arbeidstilsynet" in page
    assert 'id="deletion-date"' in page
    from django.utils import dateformat, formats

    assert dateformat.format(report.purge_after, formats.get_format("DATE_FORMAT")) in page


def test_a_second_member_can_send_not_whistleblowing_back_to_assessment(
    committee, report_form
):
    anna, bjorn = committee["anna"], committee["bjorn"]
    report, receipt = submit(report_form)
    with at(RECEIVED + timedelta(days=3)):
        do_step(anna, report, "acknowledge", {"acknowledgement_sent": True}, "ack")
        do_step(anna, report, "assess", {"assessment_decision": "not_whistleblowing"},
                "Held back: go to HR.")
        do_step(bjorn, report, "confirm_not_whistleblowing",
                {"not_whistleblowing_confirmation": "reassess"})
    assert report.status != ReportStatus.CLOSED
    assert Task.objects.filter(case=report.case, bpmn_id="assess",
                               state=TaskState.READY).exists()
    reporter = Client()
    with at(RECEIVED + timedelta(days=4)):
        reporter.post(reverse("whistleblowing:login"), {"receipt": receipt})
        page = reporter.get(reverse("whistleblowing:case")).content.decode()
    assert "Held back: go to HR." not in page


def test_a_report_never_closed_is_deleted_and_only_a_count_remains(committee, report_form):
    abandoned, _receipt = submit(report_form)
    never_started = reporting.report_submit(data=report_form).report  # no case yet
    uuid = str(abandoned.uuid)
    assert AuditEvent.objects.filter(chain=uuid).exists()
    assert abandoned.purge_after == RECEIVED + timedelta(days=730)
    with at(date(2035, 1, 1)):
        purged = purge_expired()
    assert purged == 2
    assert not Report.objects.filter(pk__in=[abandoned.pk, never_started.pk]).exists()
    assert not Case.objects.filter(pk=abandoned.case_id).exists()
    assert not AuditEvent.objects.filter(report_uuid=uuid).exists()
    assert not AuditEvent.objects.filter(chain=uuid).exists()
    assert not AuditEvent.objects.filter(detail__contains=uuid[:8]).exists()
    assert AuditEvent.objects.get(action="purged").detail == "count:2"
    assert PurgeCounter.objects.get(year=2035).purged == 2
    assert audit_verify()


def test_activity_moves_an_open_reports_deletion_date(committee, report_form):
    report, _receipt = submit(report_form)
    later = RECEIVED + timedelta(days=400)
    with at(later):
        reporting.reporter_post(report_id=report.pk, text="Still here.")
    report.refresh_from_db()
    assert report.purge_after == later + timedelta(days=730)


# 4. Both people protected ------------------------------------------------------------------

def test_the_reported_person_is_heard_and_the_record_kept_from_the_reporter(
    committee, report_form
):
    anna = committee["anna"]
    report, receipt = submit(report_form)
    with at(RECEIVED + timedelta(days=10)):
        do_step(anna, report, "acknowledge", {"acknowledgement_sent": True}, "ack")
        do_step(anna, report, "assess", {"assessment_decision": "hear_reported_person"})
        do_step(anna, report, "hear_reported_person", {"heard_on": "2027-03-10"},
                "He was told of the accusation and denies it.")
    hearing = Entry.objects.get(report=report, kind=EntryKind.HEARING)
    assert hearing.visible_to_reporter is False
    view = work.case_open(holder=anna.holder, private_key=anna.private_key, report=report)
    assert view.hearings[0].data == {"text": "He was told of the accusation and denies it.",
                                     "heard_on": "2027-03-10"}
    assert Task.objects.filter(case=report.case, bpmn_id="assess",
                               state=TaskState.READY).exists()
    report_id, case_sk = reporting.reporter_unlock(receipt_text=receipt)[0].pk, \
        reporting.reporter_unlock(receipt_text=receipt)[1]
    texts = [e.data.get("text") for e in reporting.reporter_entries(
        report=Report.objects.get(pk=report_id), case_sk=case_sk)]
    assert "He was told of the accusation and denies it." not in texts


def test_the_employer_checks_in_with_the_reporter_after_closing(
    committee, report_form, settings
):
    settings.VARDE_WB_FOLLOWUP_ROUNDS = 2
    settings.VARDE_WB_FOLLOWUP_MONTHS = 3
    erik = committee["erik"]
    report, receipt = submit(report_form)
    closed_on = RECEIVED + timedelta(days=2)
    close_without_recommendation(committee, report, closed_on)
    first = shift_months(closed_on, 3)
    wake(first - timedelta(days=1))
    assert not Task.objects.filter(case=report.case, bpmn_id="employer_checkin").exists()
    wake(first)
    task = Task.objects.get(case=report.case, bpmn_id="employer_checkin", state=TaskState.READY)
    employer = Client()
    with at(first):
        login_member(employer, erik)
        dashboard = employer.get(reverse("wb_committee:dashboard")).content.decode()
        assert "Check-in with the reporter due" in dashboard
        response = employer.post(reverse("wb_committee:decision_case", args=[report.uuid]), {
            "step-checkin_sent": "on", "text-text": "How is your working environment now?",
        })
    assert response.status_code == 302, response.content.decode().split('id="main"')[-1][:3000]
    task.refresh_from_db()
    assert task.state == TaskState.COMPLETED
    found, case_sk = reporting.reporter_unlock(receipt_text=receipt)
    entries = reporting.reporter_entries(report=found, case_sk=case_sk)
    assert entries[-1].data["text"] == "How is your working environment now?"
    assert entries[-1].sender == "decision_maker"
    second = shift_months(first, 3)
    wake(second)
    task = Task.objects.get(case=report.case, bpmn_id="employer_checkin", state=TaskState.READY)
    with at(second):
        work.step_complete(holder=erik.holder, report=report, task_id=task.pk,
                           data={"checkin_sent": True}, text="A last check-in.")
    assert Case.objects.get(pk=report.case_id).status == "completed"


def test_a_message_after_closing_starts_a_linked_case(committee, report_form):
    anna, dag = committee["anna"], committee["dag"]
    report, receipt = submit(report_form, excluded_holder_id=dag.holder.pk)
    close_without_recommendation(committee, report)
    later = RECEIVED + timedelta(days=40)
    reporter = Client()
    with at(later):
        assert reporter.post(reverse("whistleblowing:login"),
                             {"receipt": receipt}).status_code == 302
        page = reporter.get(reverse("whistleblowing:case")).content.decode()
        assert 'id="after-closing"' in page
        response = reporter.post(reverse("whistleblowing:reply"),
                                 {"text": "My manager moved me to night shifts since."})
        assert response.status_code == 302
        start_cases()
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED
    assert not Entry.objects.filter(report=report, kind=EntryKind.MESSAGE,
                                    sender="reporter").exists()  # nothing silently stored
    child = Report.objects.get(parent=report)
    assert child.status == ReportStatus.RECEIVED and child.case_id is not None
    assert child.ack_due == later + timedelta(days=7)
    assert Exclusion.objects.filter(report=child, holder=dag.holder).exists()
    view = work.case_open(holder=anna.holder, private_key=anna.private_key, report=child)
    assert view.body.data["what_happened"] == "My manager moved me to night shifts since."
    with pytest.raises(NoAccess):
        work.case_open(holder=dag.holder, private_key=dag.private_key, report=child)
    with at(later):
        page = reporter.get(reverse("whistleblowing:case")).content.decode()
    assert "My manager moved me to night shifts since." in page
    # The first case waits for the linked one: the receipt must keep working.
    assert purge_expired(today=report.purge_after + timedelta(days=1)) == 0


def test_the_information_page_tells_the_reporter_what_the_law_gives(client, committee):
    page = client.get(reverse("whistleblowing:info")).content.decode()
    for text in ("§ 2 A-4", "prove that it did not happen", "§ 2 A-2", "Arbeidstilsynet",
                 "Datatilsynet", "kontradiksjon", "deleted 365 days after it closed",
                 "is deleted 90 days", "730 days"):
        assert text in page, text


def test_the_hearing_step_over_http_keeps_the_date_and_refuses_a_future_one(
    committee, report_form
):
    anna = committee["anna"]
    report, _receipt = submit(report_form)
    with at(RECEIVED + timedelta(days=1)):
        do_step(anna, report, "acknowledge", {"acknowledgement_sent": True}, "ack")
        do_step(anna, report, "assess", {"assessment_decision": "hear_reported_person"})
    task = Task.objects.get(case=report.case, bpmn_id="hear_reported_person",
                            state=TaskState.READY)
    member = Client()
    login_member(member, anna)
    url = reverse("wb_committee:step", args=[report.uuid, task.pk])
    page = member.get(url).content.decode()
    assert "Record of the hearing" in page
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    refused = member.post(url, {"step-heard_on": tomorrow, "text-text": "Heard."})
    assert refused.status_code == 400 and "Heard." in refused.content.decode()
    today = timezone.localdate().isoformat()
    done = member.post(url, {"step-heard_on": today, "text-text": "Heard; she disagrees."})
    assert done.status_code == 302
    view = work.case_open(holder=anna.holder, private_key=anna.private_key, report=report)
    assert view.hearings[0].data == {"text": "Heard; she disagrees.", "heard_on": today}
    assert "reported_person_heard" in AuditEvent.objects.filter(
        chain=str(report.uuid)).values_list("action", flat=True)


def test_cases_on_the_earlier_process_version_can_still_be_reminded(committee, report_form):
    """The old BPMN's service task ``whistleblowing.remind`` stays registered."""
    from cases.operations import run

    report, _receipt = submit(report_form)
    result = run("whistleblowing.remind", case=report.case,
                 params={"report": str(report.uuid), "deadline": "feedback", "days": 0})
    assert result == {"deadline": "feedback", "days": 0, "notified": 4}
    assert received_by(Kind.OVERDUE) == ["anna", "bjorn", "cecilie", "dag"]


def test_a_production_server_is_warned_when_escalation_has_nowhere_to_go(settings):
    from whistleblowing.checks import escalation_configured

    settings.DEBUG = False
    settings.VARDE_WB_COMMITTEE_LEADER = ""
    settings.VARDE_WB_CHANNEL_RESPONSIBLE_EMAIL = ""
    assert [w.id for w in escalation_configured(None)] == ["whistleblowing.W001",
                                                           "whistleblowing.W002"]
    settings.VARDE_WB_COMMITTEE_LEADER = "leder"
    settings.VARDE_WB_CHANNEL_RESPONSIBLE_EMAIL = "ansvarlig@example.org"
    assert escalation_configured(None) == []
