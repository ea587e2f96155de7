"""An upload that cannot be stored (disk full) refuses the whole submission
with a clear page, and leaves no case pointing to a missing file."""

import errno

import pytest
from django.conf import settings

from amu.models import AmuCase
from amu.models.cases import DocumentStorage
from cases.models import Case

from .conftest import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_full_disk_refuses_the_submission_and_stores_no_case(world, client, monkeypatch):
    def disk_full(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(DocumentStorage, "_save", disk_full)
    client.force_login(world.outsider)
    response = client.post("/amu/ny-sak/", {
        "title": "Noise", "kind": "decision", "description": "Too loud.",
        "submitter_role": "employee", "site": "all", "documents-other": upload("plan.pdf"),
    })
    assert response.status_code == 503
    page = response.content.decode()
    assert "could not store the files you sent" in page
    assert "Go back in your browser to find what you typed" in page
    assert not AmuCase.objects.exists() and not Case.objects.filter(
        definition__process_id__startswith="amu").exists()
