"""Applying through the web form, and bad input refused with a clear message
while nothing else is lost: missing documentation, a file that is no PDF or
image (whatever its name), and a 100 MB upload. A browser cannot keep chosen
files, so the page says plainly that they must be chosen again."""

import io
import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parking.models import Application, HealthDataRead, ParkingDocument
from parking.uploads import MAX_DOCUMENT_BYTES, detect_content_type
from tests.conftest import make_user
from tests.parking.conftest import PDF, PNG

pytestmark = pytest.mark.django_db

FORM = {
    "zone": "gloshaugen-a",
    "applicant_role": "student",
    "building": "Realfagbygget",
    "reason": "health",
    "walking_distance_unaided": "under_50",
    "aids": ["rollator"],
    "duration": "permanent",
    "days_per_week": "4",
    "need_description": "Walking from the ordinary parking takes me 20 minutes.",
    "vehicle_reference": "ZT 98765",
    "doc-document_kind": "disabled_parking_card",
    "consent-consent": "on",
}


@pytest.fixture
def kari(units, definitions, zones):
    return make_user("kari")


def post(client, files=None, **changes):
    data = {**FORM, **changes}
    data = {k: v for k, v in data.items() if v is not None}
    if files is not None:
        data["doc-documents"] = files
    return client.post(reverse("parking:apply"), data)


def assert_kept(text):
    """Every other value is shown again as the applicant typed or chose it."""
    assert 'value="ZT 98765"' in text
    assert 'value="Realfagbygget"' in text
    assert "Walking from the ordinary parking takes me 20 minutes." in text
    assert 'value="4"' in text
    assert 'value="under_50" id="id_walking_distance_unaided_0" checked' in text
    assert 'value="rollator" id="id_aids_2" checked' in text
    assert 'value="gloshaugen-a" selected' in text
    assert "choose your files again before you send" in text


def test_valid_application_is_sent(client, kari):
    client.force_login(kari)
    form_page = client.get(reverse("parking:apply"))
    assert form_page.status_code == 200
    assert "Gløshaugen A (Gløshaugen)" in form_page.content.decode()
    response = post(client, files=[SimpleUploadedFile("kort-forside.png", PNG),
                                   SimpleUploadedFile("kort-bakside.pdf", PDF)])
    app = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("parking:application", args=[app.pk])
    assert app.applicant == kari and app.zone.code == "gloshaugen-a"
    assert app.aids == ["rollator"] and app.days_per_week == 4
    assert sorted(app.documents.values_list("content_type", flat=True)) == [
        "application/pdf", "image/png"]
    assert app.case is not None
    page = client.get(response["Location"])
    assert "kort-forside.png" in page.content.decode()


def test_missing_documentation_is_refused_and_nothing_is_lost(client, kari):
    client.force_login(kari)
    response = post(client)
    assert response.status_code == 200
    text = response.content.decode()
    assert ("Attach a doctor&#x27;s statement on your function or your municipal "
            "disabled-parking card") in text
    assert_kept(text)
    assert not Application.objects.exists()


def test_a_file_that_is_not_a_pdf_or_image_is_refused_by_its_content(client, kari):
    client.force_login(kari)
    fake = SimpleUploadedFile("legeerklaering.pdf", b"PK\x03\x04 word document inside",
                              content_type="application/pdf")
    response = post(client, files=[fake])
    assert response.status_code == 200
    text = response.content.decode()
    assert "“legeerklaering.pdf” is not a PDF or an image (JPEG, PNG or WebP)" in text
    assert "the file&#x27;s content, not its name" in text
    assert_kept(text)
    assert not Application.objects.exists() and not ParkingDocument.objects.exists()


