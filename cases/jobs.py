"""Enqueue background jobs as part of the current transaction.

With the database task backend (django-tasks-db, the default here) a job is a
row: inserted inside the case's transaction it commits with the case or not
at all, so a wake-up can never be lost between commit and enqueue, and it
costs no commit of its own. Other backends get the job after commit.
"""

from datetime import datetime

from django.db import transaction
from django_tasks import task_backends


def _is_transactional(task) -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends[task.backend], DatabaseBackend)


def enqueue_in_transaction(task, *args, run_after: datetime | None = None) -> None:
    configured = task.using(run_after=run_after) if run_after is not None else task
    if _is_transactional(configured):
        configured.enqueue(*args)
    else:
        transaction.on_commit(lambda: configured.enqueue(*args))
