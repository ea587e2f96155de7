"""What applicants and physiotherapists do: apply, send documentation,
appeal, assess. Each is one transaction; the case moves on through
``cases.services``."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import services as case_services
from cases.exceptions import ApplicationError, NotAllowed, TaskNotAvailable
from cases.models import Task
from org.selectors import primary_unit_for_user
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
from parking.services.allocation import application_case_data, case_title
from parking.services.documents import documents_store, health_data_grant

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


def appealable_decision(app: Application) -> Decision | None:
    """The decision the open appeal task is about, if it may still be appealed."""
    task = applicant_task(app, "appeal")
    if task is None:
        return None
    return (
        Decision.objects.filter(application=app, case_id=task.case_id, after_appeal=False,
                                outcome__in=(Outcome.REJECTED, Outcome.WAITLISTED))
        .filter(appeal__isnull=True).order_by("-decided_at", "-id").first()
    )


@transaction.atomic
def appeal_submit(*, actor, application_id: int, grounds: str, uploads: list,
                  kind: str) -> Appeal:
    """The applicant appeals a rejection or a place on the waiting list.

    The grounds may hold health information: they are stored here, readable
    by the applicant and the physiotherapists, and the workflow learns only
    that an appeal came. The case goes back to a new assessment by another
    physiotherapist (BPMN ``reassess``, four-eyes with ``assess``).
    """
    app = _own_application(actor, application_id)
    decision = appealable_decision(app)
    task = applicant_task(app, "appeal")
    if decision is None or task is None:
        raise AppealNotPossible()
    appeal = Appeal.objects.create(application=app, decision=decision, grounds=grounds)
    if uploads:
        documents_store(application=app, uploads=uploads, kind=kind, uploader=actor)
    if app.status == ApplicationStatus.REJECTED:
        app.status = ApplicationStatus.APPEALED
        app.save(update_fields=["status", "updated_at"])
    case_services.task_complete(actor=actor, task_id=task.pk, data={"appealed": True})
    return appeal


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
