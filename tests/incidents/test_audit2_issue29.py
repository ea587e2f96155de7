"""Second independent audit of issue 29 (branch audit29): the items built on
hse29, driven through the real engine and the views as each role does, with
time moved. The five defects it found were strict xfails; fixed since (fix29)."""

import re
import zlib
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cases import services
from cases.models import Case, CaseEvent, EventKind, Task
from notifications.models import Kind, Notification
from tests.incidents.conftest import in_days, plan_post, ready, submit_report, work
from tests.web.conftest import report_post

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
ARRIVAL = datetime(2026, 12, 2, 13, 37, 11, tzinfo=OSLO)  # a Wednesday


def _anonymous(client, report_data, time_machine, **extra):
    time_machine.move_to(ARRIVAL, tick=False)
    client.logout()
    assert client.post(reverse("incidents:report"),
                       report_post({**report_data, **extra})).status_code == 302
    return Case.objects.latest("pk")


def _clock_traces(text: str) -> list[str]:
    """Times of day derived from the arrival (13:37:11 local, 12:37:11 UTC),
    as stored or shown: the arrival itself or arrival + whole hours."""
    pattern = r"\b\d{2}:37(:11)?\b"
    return [m.group(0) for m in re.finditer(pattern, text)]


# -- an anonymous report keeps only its date -------------------------------------------


def test_anonymous_critical_report_keeps_no_time_of_day(
    client, definitions, people, report_data, time_machine
):
    case = _anonymous(client, report_data, time_machine, severity_suggested="critical")
    triage = ready(case, "triage")
    state = zlib.decompress(bytes(case.state)).decode()
    stored = [str(triage.due_at.astimezone(OSLO)), str(case.next_timer_at.astimezone(OSLO)),
              state]
    assert not [t for text in stored for t in _clock_traces(text)]


def test_anonymous_report_notifications_keep_no_time_of_day(
    client, definitions, people, report_data, time_machine, run_worker
):
    case = _anonymous(client, report_data, time_machine)
    run_worker()
    notes = Notification.objects.filter(case=case)
    assert notes.exists()
    client.force_login(people["coordinator"])
    page = client.get(reverse("notifications:list")).content.decode()
    assert not _clock_traces(page)
    midnight = datetime(2026, 12, 2, tzinfo=OSLO)
    assert {n.created_at for n in notes} == {midnight}


def test_anonymous_report_pages_and_events_keep_no_time_of_day(
    client, definitions, people, report_data, time_machine, units
):
    from incidents.roles import SAFETY_REPRESENTATIVE
    from tests.conftest import make_user

    rep = make_user("verneombud", roles=[SAFETY_REPRESENTATIVE], units=[units["ivt"]])
    case = _anonymous(client, report_data, time_machine, incident_type="accident",
                      injury_actual=True)
    assert all(e.at.astimezone(OSLO).hour == 0 for e in CaseEvent.objects.filter(case=case))
    assert all(t.created_at.astimezone(OSLO).hour == 0 for t in case.tasks.all())
    client.force_login(people["coordinator"])
    for url in (reverse("cases:detail", args=[case.reference]), reverse("cases:queue"),
                reverse("cases:task", args=[ready(case, "triage").pk])):
        assert not _clock_traces(client.get(url).content.decode()), url
    time_machine.move_to(ARRIVAL.replace(hour=15, minute=5), tick=False)
    work(client, people["coordinator"], case, "triage",
         {"triage_decision": "accept", "severity": "serious"})
    client.force_login(rep)
    for url in (reverse("incidents:safety_deviations"), reverse("incidents:injury_register"),
                reverse("incidents:safety_deviation", args=[case.reference])):
        response = client.get(url)
        assert response.status_code == 200 and not _clock_traces(response.content.decode()), url


# -- reasons ---------------------------------------------------------------------------


def _post_plan(client, people, case, data):
    plan = ready(case, "plan_measures")
    client.force_login(people["coordinator"])
    if plan.assignee_id is None:
        client.post(reverse("cases:task_claim", args=[plan.pk]))
    return client.post(reverse("cases:task", args=[plan.pk]), data)


def test_blank_spaces_are_no_reason_for_a_late_deadline_or_a_stranger(
    client, accepted_case, people, units
):
    from tests.conftest import make_user

    make_user("stranger", units=[units["nv"]])
    response = _post_plan(client, people, accepted_case, plan_post(
        ("Late", "owner", in_days(400), "   \t "), ("Far", "stranger", in_days(5), "\u00a0 ")))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"measures-0-deadline", "measures-1-owner"}


