"""Key pages and e-mails in Norwegian bokmål and in English.

Each page is requested with the language cookie a browser has after the
language switch; the words checked are ones a user sees on that page, among
them strings from the JSON form schemas and from Django's own catalogue.
"""

import pytest
from django.conf import settings
from django.urls import reverse

from cases.models import Task, TaskState
from incidents.services import incident_report_submit
from notifications.models import Delivery, Kind, Notification, OutgoingEmail
from notifications.services import preference_update

pytestmark = pytest.mark.django_db


def page(client, url: str, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    return html


def assert_language(html: str, *, present: list[str], absent: list[str]) -> None:
    missing = [text for text in present if text not in html]
    leftovers = [text for text in absent if text in html]
    assert not missing, f"expected on the page: {missing}"
    assert not leftovers, f"other language left on the page: {leftovers}"


# (url name, user, Norwegian words, their English msgids) per page; the
# case and task pages are below because their URLs need a case.
PAGES = {
    "home, signed out": (
        "home",
        None,
        ["Varde — HMS", "Meld avvik", "Logg inn", "For alle", "Hopp til hovedinnholdet"],
        ["Varde — HSE", "Report an incident", "Log in", "Everyone", "Skip to main content"],
    ),
    "home, coordinator": (
        "home",
        "coordinator",
        [
            "Oppgavekø",
            "Mine saker",
            "HMS-koordinatorer og ledere",
            "Varsler",
            "Logg ut",
            "Logget inn som coordinator",
        ],
        [
            "Task queue",
            "My cases",
            "HSE coordinators and leaders",
            "Notifications",
            "Log out",
            "Signed in as",
        ],
    ),
    "report form": (
        "incidents:report",
        None,
        [
            "Meld avvik",
            "Kort oppsummering",
            "Hva slags avvik er det?",
            "Nestenulykke",
            "Inneklima",
            "(obligatorisk)",
            "For eksempel A-123",
            "Ikke skriv helseopplysninger",
            "Mindre alvorlig",
            "Send meldingen",
            "Du er ikke logget inn: meldingen din er anonym",
        ],
        [
            "Short summary",
            "What kind of deviation is it?",
            "Near accident",
            "Indoor climate",
            "(required)",
            "For example A-123",
            "Do not write health information",
            "Less serious",
            "Send report",
            "You are not logged in",
        ],
    ),
    "login": (
        "login",
        None,
        ["Logg inn", "Brukernavn", "Passord", "Du kan melde avvik uten å logge inn."],
        ["Log in", "Username", "Password", "You can report an incident without logging in."],
    ),
    "statistics": (
        "incidents:statistics",
        "admin",
        ["Statistikk", "Sammendrag", "Etter alvorlighetsgrad", "Personskader", "Last ned som CSV"],
        ["Statistics", "Summary", "By severity", "Personal injuries", "Download as CSV"],
    ),
    "notifications": (
        "notifications:list",
        "coordinator",
        ["Varsler", "E-postinnstillinger", "Du har ingen varsler."],
        ["Notifications", "E-mail settings", "You have no notifications."],
    ),
}


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_page_is_in_the_chosen_language(client, people, definitions, name, language):
    url_name, username, norwegian, english = PAGES[name]
    if username:
        client.force_login(people[username])
    html = page(client, reverse(url_name), language)
    if language == "nb":
        assert_language(html, present=norwegian, absent=english)
    else:
        assert_language(html, present=english, absent=norwegian)


@pytest.fixture
def case(definitions, people, report_data):
    return incident_report_submit(reporter=people["reporter"], data=report_data)


def triage(case) -> Task:
    return Task.objects.get(case=case, bpmn_id="triage", state=TaskState.READY)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_queue(client, people, case, language):
    client.force_login(people["coordinator"])
    html = page(client, reverse("cases:queue"), language)
    norwegian = [
        "Oppgavekø",
        "Mine oppgaver",
        "Oppgaver i gruppene mine",
        "Ta oppgaven",
        "Frist",
        "Alvorlighetsgrad",
        "Bare oppgaver over fristen",
        "Ikke tatt",
    ]
    english = [
        "Task queue",
        "My tasks",
        "Claim",
        ">Due<",
        "Severity",
        "Only overdue tasks",
        "Not claimed",
    ]
    if language == "nb":
        assert_language(html, present=norwegian, absent=english)
    else:
        assert_language(html, present=english + [">Due<"], absent=norwegian)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_task_page_with_its_schema_form(client, people, case, language):
    client.force_login(people["coordinator"])
    html = page(client, reverse("cases:task", args=[triage(case).pk]), language)
    norwegian = [
        "Oppgaven",
        "Første vurdering av avviket",
        "Beslutning",
        "Godta: dette er et HMS-avvik for vår enhet",
        "Svært alvorlig",
        "Dødsfall eller alvorlig personskade",
        "Verneombudet er informert",
        "Fullfør oppgaven",
        "Avviksmeldingen",
        "Noen kunne ha blitt skadet",
    ]
    english = [
        "The task",
        "Decision",
        "Accept: this is an HSE deviation",
        "Critical",
        "Death or serious personal injury",
        "The safety representative",
        "Complete the task",
        "Someone could have been",
    ]
    if language == "nb":
        assert_language(html, present=norwegian, absent=english)
    else:
        assert_language(html, present=english + ["Triage the deviation"], absent=norwegian)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_case_page_for_staff_and_for_the_reporter(client, people, case, language):
    client.force_login(people["coordinator"])
    staff = page(client, reverse("cases:detail", args=[case.reference]), language)
    client.force_login(people["reporter"])
    reporter = page(client, reverse("cases:detail", args=[case.reference]), language)
    if language == "nb":
        assert_language(
            staff,
            present=[
                "Åpne oppgaver",
                "Hendelseslogg",
                "Sak opprettet",
                "Meldt av",
                "Pågår",
                "Ikke fastsatt ennå",
                "Bygning, teknisk utstyr eller materiell",
            ],
            absent=[
                "Open tasks",
                "History",
                "Case started",
                "Reported by",
                "Running",
                "Not yet categorised",
                "Building, technical equipment",
            ],
        )
        assert_language(
            reporter,
            present=["Mine saker", "Hendelseslogg", "Sak opprettet"],
            absent=["History", "Case started", "Reported by"],
        )
    else:
        assert_language(
            staff,
            present=[
                "Open tasks",
                "History",
                "Case started",
                "Reported by",
                "Running",
                "Not yet categorised",
                "Building, technical equipment or material",
            ],
            absent=["Åpne oppgaver", "Hendelseslogg", "Sak opprettet", "Pågår"],
        )
        assert_language(
            reporter,
            present=["My cases", "History", "Case started"],
            absent=["Hendelseslogg", "Sak opprettet"],
        )


def test_messages_after_an_action_are_translated(client, people, case):
    client.force_login(people["coordinator"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    task = triage(case)
    response = client.post(reverse("cases:task_claim", args=[task.pk]), follow=True)
    html = response.content.decode()
    assert "Du har tatt oppgaven «" in html and "Utført:" in html
    assert "You have claimed" not in html


@pytest.mark.parametrize("language", ["nb", "en"])
def test_task_names_are_translated(client, people, case, language):
    """Task.name and Case.current_step hold the BPMN names (English msgids);
    the queue, the task page and the case page show them in the user's language."""
    client.force_login(people["coordinator"])
    task = triage(case)
    pages = [
        page(client, reverse("cases:queue"), language),
        page(client, reverse("cases:task", args=[task.pk]), language),
        page(client, reverse("cases:detail", args=[case.reference]), language),
    ]
    norwegian, english = "Første vurdering av avviket", "Triage the deviation"
    for html in pages:
        if language == "nb":
            assert_language(html, present=[norwegian], absent=[english])
        else:
            assert_language(html, present=[english], absent=[norwegian])
    queue, task_page, case_page = pages
    name = norwegian if language == "nb" else english
    assert f"<h1>{name}</h1>" in task_page
    assert f"<dd>{name}</dd>" in case_page  # the current step


@pytest.mark.parametrize("language", ["nb", "en"])
def test_process_names_are_translated(client, people, definitions, language):
    client.force_login(people["admin"])
    html = page(client, reverse("cases:definitions"), language)
    if language == "nb":
        assert_language(html, present=["<td>HMS-avvik</td>"], absent=["HSE deviation (HMS-avvik)"])
    else:
        assert_language(html, present=["HSE deviation (HMS-avvik)"], absent=["<td>HMS-avvik</td>"])


@pytest.fixture
def with_emails(people):
    for user in people.values():
        user.email = f"{user.username}@example.no"
        user.save()
    return people


def test_notification_e_mails_follow_the_recipients_language(
    definitions, with_emails, report_data, django_capture_on_commit_callbacks, run_worker
):
    """Default Norwegian; English for a recipient who chose it."""
    people = with_emails
    preference_update(user=people["coordinator2"], delivery=Delivery.IMMEDIATE, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        incident_report_submit(reporter=people["reporter"], data=report_data)
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()  # notifications and e-mails are made and sent in the background

    norwegian = OutgoingEmail.objects.get(to="coordinator@example.no")
    assert norwegian.subject == "[Varde] En oppgave venter i gruppen din"
    assert "venter i gruppen din." in norwegian.body
    assert "Åpne det i Varde:" in norwegian.body
    assert "Du får denne e-posten på grunn av rollen din i Varde" in norwegian.body
    assert "Open it in Varde" not in norwegian.body

    english = OutgoingEmail.objects.get(to="coordinator2@example.no")
    assert english.subject == "[Varde] A task is waiting in your group"
    assert "is waiting in your group." in english.body
    assert "Open it in Varde:" in english.body

    texts = dict(
        Notification.objects.filter(kind=Kind.TASK_WAITING).values_list("user__username", "text")
    )
    assert "oppgaven «" in texts["coordinator"]
    assert "the task “" in texts["coordinator2"]
