"""Universal design in a real browser (WCAG 2.2 AA, reflow at 320 px).

Each role walks its pages on a touch phone 320 CSS px wide and on a desktop
screen; every page is checked with axe-core's WCAG 2.0/2.1/2.2 A and AA
rules, for sideways scrolling, for aria references to missing ids and for
main actions under 44 px. The walks also check what axe cannot see: focus
on the list of problems after a failed submit, the receipt code whole at
320 px and 200 % text and copied as one piece, focus never hidden, paste
allowed in the committee's password and one-time-code fields.

One browser serves the whole module (the tests run twice in CI on two cores).
"""

import os
import re
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.browser import a11y
from tests.browser.test_live_queue import CHROMIUM
from tests.browser.walk import BrowserWalkTestCase, in_thread

CHEAP_KDF = {"ops": 1, "mem": 8192}
FILES = Path(tempfile.gettempdir()) / f"varde-ud-browser-{os.getpid()}"

pytestmark = pytest.mark.browser

if not os.path.exists(CHROMIUM) and os.environ.get("CI") != "true":
    pytest.skip(
        "Debian's chromium is not installed (bin/test installs it)", allow_module_level=True
    )

# (viewport, context factory, locale): the phone in English on some walks and
# in Norwegian on others, so both languages meet 320 px.
PHONE_EN = (a11y.PHONE["width"], a11y.phone_context, "en")
PHONE_NB = (a11y.PHONE["width"], a11y.phone_context, "nb")
DESKTOP_EN = (a11y.DESKTOP["width"], a11y.desktop_context, "en")
DESKTOP_NB = (a11y.DESKTOP["width"], a11y.desktop_context, "nb")


def _people():
    from cases.services.definitions import definitions_sync
    from org.models import Unit
    from org.roles import HSE_COORDINATOR
    from org.services import role_groups_ensure
    from tests.conftest import make_user

    role_groups_ensure()
    definitions_sync(directory=settings.VARDE_WORKFLOW_DIR)
    ivt = Unit.objects.create(code="ivt", name="Fakultet for ingeniørvitenskap")
    make_user("kari", units=[ivt])
    make_user("koordinator", roles=[HSE_COORDINATOR], units=[ivt])


def _incident(title):
    from django.contrib.auth.models import User

    from incidents.services import incident_report_submit

    data = {
        "title": title,
        "incident_type": "near_accident",
        "categories": ["building", "personal_injury"],
        "event_date": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "campus": "trondheim",
        "building": "Realfagbygget, the long corridor between the wings",
        "room": "A2-30",
        "unit": "ivt",
        "description": "The handrail came off when I leaned on it. " * 6,
        "injury_actual": False,
        "injury_potential": True,
    }
    return incident_report_submit(reporter=User.objects.get(username="kari"), data=data).reference


def _committee():
    from cases.services.definitions import definitions_sync
    from org.services import role_groups_ensure
    from tests.whistleblowing.conftest import enroll, totp_device

    role_groups_ensure()
    definitions_sync(directory=settings.VARDE_WORKFLOW_DIR)
    anna = enroll("anna", description="Anna Psykolog, psychologist")
    enroll("bjorn", description="Bjørn Sosiolog, sociologist")
    totp_device(anna.user)
    return anna.password


def _totp(username):
    from django.contrib.auth.models import User

    from tests.whistleblowing.conftest import totp_code, totp_device

    return totp_code(totp_device(User.objects.get(username=username)))


