"""Demo committee: four members and one employer decision-maker, each with a
known demo password, a confirmed TOTP device with a fixed demo secret, and
a key pair (recovery key printed once, at creation). Idempotent: existing
accounts and keys are kept (their recovery keys cannot be printed again).

For demos only: the passwords and TOTP secrets below are public.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from org.services import role_groups_ensure
from whistleblowing.models import KeyHolder
from whistleblowing.roles import COMMITTEE, DECISION_MAKER
from whistleblowing.services.batch import batch_ensure_scheduled
from whistleblowing.services.members import holder_enroll

# username, first name, last name, shown to reporters, role, TOTP secret (hex, 20 bytes)
DEMO = [
    ("komite_psykolog", "Ingrid", "Haugen", "Ingrid Haugen, psychologist", COMMITTEE),
    ("komite_sosiolog", "Lars", "Eide", "Lars Eide, sociologist", COMMITTEE),
    ("komite_jurist", "Marte", "Solberg", "Marte Solberg, lawyer", COMMITTEE),
    ("komite_leder", "Olav", "Berg", "Olav Berg, leadership", COMMITTEE),
    ("arbeidsgiver_beslutter", "Siri", "Lunde", "", DECISION_MAKER),
]


def demo_password(username: str) -> str:
    return f"demo-{username}-2026"


def demo_totp_key(username: str) -> str:
    """A fixed 20-byte secret per demo user (hex), so demos can be rehearsed."""
    return (username.encode().hex() * 4)[:40]


class Command(BaseCommand):
    help = "Create the demo committee (4 members, 1 decision-maker) with keys and TOTP."

    def handle(self, *args, **options):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        role_groups_ensure()
        users = get_user_model()
        for username, first, last, public, role in DEMO:
            with transaction.atomic():
                user, created = users.objects.get_or_create(
                    username=username, defaults={"first_name": first, "last_name": last,
                                                 "email": f"{username}@example.org"},
                )
                if created:
                    user.set_password(demo_password(username))
                    user.save()
                user.groups.add(Group.objects.get(name=role))
                device, _new = TOTPDevice.objects.get_or_create(
                    user=user, name="demo",
                    defaults={"key": demo_totp_key(username), "confirmed": True},
                )
                line = f"{username:24} password {demo_password(username)}  TOTP {device.config_url}"
                if KeyHolder.objects.filter(user=user).exists():
                    self.stdout.write(f"{line}  (key exists)")
                    continue
                _holder, _key, recovery_key = holder_enroll(
                    user=user, password=demo_password(username), public_description=public
                )
                self.stdout.write(f"{line}\n{'':24} recovery key {recovery_key}")
        slot = batch_ensure_scheduled()
        self.stdout.write(f"Next whistleblowing batch: {slot}")
