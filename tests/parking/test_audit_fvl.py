"""The auditor's findings on near-parking against forvaltningsloven and the
GDPR (issue 25), each driven through the real engine, services and pages:
health sub-scores only for the physiotherapists and the applicant; the
first-instance decider never handles the appeal; a disqualified person gets
no content; the appeal period from delivery, with the day arithmetic of
domstolloven §§ 148-149; and the rest of the audit."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.calendar import OSLO, is_working_day
from cases.exceptions import Disqualified, FourEyesViolation, NotAllowed
from cases.models import TaskState
from org.services import language_set
from parking.models import Decision, ReadKind
from parking.roles import PARKING_APPEAL_BODY, PARKING_OFFICER
from parking.services.applications import appeal_submit, assessment_submit
from parking.services.documents import document_read, health_data_read
from tests.conftest import make_user
from tests.parking.conftest import complete, ready, score

pytestmark = pytest.mark.django_db

# The assessment form's level labels and the rows of the score table: health
# information (the functional limitation and what follows from it).
SUB_SCORE_MARKERS = ("4 – walks less than 50 metres", "4 / 5",
                     "1 – somewhat beyond what the applicant can walk")


@pytest.fixture
def kari(units):
    user = make_user("kari", first_name="Kari", last_name="Nordmann",
                     email="kari@example.no", units=[units["ivt"]])
    # Her letters are written in her language (språklova § 15); these tests read English.
    language_set(user=user, language="en")
    return user


def assessed(app, staff, **scores):
    complete(staff["officer"], app.case, "completeness_check", {"completeness": "complete"})
    assessment_submit(actor=staff["physio"], task_id=ready(app.case, "assess").pk,
                      data=score(**scores), note="Walks 40 m with crutches.")


def rejected(app, staff, **scores):
    assessed(app, staff, **scores)
    complete(staff["officer"], app.case, "allocate",
             {"allocation_decision": "reject", "decision_reasons": "Low score."})
    return Decision.objects.filter(application=app).order_by("-pk").first()


def forwarded(app, staff, kari, reviewer="officer2", answer=True, **scores):
    """Appeal, new assessment, review: sent to the appeal body. With
    ``answer`` the applicant answers the statement, so the body may decide."""
    appeal_submit(actor=kari, application_id=app.pk, grounds="My knee is worse.",
                  uploads=[], kind="doctor_statement")
    complete(staff["physio2"], app.case, "reassess", score(**(scores or {"function": "1"})))
    complete(staff[reviewer], app.case, "review_appeal",
             {"appeal_review": "forward", "decision_reasons": "Kept: criteria not met."})
    if answer:
        answered(app, kari)
    return ready(app.case, "appeal_body_decision")


def answered(app, applicant):
    from parking.services.applications import appeal_comment_submit

    appeal_comment_submit(actor=applicant, application_id=app.pk, comment="Nothing to add.")


# 1. Health sub-scores only for the physiotherapists and the applicant.

def test_officer_and_appeal_body_see_no_health_sub_scores_in_history_or_letters(
    client, apply, kari, staff
):
    app = apply(kari)
    decision = rejected(app, staff, function="4", distance="1", days="2")
    # So that the appeal body has the case before it; the same scores again.
    forwarded(app, staff, kari, function="4", distance="1", days="2")
    for who in ("officer", "board"):
        client.force_login(staff[who])
        history = client.get(reverse("cases:detail", args=[app.case.reference]))
        assert history.status_code == 200
        text = history.content.decode()
        assert "Score: 7 of 10" in text  # the total stays
        for marker in SUB_SCORE_MARKERS:
            assert marker not in text, (who, marker)
        letter = client.get(reverse("parking:letter", args=[decision.pk])).content.decode()
        assert "Score: 7 of 10" in letter and "4 / 5" not in letter, who
        assert "1 / 2" not in letter, who
    # The completed assessment's own page shows the officer no answers either.
    client.force_login(staff["officer"])
    assess = app.case.tasks.get(bpmn_id="assess")
    page = client.get(reverse("cases:task", args=[assess.pk])).content.decode()
    assert "4 – walks less than 50 metres" not in page

    client.force_login(staff["physio"])
    text = client.get(reverse("cases:detail", args=[app.case.reference])).content.decode()
    assert "4 – walks less than 50 metres" in text  # the assessor's History keeps them
    client.force_login(kari)
    letter = client.get(reverse("parking:letter", args=[decision.pk])).content.decode()
    assert "4 / 5" in letter  # the applicant's own letter has the breakdown (fvl. § 25)


# 2. The first-instance decider never handles or decides the appeal.

def test_the_first_instance_decider_cannot_decide_the_appeal(apply, kari, staff, units):
    boss = make_user("boss", roles=[PARKING_OFFICER, PARKING_APPEAL_BODY])
    app = apply(kari)
    assessed(app, staff, function="1", distance="0", days="0")
    complete(boss, app.case, "allocate",
             {"allocation_decision": "reject", "decision_reasons": "Low score."})
    body_task = forwarded(app, staff, kari)
    with pytest.raises((Disqualified, FourEyesViolation)):
        services.task_claim(actor=boss, task_id=body_task.pk)
    with pytest.raises((Disqualified, FourEyesViolation)):
        services.task_complete(actor=boss, task_id=body_task.pk, data={
            "appeal_result": "dismissed", "decision_reasons": "I stand by it."})
    services.task_complete(actor=staff["board"], task_id=body_task.pk, data={
        "appeal_result": "dismissed", "decision_reasons": "The criteria are not met."})


def test_the_first_instance_reviewer_cannot_decide_the_appeal(apply, kari, staff):
    reviewer = make_user("reviewer", roles=[PARKING_OFFICER, PARKING_APPEAL_BODY])
    staff = {**staff, "reviewer": reviewer}
    app = apply(kari)
    rejected(app, staff, function="1", distance="0", days="0")
    body_task = forwarded(app, staff, kari, reviewer="reviewer")
    with pytest.raises((Disqualified, FourEyesViolation)):
        services.task_claim(actor=reviewer, task_id=body_task.pk)


def test_the_decider_cannot_decide_a_late_appeal_in_its_own_case(
    apply, kari, staff, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    boss = make_user("boss", roles=[PARKING_OFFICER, PARKING_APPEAL_BODY])
    app = apply(kari)
    assessed(app, staff, function="1", distance="0", days="0")
    complete(boss, app.case, "allocate",
             {"allocation_decision": "reject", "decision_reasons": "Low score."})
    decision = Decision.objects.get(application=app)
    time_machine.move_to(decision.appeal_deadline + timedelta(days=3), tick=False)
    services.cases_wake_due()
    appeal = appeal_submit(actor=kari, application_id=app.pk, grounds="I was ill.",
                           uploads=[], kind="doctor_statement")
    body_task = ready(appeal.case, "appeal_body_decision")
    with pytest.raises((Disqualified, FourEyesViolation)):
        services.task_claim(actor=boss, task_id=body_task.pk)
    services.task_claim(actor=staff["board"], task_id=body_task.pk)


# 3. A disqualified physiotherapist gets no content.

def test_a_physiotherapist_who_declared_a_conflict_reads_nothing(client, apply, kari, staff):
    app = apply(kari)
    complete(staff["officer"], app.case, "completeness_check", {"completeness": "complete"})
    assess = ready(app.case, "assess")
    document = app.documents.get()
    assert document_read(reader=staff["physio"], document_id=document.pk)  # before
    services.task_declare_disqualified(actor=staff["physio"], task_id=assess.pk,
                                       reason="Kari is my sister.")
    with pytest.raises(PermissionDenied):
        document_read(reader=staff["physio"], document_id=document.pk)
    with pytest.raises(PermissionDenied):
        health_data_read(reader=staff["physio"], application=app, what=ReadKind.APPLICATION)
    client.force_login(staff["physio"])
    assert client.get(reverse("parking:document", args=[document.pk])).status_code == 404
    page = client.get(reverse("parking:assess", args=[assess.pk]))
    assert "I can walk about 100 metres" not in page.content.decode()
    # A colleague still reads and assesses.
    assert document_read(reader=staff["physio2"], document_id=document.pk)
    assessment_submit(actor=staff["physio2"], task_id=assess.pk, data=score(function="3"))
    client.force_login(staff["physio"])
    text = client.get(reverse("cases:detail", args=[app.case.reference])).content.decode()
    assert "3 – walks 50 to 200 metres" not in text  # nor the sub-scores in the History


# 8. The appeal period: three weeks from delivery; a last day on a weekend or
# public holiday moves to the next working day (domstolloven § 149).

def _next_saturday_morning():
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() != 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(10, 0), tzinfo=OSLO)


def test_an_appeal_on_the_working_day_after_a_weekend_deadline_is_in_time(
    apply, kari, staff, time_machine
):
    time_machine.move_to(_next_saturday_morning(), tick=False)
    app = apply(kari)
    decision = rejected(app, staff, function="0", distance="0", days="0")
    last_day = timezone.localdate() + timedelta(days=21)  # a Saturday
    while not is_working_day(last_day):
        last_day += timedelta(days=1)
    assert timezone.localtime(decision.appeal_deadline).date() == last_day
    filed = datetime.combine(last_day, time(15, 0), tzinfo=OSLO)
    time_machine.move_to(filed, tick=False)
    services.cases_wake_due()
    assert ready(app.case, "appeal")
    appeal = appeal_submit(actor=kari, application_id=app.pk, grounds="In time.",
                           uploads=[], kind="doctor_statement")
    assert not appeal.late and appeal.case == app.case


def test_an_appeal_on_the_last_day_is_in_time_and_the_next_day_late(
    apply, kari, staff, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    app = apply(kari)
    decision = rejected(app, staff, function="0", distance="0", days="0")
    last = timezone.localtime(decision.appeal_deadline)
    time_machine.move_to(last - timedelta(minutes=5), tick=False)
    services.cases_wake_due()
    assert ready(app.case, "appeal").state == TaskState.READY
    time_machine.move_to(last + timedelta(minutes=5), tick=False)
    services.cases_wake_due()
    assert not app.case.tasks.filter(bpmn_id="appeal", state=TaskState.READY).exists()


def test_appeal_body_cannot_decide_the_first_instance_review(apply, kari, staff):
    """The appeal body's role alone does not let its members prepare the appeal."""
    app = apply(kari)
    rejected(app, staff, function="1", distance="0", days="0")
    appeal_submit(actor=kari, application_id=app.pk, grounds="Worse.", uploads=[],
                  kind="doctor_statement")
    complete(staff["physio2"], app.case, "reassess", score(function="1"))
    with pytest.raises(NotAllowed):
        complete(staff["board"], app.case, "review_appeal",
                 {"appeal_review": "forward", "decision_reasons": "x"})


