"""A process with its own access policy leaves the generic rules entirely:
HSE admins and unit staff see nothing of it unless the policy says so."""

import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.http import Http404

from cases import access, selectors, services
from cases.exceptions import NotAllowed
from cases.models import Task
from cases.services.definitions import definitions_sync
from org.roles import register_role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent.parent / "notifications" / "fixtures"


@pytest.fixture
def restricted(tmp_path, units, people):
    shutil.copy(FIXTURES / "confidential_demo.bpmn", tmp_path)
    shutil.copytree(FIXTURES / "forms", tmp_path / "forms")
    definitions_sync(directory=tmp_path)
    insider = make_user("insider", roles=["hse_coordinator"], units=[units["ivt"]])
    policy = access.AccessPolicy(
        can_view=lambda user, case: user.username == "insider",
        can_handle=lambda user, case: user.username == "insider",
    )
    access.register_access_policy("confidential_demo", policy)
    yield insider
    access._policies.pop("confidential_demo", None)


def test_generic_staff_and_admins_see_nothing(restricted, people, units):
    case = services.case_start(process_id="confidential_demo", title="Restricted",
                               data={"due": "2030-01-01"}, unit=units["ivt"])
    task = Task.objects.get(case=case)
    for name in ("admin", "coordinator", "leader", "superuser"):
        user = people[name]
        with pytest.raises(Http404):
            access.access_case(user, case.reference)
        assert not access.is_candidate(user, task)
        assert case not in selectors.case_list_visible(user=user)
        assert task not in selectors.task_queue_groups(user=user)
        with pytest.raises(NotAllowed):
            services.case_cancel(actor=user, case_id=case.pk, reason="x")
    assert access.access_case(restricted, case.reference) == case
    assert access.is_candidate(restricted, task)
    services.task_complete(actor=restricted, task_id=task.pk, data={})


def test_registered_role_gets_a_group_after_migrate():
    from django.core.management import call_command

    from org.roles import ROLES

    register_role("test_only_role", "Test only role")
    try:
        call_command("migrate", verbosity=0)
        assert Group.objects.filter(name="test_only_role").exists()
    finally:
        ROLES.pop("test_only_role")
