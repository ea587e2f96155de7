"""Deleting an application's health information once the decision is final
and the appeal period has passed (GDPR art. 5 (1) (e)).

What goes: the documentation files, the description of the functional
limitation, the physiotherapist's notes, the grounds of appeals and the
holder's comment on an advance notice of revocation (which may explain a
sick leave). What
stays: the scores, the decisions and their letters, and the read log (its
rows keep what was read, ``HealthDataRead.document_label``), which the
archive rules keep.
"""

from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from guardian.models import GroupObjectPermission, UserObjectPermission

from cases.models import Task, TaskState
from parking.dates import APPEAL_DAYS
from parking.models import Application, ApplicationStatus, Decision, ParkingDocument

# An application without a decision that ended this way has nothing to appeal.
ENDED_WITHOUT_DECISION = (ApplicationStatus.INCOMPLETE, ApplicationStatus.WITHDRAWN)


def decision_is_final(app: Application, now) -> bool:
    """The latest decision can no longer be appealed in time, and no appeal
    or assessment of the application is open."""
    case_ids = [app.case_id, *app.offers.values_list("case_id", flat=True),
                *app.appeals.exclude(case=None).values_list("case_id", flat=True)]
    open_work = Task.objects.filter(case_id__in=case_ids, state=TaskState.READY).exclude(
        bpmn_id="permit_active"
    )
    if open_work.exists():
        return False
    latest: Decision | None = app.decisions.order_by("-decided_at", "-id").first()
    if latest is None:
        return app.status in ENDED_WITHOUT_DECISION
    if latest.by_appeal_body or latest.after_appeal:
        return True
    if hasattr(latest, "appeal") and latest.appeal.withdrawn_at is None:
        return False  # appealed; the decision on the appeal is not made yet
    if latest.appeal_deadline is not None:
        return latest.appeal_deadline < now
    if latest.delivered_at is not None:  # a grant: three weeks from delivery
        return latest.delivered_at + timedelta(days=APPEAL_DAYS + 1) < now
    return False


@transaction.atomic
def application_health_data_delete(app: Application) -> int:
    """Delete the health information of one application; returns the number
    of documents deleted. The read log stays."""
    app = Application.objects.select_for_update().get(pk=app.pk)
    if app.health_data_deleted_at is not None:
        return 0
    document_ids = list(app.documents.values_list("pk", flat=True))
    content_type = ContentType.objects.get_for_model(ParkingDocument)
    for model in (UserObjectPermission, GroupObjectPermission):
        model.objects.filter(content_type=content_type,
                             object_pk__in=[str(pk) for pk in document_ids]).delete()
    ParkingDocument.objects.filter(pk__in=document_ids).delete()
    app.need_description = ""
    app.walking_distance_unaided = app.walking_distance_with_aids = ""
    app.aids = []
    app.health_data_deleted_at = timezone.now()
    app.save(update_fields=["need_description", "walking_distance_unaided",
                            "walking_distance_with_aids", "aids", "health_data_deleted_at",
                            "updated_at"])
    app.assessments.exclude(note="").update(note="")
    app.appeals.update(grounds="", applicant_comment="")
    app.permits.exclude(revocation_comment="").update(revocation_comment="")
    return len(document_ids)


def purge_moment(decision: Decision, now) -> datetime | None:
    """When the decision becomes final (``decision_is_final``): at once after
    an appeal, just after the appeal deadline, three weeks after a grant
    reached the applicant; None while it has not reached them (delivery
    schedules it again)."""
    if decision.after_appeal or decision.by_appeal_body:
        return now
    if decision.appeal_deadline is not None:
        return decision.appeal_deadline + timedelta(minutes=1)
    if decision.delivered_at is not None:
        return decision.delivered_at + timedelta(days=APPEAL_DAYS + 1, minutes=1)
    return None


def health_data_purge_schedule(app: Application, decision: Decision | None = None) -> None:
    """Queue the purge job of the application (inside the caller's
    transaction) for when its decision becomes final: a job at a time, never
    a scan. A job that finds the decision not final (an appeal came) does
    nothing; the decision on the appeal schedules it again."""
    from cases.jobs import enqueue_in_transaction
    from parking.tasks import purge_health_data

    now = timezone.now()
    moment = now if decision is None else purge_moment(decision, now)
    if moment is not None:
        enqueue_in_transaction(purge_health_data, app.pk, run_after=max(moment, now))


def health_data_purge_if_final(application_id: int) -> bool:
    """The job: delete the application's health information if its decision
    is final now. Idempotent."""
    app = Application.objects.filter(pk=application_id,
                                     health_data_deleted_at__isnull=True).first()
    if app is None or not decision_is_final(app, timezone.now()):
        return False
    application_health_data_delete(app)
    return True


def health_data_purge_due(*, now=None) -> int:
    """Delete the health information of every application whose decision is
    final; returns how many applications were cleared. The jobs above do this
one application at a time; ``manage.py purge_parking_health_data`` runs it
as a safety net (after an outage of the worker, or for decisions made
before the jobs existed)."""
    now = now or timezone.now()
    cleared = 0
    candidates = Application.objects.filter(health_data_deleted_at__isnull=True).exclude(
        status__in=(ApplicationStatus.SUBMITTED, ApplicationStatus.AWAITING_DOCUMENTATION,
                    ApplicationStatus.ASSESSED, ApplicationStatus.APPEALED,
                    ApplicationStatus.OFFERED)
    ).order_by("pk")
    for app in candidates.iterator():
        if decision_is_final(app, now):
            application_health_data_delete(app)
            cleared += 1
    return cleared