def test_an_appeal_before_the_letter_was_opened_is_in_time(
    client, apply, staff, units, time_machine
):
    """Without an e-mail notice the decision reaches the applicant when they
    read it: going straight to the appeal page is reading it, so the appeal
    is in time, not refused as late."""
    time_machine.move_to(timezone.now(), tick=False)
    olav = make_user("olav", units=[units["ivt"]])  # no e-mail address
    app = apply(olav)
    decision = rejected(app, staff, function="0", distance="0", days="0")
    assert decision.delivered_at is None
    time_machine.move_to(timezone.now() + timedelta(days=30), tick=False)
    services.cases_wake_due()
    client.force_login(olav)
    page = client.get(reverse("parking:appeal", args=[app.pk]))
    assert page.status_code == 200 and not page.context["late"]
    appeal = appeal_submit(actor=olav, application_id=app.pk, grounds="In time.",
                           uploads=[], kind="doctor_statement")
    assert not appeal.late and appeal.case == app.case
    decision.refresh_from_db()
    assert decision.delivered_at is not None
    assert ready(app.case, "reassess")


def test_an_appeal_service_call_delivers_an_unread_decision(apply, staff, units, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    olav = make_user("olav", units=[units["ivt"]])
    app = apply(olav)
    rejected(app, staff, function="0", distance="0", days="0")
    time_machine.move_to(timezone.now() + timedelta(days=40), tick=False)
    appeal = appeal_submit(actor=olav, application_id=app.pk, grounds="In time.",
                           uploads=[], kind="doctor_statement")
    assert not appeal.late


# 10. No bare outcome codes on the case page.

def test_case_page_shows_the_outcome_translated(client, apply, kari, staff, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    app = apply(kari)
    assessed(app, staff, function="2", distance="1", days="1")
    complete(staff["officer"], app.case, "allocate",
             {"allocation_decision": "waitlist", "decision_reasons": "No free spot."})
    decision = Decision.objects.get(application=app)
    time_machine.move_to(decision.appeal_deadline + timedelta(minutes=1), tick=False)
    services.cases_wake_due()
    app.case.refresh_from_db()
    assert app.case.outcome == "waitlisted"
    for who in (staff["officer"], kari):
        client.force_login(who)
        text = client.get(reverse("cases:detail", args=[app.case.reference])).content.decode()
        assert "(waitlisted)" not in text and "(Waiting list)" in text
    language_set(user=kari, language="nb")  # her choice, kept on her profile
    text = client.get(reverse("cases:detail", args=[app.case.reference])).content.decode()
    assert "(Venteliste)" in text


# 9. The purge of health information runs by itself, as background jobs.

def test_health_data_is_purged_by_the_worker_after_the_appeal_period(
    apply, kari, staff, time_machine, run_worker
):
    time_machine.move_to(timezone.now(), tick=False)
    app = apply(kari)
    decision = rejected(app, staff, function="0", distance="0", days="0")
    run_worker()  # nothing due yet: the jobs wait for their time
    app.refresh_from_db()
    assert app.health_data_deleted_at is None and app.documents.exists()
    time_machine.move_to(decision.appeal_deadline + timedelta(minutes=5), tick=False)
    run_worker()  # the appeal period ends (wake_case), then the purge
    app.refresh_from_db()
    assert app.case.status == "completed"
    assert app.health_data_deleted_at is not None and not app.documents.exists()


def test_an_appeal_decision_schedules_the_purge(apply, kari, staff, run_worker):
    app = apply(kari)
    rejected(app, staff, function="1", distance="0", days="0")
    body_task = forwarded(app, staff, kari)
    run_worker()
    app.refresh_from_db()
    assert app.health_data_deleted_at is None  # the appeal is open
    services.task_complete(actor=staff["board"], task_id=body_task.pk, data={
        "appeal_result": "dismissed", "decision_reasons": "The criteria are not met."})
    run_worker()
    app.refresh_from_db()
    assert app.health_data_deleted_at is not None
    assert app.appeals.get().grounds == ""


# 7. The appeal body: a paged list of the appeals before it, and no other case.

def _forwarded_appeal_of(name, apply, staff, units, zone="gloshaugen-a"):
    person = make_user(name, email=f"{name}@example.no", units=[units["ivt"]])
    app = apply(person, zone=zone)
    rejected(app, staff, function="0", distance="0", days="0")
    forwarded(app, staff, person)
    return app


def test_appeal_body_lists_only_the_appeals_before_it_and_sees_no_other_case(
    client, apply, kari, staff, units, django_assert_max_num_queries
):
    plain = apply(kari)  # an application without an appeal
    appealed = _forwarded_appeal_of("per", apply, staff, units)
    client.force_login(staff["board"])
    assert client.get(reverse("cases:detail", args=[plain.case.reference])).status_code == 404
    assert client.get(reverse("cases:detail", args=[appealed.case.reference])
                      ).status_code == 200
    page = client.get(reverse("parking:appeal_body"))
    assert page.status_code == 200
    text = page.content.decode()
    assert appealed.case.reference in text and plain.case.reference not in text

    with django_assert_max_num_queries(12) as one:
        client.get(reverse("parking:appeal_body"))
    for i, zone in enumerate(("gloshaugen-b", "kalvskinnet")):
        _forwarded_appeal_of(f"ola{i}", apply, staff, units, zone=zone)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("parking:appeal_body"))
    assert len(page.context["page_obj"].object_list) == 3

    for who in ("officer", "physio"):
        client.force_login(staff[who])
        assert client.get(reverse("parking:appeal_body")).status_code == 403
    client.force_login(kari)
    assert client.get(reverse("parking:appeal_body")).status_code == 403


# 6. The applicant sees the first instance's statement to the appeal body and
# may comment on it before the appeal body decides (fvl. §§ 17, 18 and 33).

def test_applicant_sees_the_statement_sent_to_the_appeal_body_and_may_comment(
    client, apply, kari, staff
):
    from parking.services.applications import appeal_comment_submit

    app = apply(kari)
    rejected(app, staff, function="1", distance="0", days="0")
    body_task = forwarded(app, staff, kari, answer=False)
    client.force_login(kari)
    text = client.get(reverse("parking:application", args=[app.pk])).content.decode()
    assert "Kept: criteria not met." in text
    assert "Klagenemnda" in text  # which appeal body has it
    response = client.post(reverse("parking:appeal_comment", args=[app.pk]),
                           {"comment-comment": "The statement overlooks my new statement."})
    assert response.status_code == 302
    assert app.appeals.get().applicant_comment == "The statement overlooks my new statement."
    client.force_login(staff["board"])
    page = client.get(reverse("cases:task", args=[body_task.pk])).content.decode()
    assert "The statement overlooks my new statement." in page
    services.task_complete(actor=staff["board"], task_id=body_task.pk, data={
        "appeal_result": "dismissed", "decision_reasons": "The criteria are not met."})
    from parking.services.applications import CommentNotPossible
    with pytest.raises(CommentNotPossible):  # decided: too late to comment
        appeal_comment_submit(actor=kari, application_id=app.pk, comment="More.")


# 4. A partial reversal by the first instance sends the rest to the appeal body
# unless the applicant withdraws it.

def _partly_reversed(app, staff, kari):
    """A refusal in a full zone, changed on appeal to a place on the waiting list."""
    rejected(app, staff, function="1", distance="0", days="0")
    appeal_submit(actor=kari, application_id=app.pk, grounds="I need a permit.",
                  uploads=[], kind="doctor_statement")
    complete(staff["physio2"], app.case, "reassess", score(function="2"))
    complete(staff["officer2"], app.case, "review_appeal", {
        "appeal_review": "reverse", "allocation_decision": "waitlist",
        "decision_reasons": "A place on the waiting list, not a permit."})
    return Decision.objects.filter(application=app).order_by("-pk").first()


def _full_zone(apply, staff, units, zone="kalvskinnet"):
    holder = make_user("holder", email="holder@example.no", units=[units["ivt"]])
    first = apply(holder, zone=zone)
    assessed(first, staff)
    complete(staff["officer"], first.case, "allocate", {"allocation_decision": "grant"})


def test_a_partial_reversal_goes_on_to_the_appeal_body(apply, kari, staff, units,
                                                       time_machine, client):
    time_machine.move_to(timezone.now(), tick=False)
    _full_zone(apply, staff, units)
    app = _partly_reversed(app=apply(kari, zone="kalvskinnet"), staff=staff, kari=kari)
    assert app is not None
    reversal = app
    assert (reversal.outcome, reversal.appeal_result) == ("waitlisted", "reversed")
    application = reversal.application
    keep = ready(application.case, "keep_appeal")
    assert keep.assignee == kari
    client.force_login(kari)
    letter = client.get(reverse("parking:letter", args=[reversal.pk])).content.decode()
    assert "justified only in part" in letter
    page = client.get(reverse("parking:application", args=[application.pk])).content.decode()
    assert reverse("cases:task", args=[keep.pk]) in page
    assert client.get(reverse("cases:task", args=[keep.pk])).status_code == 200
    # Without an answer, the rest of the appeal goes on (it is not withdrawn).
    time_machine.move_to(keep.due_at + timedelta(minutes=1), tick=False)
    services.cases_wake_due()
    body_task = ready(application.case, "appeal_body_decision")
    assert application.appeals.get().forwarded_at is not None
    services.task_complete(actor=staff["board"], task_id=body_task.pk, data={
        "appeal_result": "dismissed",
        "decision_reasons": "The waiting list is right while the zone is full."})
    final = Decision.objects.filter(application=application).order_by("-pk").first()
    # The partial reversal stands (not the refusal appealed).
    assert (final.by_appeal_body, final.outcome) == (True, "waitlisted")


def test_the_applicant_may_withdraw_the_rest_after_a_partial_reversal(apply, kari, staff):
    reversal = _partly_reversed(app=apply(kari), staff=staff, kari=kari)
    application = reversal.application
    services.task_complete(actor=kari, task_id=ready(application.case, "keep_appeal").pk,
                           data={"keep_appeal": "withdraw"})
    application.case.refresh_from_db()
    assert application.case.status == "completed"
    assert not application.case.tasks.filter(bpmn_id="appeal_body_decision").exists()


# 5. Every decision against the applicant can be appealed: revocation and a
# closed application after a declined offer too.

def test_a_revocation_can_be_appealed_and_goes_to_the_first_instance_then_the_body(
    apply, kari, staff, time_machine, client
):
    time_machine.move_to(timezone.now(), tick=False)
    app = apply(kari, zone="kalvskinnet")
    assessed(app, staff, function="3", distance="2", days="2")
    complete(staff["officer"], app.case, "allocate", {"allocation_decision": "grant"})
    complete(staff["officer"], app.case, "permit_active", {"revocation_reason": "Unused."})
    permit = app.permits.get()
    time_machine.move_to(permit.revocation_reply_due + timedelta(minutes=1), tick=False)
    services.cases_wake_due()
    complete(staff["officer"], app.case, "decide_revocation",
             {"revocation_decision": "revoke", "decision_reasons": "Not used."})
    revocation = Decision.objects.filter(application=app).order_by("-pk").first()
    assert revocation.outcome == "revoked" and revocation.appeal_deadline
    client.force_login(kari)
    letter = client.get(reverse("parking:letter", args=[revocation.pk])).content.decode()
    assert "Appeal in Varde" in letter
    page = client.get(reverse("parking:application", args=[app.pk])).content.decode()
    assert reverse("parking:appeal", args=[app.pk]) in page
    assert client.get(reverse("parking:appeal", args=[app.pk])).status_code == 200
    appeal = appeal_submit(actor=kari, application_id=app.pk, grounds="I used it daily.",
                           uploads=[], kind="other")
    assert not appeal.late and appeal.case is not None and appeal.decision == revocation
    review = ready(appeal.case, "review_appeal")
    with pytest.raises(Disqualified):  # the officer who revoked does not review
        services.task_claim(actor=staff["officer"], task_id=review.pk)
    complete(staff["officer2"], appeal.case, "review_appeal",
             {"appeal_review": "forward", "decision_reasons": "The log shows no use."})
    answered(app, kari)
    complete(staff["board"], appeal.case, "appeal_body_decision", {
        "appeal_result": "dismissed", "decision_reasons": "The revocation stands."})
    final = Decision.objects.filter(application=app).order_by("-pk").first()
    assert (final.by_appeal_body, final.outcome, final.appeal_result) == (
        True, "revoked", "dismissed")
    letter = client.get(reverse("parking:letter", args=[final.pk])).content.decode()
    assert "Decision on your appeal about near-parking" in letter
    assert "The appeal is not allowed." in letter and "revoked from today" not in letter
    appeal.case.refresh_from_db()
    assert appeal.case.status == "completed"


def test_a_revocation_reversed_by_the_first_instance_grants_again(
    apply, kari, staff, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    app = apply(kari, zone="kalvskinnet")
    assessed(app, staff, function="3", distance="2", days="2")
    complete(staff["officer"], app.case, "allocate", {"allocation_decision": "grant"})
    complete(staff["officer"], app.case, "permit_active", {"revocation_reason": "Unused."})
    time_machine.move_to(app.permits.get().revocation_reply_due + timedelta(minutes=1),
                         tick=False)
    services.cases_wake_due()
    complete(staff["officer"], app.case, "decide_revocation",
             {"revocation_decision": "revoke", "decision_reasons": "Not used."})
    appeal = appeal_submit(actor=kari, application_id=app.pk, grounds="I used it daily.",
                           uploads=[], kind="other")
    complete(staff["officer2"], appeal.case, "review_appeal", {
        "appeal_review": "reverse", "allocation_decision": "grant",
        "decision_reasons": "The operator's log was wrong."})
    final = Decision.objects.filter(application=app).order_by("-pk").first()
    assert (final.outcome, final.appeal_result) == ("granted", "reversed")
    assert ready(appeal.case, "permit_active")


def test_closing_after_a_declined_offer_can_be_appealed(apply, staff, units, time_machine):
    from parking.models import Offer

    time_machine.move_to(timezone.now(), tick=False)
    holder = make_user("holder", email="h@example.no", units=[units["ivt"]])
    waiting = make_user("waiting", email="w@example.no", units=[units["ivt"]])
    first = apply(holder, zone="kalvskinnet")
    assessed(first, staff)
    complete(staff["officer"], first.case, "allocate", {"allocation_decision": "grant"})
    second = apply(waiting, zone="kalvskinnet")
    assessed(second, staff)
    complete(staff["officer"], second.case, "allocate",
             {"allocation_decision": "waitlist", "decision_reasons": "Full."})
    permit = first.permits.get()
    time_machine.move_to(permit_expiry(permit) + timedelta(minutes=1), tick=False)
    services.cases_wake_due()
    offer = Offer.objects.get(application=second)
    complete(staff["officer"], offer.case, "offer_spot", {"offer_decision": "decline"})
    declined = Decision.objects.filter(application=second).order_by("-pk").first()
    assert declined.outcome == "declined"
    appeal = appeal_submit(actor=waiting, application_id=second.pk,
                           grounds="I never declined.", uploads=[], kind="other")
    assert not appeal.late and ready(appeal.case, "review_appeal")


def permit_expiry(permit):
    from parking.dates import expiry_moment

    return expiry_moment(permit.valid_to)


def test_a_partial_grant_can_be_appealed_and_the_full_term_granted(
    apply, kari, staff, time_machine, client
):
    """A six-month permit where twelve were applied for is partly a refusal:
    its letter gives the appeal deadline, and the appeal may widen it."""
    from parking.dates import MAX_PERMIT_MONTHS, add_months

    time_machine.move_to(timezone.now(), tick=False)
    app = apply(kari)
    assessed(app, staff, function="3", distance="2", days="2", temporary=True)
    complete(staff["officer"], app.case, "allocate", {"allocation_decision": "grant"})
    grant = Decision.objects.get(application=app)
    short = grant.permit
    assert grant.outcome == "granted" and grant.appeal_deadline is not None
    assert short.valid_to < add_months(short.valid_from, MAX_PERMIT_MONTHS) - timedelta(days=1)
    client.force_login(kari)
    assert "Appeal in Varde" in client.get(
        reverse("parking:letter", args=[grant.pk])).content.decode()
    appeal = appeal_submit(actor=kari, application_id=app.pk, grounds="It is permanent.",
                           uploads=[], kind="doctor_statement")
    assert not appeal.late and appeal.case != app.case
    complete(staff["officer2"], appeal.case, "review_appeal", {
        "appeal_review": "reverse", "allocation_decision": "grant",
        "decision_reasons": "The need is permanent: a permit for the full term."})
    final = Decision.objects.filter(application=app).order_by("-pk").first()
    assert (final.outcome, final.appeal_result) == ("granted", "reversed")
    assert final.permit.valid_to == add_months(final.permit.valid_from,
                                               MAX_PERMIT_MONTHS) - timedelta(days=1)
    short.refresh_from_db()
    assert short.status == "expired" and short.end_reason == "replaced"
    assert ready(appeal.case, "permit_active")


def test_the_appeal_body_waits_for_the_applicants_answer_to_the_statement(
    apply, kari, staff, time_machine
):
    """fvl. § 17: the applicant is given the first instance's statement and
    time to answer it before the appeal body decides: a week, or until
    they answer."""
    from cases.exceptions import InvalidTaskData
    from parking.conf import statement_comment_days
    from parking.services.applications import appeal_comment_submit

    time_machine.move_to(timezone.now(), tick=False)
    app = apply(kari)
    rejected(app, staff, function="1", distance="0", days="0")
    body_task = forwarded(app, staff, kari, answer=False)
    decide = {"appeal_result": "dismissed", "decision_reasons": "Not met."}
    with pytest.raises(InvalidTaskData):
        services.task_complete(actor=staff["board"], task_id=body_task.pk, data=decide)
    time_machine.move_to(timezone.now() + timedelta(days=statement_comment_days(), hours=1),
                         tick=False)
    services.task_complete(actor=staff["board"], task_id=body_task.pk, data=decide)

    other = make_user("other", email="o@example.no", units=[kari.unit_memberships.get().unit])
    second = apply(other, zone="gloshaugen-b")
    rejected(second, staff, function="1", distance="0", days="0")
    second_task = forwarded(second, staff, other, answer=False)
    appeal_comment_submit(actor=other, application_id=second.pk, comment="Nothing to add.")
    services.task_complete(actor=staff["board"], task_id=second_task.pk, data=decide)


def test_an_officer_who_declared_a_conflict_does_not_read_the_appeal_grounds(
    apply, kari, staff
):
    from parking.services.documents import appeal_grounds_read

    app = apply(kari)
    rejected(app, staff, function="1", distance="0", days="0")
    appeal_submit(actor=kari, application_id=app.pk, grounds="My knee is worse.",
                  uploads=[], kind="doctor_statement")
    complete(staff["physio2"], app.case, "reassess", score(function="1"))
    review = ready(app.case, "review_appeal")
    assert appeal_grounds_read(reader=staff["officer2"], application=app)  # may, before
    services.task_declare_disqualified(actor=staff["officer2"], task_id=review.pk,
                                       reason="Kari is my neighbour.")
    with pytest.raises(PermissionDenied):
        appeal_grounds_read(reader=staff["officer2"], application=app)
