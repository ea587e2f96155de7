"""An upload that cannot be stored (disk full, a directory that cannot be
written) refuses the whole submission with a clear message, keeps what was
typed in the form shown again, and leaves no case, document row or file."""

import errno
from pathlib import Path

import pytest
from django.conf import settings

from amu.models import AmuCase, CaseDocument
from amu.models.cases import DocumentStorage
from amu.services.submission import amu_case_submit
from cases.models import Case

from .conftest import upload

pytestmark = pytest.mark.django_db

REFUSED = "The server cannot store files just now, so nothing has been sent."


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(params=[errno.ENOSPC, errno.EACCES], ids=["disk-full", "not-writable"])
def cannot_store(request, monkeypatch):
    """The second file cannot be written (the first one is, and must go again)."""
    real_save = DocumentStorage._save
    calls = []

    def save(self, name, content):
        calls.append(name)
        if len(calls) > 1:
            raise OSError(request.param, "cannot store")
        return real_save(self, name, content)

    monkeypatch.setattr(DocumentStorage, "_save", save)
    return calls


def stored_files() -> list:
    root = DocumentStorage().location
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


def test_the_submission_is_refused_with_the_text_kept_and_nothing_stored(
    world, client, cannot_store
):
    client.force_login(world.outsider)
    response = client.post("/amu/ny-sak/", {
        "title": "Noise in the workshop", "kind": "decision",
        "description": "Too loud when the saw runs.", "submitter_role": "employee",
        "site": "all", "documents-project_description": upload("plan.pdf"),
        "documents-other": upload("measurements.pdf"),
    })
    assert response.status_code == 200
    page = response.content.decode()
    assert REFUSED in page
    assert 'value="Noise in the workshop"' in page
    assert "Too loud when the saw runs." in page
    assert len(cannot_store) == 2  # the first file was written, then removed
    assert not AmuCase.objects.exists() and not Case.objects.filter(
        definition__process_id__startswith="amu").exists()
    assert not CaseDocument.objects.exists()
    assert stored_files() == []


def test_a_document_added_to_a_case_is_refused_and_not_listed(
    world, client, submission, monkeypatch
):
    amu_case = amu_case_submit(actor=world.submitter, data=submission)

    def disk_full(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(DocumentStorage, "_save", disk_full)
    client.force_login(world.submitter)
    reference = amu_case.case.reference
    response = client.post(f"/amu/sak/{reference}/dokument/", {
        "upload-kind": "other", "upload-file": upload("late.pdf"),
    }, follow=True)
    assert REFUSED in response.content.decode()
    assert not CaseDocument.objects.exists()
    assert stored_files() == []


def test_a_large_file_that_cannot_be_spooled_refuses_the_submission(
    world, client, settings, monkeypatch
):
    """Django spools a large upload to a temporary file while the request is
    read; a full disk there refuses the submission the same way."""
    from django.core.files import uploadhandler
    from django.core.files.uploadedfile import TemporaryUploadedFile

    class FullDisk(TemporaryUploadedFile):
        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100
    monkeypatch.setattr(uploadhandler, "TemporaryUploadedFile", FullDisk)
    client.force_login(world.outsider)
    response = client.post("/amu/ny-sak/", {
        "title": "Noise in the workshop", "kind": "decision",
        "description": "Too loud when the saw runs.", "submitter_role": "employee",
        "site": "all", "documents-other": upload("drawing.pdf", b"%PDF-1.4 " + b"0" * 5000),
    })
    assert response.status_code == 200
    page = response.content.decode()
    assert REFUSED in page and 'value="Noise in the workshop"' in page
    assert not AmuCase.objects.exists() and not CaseDocument.objects.exists()
    assert stored_files() == []
