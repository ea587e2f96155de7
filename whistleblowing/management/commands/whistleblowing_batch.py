from django.core.management.base import BaseCommand

from whistleblowing.services.batch import batch_ensure_scheduled, batch_run


class Command(BaseCommand):
    help = ("Run the whistleblowing batch now (start waiting cases, send activity notices, "
            "purge once a day) and make sure the next one is queued for the worker. Run it "
            "once after deployment, and from cron as a safety net.")

    def handle(self, *args, **options):
        result = batch_run()
        slot = batch_ensure_scheduled()
        self.stdout.write(f"{result}; next batch: {slot}")
