"""Slow background jobs for the audit's worker checks (importable by path)."""

import time

from django.contrib.auth.models import Group
from django_tasks import task


@task()
def slow_record(name: str, seconds: float) -> str:
    """Records ``name`` then works ``seconds``: killed mid-run, nothing stays."""
    Group.objects.create(name=name)
    time.sleep(seconds)
    return name


@task()
def always_locked(name: str) -> None:
    """Fails every run as if SQLite's lock were held past its timeout: a job
    that breaks the database under itself each time (a poison job)."""
    from django.db import OperationalError

    Group.objects.get_or_create(name=name)
    raise OperationalError("database is locked")


@task()
def effect_then_record(name: str, seconds: float) -> str:
    """An effect outside the database (``seconds`` long) then its record,
    inside ``cases.jobs.effect_done``: as ``send_email`` does."""
    from cases.jobs import effect_done

    with effect_done():
        time.sleep(seconds)
        Group.objects.create(name=name)
    return name