def test_a_100_mb_upload_is_refused_without_keeping_it_and_nothing_else_is_lost(
    client, kari
):
    client.force_login(kari)
    big = io.BytesIO(b"%PDF-1.7\n" + b"0" * (100 * 1024 * 1024))
    big.name = "skannet-legeerklaering.pdf"
    tracemalloc.start()
    started = time.perf_counter()
    # The test client builds the whole request in memory first (~100 MB);
    # what is measured below is the server side, after the request exists.
    response = post(client, files=[big])
    elapsed = time.perf_counter() - started
    tracemalloc.stop()
    assert response.status_code == 200
    text = response.content.decode()
    assert "“skannet-legeerklaering.pdf” is 100.0\xa0MB, but a file may be at most " \
        "10.0\xa0MB" in text
    assert_kept(text)
    assert not Application.objects.exists()
    assert elapsed < 30
    print(f"\n100 MB upload refused in {elapsed:.2f} s")


def test_size_limit_handler_keeps_at_most_the_limit(rf):
    """The handler stops passing bytes on once the limit is passed."""
    from parking.uploads import OversizeUpload, SizeLimitUploadHandler

    handler = SizeLimitUploadHandler(limit=10)
    handler.new_file("documents", "x.pdf", "application/pdf", None)
    assert handler.receive_data_chunk(b"12345", 0) == b"12345"
    assert handler.receive_data_chunk(b"123456", 5) is None
    assert handler.receive_data_chunk(b"more", 11) is None
    result = handler.file_complete(15)
    assert isinstance(result, OversizeUpload) and result.size == 15 and result.name == "x.pdf"
    handler.new_file("documents", "y.pdf", "application/pdf", None)
    handler.receive_data_chunk(b"1234", 0)
    assert handler.file_complete(4) is None  # small enough: the next handler keeps it


def test_limit_is_ten_megabytes_and_exactly_ten_is_accepted(client, kari):
    client.force_login(kari)
    exact = SimpleUploadedFile("exact.pdf", b"%PDF-" + b"0" * (MAX_DOCUMENT_BYTES - 5))
    response = post(client, files=[exact])
    assert response.status_code == 302
    assert ParkingDocument.objects.get().size == MAX_DOCUMENT_BYTES


def test_social_application_needs_no_documentation_but_grounds(client, kari):
    client.force_login(kari)
    response = post(client, reason="social", walking_distance_unaided=None, duration=None,
                    need_description=None)
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    response = post(client, reason="social", walking_distance_unaided=None, duration=None,
                    need_description=None, social_grounds="I bring my child to kindergarten.")
    assert response.status_code == 302
    app = Application.objects.get()
    assert app.reason == "social" and app.need_description == ""


def test_consent_is_required(client, kari):
    client.force_login(kari)
    response = post(client, files=[SimpleUploadedFile("a.pdf", PDF)], **{"consent-consent": None})
    assert response.status_code == 200
    assert "You must agree to this" in response.content.decode()
    assert not Application.objects.exists()


def test_second_open_application_for_the_same_zone_is_refused(client, kari):
    client.force_login(kari)
    assert post(client, files=[SimpleUploadedFile("a.pdf", PDF)]).status_code == 302
    response = post(client, files=[SimpleUploadedFile("a.pdf", PDF)])
    assert response.status_code == 200
    assert "You already have an application for this zone" in response.content.decode()
    assert Application.objects.count() == 1


def test_signatures():
    assert detect_content_type(PDF) == "application/pdf"
    assert detect_content_type(PNG) == "image/png"
    assert detect_content_type(b"\xff\xd8\xff\xe0\x00\x10JFIF") == "image/jpeg"
    assert detect_content_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    for head in (b"PK\x03\x04", b"MZ\x90\x00", b"<html>", b"GIF89a", b""):
        assert detect_content_type(head) is None


def test_applicant_reads_of_own_application_are_logged(client, kari):
    client.force_login(kari)
    post(client, files=[SimpleUploadedFile("a.pdf", PDF)])
    app = Application.objects.get()
    client.get(reverse("parking:application", args=[app.pk]))
    assert HealthDataRead.objects.filter(reader=kari, what="application", allowed=True).exists()
