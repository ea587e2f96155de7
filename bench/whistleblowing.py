"""What does the whistleblowing channel's encryption cost?

Prints, each as the median of N runs:

* submit a report sealed to 4 committee members, without an attachment and
  with a 5 MB attachment (report_submit: keys, seals, AEAD, secretstream,
  files, rows), excluding Argon2 (the receipt KDF runs with minimal cost);
* the encryption share of a submission without attachment (time spent in the
  crypto functions during report_submit) against the target of ≤ 20 ms;
* open the case as a member (unseal the grant, decrypt every entry) and read
  the 5 MB attachment back, excluding Argon2 (the member is already unlocked);
* Argon2id on its own, with the production parameters: a member unlock
  (MODERATE, 256 MiB) and a reporter's receipt login (64 MiB).

Not a test: run it by hand,

    .venv/bin/python bench/whistleblowing.py [--n 20]

It uses a throwaway database (SQLite temporary file, or a PostgreSQL database
dropped afterwards when DATABASE_URL is set) and a temporary file directory.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "varde.settings")
os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("VARDE_RECEIPT_PEPPER", "bench-pepper")
warnings.filterwarnings("ignore", category=DeprecationWarning)

CHEAP_KDF = {"ops": 1, "mem": 8192}
REPORT = {
    "what_happened": "A senior colleague touched me repeatedly at the lab party. " * 20,
    "when": "Autumn 2025", "where": "Lab building, 3rd floor",
    "people_involved": "A senior researcher", "witnesses": "Two PhD students",
    "reporter_category": "employee", "identity": "Kari Nordmann, kari@example.org",
}


class Upload(io.BytesIO):
    def __init__(self, data: bytes, name: str):
        super().__init__(data)
        self.name, self.size, self.content_type = name, len(data), "application/pdf"

    def chunks(self, chunk_size=64 * 1024):
        view = memoryview(self.getvalue())
        for start in range(0, len(view), chunk_size):
            yield bytes(view[start:start + chunk_size])


def median_ms(func, n: int) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


class CryptoClock:
    """Accumulate the time spent inside the crypto functions during a call."""

    NAMES = ("generate_keypair", "seal", "aead_encrypt", "random_key", "random_salt", "pad",
             "stream_encrypt")

    def __init__(self):
        from whistleblowing import crypto, receipts

        self.crypto, self.receipts, self.spent = crypto, receipts, 0.0
        self.originals = {name: getattr(crypto, name) for name in self.NAMES}
        self.originals_receipts = {"lookup_hash": receipts.lookup_hash,
                                   "generate": receipts.generate}

    def _wrap(self, func):
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.spent += time.perf_counter() - start
        return timed

    def __enter__(self):
        for name, func in self.originals.items():
            setattr(self.crypto, name, self._wrap(func))
        for name, func in self.originals_receipts.items():
            setattr(self.receipts, name, self._wrap(func))
        return self

    def __exit__(self, *exc):
        for name, func in self.originals.items():
            setattr(self.crypto, name, func)
        for name, func in self.originals_receipts.items():
            setattr(self.receipts, name, func)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    sys.path.insert(0, str(ROOT / "bench"))
    from engine import _throwaway_database

    with tempfile.TemporaryDirectory(prefix="varde-wb-bench-") as tmpdir:
        settings.VARDE_WHISTLEBLOWING_FILES = Path(tmpdir) / "files"
        settings.VARDE_WB_MEMBER_KDF = CHEAP_KDF
        settings.VARDE_WB_RECEIPT_KDF = CHEAP_KDF
        old_name = _throwaway_database(tmpdir)
        try:
            run(args.n, connection)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


def run(n: int, connection) -> None:
    from django.contrib.auth.models import Group, User

    from cases.services.definitions import definitions_sync
    from org.services import role_groups_ensure
    from whistleblowing import conf, crypto
    from whistleblowing.roles import COMMITTEE
    from whistleblowing.services import committee, members, reporting

    role_groups_ensure()
    from django.conf import settings

    definitions_sync(directory=settings.VARDE_WORKFLOW_DIR)
    group = Group.objects.get(name=COMMITTEE)
    holders = []
    for name in ("anna", "bjorn", "cecilie", "dag"):
        user = User.objects.create_user(name, password=f"pw-{name}")
        user.groups.add(group)
        holder, private_key, _rk = members.holder_enroll(user=user, password=f"pw-{name}")
        holders.append((holder, private_key))
    where = "SQLite (temporary file)" if connection.vendor == "sqlite" else connection.vendor
    print(f"Whistleblowing channel, 4 recipients, median of {n}; {where}")

    submit_plain = median_ms(lambda: reporting.report_submit(data=REPORT), n)
    attachment = os.urandom(5 * 1024 * 1024)
    submit_file = median_ms(
        lambda: reporting.report_submit(data=REPORT, uploads=[Upload(attachment, "a.pdf")]),
        max(3, n // 4),
    )
    shares = []
    for _ in range(n):
        start = time.perf_counter()
        with CryptoClock() as clock:
            reporting.report_submit(data=REPORT)
        total = time.perf_counter() - start
        shares.append((clock.spent * 1000, total * 1000))
    crypto_ms = statistics.median(s for s, _t in shares)

    submission = reporting.report_submit(data=REPORT, uploads=[Upload(attachment, "a.pdf")])
    holder, private_key = holders[0]
    open_ms = median_ms(lambda: committee.case_open(holder=holder, private_key=private_key,
                                                    report=submission.report), n)
    entry = submission.report.entries.get(kind="attachment")

    def read_attachment():
        _meta, chunks = committee.attachment_export(
            holder=holder, private_key=private_key, report=submission.report,
            entry_uuid=entry.uuid)
        assert sum(len(c) for c in chunks) == len(attachment)

    read_ms = median_ms(read_attachment, max(3, n // 4))

    print(f"submit, no attachment (excl. Argon2):           {submit_plain:8.1f} ms")
    print(f"submit, 5 MB attachment (excl. Argon2):         {submit_file:8.1f} ms")
    print(f"open the case as a member (excl. Argon2):       {open_ms:8.1f} ms")
    print(f"read the 5 MB attachment back as a member:      {read_ms:8.1f} ms")

    salt = crypto.random_salt()
    member_params = conf.KdfParams.from_json(conf.MEMBER_KDF_DEFAULT)
    receipt_params = conf.KdfParams.from_json(conf.RECEIPT_KDF_DEFAULT)
    argon_member = median_ms(lambda: crypto.derive_key("password", salt, member_params), 3)
    argon_receipt = median_ms(lambda: crypto.derive_key("RECEIPT", salt, receipt_params), 3)
    print(f"Argon2id, member unlock (ops=3, 256 MiB):       {argon_member:8.1f} ms")
    print(f"Argon2id, reporter receipt (ops=3, 64 MiB):     {argon_receipt:8.1f} ms")
    verdict = "OK" if crypto_ms <= 20 else "OVER TARGET"
    print(f"encryption added to a submission without attachment: {crypto_ms:.2f} ms "
          f"(target ≤ 20 ms: {verdict})")


if __name__ == "__main__":
    sys.exit(main())
