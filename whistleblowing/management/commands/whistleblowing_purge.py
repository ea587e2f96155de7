from django.core.management.base import BaseCommand

from whistleblowing.services.retention import purge_expired


class Command(BaseCommand):
    help = ("Delete closed whistleblowing cases whose retention date has passed (files are "
            "overwritten first). Cases with unread reporter activity wait. The scheduled "
            "batch runs this daily; run it by hand or from cron as a safety net.")

    def handle(self, *args, **options):
        self.stdout.write(f"Purged {purge_expired()} case(s).")
