"""Reads for the failed-jobs page and ``manage.py failed_jobs``.

A job's arguments and its error message may carry case content (an e-mail
address, a name in an exception), so neither leaves this module: a row says
which job kind failed, how often it was tried, when, and where it failed (the
exception's class and the innermost code line), never with what.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cases.leases import tries

PAGE_SIZE = 50

_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<func>\S+)')


@dataclass(frozen=True)
class FailedJob:
    id: str
    kind: str
    tries: int
    failed_at: datetime | None
    error: str
    location: str


def where_it_failed(traceback: str) -> str:
    """The innermost frame of the traceback inside the project: file, line, function."""
    frames = [m for m in _FRAME.finditer(traceback or "") if "site-packages" not in m["file"]]
    if not frames:
        return ""
    last = frames[-1]
    path = last["file"].replace("\\", "/")
    for marker in ("/cases/", "/notifications/", "/whistleblowing/", "/incidents/",
                   "/sickleave/", "/parking/", "/amu/", "/documents/", "/org/", "/varde/"):
        if marker in path:
            path = marker.lstrip("/") + path.split(marker, 1)[1]
            break
    return f"{path}:{last['line']} ({last['func']})"


def _row(job: DBTaskResult) -> FailedJob:
    return FailedJob(
        id=str(job.id),
        kind=job.task_path,
        tries=tries(job),
        failed_at=job.finished_at,
        error=job.exception_class_path,
        location=where_it_failed(job.traceback),
    )


def failed_jobs_page(*, before: tuple[datetime, str] | None = None, size: int = PAGE_SIZE):
    """One page of failed jobs, newest failure first (keyset on finished_at,
    id); returns (rows, the key of the next page or None). One query."""
    jobs = (
        DBTaskResult.objects.failed()
        .only("id", "task_path", "worker_ids", "finished_at", "exception_class_path",
              "traceback")
        .order_by("-finished_at", "-id")
    )
    if before is not None:
        at, job_id = before
        jobs = jobs.filter(finished_at__lte=at).exclude(finished_at=at, id__gte=job_id)
    rows = [_row(job) for job in jobs[: size + 1]]
    more = len(rows) > size
    rows = rows[:size]
    return rows, ((rows[-1].failed_at, rows[-1].id) if more else None)


def failed_job_count() -> int:
    return DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count()
