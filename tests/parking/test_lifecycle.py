"""The near-parking lifecycle per outcome, through the services on the real
engine and database: granted; waiting list, then offered when a permit
expires; rejected; appealed (new assessment by someone else, reversed by the
first instance or decided by the appeal body; late appeals); missing
documentation; social grounds; revocation; a declined offer; renewal."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.calendar import is_working_day
from cases.exceptions import Disqualified, FourEyesViolation, NotAllowed
from cases.models import CaseStatus, Task, TaskState
from org.services import language_set
from parking.models import (
    ApplicationStatus,
    Decision,
    HealthDataRead,
    Offer,
    OfferStatus,
    Permit,
    PermitStatus,
    Zone,
)
from parking.selectors import rank_of
from parking.services.applications import (
    AppealNotPossible,
    appeal_comment_submit,
    appeal_submit,
    documentation_supply,
)
from tests.conftest import make_user
from tests.parking.conftest import checked, complete, pdf_upload, ready, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(units):
    ivt = units["ivt"]
    # With e-mail addresses: the notice reaches them when the decision is made.
    return {name: make_user(name, units=[ivt], email=f"{name}@example.no")
            for name in ("kari", "per", "ola", "siri")}


def first_working_day(day):
    """Three weeks on, or the next working day (domstolloven § 149)."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def wake_at(case, moment, time_machine):
    time_machine.move_to(moment, tick=False)
    services.case_wake(case_id=case.pk)
    case.refresh_from_db()


def test_granted(apply, staff, to_allocation, people, zones):
    """Complete → assessed (score 7) → granted: a permit of 12 months, the zone
    has one spot less, the letter exists, and the case waits for expiry."""
    app = apply(people["kari"])
    assert app.case.reference.startswith("PARK-")
    assert app.case.definition.confidential
    allocate = to_allocation(app)
    assert allocate.candidate_group.name == "parking_officer"
    assert app.status == ApplicationStatus.ASSESSED
    services.task_complete(actor=staff["officer"], task_id=allocate.pk,
                           data={"allocation_decision": "grant"})
    app.refresh_from_db()
    case = app.case
    case.refresh_from_db()
    assert app.status == ApplicationStatus.GRANTED
    assert (app.score, app.priority_group) == (7, 1)
    permit = Permit.objects.get(application=app)
    assert permit.status == PermitStatus.ACTIVE
    assert permit.valid_from == timezone.localdate()
    assert permit.valid_to < permit.valid_from.replace(year=permit.valid_from.year + 1)
    assert (permit.valid_to - permit.valid_from).days >= 364
    zones["a"].refresh_from_db()
    assert zones["a"].occupied == 1
    decision = Decision.objects.get(application=app)
    assert decision.outcome == "granted" and decision.permit == permit
    assert decision.appeal_deadline is None
    assert case.status == CaseStatus.RUNNING and case.outcome == "granted"
    assert ready(case, "permit_active").candidate_group.name == "parking_officer"
    assert case.next_timer_at is not None  # the renewal reminder


