"""What applicants and physiotherapists do: apply, send documentation,
appeal, assess. Each is one transaction; the case moves on through
``cases.services``."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import services as case_services
from cases.exceptions import ApplicationError, NotAllowed, TaskNotAvailable
from cases.models import Task, TaskState
from org.selectors import primary_unit_for_user
from parking.conf import LATE_APPEAL_LIMIT_DAYS
from parking.dates import appeal_deadline
from parking.models import (
    Appeal,
    Application,
    ApplicationStatus,
    Assessment,
    Decision,
    Outcome,
    Permit,
    PermitStatus,
    Reason,
    Zone,
)
from parking.roles import PROCESS_ID
from parking.selectors import applicant_task
from parking.services.allocation import (
    application_case_data,
    case_title,
    is_partial_grant,
    pending_appeal,
)
from parking.services.documents import documents_store, health_data_grant
from parking.services.retention import health_data_purge_schedule

DELIVERED_SIGNAL = "parking_decision_delivered"
WITHDRAWN_SIGNAL = "parking_appeal_withdrawn"
STATUS_OF_OUTCOME = {
    Outcome.REJECTED: ApplicationStatus.REJECTED,
    Outcome.WAITLISTED: ApplicationStatus.WAITLISTED,
    Outcome.GRANTED: ApplicationStatus.GRANTED,
    Outcome.REVOKED: ApplicationStatus.REVOKED,
    Outcome.DECLINED: ApplicationStatus.WITHDRAWN,
}
# The steps of a pending appeal the applicant may withdraw it from.
WITHDRAWABLE_STEPS = ("reassess", "review_appeal", "appeal_body_decision")

# An applicant has at most one application per zone in these statuses.
OPEN_STATUSES = (
    ApplicationStatus.SUBMITTED, ApplicationStatus.AWAITING_DOCUMENTATION,
    ApplicationStatus.ASSESSED, ApplicationStatus.WAITLISTED, ApplicationStatus.OFFERED,
    ApplicationStatus.APPEALED,
)


class ZoneClosed(ApplicationError):
    default_message = _("This zone takes no applications now. Choose another zone.")


class AlreadyApplied(ApplicationError):
    default_message = _(
        "You already have an application for this zone that is being processed or is on "
        "the waiting list. You find it under “My applications”."
    )


class DocumentationRequired(ApplicationError):
    default_message = _(
        "Attach a doctor's statement on your function or your municipal disabled-parking "
        "card (PDF or image)."
    )


class CommentNotPossible(ApplicationError):
    default_message = _("The time to comment on this notice has run out.")


class AppealNotPossible(ApplicationError):
    default_message = _(
        "This decision can no longer be appealed: the deadline has passed, the appeal has "
        "been sent already, or the decision was made after an appeal."
    )


@transaction.atomic
def application_submit(*, applicant, data: dict, uploads: list, document_kind: str) -> Application:
    """Store an application with its documentation and start its case.

    ``data`` is the validated application form (near_parking_application.json);
    ``uploads`` are checked files (``parking.uploads``). A health application
    needs documentation. A person who holds an active permit applies for its
    renewal.
    """
    zone = Zone.objects.filter(code=data["zone"]).first()
    if zone is None or not zone.active:
        raise ZoneClosed()
    if Application.objects.filter(applicant=applicant, zone=zone,
                                  status__in=OPEN_STATUSES).exists():
        raise AlreadyApplied()
    reason = data["reason"]
    if reason == Reason.HEALTH and not uploads:
        raise DocumentationRequired()
    health = reason == Reason.HEALTH
    app = Application.objects.create(
        applicant=applicant,
        applicant_role=data["applicant_role"],
        zone=zone,
        reason=reason,
        building=data.get("building", ""),
        walking_distance_unaided=data.get("walking_distance_unaided", "") if health else "",
        walking_distance_with_aids=data.get("walking_distance_with_aids", "") if health else "",
        aids=list(data.get("aids", [])) if health else [],
        duration=data.get("duration", "") if health else "",
        temporary_until=data.get("temporary_until") if health else None,
        need_description=data.get("need_description", "") if health else "",
        social_grounds=data.get("social_grounds", "") if not health else "",
        days_per_week=data["days_per_week"],
        vehicle_reference=data["vehicle_reference"],
        renewal_of=Permit.objects.filter(holder=applicant, status=PermitStatus.ACTIVE).first(),
        submitted_at=timezone.now(),
    )
    health_data_grant(app)
    if uploads:
        documents_store(application=app, uploads=uploads, kind=document_kind, uploader=applicant)
    case = case_services.case_start(
        process_id=PROCESS_ID,
        title=case_title(_("Near-parking: %(zone)s"), zone),
        data=application_case_data(app, entry="application"),
        reporter=applicant,
        unit=primary_unit_for_user(user=applicant),
        actor=applicant,
    )
    app.case = case
    app.save(update_fields=["case"])
    return app


def _own_application(actor, application_id: int) -> Application:
    app = Application.objects.select_related("case", "zone").filter(pk=application_id).first()
    if app is None or app.applicant_id != actor.pk:
        raise NotAllowed()
    return app


@transaction.atomic
def documentation_supply(*, actor, application_id: int, uploads: list, kind: str) -> Application:
    """The applicant sends the documentation asked for; the officer checks again."""
    app = _own_application(actor, application_id)
    task = applicant_task(app, "supply_documentation")
    if task is None:
        raise TaskNotAvailable()
    if not uploads:
        raise DocumentationRequired()
    documents_store(application=app, uploads=uploads, kind=kind, uploader=actor)
    app.documentation_requests.filter(answered_at__isnull=True).update(answered_at=timezone.now())
    if app.status == ApplicationStatus.AWAITING_DOCUMENTATION:
        app.status = ApplicationStatus.SUBMITTED
        app.save(update_fields=["status", "updated_at"])
    case_services.task_complete(actor=actor, task_id=task.pk,
                                data={"documentation_supplied": True})
    return app


# Every decision against the applicant carries a right of appeal (fvl. § 28):
# a refusal, a place on the waiting list, a revocation, a closed application
# after a declined offer.
# (A grant gets an appeal deadline only when it is partial: shorter than applied for.)
APPEALABLE_OUTCOMES = (Outcome.REJECTED, Outcome.WAITLISTED, Outcome.REVOKED, Outcome.DECLINED,
                       Outcome.GRANTED)
OWN_CASE_APPEALS = (Outcome.REVOKED, Outcome.DECLINED, Outcome.GRANTED)


def appealable_decision(app: Application) -> Decision | None:
    """The decision the applicant may appeal now: the one the open appeal
    task is about; else the latest first-instance decision against them
    that is not yet appealed, in time (a revocation or a closed application,
    whose cases have ended: the appeal gets a case of its own) or after the
    deadline (a late appeal, fvl. § 31), within a year."""
    task = applicant_task(app, "appeal")
    decisions = Decision.objects.filter(
        application=app, after_appeal=False, outcome__in=APPEALABLE_OUTCOMES,
        appeal__isnull=True, appeal_deadline__isnull=False,
    ).order_by("-decided_at", "-id")
    if task is not None:
        return decisions.filter(case_id=task.case_id).first()
    latest = app.decisions.order_by("-decided_at", "-id").first()
    candidate = decisions.first()
    if candidate is None or latest != candidate:
        return None
    if timezone.now() > candidate.appeal_deadline + timedelta(days=LATE_APPEAL_LIMIT_DAYS):
        return None
    if candidate.appeal_deadline >= timezone.now() and candidate.outcome not in (
        OWN_CASE_APPEALS
    ):
        return None  # in time, its case's appeal step opens when it reaches them
    return candidate


def appeal_is_late(app: Application) -> bool:
    if applicant_task(app, "appeal") is not None:
        return False
    decision = appealable_decision(app)
    return decision is None or decision.appeal_deadline < timezone.now()


@transaction.atomic
def appeal_submit(*, actor, application_id: int, grounds: str, uploads: list,
                  kind: str) -> Appeal:
    """The applicant appeals a rejection or a place on the waiting list.

    The grounds may hold health information: they are stored here, readable
    by the applicant, the physiotherapists, the officer preparing the appeal
    and the appeal body, and the workflow learns only that an appeal came.
    In time, the case goes on to a new assessment by another
    physiotherapist and the first instance's review (fvl. § 33); after the
    deadline, a case of its own takes it to the appeal body, which decides
    whether to hear it (fvl. § 31).
    """
    app = _own_application(actor, application_id)
    decisions_deliver_unread(reader=actor, application=app)
    decision = appealable_decision(app)
    if decision is None:
        raise AppealNotPossible()
    task = applicant_task(app, "appeal")
    late = task is None and decision.appeal_deadline < timezone.now()
    appeal = Appeal.objects.create(application=app, decision=decision, grounds=grounds,
                                   late=late, case=task.case if task else None)
    if uploads:
        documents_store(application=app, uploads=uploads, kind=kind, uploader=actor)
    if app.status == ApplicationStatus.REJECTED:
        app.status = ApplicationStatus.APPEALED
        app.save(update_fields=["status", "updated_at"])
    if task is not None:
        case_services.task_complete(actor=actor, task_id=task.pk, data={"appealed": True})
        return appeal
    # A case of its own: in time (a revocation, a closed application) to the
    # first instance's review; late straight to the appeal body (fvl. § 31).
    appeal.case = case_services.case_start(
        process_id=PROCESS_ID,
        title=case_title(_("Near-parking appeal: %(zone)s"), app.zone),
        data={**application_case_data(app, entry="late_appeal" if late else "appeal"),
              "appeal_round": 1, "submitted_at": timezone.now().isoformat()},
        reporter=actor,
        unit=primary_unit_for_user(user=actor),
        actor=actor,
    )
    appeal.save(update_fields=["case"])
    return appeal


@transaction.atomic
def decisions_deliver_unread(*, reader, application: Application) -> None:
    """The applicant opened the appeal page or appealed: the decisions they
    had not yet received (no e-mail notice, letter not opened) have now
    reached them, so the appeal period starts now (fvl. § 29), not never."""
    if application.applicant_id != reader.pk:
        return
    unread = application.decisions.filter(delivered_at__isnull=True, after_appeal=False)
    for pk in unread.values_list("pk", flat=True):
        decision_delivered(reader=reader, decision_id=pk)


@transaction.atomic
def decision_delivered(*, reader, decision_id: int) -> Decision | None:
    """The applicant opened a decision: the first time, it has reached them.
    If no e-mail notice did so before, the appeal period starts now (fvl.
    § 29) and the case's appeal step opens with its deadline."""
    decision = Decision.objects.select_for_update().filter(pk=decision_id).select_related(
        "application").first()
    if decision is None or decision.application.applicant_id != reader.pk:
        return None
    if decision.first_read_at is not None:
        return decision
    now = timezone.now()
    decision.first_read_at = now
    fields = ["first_read_at"]
    waiting = decision.delivered_at is None
    if waiting:
        decision.delivered_at = now
        fields.append("delivered_at")
        appealable = not decision.after_appeal and (
            decision.outcome != Outcome.GRANTED
            or is_partial_grant(decision.permit, decision.application)
        )
        if appealable:
            decision.appeal_deadline = appeal_deadline(now)
            fields.append("appeal_deadline")
    decision.save(update_fields=fields)
    if waiting:
        health_data_purge_schedule(decision.application, decision)
    if waiting and decision.appeal_deadline:
        case_services.case_signal(
            actor=None, case_id=decision.case_id, name=DELIVERED_SIGNAL,
            payload={"appeal_deadline_at": decision.appeal_deadline.isoformat()},
            required=False,
        )
    return decision


