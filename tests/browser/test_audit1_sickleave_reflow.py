"""Audit (issue 28 walk-through): the sick-leave pages at phone size must not
scroll sideways (WCAG 2.2 1.4.10 reflow; Varde's brief: usable at 320 px).

Seen in the demo: in English at 360 px the header's "Change language" and
"Log out" buttons end at 395 px on every page; in Norwegian the heading
"Sykefraværsoppfølging" does not wrap (384 px at 360 and 320 px wide), and at
320 px the follow-up page's facts ("Institutt for konstruksjonsteknikk")
run past the edge."""

import os
from datetime import date

import pytest
from django.urls import reverse

from cases.services.definitions import definitions_sync
from org.roles import UNIT_LEADER
from org.services import role_groups_ensure
from tests.browser.test_live_queue import CHROMIUM, launch
from tests.conftest import make_user
from tests.live_server import LiveServerTestCase

pytestmark = pytest.mark.browser

if not os.path.exists(CHROMIUM) and os.environ.get("CI") != "true":
    pytest.skip(
        "Debian's chromium is not installed (bin/test installs it)", allow_module_level=True
    )

WIDE = """() => [document.documentElement.scrollWidth,
  [...document.querySelectorAll('body *')].filter(e => {
     const r = e.getBoundingClientRect();
     return r.width && r.right > window.innerWidth + 1;
  }).slice(0, 5).map(e => e.tagName + ': ' + (e.innerText || '').slice(0, 40))]"""


class SickLeaveReflowTests(LiveServerTestCase):
    serve_static = True

    def setUp(self):
        from django.conf import settings
        from django.utils import timezone

        from org.models import Unit
        from sickleave import services

        role_groups_ensure()
        definitions_sync(directory=settings.VARDE_WORKFLOW_DIR)
        unit = Unit.objects.create(code="ivt-kt", name="Institutt for konstruksjonsteknikk")
        self.leader = make_user("leder", roles=[UNIT_LEADER], units=[unit])
        employee = make_user("nina", units=[unit], first_name="Nina", last_name="Berg")
        self.followup = services.absence_register(
            actor=self.leader, employee=employee, unit=unit,
            first_day=timezone.localdate() - (date(2026, 1, 20) - date(2026, 1, 1)), grade=100)

    def _widths(self, language: str, width: int) -> dict:
        from playwright.sync_api import sync_playwright

        found = {}
        reference = self.followup.case.reference  # no DB access inside Playwright's loop
        with sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                page = browser.new_context(viewport={"width": width, "height": 740},
                                           locale=language).new_page()
                page.goto(self.live_server_url + reverse("login"))
                page.fill("#id_username", "leder")
                page.fill("#id_password", "pw-leder")
                page.click("form:has(#id_password) button[type=submit]")
                page.wait_for_load_state()
                if language == "en":
                    page.select_option("form.language-form select", "en")
                    page.click("form.language-form button")
                    page.wait_for_load_state()
                for name, args in (("sickleave:home", []), ("sickleave:leader", []),
                                   ("sickleave:detail", [reference])):
                    page.goto(self.live_server_url + reverse(name, args=args))
                    page.wait_for_load_state()
                    doc_width, offenders = page.evaluate(WIDE)
                    if doc_width > width:
                        found[name] = (doc_width, offenders)
            finally:
                browser.close()
        return found

    def test_no_sideways_scroll_in_english_at_360(self):
        assert self._widths("en", 360) == {}

    def test_no_sideways_scroll_in_norwegian_at_320(self):
        assert self._widths("nb", 320) == {}
