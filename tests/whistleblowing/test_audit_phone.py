"""Audit of issue 27 on a phone: the reporter's pages at 360 x 740 CSS px
in a real browser (Debian's chromium). The receipt, shown only once, must be
fully visible, and no page may scroll sideways (scrollWidth <= 360), in
bokmål and in English."""

import os
import shutil

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from cases.services.definitions import definitions_sync
from org.services import role_groups_ensure
from tests.browser.test_whistleblowing import CHEAP_KDF, CHROMIUM, FILES, launch
from tests.live_server import LiveServerTestCase

pytestmark = pytest.mark.browser

if not os.path.exists(CHROMIUM) and os.environ.get("CI") != "true":
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

WIDTH = 360


@override_settings(
    VARDE_RECEIPT_PEPPER="browser-test-pepper",
    VARDE_WB_MEMBER_KDF=CHEAP_KDF,
    VARDE_WB_RECEIPT_KDF=CHEAP_KDF,
    VARDE_WHISTLEBLOWING_FILES=FILES,
)
class ReporterPagesOnAPhone(LiveServerTestCase):
    serve_static = True

    def setUp(self):
        from tests.whistleblowing.conftest import enroll

        role_groups_ensure()
        definitions_sync(directory=settings.VARDE_WORKFLOW_DIR)
        enroll("anna", description="Anna Psykolog, psychologist")
        enroll("bjorn", description="Bjørn Sosiolog, sociologist")

    def tearDown(self):
        shutil.rmtree(FILES, ignore_errors=True)

    def _walk(self, locale):
        from playwright.sync_api import sync_playwright

        url = self.live_server_url
        problems = []
        with sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                page = browser.new_context(
                    locale=locale, viewport={"width": WIDTH, "height": 740},
                    extra_http_headers={"Accept-Language": locale},
                ).new_page()

                def check(name):
                    width = page.evaluate("document.documentElement.scrollWidth")
                    if width > WIDTH:
                        problems.append(f"{locale} {name}: scrollWidth {width} > {WIDTH}")

                page.goto(url + reverse("whistleblowing:info"))
                check("info")
                page.goto(url + reverse("whistleblowing:report"))
                check("form")
                page.fill("#id_what_happened", "He cornered me in the lift twice.")
                page.check("#id_reporter_category_1")
                page.locator("form.schema-form button[type=submit]").click()
                box = page.locator("#receipt").bounding_box()
                if box["x"] < 0 or box["x"] + box["width"] > WIDTH:
                    problems.append(
                        f"{locale} receipt spans x {box['x']:.0f}..{box['x'] + box['width']:.0f}"
                        f", beyond the {WIDTH} px screen")
                check("receipt")
                page.goto(url + reverse("whistleblowing:login"))
                check("login")
            finally:
                browser.close()
        return problems

    def test_the_receipt_and_every_page_fit_a_360_px_phone(self):
        problems = self._walk("nb") + self._walk("en")
        assert problems == [], problems
