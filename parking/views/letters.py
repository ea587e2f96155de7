"""The decision letter: one template for the printable page and the PDF."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from documents.pdf import pdf_response
from forms.schemas import load_schema
from parking.access import can_read_case_health_data, can_read_letter
from parking.conf import appeal_body_name, rules_url
from parking.dates import APPEAL_DAYS, MAX_PERMIT_MONTHS
from parking.models import Decision
from parking.scoring import RANKING_RULE
from parking.selectors import changed_in_favour, reassessed_on_appeal
from parking.services.applications import decision_delivered

LETTER_TEMPLATE = "parking/letter.html"
ASSESSMENT_SCHEMA = "near_parking_assessment.json"


def _decision(request, pk) -> Decision:
    decision = (
        Decision.objects.select_related(
            "application__applicant", "zone", "permit", "assessment", "case__definition"
        ).filter(pk=pk).first()
    )
    # The applicant, case officers and physiotherapists (the case's policy),
    # and the appeal body deciding an appeal of it.
    if decision is None or not can_read_letter(request.user, decision):
        raise Http404
    return decision


def score_levels() -> list[tuple[str, list[str]]]:
    """The rubric's parts with the wording of each level (the assessment form's)."""
    properties = load_schema(ASSESSMENT_SCHEMA).get("properties", {})
    return [
        (gettext(properties[name].get("title", name)),
         [gettext(label) for label in properties[name].get("x-enum-labels", {}).values()])
        for name in ("function_score", "distance_score", "days_score") if name in properties
    ]


def letter_context(decision: Decision, viewer=None) -> dict:
    """The letter as ``viewer`` may see it: the applicant's letter has the
    score's breakdown (fvl. § 25); a case officer or the appeal body reading
    it sees the total, not the health sub-scores."""
    assessment = decision.assessment
    return {
        "total_only": not (viewer is not None and (
            decision.application.applicant_id == viewer.pk
            or can_read_case_health_data(viewer, decision.case))),
        "rules_url": rules_url(),
        "appeal_body": appeal_body_name(),
        "score_levels": score_levels(),
        "document_count": decision.application.documents.count(),
        "revoked_permit": decision.application.permits.filter(status="revoked").order_by(
            "-pk").first() if decision.outcome == "revoked" else None,
        "partial": bool(decision.permit and assessment
                        and assessment.permit_months < MAX_PERMIT_MONTHS),
        "decision": decision,
        "application": decision.application,
        "applicant": decision.application.applicant,
        "assessment": decision.assessment,
        "permit": decision.permit,
        "case": decision.case,
        "ranking_rule": RANKING_RULE,
        "appeal_weeks": APPEAL_DAYS // 7,
        "reassessed": reassessed_on_appeal(decision),
        "in_favour": changed_in_favour(decision),
    }


def _read(request, decision: Decision) -> Decision:
    """The applicant opening their letter: it has reached them (fvl. § 29)."""
    if decision.first_read_at is None and decision.application.applicant_id == request.user.pk:
        decision_delivered(reader=request.user, decision_id=decision.pk)
        decision.refresh_from_db()
    return decision


@login_required
@require_GET
def decision_letter(request, pk):
    decision = _read(request, _decision(request, pk))
    # The letter as it was written: in its own language, whoever reads it.
    with translation.override(decision.letter_language):
        response = render(request, LETTER_TEMPLATE, letter_context(decision, request.user))
    response["Content-Language"] = decision.letter_language
    return response


@login_required
@require_GET
def decision_letter_pdf(request, pk):
    decision = _read(request, _decision(request, pk))
    with translation.override(decision.letter_language):
        response = pdf_response(LETTER_TEMPLATE, letter_context(decision, request.user),
                                request=request,
                                filename=f"vedtak-{decision.case.reference}-{decision.pk}")
    response["Content-Language"] = decision.letter_language
    return response
