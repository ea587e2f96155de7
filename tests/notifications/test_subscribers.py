"""Case events become notifications, e-mails and live messages after commit."""

import pytest
from django.core import mail

from cases import services
from cases.models import Task, TaskState
from incidents.services import incident_report_submit
from notifications.models import EmailStatus, Kind, Notification, OutgoingEmail
from notifications.tasks import send_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_emails(people):
    for user in people.values():
        user.email = f"{user.username}@example.no"
        user.save()
    return people


def test_new_task_notifies_candidates_of_the_unit_only(
    definitions, with_emails, report_data, django_capture_on_commit_callbacks, run_worker
):
    people = with_emails
    with django_capture_on_commit_callbacks(execute=True):
        case = incident_report_submit(reporter=people["reporter"], data=report_data)
    assert not Notification.objects.exists(), "made by the background job, not the request"
    run_worker()
    waiting = Notification.objects.filter(kind=Kind.TASK_WAITING, case=case)
    assert set(waiting.values_list("user__username", flat=True)) == {"coordinator", "coordinator2"}
    assert case.reference in waiting.first().text
    assert OutgoingEmail.objects.filter(to="coordinator@example.no").count() == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(
    definitions, people, report_data, django_capture_on_commit_callbacks
):
    from django.db import transaction

    class Boom(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Boom), transaction.atomic():
            incident_report_submit(reporter=people["reporter"], data=report_data)
            raise Boom
    assert callbacks == []
    assert not Notification.objects.exists()


def test_email_is_sent_by_the_background_job_and_retried_on_failure(
    definitions, with_emails, report_data, django_capture_on_commit_callbacks, settings,
    run_worker,
):
    with django_capture_on_commit_callbacks(execute=True):
        incident_report_submit(reporter=with_emails["reporter"], data=report_data)
    run_worker()
    sent = OutgoingEmail.objects.filter(to="coordinator@example.no").get()
    assert sent.status == EmailStatus.SENT
    assert any(m.to == ["coordinator@example.no"] for m in mail.outbox)

    email = OutgoingEmail.objects.create(to="other@example.no", subject="s", body="b")
    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.FailingBackend"
    with django_capture_on_commit_callbacks(execute=False):
        assert send_email.call(email.pk) == "failed"
    email.refresh_from_db()
    assert email.status == EmailStatus.QUEUED and email.attempts == 1
    assert "SMTPServerDisconnected" in email.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_email.call(email.pk) == "sent"
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert any(m.to == ["other@example.no"] for m in mail.outbox)


def test_reporter_is_told_when_the_case_closes(
    definitions, with_emails, report_data, django_capture_on_commit_callbacks, run_worker
):
    people = with_emails
    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    triage = Task.objects.get(case=case, bpmn_id="triage", state=TaskState.READY)
    with django_capture_on_commit_callbacks(execute=True):
        services.task_complete(actor=people["coordinator"], task_id=triage.pk,
                               data={"triage_decision": "reject", "rejection_reason": "x"})
    run_worker()
    note = Notification.objects.get(user=people["reporter"], kind=Kind.STATUS_CHANGED)
    assert case.reference in note.text


def test_hse_admins_are_told_when_a_case_stops_with_an_error(
    definitions, with_emails, report_data, django_capture_on_commit_callbacks, run_worker
):
    """The UI promises admins are notified when a step fails."""
    from cases.models import Case
    from cases.services.persistence import load_workflow, lock_case, save_error
    from cases.workflow.errors import WorkflowError

    people = with_emails
    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    with django_capture_on_commit_callbacks(execute=True):
        from django.db import transaction

        with transaction.atomic():
            locked = lock_case(case.pk)
            save_error(locked, load_workflow(locked), WorkflowError("boom", element_id="triage"))
    assert Case.objects.get(pk=case.pk).status == "error"
    run_worker()
    note = Notification.objects.get(kind=Kind.CASE_ERROR)
    assert note.user == people["admin"] and case.reference in note.text
    assert OutgoingEmail.objects.filter(to="hseadmin@example.no").exists()


def _notify_jobs():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path="notifications.tasks.notify_for_events")


def test_the_notification_job_is_queued_in_the_step_transaction(definitions, people, report_data):
    """The job row is written by the service, before commit: it commits with
    the events or not at all, and needs no after-commit hook to exist."""
    from cases.models import CaseEvent, EventKind

    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    (job,) = _notify_jobs()
    ready = CaseEvent.objects.get(case=case, kind=EventKind.TASK_READY)
    assert job.args_kwargs["args"] == [[ready.pk]]

    task = Task.objects.get(case=case, state=TaskState.READY)
    services.task_claim(actor=people["coordinator"], task_id=task.pk)
    assert _notify_jobs().count() == 1, "a claim notifies nobody"


def test_no_notification_job_survives_a_rolled_back_step(definitions, people, report_data):
    from django.db import transaction

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        incident_report_submit(reporter=people["reporter"], data=report_data)
        assert _notify_jobs().count() == 1
        raise Boom
    assert not _notify_jobs().exists()


def test_events_recorded_outside_a_case_service_are_notified_after_commit(
    definitions, people, report_data, django_capture_on_commit_callbacks, run_worker
):
    from django.db import transaction

    from cases.models import EventKind
    from cases.services.persistence import lock_case, record_event

    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    before = _notify_jobs().count()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        locked = lock_case(case.pk)  # not a case service: nothing flushes
        record_event(locked, EventKind.ERROR, data={"element": "x", "message": "failed"})
        assert _notify_jobs().count() == before
    assert _notify_jobs().count() == before + 1
    run_worker()
    assert Notification.objects.filter(case=case, kind=Kind.CASE_ERROR).exists()
