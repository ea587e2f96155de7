"""The whole incident lifecycle through the services, on the real engine and
database: report → triage → plan → corrective actions → four-eyes closure."""

import pytest

from cases import services
from cases.access import can_work_on_task
from cases.exceptions import FourEyesViolation, NotAllowed, TaskAlreadyClaimed, TaskNotAvailable
from cases.models import Case, CaseEvent, CaseStatus, EventKind, Task, TaskState
from incidents.services import incident_report_submit
from tests.incidents.conftest import in_days

pytestmark = pytest.mark.django_db


def ready(case, bpmn_id):
    return Task.objects.get(case=case, bpmn_id=bpmn_id, state=TaskState.READY)


def test_full_lifecycle_closes_case(definitions, people, report_data):
    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    assert case.reference.startswith("HMS-")
    assert case.status == CaseStatus.RUNNING
    triage = ready(case, "triage")
    assert triage.candidate_group.name == "hse_coordinator"
    assert triage.due_at is not None

    services.task_claim(actor=people["coordinator"], task_id=triage.pk)
    services.task_complete(actor=people["coordinator"], task_id=triage.pk,
                           data={"triage_decision": "accept", "severity": "serious"})
    case.refresh_from_db()
    assert case.severity == "serious"
    plan = ready(case, "plan_measures")
    services.task_claim(actor=people["coordinator"], task_id=plan.pk)
    services.task_complete(
        actor=people["coordinator"], task_id=plan.pk,
        data={"consequence": "Fall risk", "cause": "Loose bolts",
              "measures": [{"title": "Fix handrail", "owner": "owner", "deadline": in_days(3)}]},
    )
    measure = ready(case, "carry_out_measure")
    assert measure.assignee == people["owner"]
    # Least privilege: the owner may do their task, and gets no grant on the case.
    assert not people["owner"].has_perm("cases.view_case", case)
    assert can_work_on_task(people["owner"], measure)
    services.task_complete(actor=people["owner"], task_id=measure.pk, data={"status": "done"})

    close = ready(case, "verify_and_close")
    with pytest.raises(FourEyesViolation):
        services.task_claim(actor=people["coordinator"], task_id=close.pk)
    with pytest.raises(FourEyesViolation):
        services.task_complete(actor=people["coordinator"], task_id=close.pk,
                               data={"closure_decision": "close", "severity": "serious",
                                     "closure_comment": "Done"})
    services.task_complete(actor=people["coordinator2"], task_id=close.pk,
                           data={"closure_decision": "close", "severity": "serious",
                                 "closure_comment": "Done"})
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    assert case.outcome == "closed"
    assert case.closed_at is not None
    assert not Task.objects.filter(case=case, state=TaskState.READY).exists()
    assert len(bytes(case.state)) <= 10 * 1024
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds[0] == EventKind.STARTED
    assert kinds.count(EventKind.COMPLETED) == 4


def test_double_claim_and_stale_completion_get_clear_errors(definitions, people, report_data):
    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    triage = ready(case, "triage")
    services.task_claim(actor=people["coordinator"], task_id=triage.pk)
    with pytest.raises(TaskAlreadyClaimed):
        services.task_claim(actor=people["coordinator2"], task_id=triage.pk)
    services.task_complete(actor=people["coordinator"], task_id=triage.pk,
                           data={"triage_decision": "reject", "rejection_reason": "Not HSE"})
    with pytest.raises(TaskNotAvailable):
        services.task_complete(actor=people["coordinator"], task_id=triage.pk,
                               data={"triage_decision": "reject"})
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED and case.outcome == "rejected"


def test_other_unit_coordinator_cannot_claim(definitions, people, report_data):
    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    with pytest.raises(NotAllowed):
        services.task_claim(actor=people["nv_coordinator"], task_id=ready(case, "triage").pk)


def test_transfer_moves_case_to_other_unit(definitions, people, report_data):
    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    triage = ready(case, "triage")
    services.task_complete(actor=people["coordinator"], task_id=triage.pk,
                           data={"triage_decision": "transfer", "transfer_to": "nv"})
    case = Case.objects.get(pk=case.pk)
    assert case.unit.code == "nv"
    new_triage = ready(case, "triage")
    services.task_claim(actor=people["nv_coordinator"], task_id=new_triage.pk)
    assert CaseEvent.objects.filter(case=case, kind=EventKind.TRANSFERRED).exists()


def test_anonymous_report_stores_no_account_link(definitions, people, report_data):
    case = incident_report_submit(reporter=people["reporter"], data=report_data, anonymous=True)
    assert case.reporter is None
    assert not CaseEvent.objects.filter(case=case).exclude(actor=None).exists()
    assert case.incident.anonymous


def test_service_enforces_required_if_rules_of_the_form(definitions, people, report_data):
    """x-required-if holds without the web form too: a transfer needs a unit."""
    from cases.exceptions import InvalidTaskData

    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    triage = ready(case, "triage")
    with pytest.raises(InvalidTaskData) as raised:
        services.task_complete(actor=people["coordinator"], task_id=triage.pk,
                               data={"triage_decision": "transfer"})
    assert "transfer_to" in str(raised.value.extra["errors"])
    assert ready(case, "triage").pk == triage.pk


def test_corrective_action_task_title_is_translated_with_its_suffix(
    definitions, people, report_data
):
    from django.utils import translation

    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    services.task_complete(actor=people["coordinator"], task_id=ready(case, "triage").pk,
                           data={"triage_decision": "accept", "severity": "serious"})
    services.task_complete(
        actor=people["coordinator"], task_id=ready(case, "plan_measures").pk,
        data={"consequence": "c", "cause": "c",
              "measures": [{"title": "Fix handrail", "owner": "owner", "deadline": in_days(3)}]},
    )
    task = ready(case, "carry_out_measure")
    assert task.name == "Carry out corrective action"
    assert task.title_suffix == "Fix handrail"
    with translation.override("en"):
        assert task.title == "Carry out corrective action: Fix handrail"
    with translation.override("nb"):
        assert task.title.endswith(": Fix handrail")
        assert not task.title.startswith("Carry out")


def test_a_report_for_an_unknown_unit_is_refused_and_stores_nothing(
    definitions, people, report_data
):
    from incidents.models import IncidentReport
    from org.models import Unit

    with pytest.raises(Unit.DoesNotExist):
        incident_report_submit(reporter=people["reporter"], data={**report_data, "unit": "nope"})
    assert not Case.objects.exists() and not IncidentReport.objects.exists()


def test_the_report_is_stored_with_its_case_and_the_unit_from_its_code(
    definitions, people, report_data
):
    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    assert case.unit.code == report_data["unit"]
    report = case.incident
    assert report.description == report_data["description"]
    assert report.categories == report_data["categories"]
    assert str(report.event_date) == str(report_data["event_date"])


def test_content_with_save_receivers_is_saved_through_the_orm(definitions, people, report_data):
    """case_start writes the owning app's content row in one statement, which
    sends no model signals: a model with receivers goes through save()."""
    from django.db.models.signals import post_save

    from incidents.models import IncidentReport

    heard = []

    def receiver(sender, instance, created, **kwargs):
        heard.append((instance.case_id, created))

    post_save.connect(receiver, sender=IncidentReport)
    try:
        case = incident_report_submit(reporter=people["reporter"], data=report_data)
    finally:
        post_save.disconnect(receiver, sender=IncidentReport)
    assert heard == [(case.pk, True)]
    assert IncidentReport.objects.get(case=case).building == report_data["building"]
