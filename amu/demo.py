"""Demo data for AMU: the four bodies, a secretary, members with sides,
votes, chairs and a deputy, one held meeting with its attendance (a deputy
voting for an absent member, a member stepping aside on his own case) and
approved minutes, one upcoming meeting, and one case waiting for screening.

Idempotent: bodies, users and seats are created once (existing users keep
their password); the meeting only if AMU has none coming; the case only if
no AMU case with its title exists. Called by ``manage.py seed_demo``.
"""

from dataclasses import dataclass
from datetime import date, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from amu.models import AmuCase, Body, BodyKind, Meeting, Member, Side, Site
from amu.roles import AMU_SECRETARY
from amu.services.members import member_roles_sync
from cases.calendar import add_working_days
from cases.models import ProcessDefinition
from org.roles import HSE_ADMIN

BODIES = [
    # code, name, kind, site, parent code
    ("amu", "Arbeidsmiljøutvalget (AMU)", BodyKind.AMU, "", None),
    ("byggarm", "AMUs byggarm", BodyKind.BUILDING_ARM, "", "amu"),
    ("samu-gjovik", "SAMU Gjøvik", BodyKind.LOCAL, Site.GJOVIK, "amu"),
    ("samu-alesund", "SAMU Ålesund", BodyKind.LOCAL, Site.ALESUND, "amu"),
]


@dataclass(frozen=True)
class Seat:
    username: str
    first_name: str
    last_name: str
    body: str
    side: str
    voting: bool = True
    chair: bool = False
    observer: bool = False
    secretary: bool = False
    represents: str = ""
    function: str = ""
    deputy_chair: bool = False
    deputy_for: str = ""  # username of the member on the same body


# The employee side chaired AMU in 2019 (domain.md 5.2); the byggarm's chair is
# from the employer side.
SEATS = [
    Seat("amusekretaer", "Hilde", "Strand", "amu", Side.NONE, voting=False, secretary=True,
         represents="HMS-seksjonen"),
    Seat("amuleder", "Eva", "Moen", "amu", Side.EMPLOYEE, chair=True,
         represents="Tjenestemannsorganisasjonene"),
    Seat("hovedverneombud", "Arne", "Bakke", "amu", Side.EMPLOYEE,
         represents="Hovedverneombud", function="chief_safety_representative"),
    Seat("amuarbeidsgiver", "Tone", "Lie", "amu", Side.EMPLOYER, represents="Rektoratet",
         function="top_management", deputy_chair=True),
    Seat("amuarbeidsgiver2", "Geir", "Haug", "amu", Side.EMPLOYER,
         represents="Fakultet for ingeniørvitenskap"),
    Seat("amuvara", "Kari", "Lund", "amu", Side.EMPLOYER,
         represents="Fakultet for naturvitenskap", deputy_for="amuarbeidsgiver2"),
    Seat("bht", "Mona", "Aas", "amu", Side.NONE, voting=False,
         represents="Bedriftshelsetjenesten", function="occupational_health"),
    Seat("studenttinget", "Sara", "Nilsen", "amu", Side.NONE, voting=False,
         represents="Studenttinget"),
    Seat("sintef", "Ola", "Brekke", "amu", Side.NONE, voting=False, observer=True,
         represents="SINTEF"),
    Seat("byggleder", "Knut", "Ruud", "byggarm", Side.EMPLOYER, chair=True,
         represents="Campusservice"),
    Seat("hovedverneombud", "Arne", "Bakke", "byggarm", Side.EMPLOYEE,
         represents="Hovedverneombud"),
    Seat("amuarbeidsgiver2", "Geir", "Haug", "byggarm", Side.EMPLOYER),
    Seat("samugjovik", "Line", "Berg", "samu-gjovik", Side.EMPLOYEE, chair=True),
    Seat("samualesund", "Per", "Dale", "samu-alesund", Side.EMPLOYER, chair=True),
]