def test_blank_spaces_are_no_reason_for_a_severity_change(client, accepted_case, people):
    work(client, people["coordinator"], accepted_case, "plan_measures", plan_post())
    close = ready(accepted_case, "verify_and_close")
    client.force_login(people["coordinator2"])
    client.post(reverse("cases:task_claim", args=[close.pk]))
    response = client.post(reverse("cases:task", args=[close.pk]), {
        "closure_decision": "close", "severity": "critical", "closure_comment": "x",
        "severity_change_reason": "    "})
    assert response.status_code == 200
    assert "severity_change_reason" in response.context["form"].errors


def test_after_a_transfer_the_new_units_people_are_the_owners(
    client, definitions, people, report_data
):
    case = submit_report(client, people["reporter"], report_data)
    work(client, people["coordinator"], case, "triage",
         {"triage_decision": "transfer", "transfer_to": "nv"})
    work(client, people["nv_coordinator"], case, "triage",
         {"triage_decision": "accept", "severity": "serious"})
    plan = ready(case, "plan_measures")
    client.force_login(people["nv_coordinator"])
    client.post(reverse("cases:task_claim", args=[plan.pk]))
    response = client.post(reverse("cases:task", args=[plan.pk]),
                           plan_post(("Rail", "owner", in_days(5))))  # owner is in ivt
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["measures-0-owner"]


def test_an_unknown_owner_with_a_reason_is_refused(client, accepted_case, people):
    response = _post_plan(client, people, accepted_case, plan_post(
        ("Rail", "no_such_user", in_days(5), "External contractor.")))
    assert response.status_code == 200


def test_a_deadline_already_past_is_refused_not_escalated_at_once(
    client, accepted_case, people, run_worker
):
    response = _post_plan(client, people, accepted_case,
                          plan_post(("Rail", "owner", in_days(-3))))
    run_worker()
    assert not Notification.objects.filter(case=accepted_case, kind=Kind.OVERDUE,
                                           user=people["leader"]).exists()
    assert response.status_code == 200
    assert "measures-0-deadline" in response.context["form"].errors


# -- a late action's escalation --------------------------------------------------------


def _overdue(case):
    return list(case.events.filter(kind=EventKind.ESCALATED).order_by("pk"))


def test_an_action_done_on_time_is_never_escalated(
    client, accepted_case, people, time_machine, run_worker
):
    time_machine.move_to(datetime.now(UTC), tick=False)
    case = accepted_case
    work(client, people["coordinator"], case, "plan_measures",
         plan_post(("Rail", "owner", in_days(2)), ("Bolts", "other_reporter", in_days(30))))
    rail = Task.objects.get(case=case, title_suffix="Rail")
    work(client, people["owner"], case, "carry_out_measure", {"status": "done"})
    for later in (timedelta(minutes=1), timedelta(days=1, minutes=1), timedelta(days=3)):
        time_machine.move_to(rail.due_at + later, tick=False)
        services.case_wake(case_id=case.pk)
    run_worker()
    assert _overdue(case) == []
    assert not Notification.objects.filter(case=case, kind=Kind.OVERDUE).exists()


def test_an_action_done_late_stops_before_the_leader(
    client, accepted_case, people, time_machine, run_worker
):
    time_machine.move_to(datetime.now(UTC), tick=False)
    case = accepted_case
    work(client, people["coordinator"], case, "plan_measures",
         plan_post(("Rail", "owner", in_days(2))))
    rail = ready(case, "carry_out_measure")
    time_machine.move_to(rail.due_at + timedelta(minutes=1), tick=False)
    services.case_wake(case_id=case.pk)
    services.case_wake(case_id=case.pk)  # a second wake changes nothing
    assert len(_overdue(case)) == 1
    time_machine.move_to(rail.due_at + timedelta(hours=3), tick=False)
    work(client, people["owner"], case, "carry_out_measure", {"status": "done"})
    time_machine.move_to(rail.due_at + timedelta(days=2), tick=False)
    services.case_wake(case_id=case.pk)
    services.case_wake(case_id=case.pk)
    run_worker()
    assert len(_overdue(case)) == 1
    assert not Notification.objects.filter(case=case, kind=Kind.OVERDUE,
                                           user=people["leader"]).exists()


