"""Migration 0005 revokes the view grant that a task's named owner used to
get on the whole case, and keeps an HSE administrator's explicit grant."""

import importlib

import pytest
from django.apps import apps
from guardian.shortcuts import assign_perm

from cases import services
from cases.access import can_view_case
from incidents.services import incident_report_submit
from tests.incidents.conftest import in_days

pytestmark = pytest.mark.django_db

migration = importlib.import_module("cases.migrations.0005_revoke_task_owner_grants")


def test_old_owner_grants_go_and_explicit_grants_stay(definitions, people, report_data):
    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    c = people["coordinator"]
    triage = case.tasks.get(bpmn_id="triage")
    services.task_claim(actor=c, task_id=triage.pk)
    services.task_complete(actor=c, task_id=triage.pk,
                           data={"triage_decision": "accept", "severity": "serious"})
    plan = case.tasks.get(bpmn_id="plan_measures")
    services.task_claim(actor=c, task_id=plan.pk)
    services.task_complete(actor=c, task_id=plan.pk, data={
        "consequence": "x", "cause": "y",
        "measures": [{"title": "A", "owner": "owner", "deadline": in_days(3)},
                     {"title": "B", "owner": "other_reporter", "deadline": in_days(3)}]})
    # As the earlier code did for every named owner:
    assign_perm("cases.view_case", people["owner"], case)
    # An administrator's explicit grant to the other owner:
    services.case_grant_access(actor=people["admin"], case_id=case.pk,
                               user=people["other_reporter"])
    assert can_view_case(people["owner"], case)

    migration.revoke(apps, None)
    for user in (people["owner"], people["other_reporter"]):
        for attr in ("_varde_roles", "_varde_units"):
            user.__dict__.pop(attr, None)
    assert not can_view_case(people["owner"], case)
    assert can_view_case(people["other_reporter"], case)