def test_waitlisted_then_offered_when_a_permit_expires(
    apply, staff, to_allocation, people, zones, time_machine
):
    """Gløshaugen B has one spot. Kari gets it; Per is waitlisted as number 1.
    When Kari's permit expires the spot is held for Per and a new case gives
    the officer the offer; granting it gives Per the permit."""
    time_machine.move_to(timezone.now(), tick=False)
    kari = apply(people["kari"], zone="gloshaugen-b")
    complete(staff["officer"], to_allocation(kari).case, "allocate",
             {"allocation_decision": "grant"})
    per = apply(people["per"], zone="gloshaugen-b")
    allocate = to_allocation(per, function="2")
    services.task_complete(actor=staff["officer"], task_id=allocate.pk,
                           data={"allocation_decision": "waitlist"})
    per.refresh_from_db()
    assert per.status == ApplicationStatus.WAITLISTED
    assert rank_of(per) == 1
    letter = Decision.objects.get(application=per)
    assert (letter.outcome, letter.rank) == ("waitlisted", 1)
    assert letter.appeal_deadline is not None
    assert ready(per.case, "appeal").assignee == people["per"]

    # Per does not appeal: after three weeks that case ends, the list keeps him.
    wake_at(per.case, letter.appeal_deadline + timedelta(seconds=1), time_machine)
    assert per.case.status == CaseStatus.COMPLETED and per.case.outcome == "waitlisted"

    permit = Permit.objects.get(application=kari)
    wake_at(kari.case, kari_expiry(permit), time_machine)
    permit.refresh_from_db()
    assert permit.status == PermitStatus.EXPIRED and permit.end_reason == "expired"
    assert kari.case.status == CaseStatus.COMPLETED and kari.case.outcome == "expired"
    zones["b"].refresh_from_db()
    assert zones["b"].occupied == 1  # held for the offer, not free for anyone else
    per.refresh_from_db()
    assert per.status == ApplicationStatus.OFFERED
    offer = Offer.objects.get(application=per)
    assert offer.status == OfferStatus.OPEN and offer.rank == 1
    assert offer.case.reporter == people["per"]
    offer_task = ready(offer.case, "offer_spot")
    assert offer_task.candidate_group.name == "parking_officer"
    assert "Gløshaugen B" in offer_task.title

    services.task_complete(actor=staff["officer"], task_id=offer_task.pk,
                           data={"offer_decision": "accept"})
    per.refresh_from_db()
    offer.refresh_from_db()
    assert per.status == ApplicationStatus.GRANTED and offer.status == OfferStatus.ACCEPTED
    new_permit = Permit.objects.get(application=per)
    assert new_permit.status == PermitStatus.ACTIVE and new_permit.case == offer.case
    zones["b"].refresh_from_db()
    assert zones["b"].occupied == 1
    assert Decision.objects.filter(application=per, outcome="granted").count() == 1
    assert ready(offer.case, "permit_active")


def revoke(officer, case, time_machine, reason="Moved."):
    """Notice, the holder's two weeks, then the decision to revoke (fvl. § 16)."""
    time_machine.move_to(timezone.now(), tick=False)
    complete(officer, case, "permit_active", {"revocation_reason": reason})
    permit = Permit.objects.filter(case=case).order_by("-pk").first()
    wake_at(case, permit.revocation_reply_due + timedelta(seconds=1), time_machine)
    complete(officer, case, "decide_revocation",
             {"revocation_decision": "revoke", "decision_reasons": reason})


def kari_expiry(permit):
    from parking.dates import expiry_moment

    return expiry_moment(permit.valid_to) + timedelta(seconds=1)


