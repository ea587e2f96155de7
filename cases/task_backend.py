"""The task backend of the case services: django-tasks-db's database backend,
with the job row written by one prepared INSERT.

Every case step queues its notification job, and a timer step its wake-up, as
a row inside the step's transaction (``cases.jobs``). The stock backend writes
that row through ``QuerySet.create``, whose query compilation costs about as
much as the rest of the step's writes together, and then reads the task back
from its dotted path to build the result it returns (``bench/engine.py``).
Here the row is the same model instance, written by
``cases.services.rows.insert``, and the result is built from the task at hand;
everything else (the worker, results, the admin, the ``task_enqueued``
signal) is django-tasks-db's own. ``tests/cases/test_task_backend.py`` checks
that both backends write the same row and return the same result.
"""

from django_tasks_db.backend import DatabaseBackend as StockDatabaseBackend
from django_tasks_db.backend import TaskResult
from django_tasks_db.compat import TaskResultStatus, normalize_json, task_enqueued
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_db.utils import normalize_uuid


class DatabaseBackend(StockDatabaseBackend):
    def enqueue(self, task, args, kwargs) -> TaskResult:
        self.validate_task(task)
        db_result = self._task_to_db_task(task, args, kwargs)
        # As DBTaskResult.task_result gives it for a new row, with the task
        # as enqueued instead of imported again from its path.
        result = TaskResult(
            db_result=db_result,
            task=task,
            id=normalize_uuid(db_result.id),
            status=TaskResultStatus.READY,
            enqueued_at=db_result.enqueued_at,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=db_result.args_kwargs["args"],
            kwargs=db_result.args_kwargs["kwargs"],
            backend=self.alias,
            errors=[],
            worker_ids=db_result.worker_ids,
        )
        object.__setattr__(result, "_return_value", None)
        task_enqueued.send(type(self), task_result=result)
        return result

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
