"""Submitting a case to AMU, raising a reported deviation with AMU, adding
documents and the secretary's summary for the members."""

import contextlib
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import assign_perm

from amu.access import is_secretary, is_submitter
from amu.exceptions import InvalidInput, NotSecretary
from amu.models import (
    CONSENT_DOCUMENTS,
    AmuCase,
    CaseDocument,
    DocumentKind,
    SubmitterRole,
)
from amu.roles import AMU_SECRETARY
from amu.titles import INCIDENT_TITLE, incident_title, incident_title_params
from cases.access import can_handle_case
from cases.exceptions import CaseClosed, NotAllowed, UploadNotStored
from cases.models import Case
from cases.services import case_start
from varde.uploads import UnstoredUpload, storing_files

PROCESS_ID = "amu_case"
INCIDENT_PROCESS_ID = "incident"

MAX_DOCUMENT_BYTES = 25 * 1024 * 1024
DOCUMENT_SUFFIXES = {
    ".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".ppt", ".pptx", ".txt",
    ".png", ".jpg", ".jpeg", ".dwg", ".dxf", ".ifc",
}


def document_problem(upload) -> str:
    """Why an uploaded file cannot be kept, or "" if it can."""
    if Path(upload.name).suffix.lower() not in DOCUMENT_SUFFIXES:
        return gettext("This type of file is not accepted. Use PDF, an office document, "
                       "an image or a drawing (DWG, DXF, IFC).")
    if upload.size > MAX_DOCUMENT_BYTES:
        return gettext("The file is larger than 25 MB.")
    return ""


def _grant_secretaries(case: Case) -> None:
    """The secretaries open AMU cases through the generic case and task pages
    too: one group grant per case (django-guardian), so whoever holds the
    role later sees them."""
    assign_perm("cases.view_case", Group.objects.get(name=AMU_SECRETARY), case)


def _process_data(*, actor, kind, site, is_building_case, needs_consent, from_incident) -> dict:
    return {
        "submitter": actor.get_username(),
        "kind": kind,
        "site": site or "all",
        "is_building_case": bool(is_building_case),
        "needs_consent": "yes" if is_building_case and needs_consent else "no",
        "from_incident": from_incident,
    }


def _store_document(*, actor, amu_case: AmuCase, kind: str, upload) -> CaseDocument:
    problem = document_problem(upload)
    if problem:
        raise InvalidInput(extra={"errors": {kind: problem}})
    if isinstance(upload, UnstoredUpload):  # the disk was full while it arrived
        raise UploadNotStored()
    with storing_files():  # disk full: UploadNotStored, the step rolls back
        return CaseDocument.objects.create(
            amu_case=amu_case, kind=kind, title=Path(upload.name).name[:200], file=upload,
            uploaded_by=actor,
        )


@transaction.atomic
def amu_case_submit(*, actor, data: dict, documents: dict | None = None) -> AmuCase:
    """Start an AMU case from a valid amu_submission.json form.

    ``documents`` maps a DocumentKind value to a list of uploaded files. A
    case needing § 18-9 consent must bring the four documents the building
    arm needs (CONSENT_DOCUMENTS).
    """
    documents = {kind: files for kind, files in (documents or {}).items() if files}
    is_building = bool(data.get("is_building_case"))
    needs_consent = is_building and data.get("needs_consent") == "yes"
    if needs_consent:
        missing = {
            kind.value: gettext("Required for a case that needs consent under § 18-9.")
            for kind in CONSENT_DOCUMENTS if kind.value not in documents
        }
        if missing:
            raise InvalidInput(
                _("A § 18-9 case needs the building arm's documents."), extra={"errors": missing}
            )
    case = case_start(
        process_id=PROCESS_ID, title=data["title"], reporter=actor, unit=None, actor=actor,
        data=_process_data(actor=actor, kind=data["kind"], site=data.get("site"),
                           is_building_case=is_building, needs_consent=needs_consent,
                           from_incident=False),
    )
    _grant_secretaries(case)
    amu_case = AmuCase.objects.create(
        case=case, kind=data["kind"], description=data["description"],
        submitter_role=data["submitter_role"],
        site="" if data.get("site") in (None, "", "all") else data["site"],
        is_building_case=is_building, needs_consent=needs_consent,
    )
    stored = []
    try:
        for kind, files in documents.items():
            for upload in files:
                stored.append(_store_document(actor=actor, amu_case=amu_case, kind=kind,
                                              upload=upload))
    except Exception:
        for document in stored:  # their rows roll back: no file is left without one
            with contextlib.suppress(OSError):
                document.file.delete(save=False)
        raise
    return amu_case


def _incident_title(params: dict) -> str:
    """The title in the site's language, for search and the admin; readers get
    it in their own (amu.titles)."""
    with translation.override(settings.LANGUAGE_CODE):
        return incident_title(params)


@transaction.atomic
def amu_case_escalate_incident(*, actor, incident_case: Case, data: dict) -> AmuCase:
    """Raise a reported deviation with AMU (from amu_escalation.json), keeping
    the link. Whoever may handle the deviation may do this, once while an
    earlier escalation is still open."""
    if incident_case.process_id != INCIDENT_PROCESS_ID or not can_handle_case(
        actor, incident_case
    ):
        raise NotAllowed()
    open_escalation = (
        AmuCase.objects.filter(incident_case=incident_case)
        .filter(case__status__in=["running", "waiting", "error"])
        .select_related("case")
        .first()
    )
    if open_escalation is not None:
        raise InvalidInput(
            _("This deviation is already before AMU as %(reference)s.")
            % {"reference": open_escalation.case.reference}
        )
    report = getattr(incident_case, "incident", None)
    site = report.campus if report is not None and report.campus in ("gjovik", "alesund") else ""
    title_params = incident_title_params(incident_case)
    case = case_start(
        process_id=PROCESS_ID, title=_incident_title(title_params), title_key=INCIDENT_TITLE,
        title_params=title_params, reporter=actor, unit=None, actor=actor,
        data=_process_data(actor=actor, kind=data["kind"], site=site, is_building_case=False,
                           needs_consent=False, from_incident=True),
    )
    _grant_secretaries(case)
    return AmuCase.objects.create(
        case=case, kind=data["kind"], description=data["description"],
        submitter_role=SubmitterRole.HSE_STAFF, site=site, incident_case=incident_case,
    )


@transaction.atomic
def document_add(*, actor, amu_case: AmuCase, kind: str, upload) -> CaseDocument:
    """The secretary, or the submitter while the case is open, adds a document."""
    if not (is_secretary(actor) or is_submitter(actor, amu_case)):
        raise NotAllowed()
    if not amu_case.case.is_open:
        raise CaseClosed()
    if kind not in DocumentKind.values:
        raise InvalidInput(extra={"errors": {"kind": gettext("Choose the kind of document.")}})
    return _store_document(actor=actor, amu_case=amu_case, kind=kind, upload=upload)


@transaction.atomic
def amu_case_summary_update(*, actor, amu_case: AmuCase, summary: str) -> AmuCase:
    """The secretary's summary: what members read of a case from a deviation."""
    if not is_secretary(actor):
        raise NotSecretary()
    amu_case.summary = summary.strip()
    amu_case.save(update_fields=["summary"])
    return amu_case
