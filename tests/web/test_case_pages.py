"""The case, task, queue and admin pages beyond the permission matrix:
errors after a step, retry, queue filters and overdue badges, the reporter's
view, reassigning, stale claims and the site frame."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases import operations
from cases.exceptions import InvalidTaskData, TaskAlreadyClaimed
from cases.models import CaseStatus, ProcessDefinition
from cases.services import task_claim, task_complete
from cases.views.support import build_task_form
from cases.views.tasks import _apply_service_errors
from incidents.services import incident_report_submit
from tests.web.conftest import messages_of, ready

pytestmark = pytest.mark.django_db

NEXT_STEP_FAILED = "Your input was saved, but the next step failed"


@pytest.fixture
def case(definitions, people, report_data):
    return incident_report_submit(reporter=people["reporter"], data=report_data)


def test_failed_next_step_is_explained_and_retried_by_admin(
    client, case, people, monkeypatch
):
    def unit_service_down(*, case, unit):
        raise ConnectionError("organisation register unavailable")

    monkeypatch.setitem(operations._REGISTRY, "incident.transfer", unit_service_down)
    client.force_login(people["coordinator"])
    response = client.post(
        reverse("cases:task", args=[ready(case, "triage").pk]),
        {"triage_decision": "transfer", "transfer_to": "nv"}, follow=True,
    )
    assert any(NEXT_STEP_FAILED in m for m in messages_of(response))
    case.refresh_from_db()
    assert case.status == CaseStatus.ERROR and case.error_element == "transfer"
    # Staff see that it failed, not the technical details.
    assert "organisation register unavailable" not in response.content.decode()

    client.force_login(people["admin"])
    assert [c.pk for c in client.get(reverse("cases:in_error")).context["cases"]] == [case.pk]
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "<code>transfer</code>" in page and "organisation register unavailable" in page
    assert reverse("cases:retry", args=[case.reference]) in page

    monkeypatch.undo()  # the register is back
    response = client.post(reverse("cases:retry", args=[case.reference]), follow=True)
    assert "The case runs again." in messages_of(response)
    case.refresh_from_db()
    assert case.status == CaseStatus.RUNNING and case.unit.code == "nv"


def test_queue_filters_and_overdue_badge(client, case, people, report_data):
    accepted = incident_report_submit(reporter=people["reporter"], data=report_data)
    task_complete(actor=people["coordinator"], task_id=ready(accepted, "triage").pk,
                  data={"triage_decision": "accept", "severity": "serious"})
    client.force_login(people["coordinator"])

    everything = client.get(reverse("cases:queue")).context["groups"]
    assert [t.case for t in everything] == [case, accepted]  # soonest due first
    serious = client.get(reverse("cases:queue"), {"severity": "serious"}).context["groups"]
    assert [t.case for t in serious] == [accepted]
    assert client.get(reverse("cases:queue"), {"unit": "nv"}).context["groups"].count() == 0
    fire = client.get(reverse("cases:queue"), {"category": "fire"})
    assert fire.context["groups"].count() == 0
    stale = client.get(reverse("cases:queue"), {"unit": "gone"})
    assert stale.context["groups"].count() == 2  # invalid filters are ignored...
    assert "Some filters were not valid" in stale.content.decode()  # ...and said so

    with time_machine.travel(timezone.now() + timedelta(days=7), tick=False):
        overdue = client.get(reverse("cases:queue"), {"overdue": "on"})
    assert [t.case for t in overdue.context["groups"]] == [case]
    assert '<span class="badge badge--overdue">Overdue</span>' in overdue.content.decode()


def test_reporter_view_shows_public_history_and_marked_answers(client, case, people):
    definition = ProcessDefinition.objects.get(process_id="incident")
    definition.forms["incident_triage.json"]["properties"]["rejection_reason"][
        "x-reporter-visible"
    ] = True
    definition.save(update_fields=["forms"])
    task_claim(actor=people["coordinator"], task_id=ready(case, "triage").pk)
    task_complete(actor=people["coordinator"], task_id=ready(case, "triage").pk,
                  data={"triage_decision": "reject",
                        "rejection_reason": "A light bulb: report it to e-vaktmester."})

    client.force_login(people["reporter"])
    response = client.get(reverse("cases:detail", args=[case.reference]))
    html = response.content.decode()
    assert "A light bulb: report it to e-vaktmester." in html
    kinds = {entry.kind for entry in response.context["timeline"]}
    assert kinds <= {"started", "status", "transferred", "cancelled"}
    assert "coordinator" not in html.replace("HSE coordinator", "")
    assert "rejected" in html


def test_cancel_reason_reaches_reporter(client, case, people):
    client.force_login(people["admin"])
    response = client.post(reverse("cases:cancel", args=[case.reference]),
                           {"cancel-reason": "Reported twice"}, follow=True)
    assert "The case has been cancelled." in messages_of(response)
    client.force_login(people["reporter"])
    html = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Cancelled" in html and "Reported twice" in html

    client.force_login(people["admin"])
    again = client.post(reverse("cases:cancel", args=[case.reference]),
                        {"cancel-reason": "Again"}, follow=True)
    assert "The case is closed." in messages_of(again)


def test_reassign_explains_refusals(client, case, people):
    task = ready(case, "triage")
    client.force_login(people["leader"])
    url = reverse("cases:task_reassign", args=[task.pk])
    response = client.post(url, {"reassign-username": "nobody"}, follow=True)
    assert "No active user with this username." in messages_of(response)
    response = client.post(url, {"reassign-username": "nv_coordinator"}, follow=True)
    assert "nv_coordinator cannot do this task (wrong role or unit)." in messages_of(response)
    response = client.post(url, {"reassign-username": "coordinator2"}, follow=True)
    task.refresh_from_db()
    assert task.assignee == people["coordinator2"]


def test_claim_of_a_taken_task_says_so_and_returns_to_the_queue(client, case, people):
    task = ready(case, "triage")
    task_claim(actor=people["coordinator"], task_id=task.pk)
    client.force_login(people["coordinator2"])
    queue = reverse("cases:queue")
    response = client.post(reverse("cases:task_claim", args=[task.pk]), {"next": queue})
    assert response["Location"] == queue
    assert str(TaskAlreadyClaimed.default_message) in messages_of(client.get(queue))
    # An outside "next" is not followed.
    response = client.post(reverse("cases:task_claim", args=[task.pk]),
                           {"next": "https://evil.example/"})
    assert response["Location"] == reverse("cases:task", args=[task.pk])


def test_read_only_task_page_for_staff_who_cannot_work_on_it(client, case, people):
    task = ready(case, "triage")
    task_claim(actor=people["coordinator"], task_id=task.pk)
    client.force_login(people["coordinator2"])
    response = client.get(reverse("cases:task", args=[task.pk]))
    assert response.context["form"] is None and not response.context["can_claim"]
    assert "only its assignee or a member of its group can complete it" in (
        response.content.decode()
    )
    post = client.post(reverse("cases:task", args=[task.pk]), {"triage_decision": "reject"})
    assert post.status_code == 302
    task.refresh_from_db()
    assert task.state == "ready"


def test_service_errors_land_next_to_fields(case):
    task = ready(case, "triage")
    form = build_task_form(task, data={"triage_decision": "accept", "severity": "serious"})
    assert form.is_valid()
    _apply_service_errors(form, InvalidTaskData(extra={"errors": {
        "severity": "Not allowed here.", "__all__": "Whole form.", "nested.0.x": "Deep.",
    }}))
    assert form.errors["severity"] == ["Not allowed here."]
    assert "Whole form." in form.non_field_errors()
    assert "nested.0.x: Deep." in form.non_field_errors()


def test_admin_pages_and_frame(client, case, people):
    client.force_login(people["admin"])
    definitions = client.get(reverse("cases:definitions"))
    rows = {row.process_id: row for row in definitions.context["definitions"]}
    assert rows["incident"].case_count == 1
    home = client.get(reverse("home")).content.decode()
    for name in ("cases:queue", "cases:in_error", "cases:definitions", "incidents:statistics"):
        assert f'href="{reverse(name)}"' in home
    assert f'action="{reverse("logout")}" method="post"' in home
    assert client.get(reverse("logout")).status_code == 405  # logging out needs a POST

    client.force_login(people["reporter"])
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("cases:queue")}"' not in home
    assert f'href="{reverse("cases:mine")}"' in home


def test_login_page(client, people):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert 'for="id_username"' in page.content.decode()
    response = client.post(reverse("login"), {"username": "reporter", "password": "wrong"})
    assert 'role="alert"' in response.content.decode()
    response = client.post(reverse("login"), {"username": "reporter", "password": "pw-reporter"})
    assert response.status_code == 302
