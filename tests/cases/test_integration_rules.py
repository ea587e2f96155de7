"""Rules added when the processes were integrated: which unit-scoped roles see
a unit's cases, restricted processes out of "My cases", who hears of an error
in a restricted case, and wake-ups of purged cases."""

import shutil
from pathlib import Path

import pytest
from django.http import Http404

from cases import access, selectors, services
from cases.models import Case
from cases.services.definitions import definitions_sync
from incidents.services import incident_report_submit
from notifications.subscribers import error_recipients
from org.roles import ROLES, UNIT_CASE_ROLES, UNIT_SCOPED_ROLES, register_role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent.parent / "notifications" / "fixtures"


@pytest.fixture
def scoped_helper_role():
    """A unit-scoped role that does not see its units' cases (like HR advisors)."""
    register_role("test_scoped_helper", "Test scoped helper", unit_scoped=True)
    yield "test_scoped_helper"
    ROLES.pop("test_scoped_helper")
    UNIT_SCOPED_ROLES.discard("test_scoped_helper")
    UNIT_CASE_ROLES.discard("test_scoped_helper")


def test_only_case_roles_see_their_units_cases(
    definitions, people, units, report_data, scoped_helper_role
):
    from org.services import role_groups_ensure

    role_groups_ensure()
    helper = make_user("helper", roles=[scoped_helper_role], units=[units["ivt"]])
    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    assert access.access_case(people["coordinator"], case.reference) == case
    with pytest.raises(Http404):
        access.access_case(helper, case.reference)
    assert case not in selectors.case_list_visible(user=helper)


@pytest.fixture
def restricted(tmp_path, units):
    shutil.copy(FIXTURES / "confidential_demo.bpmn", tmp_path)
    shutil.copytree(FIXTURES / "forms", tmp_path / "forms")
    definitions_sync(directory=tmp_path)
    insider = make_user("insider", roles=["hse_coordinator"], units=[units["ivt"]])
    policy = access.AccessPolicy(
        can_view=lambda user, case: user.username in ("insider", "reporter"),
        can_handle=lambda user, case: user.username == "insider",
    )
    access.register_access_policy("confidential_demo", policy)
    yield insider
    access._policies.pop("confidential_demo", None)


def test_restricted_cases_stay_out_of_my_cases(restricted, people, units):
    case = services.case_start(process_id="confidential_demo", title="R", data={"due": ""},
                               reporter=people["reporter"], unit=units["ivt"])
    assert case not in selectors.case_list_reported_by(user=people["reporter"])


def test_errors_in_restricted_cases_go_to_its_handlers_not_hse_admins(
    restricted, people, units
):
    case = services.case_start(process_id="confidential_demo", title="R", data={"due": ""},
                               unit=units["ivt"])
    recipients = error_recipients(Case.objects.select_related("definition").get(pk=case.pk))
    assert recipients == [restricted]
    assert people["admin"] not in recipients and people["coordinator"] not in recipients


def test_a_wake_up_for_a_purged_case_does_nothing(definitions, people, report_data):
    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    assert services.case_purge(case_id=case.pk)
    assert services.case_wake(case_id=case.pk) is None
    assert not services.case_purge(case_id=case.pk)
