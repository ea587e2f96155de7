"""Storing documentation and reading health information, with the read log.

Every read of health information goes through ``document_read`` or
``health_data_read``: they check the object permission, write a
``HealthDataRead`` row (also for refused attempts), and only then hand the
content out.
"""

import hashlib

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from guardian.shortcuts import assign_perm

from parking.access import can_read_document, can_read_health_data
from parking.models import (
    Application,
    DocumentContent,
    HealthDataRead,
    ParkingDocument,
    ReadKind,
)
from parking.roles import OCCUPATIONAL_PHYSIOTHERAPIST


def _physiotherapists() -> Group:
    group, _created = Group.objects.get_or_create(name=OCCUPATIONAL_PHYSIOTHERAPIST)
    return group


def health_data_grant(application: Application) -> None:
    """The applicant and the physiotherapists may read the application's
    health information (not the case officers)."""
    assign_perm("parking.read_health_data", application.applicant, application)
    assign_perm("parking.read_health_data", _physiotherapists(), application)


def documents_store(*, application: Application, uploads, kind: str, uploader) -> list:
    """Store checked uploads (``parking.uploads.check_document``) as documents
    readable by the applicant and the physiotherapists only."""
    stored = []
    group = _physiotherapists()
    for upload in uploads:
        upload.seek(0)
        data = upload.read()
        document = ParkingDocument.objects.create(
            application=application,
            kind=kind,
            original_name=upload.name[:255],
            content_type=upload.detected_content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=uploader,
        )
        DocumentContent.objects.create(document=document, data=data)
        assign_perm("parking.read_document", application.applicant, document)
        assign_perm("parking.read_document", group, document)
        stored.append(document)
    return stored


def _log(reader, application, what, *, document=None, allowed: bool) -> None:
    label = f"{document.get_kind_display()} #{document.pk}" if document is not None else ""
    HealthDataRead.objects.create(
        reader=reader, application=application, document=document, what=what, allowed=allowed,
        document_label=label[:100],
    )


def document_read(*, reader, document_id: int) -> tuple[ParkingDocument, bytes]:
    """The document and its bytes, if the reader may read it; logged either way.

    Raises PermissionDenied (views turn it into 404, so nobody learns that a
    document exists) after logging the refused attempt. Not atomic on
    purpose: the log row of a refused read must stay.
    """
    document = ParkingDocument.objects.select_related("application").filter(
        pk=document_id
    ).first()
    if document is None:
        raise PermissionDenied
    allowed = can_read_document(reader, document)
    _log(reader, document.application, ReadKind.DOCUMENT, document=document, allowed=allowed)
    if not allowed:
        raise PermissionDenied
    return document, bytes(DocumentContent.objects.get(document=document).data)


def health_data_read(*, reader, application: Application, what: str) -> None:
    """Check and log a read of the application's health information (the
    functional limitation, the physiotherapist's note, the grounds of an
    appeal); raises PermissionDenied for anyone else."""
    allowed = can_read_health_data(reader, application)
    _log(reader, application, what, allowed=allowed)
    if not allowed:
        raise PermissionDenied


APPEAL_TASKS = ("review_appeal", "appeal_body_decision")


def appeal_grounds_read(*, reader, application: Application) -> list:
    """The appeals of the application, for the officer preparing an appeal
    and the appeal body while they have it (fvl. § 33), and for whoever may
    read the application's health information; logged like every read.
    Raises PermissionDenied for anyone else."""
    from cases.models import Task, TaskState
    from parking.access import (
        is_appeal_body,
        is_disqualified_from_application,
        is_parking_officer,
    )

    allowed = can_read_health_data(reader, application)
    if not allowed and (is_parking_officer(reader) or is_appeal_body(reader)) and not (
        is_disqualified_from_application(reader, application)
    ):
        case_ids = [application.case_id,
                    *application.appeals.exclude(case=None).values_list("case_id", flat=True)]
        allowed = Task.objects.filter(case_id__in=case_ids, bpmn_id__in=APPEAL_TASKS,
                                      state=TaskState.READY).exists()
    _log(reader, application, ReadKind.APPEAL, allowed=allowed)
    if not allowed:
        raise PermissionDenied
    return list(application.appeals.order_by("submitted_at", "id"))
