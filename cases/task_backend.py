"""The task backend of the case services: django-tasks-db's database backend,
with the job row written by one prepared INSERT.

Every case step queues its notification job, and a timer step its wake-up, as
a row inside the step's transaction (``cases.jobs``). The stock backend writes
that row through ``QuerySet.create``, whose query compilation costs about as
much as the rest of the step's writes together (``bench/engine.py``). Here the
row is the same model instance, written by ``cases.services.rows.insert``;
everything else (the worker, results, the admin, the ``task_enqueued``
signal) is django-tasks-db's own. ``tests/cases/test_task_backend.py`` checks
that both backends write the same row.
"""

from django_tasks_db.backend import DatabaseBackend as StockDatabaseBackend
from django_tasks_db.compat import normalize_json
from django_tasks_db.models import DBTaskResult, get_date_max


class DatabaseBackend(StockDatabaseBackend):
    def _task_to_db_task(self, task, args, kwargs) -> DBTaskResult:
        from cases.services import rows

        return rows.insert(
            DBTaskResult(
                id=self._get_id(),
                args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
                priority=task.priority,
                task_path=task.module_path,
                queue_name=task.queue_name,
                # What django-tasks-db's pre_save handler does, which a plain
                # INSERT does not send: no run_after means "now".
                run_after=task.run_after if task.run_after is not None else get_date_max(),
                backend_name=self.alias,
            )
        )