@transaction.atomic
def assessment_submit(*, actor, task_id: int, data: dict, note: str = "") -> Task:
    """Complete the physiotherapist's assessment task and keep the note.

    The scores go into the workflow (the officer may see them); the note is
    health information and goes only to the Assessment row that the step's
    ``parking.record_assessment`` just wrote.
    """
    task = case_services.task_complete(actor=actor, task_id=task_id, data=data)
    assessment = Assessment.objects.filter(case_id=task.case_id).order_by("-pk").first()
    if assessment is not None and assessment.assessed_by_id is None and (
        data.get("assessment_result") == "scored"
    ):
        assessment.assessed_by = actor
        assessment.note = note
        assessment.save(update_fields=["assessed_by", "note"])
    return task


def appeal_open_for_comment(appeal: Appeal) -> bool:
    """The appeal is with the appeal body, which has not decided yet."""
    return bool(appeal.forwarded_at and appeal.case_id and Task.objects.filter(
        case_id=appeal.case_id, bpmn_id="appeal_body_decision", state=TaskState.READY
    ).exists())


@transaction.atomic
def appeal_comment_submit(*, actor, application_id: int, comment: str) -> Appeal:
    """The applicant answers the first instance's statement to the appeal
    body (fvl. §§ 17-18), until the appeal body decides; it sees the
    comment with the statement."""
    app = _own_application(actor, application_id)
    appeal = app.appeals.select_for_update().filter(forwarded_at__isnull=False).order_by(
        "-forwarded_at", "-pk").first()
    if appeal is None or not appeal_open_for_comment(appeal):
        raise CommentNotPossible()
    appeal.applicant_comment = comment
    appeal.commented_at = timezone.now()
    appeal.save(update_fields=["applicant_comment", "commented_at"])
    return appeal


