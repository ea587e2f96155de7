"""Attachments that cannot be stored (disk full, a directory that cannot be
written) refuse the report, the reporter's reply and the committee's
message with a clear message and the text kept in the form shown again;
nothing is stored, and no encrypted file is left behind (not even the part
written before the disk filled, nor an earlier attachment of the same
submission)."""

import errno

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.whistleblowing.conftest import login_member, start_cases, submit_via_web
from whistleblowing import storage
from whistleblowing.models import Entry, EntryKind, Report

pytestmark = pytest.mark.django_db

REFUSED = "The server cannot store files just now, so nothing has been sent."


def photos():
    return [SimpleUploadedFile("photo-1.jpg", b"\xff\xd8 first image", "image/jpeg"),
            SimpleUploadedFile("photo-2.jpg", b"\xff\xd8 second image", "image/jpeg")]


@pytest.fixture(params=[errno.ENOSPC, errno.EACCES], ids=["disk-full", "not-writable"])
def cannot_store(request, monkeypatch):
    """The second file written fails half-way (the first is written whole)."""
    real_write = storage.write
    calls = []

    def write(name, frames):
        calls.append(name)
        if len(calls) == 1:
            return real_write(name, frames)
        storage._path(name).write_bytes(next(iter(frames)))  # a part of it, then:
        raise OSError(request.param, "cannot store")

    monkeypatch.setattr(storage, "write", write)
    return calls


def blobs() -> list:
    return [p for p in storage.root().iterdir() if p.is_file()]


def attachments() -> int:
    return Entry.objects.filter(kind=EntryKind.ATTACHMENT).count()


def test_a_report_is_refused_with_its_text_kept(client, committee, report_form, cannot_store):
    response = client.post(reverse("whistleblowing:report"),
                           {**report_form, "attachments": photos()})
    assert response.status_code == 200
    page = response.content.decode()
    assert REFUSED in page
    assert report_form["what_happened"] in page
    assert 'value="Lab building, 3rd floor"' in page
    assert len(cannot_store) == 2
    assert not Report.objects.exists() and not Entry.objects.exists()
    assert blobs() == []


@pytest.fixture
def started(committee, report_form):
    reporter = Client()
    receipt = submit_via_web(reporter, report_form)
    start_cases()
    assert reporter.post(reverse("whistleblowing:login"), {"receipt": receipt}).status_code == 302
    return reporter, Report.objects.get()


def test_a_reporter_reply_is_refused_with_its_text_kept(started, cannot_store):
    reporter, _report = started
    entries = Entry.objects.count()
    response = reporter.post(reverse("whistleblowing:reply"), {
        "text": "The photos of the door.", "attachments": photos(),
    })
    page = response.content.decode()
    assert REFUSED in page
    assert "The photos of the door." in page
    assert Entry.objects.count() == entries and attachments() == 0
    assert blobs() == []


def test_a_committee_message_is_refused_with_its_text_kept(started, committee, cannot_store):
    _reporter, report = started
    member = Client()
    login_member(member, committee["anna"])
    entries = Entry.objects.count()
    response = member.post(reverse("wb_committee:message", args=[report.uuid]), {
        "text": "Here is the summary of the interview.", "attachments": photos(),
    })
    page = response.content.decode()
    assert REFUSED in page
    assert "Here is the summary of the interview." in page
    assert Entry.objects.count() == entries and attachments() == 0
    assert blobs() == []
