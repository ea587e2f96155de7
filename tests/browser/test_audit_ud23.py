"""Audit (issue 23) in a real browser: what an independent auditor found on a
phone after the universal-design work.

- The near-parking decision letter reflows at 320 px (it was 980 px: no
  viewport), has a skip link, a main landmark and the footer on screen, and
  prints (and makes its PDF) as the letter alone.
- Notification buttons are at least 24 × 24 CSS px (WCAG 2.2 2.5.8), 44 high
  as main actions (they were 21 px).
- The whistleblowing receipt, in bokmål, stays whole at 320 px with 200 %
  text and at 640 px with the browser zoomed to 200 % (it was 439 px wide).
- A form sent back with errors (/sykefravaer/ny/, /amu/moter/nytt/) moves
  focus to its error summary.

One browser serves the class; each test opens few pages.
"""

import os
import tempfile

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from tests.browser import a11y
from tests.browser.test_live_queue import CHROMIUM
from tests.browser.test_universal_design import CHEAP_KDF, _committee
from tests.browser.walk import BrowserWalkTestCase, in_thread

FILES = tempfile.gettempdir() + f"/varde-ud23-browser-{os.getpid()}"

pytestmark = pytest.mark.browser

if not os.path.exists(CHROMIUM) and os.environ.get("CI") != "true":
    pytest.skip(
        "Debian's chromium is not installed (bin/test installs it)", allow_module_level=True
    )


def _parking_decision() -> int:
    """Kari applies, is assessed and rejected: a decision letter and a notification."""
    from cases.services.definitions import definitions_sync
    from org.models import Unit
    from org.services import role_groups_ensure
    from parking.models import Decision, Zone
    from parking.roles import OCCUPATIONAL_PHYSIOTHERAPIST, PARKING_OFFICER
    from parking.services.applications import application_submit
    from tests.conftest import make_user
    from tests.parking.conftest import HEALTH_APPLICATION, checked, complete, pdf_upload, score

    role_groups_ensure()
    definitions_sync(directory=settings.VARDE_WORKFLOW_DIR)
    unit = Unit.objects.create(code="ivt", name="Fakultet for ingeniørvitenskap")
    Zone.objects.create(code="gloshaugen-a", name="Gløshaugen A", campus="Gløshaugen",
                        capacity=2)
    kari = make_user("kari", units=[unit], first_name="Kari", last_name="Nordmann")
    officer = make_user("officer", roles=[PARKING_OFFICER])
    physio = make_user("physio", roles=[OCCUPATIONAL_PHYSIOTHERAPIST])
    app = application_submit(applicant=kari, data=dict(HEALTH_APPLICATION),
                             uploads=[checked(pdf_upload())], document_kind="doctor_statement")
    complete(officer, app.case, "completeness_check", {"completeness": "complete"})
    complete(physio, app.case, "assess", score(function="1", distance="0"))
    complete(officer, app.case, "allocate", {
        "allocation_decision": "reject",
        "decision_reasons": "A score of 3 is below what the zone needs this year "
                            "(https://www.ntnu.no/hms/naerparkering/retningslinjer-for-tildeling)."})
    return Decision.objects.get(application=app).pk


def _leaders():
    from amu.roles import AMU_SECRETARY
    from org.models import Unit
    from org.roles import UNIT_LEADER
    from org.services import role_groups_ensure
    from tests.conftest import make_user

    role_groups_ensure()
    unit = Unit.objects.create(code="ivt-kt", name="Institutt for konstruksjonsteknikk")
    make_user("leder", roles=[UNIT_LEADER, AMU_SECRETARY], units=[unit])


