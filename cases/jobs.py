"""Enqueue background jobs as part of the current transaction.

With the database task backend (django-tasks-db, the default here) a job is a
row: inserted inside the case's transaction it commits with the case or not
at all, so a wake-up can never be lost between commit and enqueue, and it
costs no commit of its own. Other backends get the job after commit.

``manage.py jobs_worker`` (``cases.worker``) runs each job inside one
transaction together with the row's "done", so a job's database effects
happen once even when its worker dies and the job is run again. A job with an
effect outside the database (an e-mail, a batch that commits as it goes) is
marked ``@own_transactions`` and makes its reruns harmless itself.

A job that counts its own tries (``send_email``) raises ``GiveUp`` after its
last one: the job fails for good at once and shows on the failed-jobs page. A
hook registered with ``@on_retry(task)`` runs when an HSE admin retries such a
job there, in the retry's transaction, to give the job's work one more try.
"""

import contextlib
import threading
from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django_tasks import task_backends

OWN_TRANSACTIONS = "varde_own_transactions"

_retry_hooks: dict[str, Callable] = {}


class GiveUp(Exception):
    """Raised by a job after its last try of its own: the worker fails the
    job for good now, with no further tries (the failed-jobs page)."""


def on_retry(task):
    """Register ``hook(*args, **kwargs)`` (the job's arguments) to run when a
    failed job of ``task`` is retried from the failed-jobs page."""

    def register(hook):
        _retry_hooks[task.module_path] = hook
        return hook

    return register


def before_retry(job) -> None:
    """Run the retry hook of a failed job's task, if it has one."""
    job.task  # noqa: B018 - imports the task's module, which registers its hook
    hook = _retry_hooks.get(job.task_path)
    if hook is not None:
        hook(*job.args_kwargs["args"], **job.args_kwargs["kwargs"])


# Threads now recording an effect already done outside the database.
_recording_effect: set[int] = set()


@contextlib.contextmanager
def effect_done():
    """Wrap the stretch of a job after an effect outside the database (the
    mail server accepted the message) until it is recorded: the worker does
    not stop the job there when its lease cannot be renewed, since a rerun
    would repeat the effect. The record itself is idempotent."""
    ident = threading.get_ident()
    _recording_effect.add(ident)
    try:
        yield
    finally:
        _recording_effect.discard(ident)


def recording_effect(thread_id: int) -> bool:
    """Whether the thread is inside ``effect_done`` (asked from another thread)."""
    return thread_id in _recording_effect


def own_transactions(func):
    """Under ``@task()``: the worker runs this job outside a transaction of
    its own (the job commits as it goes and is idempotent by itself)."""
    setattr(func, OWN_TRANSACTIONS, True)
    return func


def runs_in_own_transactions(task) -> bool:
    return getattr(task.func, OWN_TRANSACTIONS, False)


def _is_transactional(task) -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends[task.backend], DatabaseBackend)


def enqueue_in_transaction(task, *args, run_after: datetime | None = None) -> None:
    configured = task.using(run_after=run_after) if run_after is not None else task
    if _is_transactional(configured):
        configured.enqueue(*args)
    else:
        transaction.on_commit(lambda: configured.enqueue(*args))