def test_a_late_action_of_the_second_round_escalates_too(
    client, accepted_case, people, time_machine, run_worker
):
    time_machine.move_to(datetime.now(UTC), tick=False)
    case = accepted_case
    work(client, people["coordinator"], case, "plan_measures",
         plan_post(("Rail", "owner", in_days(5))))
    work(client, people["owner"], case, "carry_out_measure", {"status": "done"})
    work(client, people["coordinator2"], case, "verify_and_close",
         {"closure_decision": "reopen", "severity": "serious", "closure_comment": "More."})
    work(client, people["coordinator"], case, "plan_measures",
         plan_post(("Rail again", "owner", in_days(2))))
    again = ready(case, "carry_out_measure")
    assert again.title_suffix == "Rail again"
    time_machine.move_to(again.due_at + timedelta(minutes=1), tick=False)
    services.case_wake(case_id=case.pk)
    time_machine.move_to(again.due_at + timedelta(days=1, minutes=1), tick=False)
    services.case_wake(case_id=case.pk)
    run_worker()
    again.refresh_from_db()
    assert again.escalated_at is not None
    assert [e.data.get("to_role", "") for e in _overdue(case)] == ["hse_coordinator", ""]
    assert Notification.objects.filter(case=case, kind=Kind.OVERDUE,
                                       user=people["leader"]).count() == 1


def test_the_leader_can_hand_an_escalated_action_to_another_unit_member(
    client, accepted_case, people, time_machine
):
    """The plan may name any unit member as owner; the leader the late
    action is escalated to can hand it to another one."""
    time_machine.move_to(datetime.now(UTC), tick=False)
    case = accepted_case
    work(client, people["coordinator"], case, "plan_measures",
         plan_post(("Rail", "owner", in_days(2))))
    rail = ready(case, "carry_out_measure")
    time_machine.move_to(rail.due_at + timedelta(days=1, minutes=1), tick=False)
    services.case_wake(case_id=case.pk)
    client.force_login(people["leader"])
    queue = client.get(reverse("cases:queue")).content.decode()
    assert "Rail" in queue.split("Escalated", 1)[-1]
    client.post(reverse("cases:task_reassign", args=[rail.pk]),
                {"reassign-username": "other_reporter"})
    rail.refresh_from_db()
    assert rail.assignee == people["other_reporter"]


# -- what an action owner's lists show -------------------------------------------------


def test_an_owners_queue_filters_do_not_reveal_the_severity(client, accepted_case, people):
    work(client, people["coordinator"], accepted_case, "plan_measures",
         plan_post(("Rail", "owner", in_days(5))))
    client.force_login(people["owner"])
    shown = {}
    for severity in ("critical", "serious", "less_serious"):
        page = client.get(reverse("cases:queue"), {"severity": severity}).content.decode()
        shown[severity] = "Rail" in page
    assert len(set(shown.values())) == 1, shown


def test_an_owners_lists_have_no_dead_case_link(client, accepted_case, people):
    work(client, people["coordinator"], accepted_case, "plan_measures",
         plan_post(("Rail", "owner", in_days(5))))
    client.force_login(people["owner"])
    case_url = reverse("cases:detail", args=[accepted_case.reference])
    for url in (reverse("cases:queue"), reverse("cases:mine"), "/",
                reverse("cases:task", args=[ready(accepted_case, "carry_out_measure").pk])):
        html = re.sub(r"<select.*?</select>", "", client.get(url, follow=True)
                      .content.decode(), flags=re.S)
        assert case_url not in html, url
        assert "Serious" not in html, url


# -- the planning and closure forms at 320 px (Chromium) -------------------------------

BROWSER_CHECKS = """([field, summary]) => {
  const el = document.getElementById(field);
  const described = (el.getAttribute('aria-describedby') || '').split(/\\s+/)
    .map(id => document.getElementById(id)).filter(Boolean).map(e => e.textContent).join(' ');
  const box = el.getBoundingClientRect();
  const cut = [...document.querySelectorAll('main input, main select, main textarea, main label,'
    + ' main .field-error, main button')].filter(e => e.offsetParent !== null)
    .filter(e => { const r = e.getBoundingClientRect(); return r.left < -0.5 || r.right > 320.5; })
    .map(e => e.tagName + '#' + e.id);
  return {invalid: el.getAttribute('aria-invalid'), described, width: box.width, cut,
          summary: !!document.querySelector(summary)};
}"""


def _browser_ready() -> bool:
    import os

    from tests.browser.test_live_queue import CHROMIUM

    return os.path.exists(CHROMIUM) or os.environ.get("CI") == "true"


try:
    from tests.live_server import LiveServerTestCase
except ImportError:  # pragma: no cover
    LiveServerTestCase = object