@override_settings(
    VARDE_RECEIPT_PEPPER="browser-test-pepper",
    VARDE_WB_MEMBER_KDF=CHEAP_KDF,
    VARDE_WB_RECEIPT_KDF=CHEAP_KDF,
    VARDE_WHISTLEBLOWING_FILES=FILES,
)
class AuditUd23Tests(BrowserWalkTestCase):
    files = FILES

    def login(self, page, username):
        page.goto(self.live_server_url + reverse("login"))
        page.fill("#id_username", username)
        page.fill("#id_password", "pw-" + username)
        page.click("form:has(#id_password) button[type=submit]")
        page.wait_for_load_state()

    def phone(self, locale="nb"):
        return a11y.phone_context(self.browser, locale)

    def test_decision_letter_reflows_on_a_phone_and_prints_as_the_letter(self):
        decision = in_thread(_parking_decision)
        width = a11y.PHONE["width"]
        context = self.phone()
        try:
            page = context.new_page()
            self.login(page, "kari")
            page.goto(self.live_server_url + reverse("parking:letter", args=[decision]))
            problems = a11y.page_problems(page, self.axe, width)
            assert not problems, "\n".join(problems)
            assert page.locator("main h1").is_visible()
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
            assert page.locator("footer a", has_text="Tilgjengelighetserklæring").is_visible()
            page.evaluate("document.documentElement.style.fontSize = '200%'")
            assert a11y.overflow(page, width) == 0, page.evaluate(a11y.WIDE_ELEMENTS, width)
            page.evaluate("document.documentElement.style.fontSize = ''")

            page.emulate_media(media="print")
            for hidden in (".skip-link", "footer", ".screen-only"):
                assert page.locator(hidden).evaluate(
                    "el => getComputedStyle(el).display") == "none", hidden
            assert page.locator("main h1").is_visible()
        finally:
            context.close()

    def test_notification_buttons_are_big_enough_to_tap(self):
        in_thread(_parking_decision)
        context = self.phone("en")
        try:
            page = context.new_page()
            self.login(page, "kari")
            page.goto(self.live_server_url + reverse("notifications:list"))
            button = page.get_by_role("button", name="Mark all as read")
            box = button.bounding_box()
            assert box["height"] >= 44 and box["width"] >= 44, box
            assert a11y.small_targets(page) == []
            problems = a11y.page_problems(page, self.axe, a11y.PHONE["width"])
            page.goto(self.live_server_url + reverse("notifications:preferences"))
            assert a11y.small_targets(page) == []
            problems += a11y.page_problems(page, self.axe, a11y.PHONE["width"])
            assert not problems, "\n".join(problems)
        finally:
            context.close()

    def test_receipt_whole_in_bokmal_at_320_px_and_at_200_percent_zoom(self):
        in_thread(_committee)
        contexts = {
            # A phone 320 px wide, then the same with text at 200 %.
            "phone": self.phone(),
            # A 640 px window zoomed to 200 %: a 320 CSS px viewport at twice the pixels.
            "zoom": self.browser.new_context(viewport={"width": 320, "height": 400},
                                             device_scale_factor=2, locale="nb"),
        }
        try:
            for name, context in contexts.items():
                page = context.new_page()
                page.goto(self.live_server_url + reverse("whistleblowing:report"))
                page.fill("#id_what_happened", "Han stengte meg inne i heisen to ganger.")
                page.check("#id_reporter_category_1")
                page.locator("form.schema-form button[type=submit]").click()
                page.wait_for_load_state()
                assert page.locator("#receipt").is_visible(), name
                for size in ("100%", "200%"):
                    page.evaluate(f"document.documentElement.style.fontSize = '{size}'")
                    box = page.locator("#receipt").bounding_box()
                    assert box["x"] >= 0 and box["x"] + box["width"] <= 320, (name, size, box)
                    wide = page.evaluate(a11y.WIDE_ELEMENTS, 320)
                    assert a11y.overflow(page, 320) == 0, (name, size, wide)
                    # Readable: the code is not shrunk below the body text.
                    code = page.locator("#receipt").evaluate(
                        "el => parseFloat(getComputedStyle(el).fontSize)")
                    body = page.evaluate(
                        "parseFloat(getComputedStyle(document.body).fontSize)")
                    assert code >= body, (name, size, code, body)
        finally:
            for context in contexts.values():
                context.close()

    def test_focus_moves_to_the_error_summary(self):
        in_thread(_leaders)
        context = self.phone()
        try:
            page = context.new_page()
            self.login(page, "leder")
            for name, submit in (("sickleave:register", "main form button[type=submit]"),
                                 ("amu:meeting_create", "main form button[type=submit]")):
                page.goto(self.live_server_url + reverse(name))
                page.locator(submit).click()
                page.wait_for_load_state()
                assert a11y.focused_summary(page), f"{name}: focus is not on the error summary"
                link = page.locator(".error-summary a").first
                target = link.get_attribute("href")[1:]
                link.click()
                assert page.evaluate("document.activeElement.id") == target, name
                problems = a11y.page_problems(page, self.axe, a11y.PHONE["width"])
                assert not problems, "\n".join(problems)
        finally:
            context.close()

    def test_other_roles_walk_on_a_phone(self):
        """Each role's main pages at 320 px, in bokmål and in English."""
        data = in_thread(_other_roles)
        walks = [
            ("nb", "kari", [("parking:home", []), ("parking:application", [data["application"]]),
                            ("notifications:list", []), ("accessibility", [])]),
            ("en", "officer", [("parking:board", []), ("cases:queue", []),
                               ("parking:letter", [data["decision"]])]),
            ("nb", "physio", [("parking:assessment_queue", [])]),
            ("en", "leder", [("sickleave:home", []), ("sickleave:leader", []),
                             ("sickleave:detail", [data["followup"]]),
                             ("sickleave:register", []), ("amu:home", []), ("amu:calendar", []),
                             ("amu:meeting", [data["meeting"]]), ("amu:meeting_create", [])]),
            ("nb", "leder", [("sickleave:detail", [data["followup"]]),
                             ("amu:meeting", [data["meeting"]])]),
            ("nb", "hseadmin", [("cases:in_error", []), ("cases:definitions", []),
                                ("cases:failed_jobs", []), ("incidents:statistics", [])]),
        ]
        problems = []
        for locale, username, pages in walks:
            context = self.phone(locale)
            try:
                page = context.new_page()
                self.login(page, username)
                for name, args in pages:
                    page.goto(self.live_server_url + reverse(name, args=args))
                    page.wait_for_load_state()
                    problems += a11y.page_problems(page, self.axe, a11y.PHONE["width"])
            finally:
                context.close()
        assert not problems, "\n".join(problems)



