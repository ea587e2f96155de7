"""Template helpers of the near-parking screens and the case summary block."""

from django import template
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext

from cases.access import can_handle_case
from forms.schemas import load_schema
from parking.access import (
    can_read_case_health_data,
    is_applicant,
    is_parking_officer,
    is_physiotherapist,
)
from parking.conf import appeal_body_name
from parking.models import Application, ApplicationStatus, DocumentKind
from parking.scoring import RANKING_RULE
from parking.selectors import (
    ASSESSMENT_TASKS,
    applicant_task,
    application_for_case,
    decisions_of,
    latest_assessment,
    open_tasks,
    rank_of,
)
from parking.services.documents import appeal_grounds_read

register = template.Library()

APPLICATION_SCHEMA = "near_parking_application.json"


@register.simple_tag
def application_label(field: str, value) -> str:
    """The application form's label of a stored code (walking distance, aids…)."""
    prop = load_schema(APPLICATION_SCHEMA).get("properties", {}).get(field, {})
    labels = prop.get("x-enum-labels", {})
    if isinstance(value, list):
        return ", ".join(gettext(labels[v]) if v in labels else str(v) for v in value)
    if value in labels:
        return gettext(labels[value])
    return "" if value in (None, "") else str(value)


def rank_if_waitlisted(app: Application) -> int | None:
    """The place the application would get on its zone's waiting list now."""
    if app.score is None and not app.assessments.exists():
        return None
    assessment = latest_assessment(app)
    group = assessment.priority_group if assessment else app.priority_group
    score = assessment.total if assessment else app.score
    ahead = Application.objects.filter(
        zone_id=app.zone_id, status=ApplicationStatus.WAITLISTED
    ).exclude(pk=app.pk).filter(
        Q(priority_group__lt=group)
        | Q(priority_group=group, score__gt=score)
        | Q(priority_group=group, score=score, submitted_at__lte=app.submitted_at)
    )
    return ahead.count() + 1


@register.inclusion_tag("parking/_case_summary.html", takes_context=True)
def parking_case_summary(context):
    """The block shown on the case and task pages of a near-parking case.

    What it shows depends on who looks: the applicant sees their own
    application and what to do; a case officer sees zone, score breakdown and
    ranking, and which documents exist (kind and date, never the file or its
    name); a physiotherapist gets the way to the assessment page.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    case = context.get("case")
    app = application_for_case(case) if case is not None else None
    if app is None or user is None:
        return {"app": None}
    staff = can_handle_case(user, case)
    assessment_task = (
        open_tasks().filter(case=case, bpmn_id__in=ASSESSMENT_TASKS).first()
        if is_physiotherapist(user) else None
    )
    appeals = _appeals_for(user, app) if staff else []
    documents = list(app.documents.all())
    kinds = {}
    for document in documents:
        label = str(DocumentKind(document.kind).label)
        kinds[label] = kinds.get(label, 0) + 1
    return {
        "app": app,
        "case": case,
        "is_applicant_view": is_applicant(user, app) and not staff,
        "is_officer": is_parking_officer(user),
        # The case officer decides on the total and the priority, not on the
        # health sub-scores (those are for the physiotherapists).
        "is_officer_only": staff and not can_read_case_health_data(user, case),
        "assessment_task": assessment_task,
        "assessment": latest_assessment(app),
        "decisions": decisions_of(app),
        "rank": rank_of(app),
        "rank_if_waitlisted": rank_if_waitlisted(app) if staff else None,
        "document_kinds": sorted(kinds.items()),
        "document_count": len(documents),
        "zone": app.zone,
        "ranking_rule": RANKING_RULE,
        "documentation_task": applicant_task(app, "supply_documentation"),
        "appeal_task": applicant_task(app, "appeal"),
        "appeals": appeals,
        "revocation": (app.permits.exclude(revocation_notice_at=None).order_by("-pk").first()
                       if staff else None),
        "appeal_body": appeal_body_name(),
        "request": request,
    }


def _appeals_for(user, app: Application) -> list:
    """The appeals with their grounds, for those preparing or deciding one
    (a logged read); nothing for other staff."""
    if not app.appeals.exists():
        return []
    try:
        return appeal_grounds_read(reader=user, application=app)
    except PermissionDenied:
        return []
