"""Auditor's test for issue 26: the AMU pages at a phone's width. The
minutes, the meeting's case page and the AMU case page scroll sideways at
360 px (``.facts``: the label column is ``minmax(10rem, max-content)`` and
the value column ``1fr``, whose minimum is its content), so the decision
and the vote counts are cut off (WCAG 1.4.10 Reflow: usable at 320 px)."""

import os

import pytest
from django.conf import settings
from django.urls import reverse

from cases.services.definitions import definitions_sync
from org.services import role_groups_ensure
from tests.browser.test_live_queue import CHROMIUM, launch
from tests.live_server import LiveServerTestCase

pytestmark = pytest.mark.browser

if not os.path.exists(CHROMIUM) and os.environ.get("CI") != "true":
    pytest.skip(
        "Debian's chromium is not installed (bin/test installs it)", allow_module_level=True
    )


class NarrowAmuPagesTests(LiveServerTestCase):
    serve_static = True

    def setUp(self):
        from amu.demo import seed_amu_demo

        role_groups_ensure()
        definitions_sync(directory=settings.VARDE_WORKFLOW_DIR)
        seed_amu_demo(password="pw-demo")

    def test_the_held_meetings_pages_fit_360_and_320_px(self):
        from playwright.sync_api import sync_playwright

        from amu.models import Meeting, MeetingStatus

        held = Meeting.objects.get(body__code="amu", status=MeetingStatus.APPROVED)
        item = held.items.get()
        paths = [
            reverse("amu:meeting", args=[held.pk]),
            reverse("amu:minutes", args=[held.pk]),
            reverse("amu:item", args=[held.pk, item.pk]),
            reverse("amu:case", args=[item.amu_case.case.reference]),
        ]
        too_wide = []
        with sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                for username in ("amusekretaer", "amuleder", "sintef"):
                    for width in (360, 320):
                        context = browser.new_context(
                            locale="nb-NO", viewport={"width": width, "height": 740})
                        page = context.new_page()
                        page.goto(self.live_server_url + reverse("login"))
                        page.fill("#id_username", username)
                        page.fill("#id_password", "pw-demo")
                        page.click("form:has(#id_password) button[type=submit]")
                        page.wait_for_load_state()
                        for path in paths:
                            page.goto(self.live_server_url + path)
                            scroll = page.evaluate("document.documentElement.scrollWidth")
                            if scroll > width:
                                too_wide.append(f"{username} {path} at {width}px: {scroll}")
                        context.close()
            finally:
                browser.close()
        assert not too_wide, "\n".join(too_wide)
