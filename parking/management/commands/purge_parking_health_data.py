from django.core.management.base import BaseCommand

from parking.services.retention import health_data_purge_due


class Command(BaseCommand):
    help = (
        "Delete the health information of near-parking applications whose decision is final "
        "and whose appeal period has passed (run daily)."
    )

    def handle(self, *args, **options):
        cleared = health_data_purge_due()
        self.stdout.write(f"Cleared the health information of {cleared} application(s).")
