"""Deleting an application's health information once the decision is final
and the appeal period has passed (GDPR art. 5 (1) (e)).

What goes: the documentation files, the description of the functional
limitation, the physiotherapist's notes and the grounds of appeals. What
stays: the scores, the decisions and their letters, and the read log (its
rows keep what was read, ``HealthDataRead.document_label``), which the
archive rules keep.
"""

from datetime import timedelta

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
    if hasattr(latest, "appeal"):
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
    app.appeals.update(grounds="")
    return len(document_ids)


def health_data_purge_due(*, now=None) -> int:
    """Delete the health information of every application whose decision is
    final; returns how many applications were cleared. Run daily."""
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