DEMO_CASE_TITLE = "Støy i åpent kontorlandskap, Realfagbygget 3. etasje"
HELD_CASE_TITLE = "Inneklima i Hovedbygningen, 2. etasje"


def _bodies() -> dict[str, Body]:
    bodies = {}
    for position, (code, name, kind, site, parent) in enumerate(BODIES, start=1):
        body, _created = Body.objects.get_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "site": site, "position": position,
                      "parent": bodies.get(parent)},
        )
        bodies[code] = body
    return bodies


def _user(seat: Seat, password: str):
    user, created = get_user_model().objects.get_or_create(
        username=seat.username,
        defaults={"first_name": seat.first_name, "last_name": seat.last_name,
                  "email": f"{seat.username}@example.org"},
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def _seat(seat: Seat, body: Body, user, term_start: date) -> None:
    if Member.objects.filter(body=body, user=user).exists():
        return
    # A seat is two years (forskrift § 3-15); the chair's and the deputy
    # chair's one (§ 3-12).
    years = 0 if seat.chair or seat.deputy_chair else 1
    deputy_for = (Member.objects.get(body=body, user__username=seat.deputy_for)
                  if seat.deputy_for else None)
    member = Member(body=body, user=user, side=seat.side, voting=seat.voting, chair=seat.chair,
                    observer=seat.observer, secretary=seat.secretary,
                    represents=seat.represents, term_start=term_start,
                    term_end=date(term_start.year + years, 12, 31), function=seat.function,
                    deputy_chair=seat.deputy_chair, deputy_for=deputy_for)
    member.full_clean()
    member.save()


def _body_settings(bodies: dict[str, Body]) -> None:
    """AMU's sides have two voting seats each; the building arm is set
    with unequal sides, as the institution may."""
    Body.objects.filter(pk=bodies["amu"].pk, seats_per_side__isnull=True).update(
        seats_per_side=2)
    Body.objects.filter(pk=bodies["byggarm"].pk).update(equal_sides=False)


def _hse_admins_maintain_members() -> None:
    """HSE admins keep the bodies and members up to date in the Django admin."""
    group = Group.objects.get(name=HSE_ADMIN)
    group.permissions.add(*Permission.objects.filter(
        content_type__app_label="amu", content_type__model__in=["body", "member"]
    ))
    get_user_model().objects.filter(groups=group).update(is_staff=True)


def _upcoming_meeting(amu: Body) -> None:
    today = timezone.localdate()
    if Meeting.objects.filter(body=amu, date__gte=today).exists():
        return
    Meeting.objects.create(
        body=amu, date=add_working_days(today + timedelta(days=21), 0), start_time=time(9, 0),
        location="Hovedbygningen, møterom 1",
    )


def _held_meeting(amu: Body, users: dict) -> None:
    """A meeting four weeks ago, run through the real services: attendance
    first (Geir Haug absent, his deputy Kari Lund votes for him), Arne Bakke
    steps aside on the case he submitted, a 2–1 vote with the minority's
    view, and the chair's approval of the minutes."""
    from amu.services.decisions import agenda_item_decide, vote_cast, voting_open
    from amu.services.meetings import (
        agenda_item_add,
        agenda_publish,
        meeting_attendance_update,
        meeting_close,
        minutes_approve,
    )
    from amu.services.submission import amu_case_submit
    from cases import services as case_services
    from cases.models import Task, TaskState

    today = timezone.localdate()
    if not ProcessDefinition.objects.filter(process_id="amu_case").exists():
        return
    if Meeting.objects.filter(body=amu, date__lt=today).exists():
        return
    # The demo's seats start on 1 January.
    day = max(today - timedelta(days=28), date(today.year, 1, 1))
    secretary = users["amusekretaer"]
    amu_case = amu_case_submit(actor=users["hovedverneombud"], data={
        "title": HELD_CASE_TITLE,
        "kind": "decision",
        "description": "Ansatte i 2. etasje klager på tung luft og hodepine om ettermiddagen. "
                       "AMU bes be eiendomsavdelingen måle CO₂ og justere ventilasjonen.",
        "submitter_role": "safety_representative",
        "site": "all",
        "is_building_case": False,
    })
    screen = Task.objects.get(case=amu_case.case, bpmn_id="screen", state=TaskState.READY)
    case_services.task_complete(actor=secretary, task_id=screen.pk, data={
        "screening_decision": "accept", "kind": "decision", "site": "all",
        "is_building_case": False})
    amu_case.refresh_from_db()
    meeting = Meeting.objects.create(body=amu, date=day, start_time=time(9, 0),
                                     location="Hovedbygningen, møterom 1")
    item = agenda_item_add(actor=secretary, meeting=meeting, amu_case=amu_case)
    agenda_publish(actor=secretary, meeting=meeting)
    present = ["amuleder", "hovedverneombud", "amuarbeidsgiver", "amuvara", "bht",
               "studenttinget", "amusekretaer"]
    meeting_attendance_update(actor=secretary, meeting=meeting, member_ids=list(
        Member.objects.filter(body=amu, user__username__in=present).values_list("pk", flat=True)
    ))
    voting_open(actor=secretary, item=item)
    for username, choice in (("amuleder", "for"), ("amuarbeidsgiver", "for"),
                             ("amuvara", "against")):
        vote_cast(actor=users[username], item=item, choice=choice)
    agenda_item_decide(
        actor=secretary, item=item, method="vote",
        decision_text="AMU ber eiendomsavdelingen måle CO₂ i 2. etasje og justere "
                      "ventilasjonen innen to måneder.",
        majority_view="Plagene er mange og vedvarende; målingen er rimelig.",
        minority_view="Vent til den planlagte rehabiliteringen av ventilasjonsanlegget.",
    )
    meeting_close(actor=secretary, meeting=meeting)
    minutes_approve(actor=users["amuleder"], meeting=meeting)


def _waiting_case(users: dict) -> None:
    from amu.services.submission import amu_case_submit

    if not ProcessDefinition.objects.filter(process_id="amu_case").exists():
        return
    if AmuCase.objects.filter(case__title=DEMO_CASE_TITLE).exists():
        return
    amu_case_submit(actor=users["hovedverneombud"], data={
        "title": DEMO_CASE_TITLE,
        "kind": "decision",
        "description": "Verneombudene melder om høyt støynivå i det åpne kontorlandskapet. "
                       "AMU bes vedta at det gjennomføres støymåling og tiltak.",
        "submitter_role": "safety_representative",
        "site": "all",
        "is_building_case": False,
    })


@transaction.atomic
def seed_amu_demo(*, password: str, stdout=None) -> dict:
    """Create the AMU demo data; returns the demo users by username."""
    bodies = _bodies()
    term_start = date(timezone.localdate().year, 1, 1)
    users = {}
    for seat in SEATS:
        user = users.get(seat.username) or _user(seat, password)
        users[seat.username] = user
        _seat(seat, bodies[seat.body], user, term_start)
    users["amusekretaer"].groups.add(Group.objects.get(name=AMU_SECRETARY))
    for user in users.values():
        member_roles_sync(user=user)
    _body_settings(bodies)
    _hse_admins_maintain_members()
    _held_meeting(bodies["amu"], users)
    _upcoming_meeting(bodies["amu"])
    _waiting_case(users)
    if stdout is not None:
        stdout.write("AMU demo users (same password):")
        stdout.write("  amusekretaer   AMU secretary")
        stdout.write("  amuleder       chair of AMU (employee side)")
        stdout.write("  amuarbeidsgiver (deputy chair), amuarbeidsgiver2, hovedverneombud  "
                     "voting members")
        stdout.write("  amuvara        deputy for amuarbeidsgiver2")
        stdout.write("  bht, studenttinget  members without a vote; sintef  observer")
        stdout.write("  byggleder      chair of the building arm")
    return users