def _other_roles() -> dict:
    """The roles the universal-design walks leave out: the applicant after a
    decision, the parking officer and physiotherapist, a leader (sick leave)
    who is also AMU's secretary, and the HSE administrator."""
    from datetime import timedelta

    from django.contrib.auth.models import User
    from django.utils import timezone

    from amu.models import Body, BodyKind, Meeting
    from org.models import Unit
    from org.roles import HSE_ADMIN
    from parking.models import Decision, Zone
    from parking.services.applications import application_submit
    from sickleave import services as sick
    from tests.conftest import make_user
    from tests.parking.conftest import HEALTH_APPLICATION, checked, pdf_upload

    decision = _parking_decision()
    _leaders()
    make_user("hseadmin", roles=[HSE_ADMIN])
    ivt, kt = Unit.objects.get(code="ivt"), Unit.objects.get(code="ivt-kt")
    application_submit(
        applicant=make_user("nils", units=[ivt]),
        data={**HEALTH_APPLICATION, "need_description": "Langt å gå. " * 40},
        uploads=[checked(pdf_upload())], document_kind="doctor_statement")
    Zone.objects.create(code="kalvskinnet", name="Kalvskinnet", campus="Kalvskinnet", capacity=1)
    leader = User.objects.get(username="leder")
    employee = make_user("nina", first_name="Nina", last_name="Berg", units=[kt])
    followup = sick.absence_register(
        actor=leader, employee=employee, unit=kt,
        first_day=timezone.localdate() - timedelta(days=19), grade=100)
    body = Body.objects.create(code="amu", name="Arbeidsmiljøutvalget", kind=BodyKind.AMU,
                               position=1)
    meeting = Meeting.objects.create(body=body, date=timezone.localdate() + timedelta(days=14),
                                     location="Hovedbygningen, rom 101")
    return {"decision": decision,
            "application": Decision.objects.get(pk=decision).application_id,
            "followup": followup.case.reference, "meeting": meeting.pk}
