from django.core.management.base import BaseCommand

from cases.services import cases_wake_due


class Command(BaseCommand):
    help = (
        "Wake every case whose timer is due now. The background worker "
        "(manage.py jobs_worker) normally wakes each case at its own due time; "
        "run this after an outage of the worker."
    )

    def handle(self, *args, **options):
        count = cases_wake_due()
        self.stdout.write(f"Woke {count} case(s).")
