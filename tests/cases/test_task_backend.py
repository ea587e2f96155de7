"""The case services' task backend writes exactly the job row django-tasks-db's
own backend writes, and the database worker runs it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.signals import task_enqueued
from django_tasks_db.backend import DatabaseBackend as StockDatabaseBackend
from django_tasks_db.models import DBTaskResult

from cases.task_backend import DatabaseBackend
from cases.tasks import wake_case

pytestmark = pytest.mark.django_db

# Differ by design: a new id and the time of enqueueing.
_PER_JOB = {"id", "enqueued_at"}


def _row(result) -> dict:
    stored = DBTaskResult.objects.get(id=result.id)
    return {
        f.attname: getattr(stored, f.attname)
        for f in DBTaskResult._meta.concrete_fields if f.attname not in _PER_JOB
    }


@pytest.fixture
def backends():
    ours = task_backends["default"]
    assert isinstance(ours, DatabaseBackend), "the settings name the case services' backend"
    return ours, StockDatabaseBackend(ours.alias, {"BACKEND": "django_tasks_db.DatabaseBackend"})


def _in_a_day():
    # Computed from now: a fixed date goes stale and the job becomes ready.
    return timezone.now() + timedelta(days=1)


@pytest.mark.parametrize("later", [False, True], ids=["now", "later"])
def test_the_row_is_the_stock_backends_row(backends, later):
    ours, stock = backends
    run_after = _in_a_day() if later else None
    task = wake_case.using(run_after=run_after, priority=7) if run_after else wake_case
    mine, theirs = ours.enqueue(task, (42,), {}), stock.enqueue(task, (42,), {})
    assert _row(mine) == _row(theirs)
    assert _row(mine)["args_kwargs"] == {"args": [42], "kwargs": {}}
    assert DBTaskResult.objects.get(id=mine.id).enqueued_at is not None
    if run_after is None:
        assert DBTaskResult.objects.ready().filter(id=mine.id).exists()
    else:
        assert not DBTaskResult.objects.ready().filter(id=mine.id).exists()


_RESULT_FIELDS = ("task", "status", "started_at", "last_attempted_at", "finished_at",
                  "args", "kwargs", "backend", "errors", "worker_ids")


def test_the_result_is_the_one_the_stock_backend_returns(backends):
    ours, stock = backends
    task = wake_case.using(run_after=_in_a_day())
    mine, theirs = ours.enqueue(task, (42,), {}), stock.enqueue(task, (42,), {})
    for name in _RESULT_FIELDS:
        assert getattr(mine, name) == getattr(theirs, name), name
    stored = DBTaskResult.objects.get(id=mine.id).task_result
    assert mine.id == stored.id and mine.enqueued_at == stored.enqueued_at
    for name in _RESULT_FIELDS:
        assert getattr(mine, name) == getattr(stored, name), name


def test_the_result_and_the_signal_are_django_tasks_own(backends):
    ours, _stock = backends
    heard = []

    def receiver(sender, task_result, **kwargs):
        heard.append(task_result)

    task_enqueued.connect(receiver)
    try:
        result = ours.enqueue(wake_case, (42,), {})
    finally:
        task_enqueued.disconnect(receiver)
    assert [r.id for r in heard] == [result.id]
    assert ours.get_result(result.id).args == [42]
    assert result.task.module_path == "cases.tasks.wake_case"
