"""Shared fixtures: units, one user per role, the synced process definitions.

State is built through the real services, as a user would build it.
"""

import itertools

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import caches

from cases.services.definitions import definitions_sync
from org.models import Unit, UnitMembership
from org.roles import HSE_ADMIN, HSE_COORDINATOR, UNIT_LEADER
from org.services import role_groups_ensure


@pytest.fixture
def units(db):
    role_groups_ensure()
    return {
        "ivt": Unit.objects.create(code="ivt", name="Fakultet for ingeniørvitenskap"),
        "nv": Unit.objects.create(code="nv", name="Fakultet for naturvitenskap"),
    }


def make_user(username, *, roles=(), units=(), **extra):
    user = User.objects.create_user(username=username, password="pw-" + username, **extra)
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    for i, unit in enumerate(units):
        UnitMembership.objects.create(user=user, unit=unit, primary=(i == 0))
    return user


@pytest.fixture
def people(units):
    """One user per role; coordinators and leaders act for 'ivt' unless named nv."""
    ivt, nv = units["ivt"], units["nv"]
    return {
        "reporter": make_user("reporter", units=[ivt]),
        "other_reporter": make_user("other_reporter", units=[ivt]),
        "coordinator": make_user("coordinator", roles=[HSE_COORDINATOR], units=[ivt]),
        "coordinator2": make_user("coordinator2", roles=[HSE_COORDINATOR], units=[ivt]),
        "nv_coordinator": make_user("nv_coordinator", roles=[HSE_COORDINATOR], units=[nv]),
        "leader": make_user("leader", roles=[UNIT_LEADER], units=[ivt]),
        "nv_leader": make_user("nv_leader", roles=[UNIT_LEADER], units=[nv]),
        "admin": make_user("hseadmin", roles=[HSE_ADMIN], units=[]),
        "owner": make_user("owner", units=[ivt]),
        "superuser": User.objects.create_superuser("root", password="pw-root"),
    }


@pytest.fixture
def definitions(db):
    role_groups_ensure()
    return definitions_sync(directory=settings.VARDE_WORKFLOW_DIR)


REPORT = {
    "title": "Loose handrail in stairwell",
    "incident_type": "near_accident",
    "categories": ["building", "personal_injury"],
    "event_date": "2026-11-20",
    "campus": "trondheim",
    "building": "Realfagbygget",
    "room": "A2-30",
    "unit": "ivt",
    "description": "The handrail came off when I leaned on it.",
    "injury_actual": False,
    "injury_potential": True,
}


@pytest.fixture
def report_data():
    return dict(REPORT)


_test_caches = itertools.count()


@pytest.fixture(autouse=True)
def private_cache(settings):
    """A fresh in-memory cache per test: the rate limiters count in the
    cache, and no test may see another's counters or a shared Redis."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"varde-test-{next(_test_caches)}",
        }
    }
    yield
    caches["default"].clear()


@pytest.fixture(autouse=True)
def fast_password_hasher(request, settings):
    # Browser tests log in against a live server in another process, which
    # keeps the real hasher.
    if request.node.get_closest_marker("browser") is None:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def signal_handlers_kept():
    """Every test leaves SIGTERM/SIGINT as it found them. A worker run in the
    test process (``jobs_worker``, the worker tests) installs its own
    handlers (finish the job, then stop); left in place they are inherited by
    every process the suite forks later (the live servers of the browser
    tests), which then never stop on terminate() and the run hangs."""
    import signal

    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.fixture
def run_worker(monkeypatch):
    """Run the real background worker (``jobs_worker``, django-tasks-db's
    worker with leases) until no job is due. Inside a test transaction the
    worker must not close the connection it shares with the test, as it does
    between jobs in production, and its heartbeat thread (another connection,
    which would wait for the test's write lock) stays off: the main thread's
    first beat is enough for a run of a few jobs.
    """
    from django.core.management import call_command

    from cases import worker

    monkeypatch.setattr(worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(worker.Heartbeat, "start", lambda self: None)

    def run():
        # The worker installs its own SIGTERM/SIGINT handlers; the autouse
        # ``signal_handlers_kept`` puts them back after the test.
        call_command("jobs_worker", batch=True, startup_delay=False, reload=False,
                     interval=0, verbosity=0)

    return run
