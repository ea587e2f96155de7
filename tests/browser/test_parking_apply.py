"""In a real browser: an employee applies for near-parking. A send with the
required answers missing shows the problem summary (announced) with links
to the fields, keeps what was typed and marks each invalid field; the
complete application, with a PDF chosen in the file input, is sent and
lands on its own page."""

import os
import tempfile

import pytest
from django.conf import settings
from django.urls import reverse

from cases.services.definitions import definitions_sync
from org.services import role_groups_ensure
from tests.browser.test_live_queue import CHROMIUM, launch
from tests.conftest import make_user
from tests.live_server import LiveServerTestCase
from tests.parking.conftest import PDF

pytestmark = pytest.mark.browser

if not os.path.exists(CHROMIUM) and os.environ.get("CI") != "true":
    pytest.skip(
        "Debian's chromium is not installed (bin/test installs it)", allow_module_level=True
    )


class ParkingApplicationTests(LiveServerTestCase):
    serve_static = True

    def setUp(self):
        from org.models import Unit
        from parking.models import Zone

        role_groups_ensure()
        definitions_sync(directory=settings.VARDE_WORKFLOW_DIR)
        unit = Unit.objects.create(code="ivt", name="Fakultet for ingeniørvitenskap")
        Zone.objects.create(code="gloshaugen-a", name="Gløshaugen A", campus="Gløshaugen",
                            capacity=2)
        make_user("kari", units=[unit])

    def test_an_incomplete_application_keeps_its_answers_and_a_complete_one_is_sent(self):
        from playwright.sync_api import expect, sync_playwright

        from parking.models import Application

        with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
            statement = os.path.join(tmp, "legeerklaering.pdf")
            with open(statement, "wb") as out:
                out.write(PDF)
            browser = launch(playwright)
            try:
                page = browser.new_context(locale="en").new_page()
                page.goto(self.live_server_url + reverse("login"))
                page.fill("#id_username", "kari")
                page.fill("#id_password", "pw-kari")
                page.click("form:has(#id_password) button[type=submit]")
                page.wait_for_load_state()

                page.goto(self.live_server_url + reverse("parking:apply"))
                page.fill("#id_building", "Elektrobygget")
                page.fill("#id_vehicle_reference", "EL 12345")
                page.get_by_role("button", name="Send the application").click()
                page.wait_for_load_state()

                summary = page.get_by_role("alert")
                expect(summary).to_contain_text("There is a problem")
                # Each problem links to its field; typed answers are still there.
                expect(summary.locator("a[href='#id_zone']")).to_be_visible()
                expect(page.locator("#id_building")).to_have_value("Elektrobygget")
                expect(page.locator("#id_vehicle_reference")).to_have_value("EL 12345")
                expect(page.locator("#id_zone")).to_have_attribute("aria-invalid", "true")
                assert page.url.endswith(reverse("parking:apply")), "nothing was sent"

                page.select_option("#id_zone", "gloshaugen-a")
                page.check("#id_applicant_role_0")
                page.check("#id_reason_0")
                page.check("#id_walking_distance_unaided_1")
                page.check("#id_duration_1")
                page.fill("#id_days_per_week", "5")
                page.fill("#id_need_description", "I can walk about 100 metres, then rest.")
                page.set_input_files("#id_doc-documents", statement)
                page.check("#id_consent-consent")
                page.get_by_role("button", name="Send the application").click()
                page.wait_for_load_state()

                expect(page.get_by_text("Your application has been sent")).to_be_visible()
                expect(page.get_by_text("legeerklaering.pdf")).to_be_visible()
                landed_on = page.url
            finally:
                browser.close()
        # The ORM only outside Playwright's event loop.
        application = Application.objects.get()
        assert landed_on.endswith(reverse("parking:application", args=[application.pk]))
        assert application.zone.code == "gloshaugen-a"
        assert application.documents.count() == 1
