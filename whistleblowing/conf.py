"""Settings of the whistleblowing channel, read when used (never at import).

Only the pepper, the break-glass public key and the file directory come from
``varde/settings.py`` (environment); the rest have safe defaults here and can
be overridden in settings.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from varde.ratelimit import RateLimit

# A pepper for development only: receipts made with it are worthless outside
# the developer's machine.
DEV_PEPPER = "dev-only-whistleblowing-pepper-never-use-in-production"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: libsodium opslimit and memlimit (bytes)."""

    ops: int
    mem: int

    def as_json(self) -> dict:
        return {"ops": self.ops, "mem": self.mem}

    @classmethod
    def from_json(cls, value: dict) -> "KdfParams":
        return cls(int(value["ops"]), int(value["mem"]))


# libsodium's MODERATE (about 1 s and 256 MiB) for member keys, and 64 MiB for
# the per-case receipt key (the design, section 5).
MEMBER_KDF_DEFAULT = {"ops": 3, "mem": 256 * 1024 * 1024}
RECEIPT_KDF_DEFAULT = {"ops": 3, "mem": 64 * 1024 * 1024}


def member_kdf() -> KdfParams:
    return KdfParams.from_json(getattr(settings, "VARDE_WB_MEMBER_KDF", MEMBER_KDF_DEFAULT))


def receipt_kdf() -> KdfParams:
    return KdfParams.from_json(getattr(settings, "VARDE_WB_RECEIPT_KDF", RECEIPT_KDF_DEFAULT))


class ChannelNotConfigured(ImproperlyConfigured):
    pass


def receipt_pepper() -> bytes:
    """The HMAC key of receipt lookups: from the environment, never the DB.

    Without it a production server refuses to serve the channel; a
    development server (DEBUG) uses a fixed, public dev pepper.
    """
    pepper = getattr(settings, "VARDE_RECEIPT_PEPPER", "")
    if pepper:
        return pepper.encode()
    if settings.DEBUG:
        return DEV_PEPPER.encode()
    raise ChannelNotConfigured("VARDE_RECEIPT_PEPPER is not set.")


def breakglass_public_key() -> bytes | None:
    """The committee-held break-glass public key (hex), if the owner set one."""
    value = getattr(settings, "VARDE_BREAKGLASS_PUBLIC_KEY", "")
    return bytes.fromhex(value) if value else None


def files_dir():
    return settings.VARDE_WHISTLEBLOWING_FILES


def retention_days() -> int:
    """Days a closed case is kept before the purge (the written retention policy)."""
    return int(getattr(settings, "VARDE_WB_RETENTION_DAYS", 365))


def max_file_bytes() -> int:
    return int(getattr(settings, "VARDE_WB_MAX_FILE_BYTES", 25 * 1024 * 1024))


def max_case_bytes() -> int:
    return int(getattr(settings, "VARDE_WB_MAX_CASE_BYTES", 100 * 1024 * 1024))


def batch_hours() -> int:
    """Cases of new reports start, and members hear of reporter activity, in
    batches at fixed hours (every N hours from midnight): no case, task,
    notification or job row carries the time of day a reporter acted."""
    return int(getattr(settings, "VARDE_WB_BATCH_HOURS", 4))


def cache_alias() -> str:
    return getattr(settings, "VARDE_WB_CACHE", "default")


def receipt_rate_limit() -> RateLimit:
    return RateLimit(*getattr(settings, "VARDE_WB_RECEIPT_RATE", (10, 15 * 60)))


def receipt_global_limit() -> RateLimit:
    return RateLimit(*getattr(settings, "VARDE_WB_RECEIPT_GLOBAL_RATE", (1000, 15 * 60)))


def submit_rate_limit() -> RateLimit:
    return RateLimit(*getattr(settings, "VARDE_WB_SUBMIT_RATE", (10, 60 * 60)))


MEMBER_IDLE_SECONDS = 30 * 60
REPORTER_IDLE_SECONDS = 15 * 60
