"""In a real browser: a reporter finds the #metoo button, submits a report
and confirms having saved the receipt; a committee member logs in with
password and TOTP (the code computed from the device's key, as a phone
would) and acknowledges the report with a message; the reporter logs in
with the receipt and reads that message."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from cases.services.definitions import definitions_sync
from org.services import role_groups_ensure
from tests.live_server import LiveServerTestCase

CHROMIUM = "/usr/bin/chromium"
CHEAP_KDF = {"ops": 1, "mem": 8192}
FILES = Path(tempfile.gettempdir()) / f"varde-wb-browser-{os.getpid()}"

pytestmark = pytest.mark.browser

if not os.path.exists(CHROMIUM) and os.environ.get("CI") != "true":
    pytest.skip(
        "Debian's chromium is not installed (bin/test installs it)", allow_module_level=True
    )


def in_thread(func, *args):
    """Database work from inside Playwright's sync API (it runs an event loop,
    so Django refuses ORM calls on this thread)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(func, *args).result()


def launch(playwright):
    return playwright.chromium.launch(
        executable_path=shutil.which("chromium") or CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--no-first-run"],
    )


@override_settings(
    VARDE_RECEIPT_PEPPER="browser-test-pepper",
    VARDE_WB_MEMBER_KDF=CHEAP_KDF,
    VARDE_WB_RECEIPT_KDF=CHEAP_KDF,
    VARDE_WHISTLEBLOWING_FILES=FILES,
)
class WhistleblowingBrowserTests(LiveServerTestCase):
    serve_static = True

    def setUp(self):
        from tests.whistleblowing.conftest import enroll, totp_device

        role_groups_ensure()
        definitions_sync(directory=settings.VARDE_WORKFLOW_DIR)
        self.anna = enroll("anna", description="Anna Psykolog, psychologist")
        enroll("bjorn", description="Bjørn Sosiolog, sociologist")
        self.device = totp_device(self.anna.user)

    def tearDown(self):
        shutil.rmtree(FILES, ignore_errors=True)

    def test_report_reply_and_read_back_with_the_receipt(self):
        from playwright.sync_api import expect, sync_playwright

        from tests.whistleblowing.conftest import start_cases, totp_code

        url = self.live_server_url
        with sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                reporter = browser.new_context(locale="en").new_page()
                reporter.goto(url + reverse("home"))
                reporter.get_by_role("link", name="#metoo – speak up").click()
                expect(reporter.get_by_text("Anna Psykolog, psychologist")).to_be_visible()
                reporter.get_by_role("link", name="Write a report").click()
                reporter.fill("#id_what_happened", "He cornered me in the lift twice.")
                reporter.fill("#id_when", "March 2026")
                reporter.check("#id_reporter_category_1")
                reporter.get_by_role("button", name="Send report").click()
                receipt = reporter.locator("#receipt").inner_text().strip()
                assert len(receipt) == 23 and receipt.count("-") == 3
                reporter.check("#id_saved")
                reporter.get_by_role("button", name="Continue").click()
                expect(reporter.get_by_role("heading", name="Follow your report")).to_be_visible()

                in_thread(start_cases)  # the scheduled batch

                member = browser.new_context(locale="en").new_page()
                member.goto(url + reverse("wb_committee:login"))
                member.fill("#id_username", "anna")
                member.fill("#id_password", self.anna.password)
                member.fill("#id_otp_token", in_thread(totp_code, self.device))
                member.get_by_role("button", name="Log in").click()
                expect(member.get_by_role("heading", name="Committee cases")).to_be_visible()
                member.get_by_role("link", name="Acknowledge the report").click()
                expect(member.get_by_text("He cornered me in the lift twice.")).to_be_attached()
                member.fill("#id_text-text", "Thank you. The committee has received your "
                                            "report and will contact you here.")
                member.check("#id_step-acknowledgement_sent")
                member.get_by_role("button", name="Complete the step").click()
                expect(member.get_by_text("Acknowledged, being assessed")).to_be_visible()

                reporter.fill("#id_receipt", receipt.lower().replace("-", " "))
                reporter.get_by_role("button", name="Open my report").click()
                expect(reporter.get_by_text(
                    "The committee has received your report and will contact you here."
                )).to_be_visible()
                expect(reporter.locator("#report-status")).to_have_text(
                    "Acknowledged, being assessed")
            finally:
                browser.close()
