"""Small background jobs for the lease and worker tests (importable by path,
as the worker imports every job)."""

import os
import signal

from django.contrib.auth.models import Group
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