def test_rejected_and_not_appealed(apply, staff, to_allocation, people, zones, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    app = apply(people["kari"])
    allocate = to_allocation(app, function="0", distance="0", days="1")
    services.task_complete(
        actor=staff["officer"], task_id=allocate.pk,
        data={"allocation_decision": "reject",
              "decision_reasons": "A score of 1 does not meet the criteria."},
    )
    app.refresh_from_db()
    assert app.status == ApplicationStatus.REJECTED
    decision = Decision.objects.get(application=app)
    assert decision.reasons == "A score of 1 does not meet the criteria."
    assert timezone.localtime(decision.appeal_deadline).date() == (
        first_working_day(timezone.localdate() + timedelta(days=21))
    )
    zones["a"].refresh_from_db()
    assert zones["a"].occupied == 0
    appeal = ready(app.case, "appeal")
    assert appeal.assignee == people["kari"]
    wake_at(app.case, decision.appeal_deadline + timedelta(seconds=1), time_machine)
    assert app.case.status == CaseStatus.COMPLETED and app.case.outcome == "rejected"
    appeal.refresh_from_db()
    assert appeal.state == TaskState.CANCELLED


def test_appeal_is_reversed_by_the_first_instance(
    apply, staff, to_allocation, people, zones
):
    """A rejection is appealed: a new assessment, which the first
    physiotherapist may not make (four-eyes); then the review by an officer
    other than the one who decided, who finds the appeal justified and
    grants (fvl. § 33). That decision ends the appeal."""
    app = apply(people["kari"])
    allocate = to_allocation(app, function="1", distance="0", days="0")
    services.task_complete(actor=staff["officer"], task_id=allocate.pk,
                           data={"allocation_decision": "reject",
                                 "decision_reasons": "Score 1."})
    appeal_submit(actor=people["kari"], application_id=app.pk,
                  grounds="My walking has become worse since the statement.",
                  uploads=[checked(pdf_upload("ny.pdf"))], kind="doctor_statement")
    app.refresh_from_db()
    assert app.status == ApplicationStatus.APPEALED
    reassess = ready(app.case, "reassess")
    assert reassess.four_eyes_with == "assess"
    with pytest.raises(FourEyesViolation):
        services.task_claim(actor=staff["physio"], task_id=reassess.pk)
    with pytest.raises(FourEyesViolation):
        services.task_complete(actor=staff["physio"], task_id=reassess.pk, data=score())
    services.task_complete(actor=staff["physio2"], task_id=reassess.pk,
                           data=score(function="4"))
    review = ready(app.case, "review_appeal")
    assert review.four_eyes_with == "allocate"
    assert review.candidate_group.name == "parking_officer"
    # The officer who decided does not review (four-eyes; the process's bar, fvl. § 6).
    with pytest.raises((FourEyesViolation, Disqualified)):
        services.task_complete(actor=staff["officer"], task_id=review.pk, data={
            "appeal_review": "reverse", "allocation_decision": "grant",
            "decision_reasons": "New documentation."})
    services.task_complete(actor=staff["officer2"], task_id=review.pk, data={
        "appeal_review": "reverse", "allocation_decision": "grant",
        "decision_reasons": "The new statement shows a greater need."})
    app.refresh_from_db()
    assert app.status == ApplicationStatus.GRANTED and app.score == 8
    final = Decision.objects.filter(application=app).order_by("-pk").first()
    assert final.after_appeal and final.appeal_deadline is None
    assert (final.outcome, final.appeal_result, final.by_appeal_body) == (
        "granted", "reversed", False)
    assert final.reasons == "The new statement shows a greater need."
    assert app.assessments.count() == 2
    assert not Task.objects.filter(case=app.case, bpmn_id="appeal",
                                   state=TaskState.READY).exists()
    assert ready(app.case, "permit_active")  # the permit's life goes on in the case
    assert not app.appeals.get().forwarded_at


def test_appeal_upheld_goes_to_the_appeal_body_which_decides_finally(
    apply, staff, to_allocation, people, zones, client
):
    """The review keeps the decision: the case goes to the appeal body (a
    configured role), which sees the grounds and the first instance's
    comments, and decides. Its decision closes the case; no further appeal."""
    app = apply(people["kari"])
    complete(staff["officer"], to_allocation(app, function="0").case, "allocate",
             {"allocation_decision": "reject", "decision_reasons": "Low score."})
    appeal_submit(actor=people["kari"], application_id=app.pk, grounds="Please look again.",
                  uploads=[], kind="doctor_statement")
    complete(staff["physio2"], app.case, "reassess", score(function="0"))

    # The officer preparing the appeal sees the grounds (a logged read).
    review = ready(app.case, "review_appeal")
    client.force_login(staff["officer2"])
    page = client.get(reverse("cases:task", args=[review.pk]))
    assert b"Please look again." in page.content
    assert HealthDataRead.objects.filter(reader=staff["officer2"], what="appeal",
                                         allowed=True).exists()
    complete(staff["officer2"], app.case, "review_appeal",
             {"appeal_review": "forward", "decision_reasons": "The criteria are not met."})
    appeal_comment_submit(actor=people["kari"], application_id=app.pk,  # fvl. § 17
                          comment="I have nothing to add.")
    appeal = app.appeals.get()
    assert appeal.forwarded_at is not None and appeal.statement == "The criteria are not met."
    body_task = ready(app.case, "appeal_body_decision")
    assert body_task.candidate_group.name == "parking_appeal_body"
    with pytest.raises((NotAllowed, Disqualified)):  # an officer, and the one who decided
        services.task_complete(actor=staff["officer"], task_id=body_task.pk, data={
            "appeal_result": "dismissed", "decision_reasons": "x"})
    with pytest.raises(NotAllowed):  # an officer who took no part is no appeal body either
        services.task_complete(actor=make_user("officer3", roles=["parking_officer"]),
                               task_id=body_task.pk,
                               data={"appeal_result": "dismissed", "decision_reasons": "x"})
    client.force_login(staff["board"])
    page = client.get(reverse("cases:task", args=[body_task.pk]))
    assert page.status_code == 200
    assert b"Please look again." in page.content and b"The criteria are not met." in page.content
    services.task_complete(actor=staff["board"], task_id=body_task.pk, data={
        "appeal_result": "dismissed",
        "decision_reasons": "The assessment shows no need for near-parking."})
    app.case.refresh_from_db()
    assert app.case.status == CaseStatus.COMPLETED and app.case.outcome == "rejected"
    final = Decision.objects.filter(application=app).order_by("-pk").first()
    assert (final.by_appeal_body, final.appeal_result, final.after_appeal) == (
        True, "dismissed", True)
    assert final.appeal_deadline is None
    with pytest.raises(AppealNotPossible):  # no appeal of an appeal decision
        appeal_submit(actor=people["kari"], application_id=app.pk, grounds="Again",
                      uploads=[], kind="doctor_statement")


def test_appeal_body_may_allow_the_appeal_and_grant(apply, staff, to_allocation, people, zones):
    app = apply(people["kari"])
    complete(staff["officer"], to_allocation(app, function="1").case, "allocate",
             {"allocation_decision": "reject", "decision_reasons": "Low score."})
    appeal_submit(actor=people["kari"], application_id=app.pk, grounds="Worse now.",
                  uploads=[], kind="doctor_statement")
    complete(staff["physio2"], app.case, "reassess", score(function="1"))
    complete(staff["officer2"], app.case, "review_appeal",
             {"appeal_review": "forward", "decision_reasons": "Kept."})
    appeal_comment_submit(actor=people["kari"], application_id=app.pk, comment="No more.")
    complete(staff["board"], app.case, "appeal_body_decision", {
        "appeal_result": "allowed", "allocation_decision": "grant",
        "decision_reasons": "The walking distance weighs more than the score shows."})
    app.refresh_from_db()
    assert app.status == ApplicationStatus.GRANTED
    assert Permit.objects.get(application=app).status == PermitStatus.ACTIVE
    final = Decision.objects.filter(application=app).order_by("-pk").first()
    assert (final.outcome, final.by_appeal_body, final.appeal_result) == (
        "granted", True, "allowed")
    assert ready(app.case, "permit_active")


def test_appeal_deadline_runs_from_the_first_reading_without_an_e_mail_notice(
    apply, staff, to_allocation, zones, units, client, time_machine
):
    """An applicant without e-mail gets the decision when they sign in and
    read it: the three weeks run from that day, not from the decision's."""
    time_machine.move_to(timezone.now(), tick=False)
    olav = make_user("olav", units=[units["ivt"]])  # no e-mail address
    app = apply(olav)
    complete(staff["officer"], to_allocation(app, function="0").case, "allocate",
             {"allocation_decision": "reject", "decision_reasons": "Low score."})
    decision = Decision.objects.get(application=app)
    assert decision.delivered_at is None and decision.appeal_deadline is None
    assert not Task.objects.filter(case=app.case, bpmn_id="appeal").exists()

    read_day = timezone.now() + timedelta(days=10)
    time_machine.move_to(read_day, tick=False)
    client.force_login(olav)
    assert client.get(reverse("parking:letter", args=[decision.pk])).status_code == 200
    decision.refresh_from_db()
    assert decision.delivered_at == read_day and decision.first_read_at == read_day
    assert timezone.localtime(decision.appeal_deadline).date() == first_working_day(
        timezone.localtime(read_day).date() + timedelta(days=21))
    appeal = ready(app.case, "appeal")
    assert appeal.assignee == olav

    # Past the decision's own three weeks the appeal is still in time.
    time_machine.move_to(read_day + timedelta(days=15), tick=False)
    services.cases_wake_due()
    assert ready(app.case, "appeal")
    wake_at(app.case, decision.appeal_deadline + timedelta(seconds=1), time_machine)
    assert app.case.status == CaseStatus.COMPLETED


def test_a_late_appeal_is_received_and_the_appeal_body_decides_whether_to_hear_it(
    apply, staff, to_allocation, people, zones, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    app = apply(people["kari"])
    complete(staff["officer"], to_allocation(app, function="0").case, "allocate",
             {"allocation_decision": "reject", "decision_reasons": "Low score."})
    decision = Decision.objects.get(application=app)
    wake_at(app.case, decision.appeal_deadline + timedelta(days=2), time_machine)
    assert app.case.status == CaseStatus.COMPLETED

    appeal = appeal_submit(actor=people["kari"], application_id=app.pk,
                           grounds="I was in hospital and could not appeal in time.",
                           uploads=[], kind="doctor_statement")
    assert appeal.late and appeal.case is not None and appeal.case != app.case
    body_task = ready(appeal.case, "appeal_body_decision")
    appeal.refresh_from_db()
    assert appeal.forwarded_at is not None
    complete(staff["board"], appeal.case, "appeal_body_decision", {
        "appeal_result": "not_heard",
        "decision_reasons": "No special reasons for hearing the appeal late."})
    appeal.case.refresh_from_db()
    assert appeal.case.status == CaseStatus.COMPLETED
    assert body_task.case == appeal.case
    final = Decision.objects.filter(application=app).order_by("-pk").first()
    assert (final.appeal_result, final.outcome, final.case) == (
        "not_heard", "rejected", appeal.case)


def test_missing_documentation_is_asked_for_then_assessed(apply, staff, people, zones):
    app = apply(people["kari"])
    complete(staff["officer"], app.case, "completeness_check",
             {"completeness": "missing",
              "documentation_request": "The statement must say how far you can walk."})
    app.refresh_from_db()
    assert app.status == ApplicationStatus.AWAITING_DOCUMENTATION
    task = ready(app.case, "supply_documentation")
    assert task.assignee == people["kari"] and task.due_at is not None
    request = app.documentation_requests.get()
    assert request.text.startswith("The statement")
    documentation_supply(actor=people["kari"], application_id=app.pk,
                         uploads=[checked(pdf_upload("ny.pdf"))], kind="doctor_statement")
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED
    assert app.documents.count() == 2
    request.refresh_from_db()
    assert request.answered_at is not None
    complete(staff["officer"], app.case, "completeness_check", {"completeness": "complete"})
    assert ready(app.case, "assess")


def test_physiotherapist_may_ask_for_more_documentation(apply, staff, people, zones):
    app = apply(people["kari"])
    complete(staff["officer"], app.case, "completeness_check", {"completeness": "complete"})
    complete(staff["physio"], app.case, "assess",
             {"assessment_result": "needs_documentation",
              "documentation_request": "A statement that describes walking with aids."})
    assert ready(app.case, "supply_documentation").assignee == people["kari"]
    documentation_supply(actor=people["kari"], application_id=app.pk,
                         uploads=[checked(pdf_upload())], kind="doctor_statement")
    complete(staff["officer"], app.case, "completeness_check", {"completeness": "complete"})
    complete(staff["physio"], app.case, "assess", score())  # the same physio may go on
    assert ready(app.case, "allocate")


def test_social_grounds_are_assessed_by_the_officer_and_rank_after_health(
    apply, staff, to_allocation, people, zones
):
    zones["a"].capacity = 0
    zones["a"].save()
    social = apply(people["kari"], reason="social", social_grounds="Daily care duties.")
    assert social.documents.count() == 0
    complete(staff["officer"], social.case, "completeness_check", {"completeness": "complete"})
    task = ready(social.case, "assess_social")
    assert task.candidate_group.name == "parking_officer"
    services.task_complete(actor=staff["officer"], task_id=task.pk,
                           data={"distance_score": "2", "days_score": "2"})
    complete(staff["officer"], social.case, "allocate", {"allocation_decision": "waitlist"})
    health = apply(people["per"])
    complete(staff["officer"], to_allocation(health, function="0", distance="0",
                                             days="0").case,
             "allocate", {"allocation_decision": "waitlist"})
    social.refresh_from_db()
    health.refresh_from_db()
    assert (social.score, social.priority_group) == (4, 2)
    assert (health.score, health.priority_group) == (0, 1)
    assert rank_of(health) == 1 and rank_of(social) == 2


def test_grant_in_a_full_zone_becomes_the_waiting_list(
    apply, staff, to_allocation, people, zones
):
    first = apply(people["kari"], zone="kalvskinnet")
    complete(staff["officer"], to_allocation(first).case, "allocate",
             {"allocation_decision": "grant"})
    second = apply(people["per"], zone="kalvskinnet")
    complete(staff["officer"], to_allocation(second).case, "allocate",
             {"allocation_decision": "grant"})
    second.refresh_from_db()
    assert second.status == ApplicationStatus.WAITLISTED
    decision = Decision.objects.get(application=second)
    assert decision.outcome == "waitlisted" and decision.requested_grant and decision.rank == 1
    zone = Zone.objects.get(code="kalvskinnet")
    assert zone.occupied == zone.capacity == 1
    assert Permit.objects.filter(zone=zone, status=PermitStatus.ACTIVE).count() == 1


def test_revocation_after_advance_notice_frees_the_spot_for_the_next(
    apply, staff, to_allocation, people, zones, client, time_machine
):
    """fvl. § 16: the officer gives notice with the reasons; the holder may
    comment for two weeks (over HTTP); then the officer decides. The
    revocation is a decision with a letter; the case no longer says granted."""
    time_machine.move_to(timezone.now(), tick=False)
    language_set(user=people["kari"], language="en")  # her letters are in English
    kari = apply(people["kari"], zone="kalvskinnet")
    complete(staff["officer"], to_allocation(kari).case, "allocate",
             {"allocation_decision": "grant"})
    per = apply(people["per"], zone="kalvskinnet")
    complete(staff["officer"], to_allocation(per).case, "allocate",
             {"allocation_decision": "waitlist"})
    complete(staff["officer2"], kari.case, "permit_active",
             {"revocation_reason": "Not used since March (checked by the parking operator)."})
    permit = Permit.objects.get(application=kari)
    assert permit.status == PermitStatus.ACTIVE and permit.revocation_notice_at is not None
    assert not Task.objects.filter(case=kari.case, bpmn_id="decide_revocation").exists()

    client.force_login(people["kari"])
    page = client.get(reverse("parking:application", args=[kari.pk])).content.decode()
    assert "Not used since March" in page
    client.post(reverse("parking:revocation_comment", args=[kari.pk]),
                {"notice-comment": "I was on leave from March to May."})
    permit.refresh_from_db()
    assert permit.revocation_comment == "I was on leave from March to May."

    wake_at(kari.case, permit.revocation_reply_due + timedelta(seconds=1), time_machine)
    decide = ready(kari.case, "decide_revocation")
    client.force_login(staff["officer2"])
    assert "I was on leave from March to May." in client.get(
        reverse("cases:task", args=[decide.pk])).content.decode()
    complete(staff["officer2"], kari.case, "decide_revocation", {
        "revocation_decision": "revoke",
        "decision_reasons": "Not used for five months, also after the leave."})
    permit.refresh_from_db()
    assert permit.status == PermitStatus.REVOKED
    kari.case.refresh_from_db()
    assert kari.case.outcome == "revoked" and kari.case.status == CaseStatus.COMPLETED
    kari.refresh_from_db()
    assert kari.status == ApplicationStatus.REVOKED
    letter = Decision.objects.filter(application=kari).order_by("-pk").first()
    assert letter.outcome == "revoked" and letter.appeal_deadline is not None
    assert letter.reasons == "Not used for five months, also after the leave."
    client.force_login(people["kari"])
    text = client.get(reverse("parking:letter", args=[letter.pk])).content.decode()
    assert "Your near-parking permit is revoked" in text and "§ 16" in text
    assert "Right to appeal" in text
    per.refresh_from_db()
    assert per.status == ApplicationStatus.OFFERED
    assert ready(Offer.objects.get(application=per).case, "offer_spot")


def test_a_permit_kept_after_notice_goes_on(apply, staff, to_allocation, people, zones,
                                             time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    kari = apply(people["kari"])
    complete(staff["officer"], to_allocation(kari).case, "allocate",
             {"allocation_decision": "grant"})
    complete(staff["officer"], kari.case, "permit_active", {"revocation_reason": "Unused?"})
    permit = Permit.objects.get(application=kari)
    wake_at(kari.case, permit.revocation_reply_due + timedelta(seconds=1), time_machine)
    complete(staff["officer"], kari.case, "decide_revocation",
             {"revocation_decision": "keep", "decision_reasons": "It is used after all."})
    permit.refresh_from_db()
    assert permit.status == PermitStatus.ACTIVE
    assert ready(kari.case, "permit_active")


def test_declined_offer_goes_to_the_next_on_the_list(apply, staff, to_allocation, people, zones,
                                                     time_machine):
    kari = apply(people["kari"], zone="kalvskinnet")
    complete(staff["officer"], to_allocation(kari).case, "allocate",
             {"allocation_decision": "grant"})
    waiting = []
    for name, function in (("per", "4"), ("ola", "2")):
        app = apply(people[name], zone="kalvskinnet")
        complete(staff["officer"], to_allocation(app, function=function).case, "allocate",
                 {"allocation_decision": "waitlist"})
        waiting.append(app)
    revoke(staff["officer"], kari.case, time_machine)
    per, ola = waiting
    per_offer = Offer.objects.get(application=per)
    complete(staff["officer"], per_offer.case, "offer_spot", {"offer_decision": "decline"})
    per.refresh_from_db()
    ola.refresh_from_db()
    assert per.status == ApplicationStatus.WITHDRAWN
    assert ola.status == ApplicationStatus.OFFERED
    per_offer.case.refresh_from_db()
    assert per_offer.case.outcome == "declined"
    # Declining closes the application: a decision with a letter.
    declined = Decision.objects.get(application=per, outcome="declined")
    assert declined.case == per_offer.case and declined.appeal_deadline is not None
    zone = Zone.objects.get(code="kalvskinnet")
    assert zone.occupied == 1


def test_renewal_keeps_the_holders_spot(apply, staff, to_allocation, people, zones):
    """A holder applies again before expiry; the new permit takes over the
    spot (even in a full zone) and the old one ends as replaced."""
    kari = apply(people["kari"], zone="kalvskinnet")
    complete(staff["officer"], to_allocation(kari).case, "allocate",
             {"allocation_decision": "grant"})
    old = Permit.objects.get(application=kari)
    renewal = apply(people["kari"], zone="kalvskinnet")
    assert renewal.renewal_of == old
    complete(staff["officer"], to_allocation(renewal).case, "allocate",
             {"allocation_decision": "grant"})
    old.refresh_from_db()
    assert old.status == PermitStatus.EXPIRED and old.end_reason == "replaced"
    assert Permit.objects.get(application=renewal).status == PermitStatus.ACTIVE
    zone = Zone.objects.get(code="kalvskinnet")
    assert zone.occupied == 1
    # The old case's revocation task now ends it without freeing anything.
    complete(staff["officer"], kari.case, "permit_active", {"revocation_reason": "Renewed."})
    kari.case.refresh_from_db()
    assert kari.case.outcome == "replaced"
    zone.refresh_from_db()
    assert zone.occupied == 1


def test_renewal_competes_with_the_waiting_list_when_the_setting_says_so(
    apply, staff, to_allocation, people, zones, settings
):
    """PARKING_RENEWAL_KEEPS_SPOT = False: a renewing holder in a full zone
    needs a free spot like anyone else, so the renewal goes on the list."""
    settings.PARKING_RENEWAL_KEEPS_SPOT = False
    kari = apply(people["kari"], zone="kalvskinnet")
    complete(staff["officer"], to_allocation(kari).case, "allocate",
             {"allocation_decision": "grant"})
    old = Permit.objects.get(application=kari)
    renewal = apply(people["kari"], zone="kalvskinnet")
    complete(staff["officer"], to_allocation(renewal).case, "allocate",
             {"allocation_decision": "grant"})
    old.refresh_from_db()
    renewal.refresh_from_db()
    assert old.status == PermitStatus.ACTIVE  # runs to its end
    assert renewal.status == ApplicationStatus.WAITLISTED


def test_waiting_applicant_keeps_place_while_appealing_and_an_offer_overtakes_the_appeal(
    apply, staff, to_allocation, people, zones, time_machine
):
    kari = apply(people["kari"], zone="kalvskinnet")
    complete(staff["officer"], to_allocation(kari).case, "allocate",
             {"allocation_decision": "grant"})
    per = apply(people["per"], zone="kalvskinnet")
    complete(staff["officer"], to_allocation(per, function="1").case, "allocate",
             {"allocation_decision": "waitlist"})
    appeal_submit(actor=people["per"], application_id=per.pk, grounds="My score is too low.",
                  uploads=[], kind="doctor_statement")
    per.refresh_from_db()
    assert per.status == ApplicationStatus.WAITLISTED and rank_of(per) == 1
    assert ready(per.case, "reassess")

    # Kari's permit is revoked while Per's appeal waits: the spot is offered to Per.
    revoke(staff["officer"], kari.case, time_machine)
    per.refresh_from_db()
    assert per.status == ApplicationStatus.OFFERED

    complete(staff["physio2"], per.case, "reassess", score(function="4"))
    complete(staff["officer2"], per.case, "review_appeal",
             {"appeal_review": "reverse", "allocation_decision": "grant",
              "decision_reasons": "A higher score."})
    per.case.refresh_from_db()
    assert per.case.status == CaseStatus.COMPLETED and per.case.outcome == "superseded"
    per.refresh_from_db()
    assert per.status == ApplicationStatus.OFFERED  # the offer case decides
    assert Decision.objects.filter(application=per).count() == 1
