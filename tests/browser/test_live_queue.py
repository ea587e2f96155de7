"""In a real browser: a handler has the queue open, a reporter submits an
incident in another browser context, and the new task appears in the
handler's queue without a reload (websocket → region refresh)."""

import os
import shutil
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cases.services.definitions import definitions_sync
from org.services import role_groups_ensure
from tests.conftest import make_user
from tests.live_server import LiveServerTestCase

CHROMIUM = "/usr/bin/chromium"

pytestmark = pytest.mark.browser

if not os.path.exists(CHROMIUM) and os.environ.get("CI") != "true":
    pytest.skip(
        "Debian's chromium is not installed (bin/test installs it)", allow_module_level=True
    )


def launch(playwright):
    return playwright.chromium.launch(
        executable_path=shutil.which("chromium") or CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--no-first-run"],
    )


class LiveQueueTests(LiveServerTestCase):
    serve_static = True

    def setUp(self):
        from org.models import Unit
        from org.roles import HSE_COORDINATOR

        role_groups_ensure()
        definitions_sync(directory=settings.VARDE_WORKFLOW_DIR)
        self.ivt = Unit.objects.create(code="ivt", name="Fakultet for ingeniørvitenskap")
        make_user("koordinator", roles=[HSE_COORDINATOR], units=[self.ivt])

    def login(self, page, username):
        page.goto(self.live_server_url + reverse("login"))
        page.fill("#id_username", username)
        page.fill("#id_password", "pw-" + username)
        page.click("form:has(#id_password) button[type=submit]")
        page.wait_for_load_state()

    def test_new_task_appears_in_open_queue_without_reload(self):
        from playwright.sync_api import expect, sync_playwright

        with sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                handler = browser.new_context(locale="en").new_page()
                self.login(handler, "koordinator")
                handler.goto(self.live_server_url + reverse("cases:queue"))
                handler.wait_for_selector("body[data-live-connected=true]", timeout=10_000)
                handler.evaluate("window.__notReloaded = true")

                reporter = browser.new_context(locale="en").new_page()
                reporter.goto(self.live_server_url + reverse("incidents:report"))
                reporter.fill("#id_title", "Broken ladder in lab K5")
                reporter.check("#id_incident_type_1")
                reporter.check("#id_categories_1")
                # The event happened last week, whatever day the test runs.
                reporter.fill("#id_event_date",
                              (timezone.localdate() - timedelta(days=7)).isoformat())
                reporter.check("#id_campus_0")
                reporter.fill("#id_building", "Kjemiblokk 5")
                reporter.select_option("#id_unit", "ivt")
                reporter.fill("#id_description", "A rung of the ladder is cracked.")
                reporter.click("form:has(#id_title) button[type=submit]")
                reporter.wait_for_load_state()

                expect(handler.get_by_text("Broken ladder in lab K5")).to_be_visible(
                    timeout=10_000
                )
                assert handler.evaluate("window.__notReloaded") is True
            finally:
                browser.close()
