"""Sick-leave fixtures: the process alone (synced from a copy of its files,
so other processes being written at the same time cannot break these tests),
and the people around one employee's absence."""

import shutil
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from cases.models import Task, TaskState
from cases.services.definitions import definitions_sync
from org.services import role_groups_ensure
from sickleave.roles import HR_ADVISOR, OCCUPATIONAL_HEALTH
from tests.conftest import make_user

OSLO = ZoneInfo("Europe/Oslo")


def oslo(*args) -> datetime:
    return datetime(*args, tzinfo=OSLO)


@pytest.fixture
def sick_definition(tmp_path, db):
    source = Path(settings.VARDE_WORKFLOW_DIR)
    shutil.copy(source / "sick_leave_followup.bpmn", tmp_path)
    (tmp_path / "forms").mkdir()
    for schema in (source / "forms").glob("sick_leave_*.json"):
        shutil.copy(schema, tmp_path / "forms")
    role_groups_ensure()
    return definitions_sync(directory=tmp_path)


@pytest.fixture
def sick(units, people, sick_definition):
    """The employee (ivt) with their leader, HR advisor and a BHT adviser,
    plus people who must not see the case."""
    ivt, nv = units["ivt"], units["nv"]
    return SimpleNamespace(
        ivt=ivt,
        nv=nv,
        employee=make_user("employee", units=[ivt], first_name="Kari", last_name="Syk"),
        colleague=make_user("colleague", units=[ivt]),
        leader=people["leader"],
        nv_leader=people["nv_leader"],
        coordinator=people["coordinator"],
        admin=people["admin"],
        hr=make_user("hr", roles=[HR_ADVISOR], units=[ivt], email="hr@example.org"),
        nv_hr=make_user("nv_hr", roles=[HR_ADVISOR], units=[nv]),
        bht=make_user("bht", roles=[OCCUPATIONAL_HEALTH]),
        superuser=people["superuser"],
    )


@pytest.fixture
def frozen(time_machine):
    def move_to(moment):
        if isinstance(moment, date) and not isinstance(moment, datetime):
            moment = datetime.combine(moment, datetime.min.time().replace(hour=9), tzinfo=OSLO)
        time_machine.move_to(moment, tick=False)

    return move_to


def open_task(case, bpmn_id) -> Task:
    return Task.objects.get(case=case, bpmn_id=bpmn_id, state=TaskState.READY)


def open_bpmn_ids(case) -> set[str]:
    return set(
        Task.objects.filter(case=case, state=TaskState.READY).values_list("bpmn_id", flat=True)
    )


PLAN = {
    "work_capacity": "Can do desk work four hours a day; no lifting.",
    "employer_measures": "Desk moved to the ground floor; lighter tasks until June.",
    "assisted_measures": "Apply to NAV for a grant for an adjustable desk.",
    "further_follow_up": "Weekly talk on Mondays; plan reviewed at dialogue meeting 1.",
}