@transaction.atomic
def revocation_comment_submit(*, actor, application_id: int, comment: str) -> Permit:
    """The holder comments on an advance notice of revocation (fvl. § 16),
    until the date given; the officer sees it before deciding."""
    app = _own_application(actor, application_id)
    permit = Permit.objects.select_for_update().filter(
        application=app, status=PermitStatus.ACTIVE, revocation_reply_due__gt=timezone.now()
    ).first()
    if permit is None:
        raise CommentNotPossible()
    permit.revocation_comment = comment
    permit.save(update_fields=["revocation_comment"])
    return permit


def withdrawable_appeal(app: Application) -> Appeal | None:
    """The applicant's appeal that is being handled and may be withdrawn:
    reassessed, reviewed by the first instance or with the appeal body."""
    appeal = pending_appeal(app)
    if appeal is None or appeal.withdrawn_at is not None:
        return None
    case_id = appeal.case_id or app.case_id
    open_step = Task.objects.filter(case_id=case_id, bpmn_id__in=WITHDRAWABLE_STEPS,
                                    state=TaskState.READY).exists()
    return appeal if open_step else None


@transaction.atomic
def appeal_withdraw(*, actor, application_id: int) -> Appeal:
    """The applicant withdraws their pending appeal (fvl. §§ 28-33): its
    handling stops, the decision appealed stands, and the health
    information is deleted once that decision is final."""
    app = _own_application(actor, application_id)
    appeal = withdrawable_appeal(app)
    if appeal is None:
        raise AppealNotPossible()
    appeal.withdrawn_at = timezone.now()
    appeal.save(update_fields=["withdrawn_at"])
    # The status the decision appealed gave (the appeal or a new assessment
    # changed it while the appeal was handled).
    if app.status in (ApplicationStatus.APPEALED, ApplicationStatus.ASSESSED):
        app.status = STATUS_OF_OUTCOME.get(appeal.decision.outcome, app.status)
        app.save(update_fields=["status", "updated_at"])
    # The system throws the signal: the applicant handles no step of the case.
    case_services.case_signal(actor=None, case_id=appeal.case_id or app.case_id,
                              name=WITHDRAWN_SIGNAL)
    health_data_purge_schedule(app, appeal.decision)
    return appeal
