"""Run background jobs: django-tasks-db's ``db_worker`` with leases,
heartbeats, bounded tries and a clean stop (``cases.worker``).

Takes the stock command's options (``--queue-name '*'``, ``--interval``,
``--batch``, ``--max-tasks``, ``--worker-id`` …).
"""

import os

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from cases.worker import Worker


class Command(db_worker.Command):
    help = "Run background jobs with leases and heartbeats (use instead of db_worker)"

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay,
               reload, max_tasks, worker_id, exclude_queues, **options):
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
            heartbeat_seconds=settings.VARDE_JOB_HEARTBEAT.total_seconds(),
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
