"""List failed background jobs (as the failed-jobs page does: kind, tries,
when, the error's class and code line, never arguments); retry or discard one.

    manage.py failed_jobs
    manage.py failed_jobs --retry <id>
    manage.py failed_jobs --discard <id>
"""

from django.core.management.base import BaseCommand, CommandError

from cases.failed_jobs import failed_job_count, failed_jobs_page
from cases.services.failed_jobs import JobNotFailed, failed_job_discard, failed_job_retry


class Command(BaseCommand):
    help = "List failed background jobs; --retry or --discard one by its id."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--retry", metavar="ID", help="Run this failed job again now.")
        group.add_argument("--discard", metavar="ID", help="Delete this failed job.")

    def handle(self, *args, retry=None, discard=None, **options):
        try:
            if retry:
                failed_job_retry(job_id=retry)
                self.stdout.write(f"Job {retry} queued again.")
                return
            if discard:
                failed_job_discard(job_id=discard)
                self.stdout.write(f"Job {discard} discarded.")
                return
        except JobNotFailed as exc:
            raise CommandError(f"No failed job {exc}.") from exc
        self.stdout.write(f"Failed jobs: {failed_job_count()}")
        before = None
        while True:
            rows, before = failed_jobs_page(before=before, size=500)
            for job in rows:
                failed_at = job.failed_at.isoformat(timespec="seconds") if job.failed_at else "-"
                self.stdout.write(
                    f"{job.id}  {job.kind}  tries={job.tries}  failed={failed_at}  "
                    f"{job.error}  {job.location}"
                )
            if before is None:
                return