@override_settings(
    VARDE_RECEIPT_PEPPER="browser-test-pepper",
    VARDE_WB_MEMBER_KDF=CHEAP_KDF,
    VARDE_WB_RECEIPT_KDF=CHEAP_KDF,
    VARDE_WHISTLEBLOWING_FILES=FILES,
)
class UniversalDesignTests(BrowserWalkTestCase):
    files = FILES

    # Helpers ---------------------------------------------------------------

    def open(self, page, name, *args):
        page.goto(self.live_server_url + reverse(name, args=args))

    def check(self, page, width, problems):
        page.wait_for_load_state()
        problems += a11y.page_problems(page, self.axe, width)
        shots = os.environ.get("VARDE_SCREENSHOTS")  # a folder: look at each page
        if shots:
            self.shot = getattr(self, "shot", 0) + 1
            page.screenshot(path=f"{shots}/{self._testMethodName[5:20]}-{width}-{self.shot:02}.png",
                            full_page=True)

    def login(self, page, username):
        self.open(page, "login")
        page.fill("#id_username", username)
        page.fill("#id_password", "pw-" + username)
        page.click("form:has(#id_password) button[type=submit]")
        page.wait_for_load_state()

    def walk(self, viewport, steps):
        width, make_context, locale = viewport
        context = make_context(self.browser, locale)
        problems = []
        try:
            steps(context.new_page(), width, problems)
        finally:
            context.close()
        assert not problems, "\n".join(problems)

    # The walks -------------------------------------------------------------

    def test_reporter_walk_on_a_phone_and_a_desktop(self):
        in_thread(_people)
        titles = iter(["Loose handrail in stairwell", "Løst rekkverk i trappa"])

        def steps(page, width, problems):
            self.open(page, "home")
            self.check(page, width, problems)
            self.open(page, "accessibility")
            self.check(page, width, problems)
            self.open(page, "login")
            self.check(page, width, problems)
            self.login(page, "kari")
            self.open(page, "incidents:report")
            self.check(page, width, problems)
            if width == a11y.PHONE["width"]:
                hidden = a11y.hidden_focus_stops(page)
                assert not hidden, hidden

            # Sent with required answers missing: focus lands on the problems.
            title = next(titles)
            page.fill("#id_title", title)
            page.locator("form.schema-form button[type=submit]").click()
            page.wait_for_load_state()
            assert a11y.focused_summary(page), "focus is not on the error summary"
            assert page.input_value("#id_title") == title, "nobody types it twice"
            self.check(page, width, problems)

            page.check("#id_incident_type_1")
            page.check("#id_categories_1")
            page.fill("#id_event_date", (timezone.localdate() - timedelta(days=2)).isoformat())
            page.check("#id_campus_0")
            page.fill("#id_building", "Kjemiblokk 5")
            page.select_option("#id_unit", "ivt")
            page.fill("#id_description", "A rung of the ladder is cracked.")
            page.locator("form.schema-form button[type=submit]").click()
            page.wait_for_load_state()
            assert page.locator(".receipt .reference").is_visible()
            self.check(page, width, problems)

            self.open(page, "cases:mine")
            self.check(page, width, problems)
            page.locator("main table a.reference").first.click()
            self.check(page, width, problems)

            # An employee's other services.
            for name in ("parking:home", "parking:apply", "sickleave:home", "amu:home",
                         "amu:submit", "notifications:list"):
                self.open(page, name)
                self.check(page, width, problems)

        self.walk(PHONE_EN, steps)
        self.walk(DESKTOP_NB, steps)

    def test_coordinator_walk_on_a_phone_and_a_desktop(self):
        in_thread(_people)
        references = [in_thread(_incident, f"Broken ladder number {n}") for n in (1, 2)]

        def steps(page, width, problems):
            self.login(page, "koordinator")
            self.open(page, "cases:queue")
            self.check(page, width, problems)
            claim = page.get_by_role("button", name="Claim").first
            if page.evaluate("document.documentElement.lang") == "nb":
                claim = page.get_by_role("button", name="Ta").first
            box = claim.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, box
            if width == a11y.PHONE["width"]:
                # Every row is a card that names its columns.
                assert page.locator("main tbody td[data-label]").count() > 0
                hidden = a11y.hidden_focus_stops(page)
                assert not hidden, hidden
            claim.click()
            page.wait_for_load_state()
            self.check(page, width, problems)

            self.open(page, "cases:detail", references[0])
            self.check(page, width, problems)
            page.locator("main a[href*='/oppgaver/'], main a[href*='/task']").first.click()
            self.check(page, width, problems)

        self.walk(PHONE_NB, steps)
        self.walk(DESKTOP_EN, steps)

    def test_whistleblower_walk_on_a_phone_and_a_desktop(self):
        from tests.whistleblowing.conftest import start_cases

        password = in_thread(_committee)

        def steps(page, width, problems):
            self.open(page, "home")
            page.locator(".metoo-button").click()
            self.check(page, width, problems)
            self.open(page, "whistleblowing:report")
            self.check(page, width, problems)

            # Sent with required answers missing: focus lands on the problems.
            page.fill("#id_when", "March 2026")
            page.locator("form.schema-form button[type=submit]").click()
            page.wait_for_load_state()
            assert a11y.focused_summary(page), "focus is not on the error summary"
            assert page.input_value("#id_when") == "March 2026", "nobody types it twice"
            self.check(page, width, problems)

            page.fill("#id_what_happened", "He cornered me in the lift twice.")
            page.check("#id_reporter_category_1")
            page.locator("form.schema-form button[type=submit]").click()
            page.wait_for_load_state()
            self.check(page, width, problems)
            receipt = page.locator("#receipt")
            text = receipt.inner_text().strip()
            assert len(text) == 23 and text.count("-") == 3, text
            self.assert_receipt_whole(page, width)

            page.check("#id_saved")
            page.locator("#receipt-saved-form button[type=submit]").click()
            page.wait_for_load_state()
            self.check(page, width, problems)
            page.fill("#id_receipt", text)
            page.locator("main form button[type=submit]").click()
            page.wait_for_load_state()
            self.check(page, width, problems)

            self.open(page, "wb_committee:login")
            self.check(page, width, problems)
            for field in ("#id_password", "#id_otp_token"):
                assert a11y.paste_allowed(page, field), f"paste refused in {field}"
            assert page.get_attribute("#id_otp_token", "autocomplete") == "one-time-code"
            assert page.get_attribute("#id_password", "autocomplete") == "current-password"

            # The committee member: dashboard and the new case.
            in_thread(start_cases)
            page.fill("#id_username", "anna")
            page.fill("#id_password", password)
            page.fill("#id_otp_token", in_thread(_totp, "anna"))
            page.locator("main form button[type=submit]").click()
            page.wait_for_load_state()
            self.check(page, width, problems)
            step = page.locator("main a[href*='/steg/']").first.get_attribute("href")
            page.locator("main a[href*='/komite/sak/']").first.click()
            self.check(page, width, problems)
            page.goto(self.live_server_url + step)
            self.check(page, width, problems)
            page.locator("form[action$='/komite/logg-ut/'] button").click()

        self.walk(PHONE_EN, steps)
        self.walk(DESKTOP_NB, steps)

    def assert_receipt_whole(self, page, width):
        """The receipt stays on screen at 320 px and at 200 % text, and a
        selection of it copies as one piece (no added spaces or breaks)."""
        from playwright.sync_api import expect

        for size in ("100%", "200%"):
            page.evaluate(f"document.documentElement.style.fontSize = '{size}'")
            box = page.locator("#receipt").bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (size, box)
            assert a11y.overflow(page, width) == 0, size
        copied = page.evaluate("""() => {
            const range = document.createRange();
            range.selectNodeContents(document.getElementById('receipt'));
            const selection = getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            return selection.toString();
        }""")
        page.evaluate("document.documentElement.style.fontSize = ''")
        shown = page.locator("#receipt").text_content().strip()
        assert copied == shown and re.fullmatch(r"[0-9A-Z]{5}(-[0-9A-Z]{5}){3}", copied), copied
        # The copy button puts exactly the receipt on the clipboard.
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.locator("#receipt-copy button").click()
        expect(page.locator("#receipt-copy [role=status]")).not_to_be_empty()
        assert page.evaluate("navigator.clipboard.readText()") == shown
