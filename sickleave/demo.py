"""Demo data for sick-leave follow-up, for ``manage.py seed_demo``.

``seed_sickleave_demo()`` is idempotent: it adds an HR advisor for the
faculty of engineering, an occupational health (BHT) adviser and one
employee whose absence began 24 days ago (so the plan is due soon and the
three-week reminder has gone out), registered by the demo unit leader
``leder`` and with BHT invited. Nothing is created twice, and existing users
keep their passwords.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from cases.models import ProcessDefinition
from cases.services.definitions import definitions_sync
from org.models import Unit, UnitMembership
from org.roles import UNIT_LEADER
from org.services import role_groups_ensure
from sickleave.access import PROCESS_ID
from sickleave.models import FollowUp
from sickleave.roles import HR_ADVISOR, OCCUPATIONAL_HEALTH
from sickleave.services import absence_register, bht_invite

FACULTY = ("ivt", "Fakultet for ingeniørvitenskap")
DEPARTMENT = ("ivt-kt", "Institutt for konstruksjonsteknikk")

# username, first name, last name, roles, unit codes
USERS = [
    ("leder", "Per", "Olsen", (UNIT_LEADER,), ("ivt", "ivt-kt")),
    ("hrradgiver", "Hanne", "Moe", (HR_ADVISOR,), ("ivt", "ivt-kt")),
    ("bht", "Bjørn", "Aas", (OCCUPATIONAL_HEALTH,), ()),
    ("sykmeldt", "Nina", "Berg", (), ("ivt-kt",)),
]
LOGINS = [
    ("hrradgiver", "HR advisor, IV (sick-leave follow-up)"),
    ("bht", "occupational health service (BHT), sees invited cases only"),
    ("sykmeldt", "employee on sick leave (sees own follow-up and its read log)"),
]


def _units() -> dict[str, Unit]:
    faculty, _created = Unit.objects.get_or_create(code=FACULTY[0],
                                                   defaults={"name": FACULTY[1]})
    department, _created = Unit.objects.get_or_create(
        code=DEPARTMENT[0], defaults={"name": DEPARTMENT[1], "parent": faculty}
    )
    return {faculty.code: faculty, department.code: department}


def _user(username, first_name, last_name, roles, unit_codes, units, password):
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"first_name": first_name, "last_name": last_name,
                  "email": f"{username}@example.org"},
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    for i, code in enumerate(unit_codes):
        UnitMembership.objects.get_or_create(user=user, unit=units[code],
                                             defaults={"primary": i == 0})
    return user


@transaction.atomic
def seed_sickleave_demo(*, password: str = "varde-demo") -> dict:
    """Create the sick-leave demo users and absence; returns the users."""
    role_groups_ensure()
    if not ProcessDefinition.objects.filter(process_id=PROCESS_ID).exists():
        definitions_sync(directory=settings.VARDE_WORKFLOW_DIR)
    units = _units()
    users = {spec[0]: _user(*spec, units=units, password=password) for spec in USERS}
    employee = users["sykmeldt"]
    if not FollowUp.objects.filter(employee=employee).exists():
        followup = absence_register(
            actor=users["leder"], employee=employee, unit=units[DEPARTMENT[0]],
            first_day=timezone.localdate() - timedelta(days=24), grade=100,
        )
        bht_invite(actor=users["leder"], followup=followup, adviser=users["bht"])
    return users
