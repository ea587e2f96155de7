"""Who gets what, for every page and action × every kind of user.

Expected codes: 200 page shown; 302 done (or refused by a service rule with a
message) and, for logged-out users, sent to the login page; 403 the user can
see the case but the role does not allow the action (or the page is for
other roles); 404 the user may not know that the case or task exists.

A superuser without Varde groups runs the Django admin but gets no case
access through Varde's rules (cases.access ignores Django's superuser
shortcut in ``has_perm``), so case and task URLs answer 404 and the HSE
admin pages 403.

A refused request (403/404, or a redirect to log in) must change nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.urls import reverse

from cases import services
from cases.models import Case, CaseEvent, CaseStatus, EventKind, Task
from incidents.services import incident_report_submit
from tests.web.conftest import ready

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reporter", "other_reporter", "coordinator", "nv_coordinator",
         "leader", "admin", "superuser"]


@dataclass
class World:
    people: dict
    case: Case  # reported by "reporter" to ivt, triage open and unclaimed
    broken: Case  # reported by "reporter" to ivt, in error after a failed transfer

    @property
    def triage(self) -> Task:
        return ready(self.case, "triage")


@pytest.fixture
def world(definitions, people, report_data) -> World:
    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    broken = incident_report_submit(reporter=people["reporter"], data=report_data)
    services.task_complete(
        actor=people["coordinator"], task_id=ready(broken, "triage").pk,
        data={"triage_decision": "transfer", "transfer_to": "no-such-unit"},
    )
    broken.refresh_from_db()
    assert broken.status == CaseStatus.ERROR
    return World(people, case, broken)


@dataclass
class Endpoint:
    method: str
    url: Callable[[World], str]
    expected: dict[str, int]
    data: dict | None = None
    prepare: Callable[[World], None] | None = None
    # For an allowed POST (302 while logged in): did the action happen?
    done: Callable[[World, object], bool] | None = None


def _triage_claimed_by_coordinator(world: World) -> None:
    services.task_claim(actor=world.people["coordinator"], task_id=world.triage.pk)


def codes(anonymous=302, reporter=None, other_reporter=None, coordinator=None,
          nv_coordinator=None, leader=None, admin=None, superuser=None, default=200):
    given = dict(anonymous=anonymous, reporter=reporter, other_reporter=other_reporter,
                 coordinator=coordinator, nv_coordinator=nv_coordinator, leader=leader,
                 admin=admin, superuser=superuser)
    return {role: default if code is None else code for role, code in given.items()}


def _task_url(name):
    return lambda w: reverse(name, args=[w.triage.pk])


HIDDEN = dict(reporter=404, other_reporter=404, nv_coordinator=404, superuser=404)

ENDPOINTS = {
    "report": Endpoint("get", lambda w: reverse("incidents:report"), codes(anonymous=200)),
    "receipt": Endpoint(
        "get", lambda w: reverse("incidents:receipt") + f"?ref={w.case.reference}",
        codes(anonymous=200),
    ),
    "my_cases": Endpoint("get", lambda w: reverse("cases:mine"), codes()),
    "queue": Endpoint("get", lambda w: reverse("cases:queue"), codes()),
    "task": Endpoint("get", _task_url("cases:task"), codes(**HIDDEN)),
    "claim": Endpoint(
        "post", _task_url("cases:task_claim"),
        codes(**HIDDEN, coordinator=302, leader=403, admin=302),
        done=lambda w, user: w.triage.assignee == user,
    ),
    "unclaim": Endpoint(
        "post", _task_url("cases:task_unclaim"), codes(**HIDDEN, default=302),
        prepare=_triage_claimed_by_coordinator,
        done=lambda w, user: w.triage.assignee is None,
    ),
    "reassign": Endpoint(
        "post", _task_url("cases:task_reassign"),
        codes(**HIDDEN, coordinator=403, leader=302, admin=302),
        data={"reassign-username": "coordinator2"},
        done=lambda w, user: w.triage.assignee == w.people["coordinator2"],
    ),
    "case_detail": Endpoint(
        "get", lambda w: reverse("cases:detail", args=[w.case.reference]),
        codes(**(HIDDEN | {"reporter": 200})),
    ),
    "retry": Endpoint(
        "post", lambda w: reverse("cases:retry", args=[w.broken.reference]),
        codes(**HIDDEN, coordinator=403, leader=403, admin=302),
        done=lambda w, user: CaseEvent.objects.filter(
            case=w.broken, kind=EventKind.RETRIED, actor=user
        ).exists(),
    ),
    "cancel": Endpoint(
        "post", lambda w: reverse("cases:cancel", args=[w.case.reference]),
        codes(**HIDDEN, coordinator=403, leader=403, admin=302),
        data={"cancel-reason": "Reported twice"},
        done=lambda w, user: Case.objects.get(pk=w.case.pk).status == CaseStatus.CANCELLED,
    ),
    "cases_in_error": Endpoint(
        "get", lambda w: reverse("cases:in_error"), codes(default=403, admin=200)
    ),
    "definitions": Endpoint(
        "get", lambda w: reverse("cases:definitions"), codes(default=403, admin=200)
    ),
    "statistics": Endpoint(
        "get", lambda w: reverse("incidents:statistics"),
        # Coordinators too, for their own units (issue 29).
        codes(default=403, leader=200, admin=200, coordinator=200, nv_coordinator=200),
    ),
}


def _snapshot(world: World):
    """Everything a refused action could have changed."""
    return (
        list(Task.objects.order_by("pk").values_list("pk", "state", "assignee_id")),
        list(Case.objects.order_by("pk").values_list("pk", "status", "updated_at")),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_permission_matrix(client, world, name, role):
    endpoint = ENDPOINTS[name]
    if endpoint.prepare:
        endpoint.prepare(world)
    if role != "anonymous":
        client.force_login(world.people[role])
    url = endpoint.url(world)
    before = _snapshot(world)

    response = getattr(client, endpoint.method)(url, endpoint.data or {})

    expected = endpoint.expected[role]
    assert response.status_code == expected, (name, role, response.status_code)
    if role == "anonymous" and expected == 302:
        assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    if expected in (403, 404) or (role == "anonymous" and expected == 302):
        assert _snapshot(world) == before
    elif endpoint.done is not None and expected == 302:
        assert endpoint.done(world, world.people[role]), (name, role)


def test_superuser_keeps_django_admin(client, world):
    client.force_login(world.people["superuser"])
    assert client.get(reverse("admin:cases_case_changelist")).status_code == 200
    assert client.get(
        reverse("admin:cases_case_change", args=[world.case.pk])
    ).status_code == 200
