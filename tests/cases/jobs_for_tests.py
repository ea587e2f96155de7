"""Small background jobs for the lease and worker tests (importable by path,
as the worker imports every job)."""

import os
import signal
from collections import Counter

from django.contrib.auth.models import Group
from django.db import OperationalError
from django_tasks import task


@task()
def record(name: str) -> str:
    Group.objects.create(name=name)
    return name


@task()
def fail_always(name: str) -> None:
    raise RuntimeError(f"cannot handle {name}")


@task()
def stopped(name: str, signals: int) -> None:
    """Records, with SIGTERM sent to its own worker ``signals`` times."""
    Group.objects.create(name=name)
    for _ in range(signals):
        os.kill(os.getpid(), signal.SIGTERM)


runs = Counter()


@task()
def loses_database(name: str, message: str) -> str:
    """Records ``name-<run>``; its first run then fails with ``message`` as if
    the database went away under it."""
    runs[name] += 1
    Group.objects.create(name=f"{name}-{runs[name]}")
    if runs[name] == 1:
        raise OperationalError(message)
    return name
