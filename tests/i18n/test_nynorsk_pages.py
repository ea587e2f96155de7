"""Pages in nynorsk, as each role of the core meets them (språklova § 14).

Each page is requested with the nynorsk language cookie and checked for
bokmål-only words in Varde's own text (tests/i18n/nynorsk.py), not in what
users typed. The roles of the apps with their own catalogue are checked
beside their other tests: tests/whistleblowing/test_nynorsk_pages.py
(reporter, committee member), tests/amu/…, tests/sickleave/…,
tests/parking/… (AMU member, employee on sick leave, parking applicant).
"""

import pytest
from django.urls import reverse

from cases.models import Task, TaskState
from incidents.services import incident_report_submit
from notifications.models import OutgoingEmail
from org.services import language_set
from tests.conftest import REPORT
from tests.i18n.nynorsk import assert_nynorsk, bokmal_words, cookie, varde_text

pytestmark = pytest.mark.django_db

UNIT_NAMES = ("Fakultet for ingeniørvitenskap", "Fakultet for naturvitenskap")
TYPED = (*REPORT.values(), *UNIT_NAMES)


def test_the_checker_finds_bokmal_and_leaves_typed_text_alone():
    page = ('<html lang="nn"><body><p>Du er ikkje logga inn.</p>'
            '<p title="Kva skjedde?">Tittel: <q>Jeg falt fra stigen</q></p>'
            '<select><option lang="nb">Hva er dette</option></select>'
            '<script>var ikke = 1;</script></body></html>')
    assert bokmal_words(page, typed=["Jeg falt fra stigen"]) == []
    found = bokmal_words(page.replace("ikkje", "ikke").replace("Kva", "Hva"))
    assert [f.split(" in ")[0] for f in found] == ["'ikke'", "'Jeg'", "'fra'", "'Hva'"]
    assert "Hva er dette" not in varde_text(page)


ANONYMOUS = ["home", "incidents:report", "login", "accessibility"]


@pytest.mark.parametrize("name", ANONYMOUS)
def test_anonymous_pages(client, definitions, name):
    cookie(client)
    assert_nynorsk(client.get(reverse(name)), TYPED, where=name)


def test_the_incident_report_and_its_receipt(client, definitions, units, report_data):
    cookie(client)
    response = client.post(reverse("incidents:report"), report_data, follow=True)
    assert_nynorsk(response, TYPED, where="incident receipt")


@pytest.fixture
def case(definitions, people, report_data):
    return incident_report_submit(reporter=people["reporter"], data=report_data)


def triage(case) -> Task:
    return Task.objects.get(case=case, bpmn_id="triage", state=TaskState.READY)


def pages_for(role: str, case) -> list[str]:
    detail = reverse("cases:detail", args=[case.reference])
    return {
        "reporter": [reverse("home"), reverse("cases:mine"), detail,
                     reverse("incidents:report"), reverse("notifications:list"),
                     reverse("notifications:preferences")],
        "coordinator": [reverse("home"), reverse("cases:queue"),
                        reverse("cases:task", args=[triage(case).pk]), detail,
                        reverse("notifications:list")],
        "leader": [reverse("home"), reverse("cases:queue"), detail,
                   reverse("incidents:statistics")],
        "admin": [reverse("cases:definitions"), reverse("cases:in_error"),
                  reverse("cases:failed_jobs"), reverse("incidents:statistics"),
                  reverse("incidents:injury_register"), reverse("notifications:failed_emails"),
                  detail],
    }[role]


@pytest.mark.parametrize("role", ["reporter", "coordinator", "leader", "admin"])
def test_signed_in_pages_by_role(client, people, case, role):
    """Reporter, case handler (HSE coordinator), manager (unit leader), HSE admin."""
    user = people[role]
    language_set(user=user, language="nn")  # the profile: no cookie needed
    client.force_login(user)
    for url in pages_for(role, case):
        assert_nynorsk(client.get(url), (*TYPED, user.username), where=f"{role} {url}")


def test_a_nynorsk_handlers_e_mail(definitions, people, report_data,
                                   django_capture_on_commit_callbacks, run_worker):
    coordinator = people["coordinator"]
    coordinator.email = "coordinator@example.no"
    coordinator.save()
    language_set(user=coordinator, language="nn")
    with django_capture_on_commit_callbacks(execute=True):
        incident_report_submit(reporter=people["reporter"], data=report_data)
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()
    email = OutgoingEmail.objects.get(to="coordinator@example.no")
    text = f"<html><body><p>{email.subject}</p><pre>{email.body}</pre></body></html>"
    found = bokmal_words(text, TYPED)
    assert not found, "bokmål words in a nynorsk e-mail:\n" + "\n".join(found)
