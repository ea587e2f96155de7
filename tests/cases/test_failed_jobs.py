"""Failed background jobs are visible to HSE admins, who retry or discard
them; manage.py failed_jobs lists the same. Neither shows what a job was
about (its arguments, its error message)."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.cases import jobs_for_tests

pytestmark = pytest.mark.django_db
SECRET = "Kari Nordmann's back injury"


@pytest.fixture
def client(client):
    """Pages in English (the msgids)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def failed_job(run_worker, settings):
    """A job that failed on every try, its argument and message carrying content."""
    result = jobs_for_tests.fail_always.enqueue(SECRET)
    now = timezone.now()
    for _ in range(settings.VARDE_JOB_MAX_TRIES):
        with time_machine.travel(now, tick=False):
            run_worker()
        now += timedelta(hours=1)
    job = DBTaskResult.objects.get(pk=result.id)
    assert job.status == TaskResultStatus.FAILED and SECRET in job.traceback
    return job


def test_hse_admins_see_failed_jobs_without_their_content(client, people, failed_job):
    client.force_login(people["admin"])
    response = client.get(reverse("cases:failed_jobs"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "tests.cases.jobs_for_tests.fail_always" in page
    assert "builtins.RuntimeError" in page
    assert "jobs_for_tests.py" in page, "where it failed"
    assert "Kari" not in page and "injury" not in page


@pytest.mark.parametrize("who", ["coordinator", "superuser"])
def test_others_and_superusers_are_refused(client, people, failed_job, who):
    if who == "superuser":
        user = get_user_model().objects.create_superuser("super-varde", "super@example.no", "pw")
    else:
        user = people[who]
    client.force_login(user)
    assert client.get(reverse("cases:failed_jobs")).status_code == 403
    url = reverse("cases:failed_job_action", args=[failed_job.pk])
    assert client.post(url, {"action": "retry"}).status_code == 403
    assert DBTaskResult.objects.get(pk=failed_job.pk).status == TaskResultStatus.FAILED


def test_retry_runs_the_job_again_and_it_comes_back_when_it_fails(
    client, people, failed_job, run_worker
):
    client.force_login(people["admin"])
    url = reverse("cases:failed_job_action", args=[failed_job.pk])
    response = client.post(url, {"action": "retry"}, follow=True)
    assert "The job will run again shortly." in response.content.decode()
    job = DBTaskResult.objects.get(pk=failed_job.pk)
    assert job.status == TaskResultStatus.READY
    run_worker()
    job = DBTaskResult.objects.get(pk=failed_job.pk)
    assert job.status == TaskResultStatus.FAILED, "one more try, failed again"
    assert len(job.worker_ids) == len(failed_job.worker_ids) + 1


def test_retry_of_a_job_whose_cause_was_fixed_succeeds(client, people, failed_job, run_worker,
                                                      monkeypatch):
    # The cause fixed: the job's path now leads to code that works.
    monkeypatch.setattr(jobs_for_tests, "fail_always", jobs_for_tests.record)
    client.force_login(people["admin"])
    client.post(reverse("cases:failed_job_action", args=[failed_job.pk]), {"action": "retry"})
    run_worker()
    assert DBTaskResult.objects.get(pk=failed_job.pk).status == TaskResultStatus.SUCCESSFUL


def test_discard_removes_the_job(client, people, failed_job):
    client.force_login(people["admin"])
    url = reverse("cases:failed_job_action", args=[failed_job.pk])
    client.post(url, {"action": "discard"})
    assert not DBTaskResult.objects.filter(pk=failed_job.pk).exists()
    response = client.post(url, {"action": "retry"}, follow=True)
    assert "This job is no longer waiting here." in response.content.decode()


def test_the_page_is_keyset_paged_with_a_constant_query_count(client, people):
    failed_at = timezone.now()
    for n in range(60):
        result = jobs_for_tests.record.enqueue(f"job {n}")
        DBTaskResult.objects.filter(pk=result.id).update(
            status=TaskResultStatus.FAILED, finished_at=failed_at - timedelta(minutes=n % 7),
            exception_class_path="builtins.ValueError", traceback="",
        )
    client.force_login(people["admin"])
    url = reverse("cases:failed_jobs")
    with CaptureQueriesContext(connection) as first:
        response = client.get(url)
    seen = response.content.decode().count("jobs_for_tests.record")
    assert seen == 50
    older = response.context["next_before"]
    with CaptureQueriesContext(connection) as second:
        response = client.get(url, {"before": older})
    assert response.content.decode().count("jobs_for_tests.record") == 10
    assert not response.context["next_before"]
    assert len(first) == len(second)


def test_the_command_lists_retries_and_discards(failed_job):
    out = io.StringIO()
    call_command("failed_jobs", stdout=out)
    listing = out.getvalue()
    assert "Failed jobs: 1" in listing and str(failed_job.pk) in listing
    assert "builtins.RuntimeError" in listing and "Kari" not in listing
    call_command("failed_jobs", retry=str(failed_job.pk), stdout=io.StringIO())
    assert DBTaskResult.objects.get(pk=failed_job.pk).status == TaskResultStatus.READY
    DBTaskResult.objects.filter(pk=failed_job.pk).update(status=TaskResultStatus.FAILED)
    call_command("failed_jobs", discard=str(failed_job.pk), stdout=io.StringIO())
    assert not DBTaskResult.objects.exists()
