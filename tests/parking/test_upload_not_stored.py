"""Documentation that cannot be stored while it arrives (a large file is
spooled to a temporary file, and the disk is full or the directory cannot be
written): the application, the documentation asked for and the appeal are
refused with a clear message next to the files, everything typed is kept,
and nothing is stored. (The files themselves are stored in the database: a
full database disk is the database outage of varde/unavailable.py.)"""

import errno

import pytest
from django.core.files import uploadhandler
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.urls import reverse

from parking.models import Appeal, Application, ParkingDocument
from tests.conftest import make_user
from tests.parking.conftest import PDF, complete
from tests.parking.test_apply_form import assert_kept, post

pytestmark = pytest.mark.django_db

REFUSED = "The server cannot store files just now, so nothing has been sent."


class FullDisk(TemporaryUploadedFile):
    def write(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")


class NotWritable(TemporaryUploadedFile):
    def __init__(self, *args, **kwargs):
        raise OSError(errno.EACCES, "Permission denied")


@pytest.fixture(params=[FullDisk, NotWritable], ids=["disk-full", "not-writable"])
def cannot_spool(request, settings, monkeypatch):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100  # every file goes to a temporary file
    monkeypatch.setattr(uploadhandler, "TemporaryUploadedFile", request.param)


@pytest.fixture
def kari(units, definitions, zones):
    return make_user("kari")


def test_an_application_is_refused_with_everything_typed_kept(client, kari, cannot_spool):
    client.force_login(kari)
    response = post(client, files=[SimpleUploadedFile("legeerklaering.pdf", PDF * 50)])
    assert response.status_code == 200
    text = response.content.decode()
    assert REFUSED in text
    assert_kept(text)
    assert not Application.objects.exists() and not ParkingDocument.objects.exists()


def test_documentation_asked_for_is_refused(client, apply, kari, staff, cannot_spool):
    app = apply(kari)
    complete(staff["officer"], app.case, "completeness_check",
             {"completeness": "missing", "documentation_request": "Both sides of the card."})
    client.force_login(kari)
    response = client.post(reverse("parking:supply", args=[app.pk]), {
        "doc-document_kind": "disabled_parking_card",
        "doc-documents": [SimpleUploadedFile("back.pdf", PDF * 50)],
    })
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert app.documents.count() == 1  # the one sent with the application


def test_an_appeal_is_refused_with_its_grounds_kept(
    client, apply, kari, staff, to_allocation, cannot_spool
):
    app = apply(kari)
    complete(staff["officer"], to_allocation(app, function="0").case, "allocate",
             {"allocation_decision": "reject", "decision_reasons": "Low score."})
    client.force_login(kari)
    client.get(reverse("parking:application", args=[app.pk]))  # the decision reaches her
    response = client.post(reverse("parking:appeal", args=[app.pk]), {
        "grounds": "My walking has become much worse since the winter.",
        "doc-document_kind": "doctor_statement",
        "doc-documents": [SimpleUploadedFile("new-statement.pdf", PDF * 50)],
    })
    assert response.status_code == 200
    text = response.content.decode()
    assert REFUSED in text
    assert "My walking has become much worse since the winter." in text
    assert not Appeal.objects.exists()
    assert app.documents.count() == 1
