"""The break-glass ceremony, run by the committee on an isolated machine.

``generate`` prints a new key pair: the public key goes into the server's
environment (VARDE_BREAKGLASS_PUBLIC_KEY); the private key is printed and
kept by the committee (chair and the committee's lawyer), never by the
university. ``grant`` re-seals every case key to a member, from the private
key in a file, when no member can unlock any more.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from whistleblowing import crypto
from whistleblowing.models import KeyHolder
from whistleblowing.services.grants import breakglass_grant


class Command(BaseCommand):
    help = "Generate a break-glass key pair, or use its private key to grant a member access."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("generate")
        grant = sub.add_parser("grant")
        grant.add_argument("--to", required=True, help="User name of the member to grant.")
        grant.add_argument("--private-key-file", required=True,
                           help="File holding the break-glass private key (hex).")

    def handle(self, *args, **options):
        if options["action"] == "generate":
            public, private = crypto.generate_keypair()
            self.stdout.write(f"VARDE_BREAKGLASS_PUBLIC_KEY={public.hex()}")
            self.stdout.write("Break-glass PRIVATE key (print it, then destroy this output):")
            self.stdout.write(private.hex())
            return
        holder = KeyHolder.objects.select_related("user").filter(
            user__username=options["to"]
        ).first()
        if holder is None:
            raise CommandError("That user has no key yet: let them log in and create one first.")
        private = bytes.fromhex(Path(options["private_key_file"]).read_text().strip())
        count = breakglass_grant(breakglass_private_key=private, grantee=holder)
        self.stdout.write(f"Granted {count} case(s) to {holder.user.get_username()}.")
