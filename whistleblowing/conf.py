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


# The procedure (issue 27). Deadlines are the institution's routine (aml. § 2 A-3 says
# "within reasonable time"); the defaults follow the EU directive's 7 days / 3 months.
def overdue_repeat_days() -> int:
    """Days between repeated overdue notices; each repeat escalates one step."""
    return int(getattr(settings, "VARDE_WB_OVERDUE_REPEAT_DAYS", 7))


def committee_leader() -> str:
    """User name of the committee's leader (second escalation step)."""
    return getattr(settings, "VARDE_WB_COMMITTEE_LEADER", "")


def channel_responsible_email() -> str:
    """E-mail address of the person the routine names as responsible for the
    channel (third escalation step): gets content-free notices only."""
    return getattr(settings, "VARDE_WB_CHANNEL_RESPONSIBLE_EMAIL", "")


def no_measures_wording() -> str:
    """The routine's wording of the bare notice to the employer when a case
    closes without a recommendation; empty: the built-in, translated text."""
    return getattr(settings, "VARDE_WB_NO_MEASURES_WORDING", "")


def followup_rounds() -> int:
    """How many times the employer checks in with the reporter after closing."""
    return int(getattr(settings, "VARDE_WB_FOLLOWUP_ROUNDS", 2))


def followup_months() -> int:
    return int(getattr(settings, "VARDE_WB_FOLLOWUP_MONTHS", 3))


def checkin_answer_days() -> int:
    """Days after an employer's check-in during which the reporter's next
    message is taken as the answer to it (unless marked as something new)."""
    return int(getattr(settings, "VARDE_WB_CHECKIN_ANSWER_DAYS", 30))


def open_retention_days() -> int:
    """Days an open report is kept after its last activity (an abandoned
    report, or one never closed, is deleted then)."""
    return int(getattr(settings, "VARDE_WB_OPEN_RETENTION_DAYS", 2 * 365))


def not_whistleblowing_retention_days() -> int:
    """Days a report closed as "not whistleblowing" (or spam) is kept."""
    return int(getattr(settings, "VARDE_WB_NOT_WHISTLEBLOWING_RETENTION_DAYS", 90))


def receipt_value_rate_limit() -> RateLimit:
    """Attempts per receipt value (one receipt tried over and over)."""
    return RateLimit(*getattr(settings, "VARDE_WB_RECEIPT_VALUE_RATE", (10, 15 * 60)))


def global_brake_seconds() -> float:
    """Delay added to receipt attempts while everyone together is over the
    global limit: it slows a flood, but a correct receipt is never refused."""
    return float(getattr(settings, "VARDE_WB_GLOBAL_BRAKE_SECONDS", 2.0))


def member_login_pair_limit() -> RateLimit:
    """Failed sign-ins per (client, account): refused above it."""
    return RateLimit(*getattr(settings, "VARDE_WB_MEMBER_LOGIN_RATE", (10, 15 * 60)))


def member_login_max_delay() -> float:
    """Ceiling of the per-account slow-down after failed sign-ins (no lockout)."""
    return float(getattr(settings, "VARDE_WB_MEMBER_LOGIN_MAX_DELAY", 30.0))