@pytest.mark.browser
@pytest.mark.skipif(not _browser_ready(), reason="Debian's chromium is not installed")
class Forms320Tests(LiveServerTestCase):
    """A coordinator plans, a second coordinator closes, on a 320 px phone:
    the complaint sits next to its field and is announced, nothing is cut
    off, the typed data stays."""

    serve_static = True

    def setUp(self):
        from django.conf import settings
        from django.utils import timezone

        from cases.services import task_claim, task_complete
        from cases.services.definitions import definitions_sync
        from incidents.services import incident_report_submit
        from org.models import Unit
        from org.roles import HSE_COORDINATOR
        from org.services import role_groups_ensure
        from tests.conftest import REPORT, make_user

        role_groups_ensure()
        definitions_sync(directory=settings.VARDE_WORKFLOW_DIR)
        unit = Unit.objects.create(code="ivt", name="Fakultet for ingeniørvitenskap")
        reporter = make_user("kari", units=[unit])
        self.coordinator = make_user("koord", roles=[HSE_COORDINATOR], units=[unit])
        self.closer = make_user("koord2", roles=[HSE_COORDINATOR], units=[unit])
        make_user("eier", units=[unit])
        self.case = incident_report_submit(reporter=reporter, data=dict(REPORT))
        triage = self.case.tasks.get(bpmn_id="triage")
        task_claim(actor=self.coordinator, task_id=triage.pk)
        task_complete(actor=self.coordinator, task_id=triage.pk,
                      data={"triage_decision": "accept", "severity": "serious"})
        self.plan = self.case.tasks.get(bpmn_id="plan_measures", state="ready")
        task_claim(actor=self.coordinator, task_id=self.plan.pk)
        self.late = (timezone.localdate() + timedelta(days=400)).isoformat()

    def _session(self, username, walk):
        from playwright.sync_api import sync_playwright

        from tests.browser.a11y import phone_context
        from tests.browser.test_live_queue import launch

        with sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                page = phone_context(browser, "en").new_page()
                page.goto(self.live_server_url + reverse("login"))
                page.fill("#id_username", username)
                page.fill("#id_password", "pw-" + username)
                page.click("form:has(#id_password) button[type=submit]")
                page.wait_for_load_state()
                page.select_option("form.language-form select", "en")
                page.click("form.language-form button")
                page.wait_for_load_state()
                return walk(page)
            finally:
                browser.close()

    @staticmethod
    def _after_submit(page, field, kept):
        from tests.browser.a11y import axe_script, focused_summary, page_problems

        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state()
        found = page.evaluate(BROWSER_CHECKS, [field, ".error-summary[role=alert]"])
        found["focused"] = focused_summary(page)
        found["problems"] = page_problems(page, axe_script(), 320)
        found["kept"] = {selector: page.locator(selector).input_value()
                         if not selector.endswith(":checked")
                         else page.locator(selector).count() for selector in kept}
        return found

    def _plan(self, page):
        page.goto(self.live_server_url + reverse("cases:task", args=[self.plan.pk]))
        fill = {"#id_consequence": "Someone could fall.", "#id_cause": "Loose bolts.",
                "#id_measures-0-title": "Replace the rail", "#id_measures-0-owner": "eier",
                "#id_measures-0-deadline": self.late}
        for selector, value in fill.items():
            page.fill(selector, value)
        return self._after_submit(page, "id_measures-0-deadline", list(fill))

    def _close(self, page):
        page.goto(self.live_server_url + reverse("cases:task", args=[self.close.pk]))
        page.check("input[name=closure_decision][value=close]")
        page.check("input[name=severity][value=less_serious]")
        page.fill("#id_closure_comment", "Rail fixed.")
        return self._after_submit(page, "id_severity_change_reason", [
            "#id_closure_comment", "input[name=severity][value=less_serious]:checked",
            "input[name=closure_decision][value=close]:checked"])

    def test_the_plan_and_the_closure_at_320_px(self):
        from cases.services import task_claim, task_complete

        plan = self._session("koord", self._plan)
        task_complete(actor=self.coordinator, task_id=self.plan.pk,
                      data={"consequence": "x", "cause": "y", "measures": []})
        self.close = self.case.tasks.get(bpmn_id="verify_and_close", state="ready")
        task_claim(actor=self.closer, task_id=self.close.pk)
        close = self._session("koord2", self._close)
        for name, found in (("plan", plan), ("close", close)):
            assert found["invalid"] == "true", (name, found)
            assert "reason" in found["described"].lower(), (name, found)
            assert found["summary"] and found["focused"], (name, found)
            assert found["cut"] == [] and found["problems"] == [], (name, found)
            assert all(found["kept"].values()), (name, found)
