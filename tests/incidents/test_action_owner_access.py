"""Least privilege for a corrective action's owner (and any single task's
assignee): they see their action, the case's title and place and what the
action is to fix; nothing about people or health, no other work, no case
page; once the action is done, only the read-only record of their own
action stays."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from cases import selectors
from cases.access import can_handle_case, can_view_case
from notifications.models import Notification
from tests.conftest import make_user
from tests.incidents.conftest import in_days, plan_post, work

pytestmark = pytest.mark.django_db

HEALTH = "Broke his wrist, taken to St. Olavs hospital"


@pytest.fixture
def planned(client, accepted_case, people, units):
    """Two actions: one for the owner, one for another person."""
    make_user("other_owner", units=[units["ivt"]])
    case = accepted_case
    case.incident.description = HEALTH
    case.incident.save()
    work(client, people["coordinator"], case, "plan_measures",
         plan_post(("Tighten the handrail bolts", "owner", in_days(5)),
                   ("Inspect every stairwell", "other_owner", in_days(9))))
    return case


def test_the_owner_sees_their_action_title_and_place_only(client, planned, people, run_worker):
    case, owner = planned, people["owner"]
    mine = [t for t in case.tasks.filter(bpmn_id="carry_out_measure") if t.assignee == owner]
    (action,) = mine
    client.force_login(owner)
    page = client.get(reverse("cases:task", args=[action.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tighten the handrail bolts" in html  # what the action is to fix
    assert case.title in html and "Realfagbygget" in html and "A2-30" in html  # title, place
    for hidden in (HEALTH, "reporter", "Fall", "Inspect every stairwell", "Loose bolts.",
                   "Someone could fall.", "coordinator", "Serious"):
        assert hidden not in html, hidden
    assert reverse("cases:detail", args=[case.reference]) not in html

    # "My cases" lists the action, without a link to the case or its severity.
    mine = client.get(reverse("cases:mine")).content.decode()
    assert reverse("cases:task", args=[action.pk]) in mine
    assert reverse("cases:detail", args=[case.reference]) not in mine and "Serious" not in mine

    # The "assigned to you" notification opens the task, not the case.
    run_worker()
    note = Notification.objects.get(user=owner, task=action)
    opened = client.get(reverse("notifications:open", args=[note.pk]))
    assert opened["Location"] == reverse("cases:task", args=[action.pk])

    # No case page, not in the case list, not staff.
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 404
    assert not can_handle_case(owner, case) and not can_view_case(owner, case)
    assert case not in selectors.case_list_visible(user=owner)
    # The other owner's action is not theirs to see.
    other = case.tasks.get(bpmn_id="carry_out_measure", assignee__username="other_owner")
    assert client.get(reverse("cases:task", args=[other.pk])).status_code == 404
    # The case's other tasks neither.
    plan = case.tasks.get(bpmn_id="plan_measures")
    assert client.get(reverse("cases:task", args=[plan.pk])).status_code == 404


def test_after_the_action_is_done_only_its_read_only_record_stays(client, planned, people):
    case, owner = planned, people["owner"]
    action = case.tasks.get(bpmn_id="carry_out_measure", assignee=owner)
    client.force_login(owner)
    response = client.post(reverse("cases:task", args=[action.pk]),
                           {"status": "not_feasible", "comment": "The wall is too weak."})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:task", args=[action.pk])

    page = client.get(reverse("cases:task", args=[action.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "The wall is too weak." in html and "Not feasible" in html
    task_url = reverse("cases:task", args=[action.pk])
    assert f'<form method="post" action="{task_url}"' not in html
    assert HEALTH not in html
    # Posting again is refused; the case stays closed to them.
    again = client.post(reverse("cases:task", args=[action.pk]), {"status": "done"})
    assert again.status_code == 302
    action.refresh_from_db()
    assert action.state == "completed"
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 404

    # The rest of the process goes on; the closed case stays closed to them.
    other = case.tasks.get(bpmn_id="carry_out_measure", assignee__username="other_owner")
    work(client, User.objects.get(username="other_owner"), case, "carry_out_measure",
         {"status": "done"})
    work(client, people["coordinator2"], case, "verify_and_close",
         {"closure_decision": "close", "severity": "serious", "closure_comment": "Done"})
    client.force_login(owner)
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 404
    assert client.get(reverse("cases:task", args=[action.pk])).status_code == 200
    assert client.get(reverse("cases:task", args=[other.pk])).status_code == 404


def test_staff_still_see_the_whole_case(client, planned, people):
    client.force_login(people["coordinator2"])
    action = planned.tasks.filter(bpmn_id="carry_out_measure").first()
    html = client.get(reverse("cases:task", args=[action.pk])).content.decode()
    assert HEALTH in html
