"""Fixtures of the whistleblowing tests.

Argon2 runs with the cheapest parameters libsodium accepts (one test checks
the production parameters); files go to a temporary directory; the cache is
a private in-memory cache per test, so rate limits and reporter sessions
never leak between tests or to a shared Redis.
"""

import itertools

import pytest
from django.core.cache import caches

from cases.services.definitions import definitions_sync
from org.services import role_groups_ensure
from tests.conftest import make_user
from whistleblowing.roles import COMMITTEE, DECISION_MAKER
from whistleblowing.services import members as member_services

CHEAP_KDF = {"ops": 1, "mem": 8192}
_cache_names = itertools.count()


@pytest.fixture(autouse=True)
def channel_settings(settings, tmp_path):
    settings.LANGUAGE_CODE = "en"  # tests read the English msgids
    settings.VARDE_WB_MEMBER_KDF = CHEAP_KDF
    settings.VARDE_WB_RECEIPT_KDF = CHEAP_KDF
    settings.VARDE_RECEIPT_PEPPER = "test-pepper-0123456789"
    settings.VARDE_BREAKGLASS_PUBLIC_KEY = ""
    settings.VARDE_WHISTLEBLOWING_FILES = tmp_path / "wb-files"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"wb-test-{next(_cache_names)}",
        }
    }
    yield settings
    caches["default"].clear()


@pytest.fixture
def wb_definitions(db):
    role_groups_ensure()
    return definitions_sync(directory=settings_workflow_dir())


def settings_workflow_dir():
    from django.conf import settings

    return settings.VARDE_WORKFLOW_DIR


class Holder:
    """A member as the tests use them: account, key holder, private key,
    recovery key and password."""

    def __init__(self, user, holder, private_key, recovery_key, password):
        self.user, self.holder = user, holder
        self.private_key, self.recovery_key, self.password = private_key, recovery_key, password


def enroll(username, role=COMMITTEE, description=""):
    password = f"pw-{username}"
    user = make_user(username, roles=[role], first_name=username.capitalize())
    holder, private_key, recovery_key = member_services.holder_enroll(
        user=user, password=password, public_description=description
    )
    return Holder(user, holder, private_key, recovery_key, password)


@pytest.fixture
def committee(wb_definitions):
    """Four committee members with keys, and one decision-maker."""
    return {
        "anna": enroll("anna", description="Anna, psychologist"),
        "bjorn": enroll("bjorn", description="Bjørn, sociologist"),
        "cecilie": enroll("cecilie", description="Cecilie, lawyer"),
        "dag": enroll("dag", description="Dag, leadership"),
        "erik": enroll("erik", role=DECISION_MAKER),
    }


REPORT = {
    "what_happened": "A senior colleague touched me repeatedly at the lab party.",
    "when": "Autumn 2025",
    "where": "Lab building, 3rd floor",
    "people_involved": "A senior researcher",
    "witnesses": "Two PhD students",
    "earlier_cases": "",
    "reporter_category": "employee",
}


@pytest.fixture
def report_form():
    return dict(REPORT)


def totp_device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return device


def totp_code(device) -> str:
    """The current code, as the member's phone would show it (reuse allowed
    in tests: the device forgets the last used time step)."""
    import time

    from django_otp.oath import TOTP

    device.last_t = -1
    device.save(update_fields=["last_t"])
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def login_member(client, member) -> None:
    """Password + TOTP through the committee login page; unlocks the key."""
    from django.urls import reverse

    device = totp_device(member.user)
    response = client.post(reverse("wb_committee:login"), {
        "username": member.user.username, "password": member.password,
        "otp_token": totp_code(device),
    })
    assert response.status_code == 302, response.content[:500]
    assert response.url == reverse("wb_committee:dashboard"), response.url


def submit_via_web(client, data, files=()):
    """Submit the report form as a browser would; returns the receipt."""
    import re

    from django.urls import reverse

    payload = dict(data)
    if files:
        payload["attachments"] = list(files)
    response = client.post(reverse("whistleblowing:report"), payload)
    assert response.status_code == 200, response.content[:2000]
    match = re.search(rb'id="receipt"[^>]*>([0-9A-Z-]{23})<', response.content)
    assert match, response.content.decode()[:3000]
    return match.group(1).decode()


def start_cases():
    from whistleblowing.services import batch

    return batch.reports_start_pending()
