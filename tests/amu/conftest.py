"""AMU fixtures: the four bodies, a secretary, members with sides and votes,
an upcoming meeting per body, and helpers that drive a case through the
real services (as the secretary and members would on the AMU pages)."""

import shutil
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from amu.models import Body, BodyKind, Meeting, Member, Side, Site
from amu.roles import AMU_SECRETARY
from amu.services.members import member_save
from cases.models import Task, TaskState
from cases.services.definitions import definitions_sync
from org.services import role_groups_ensure
from tests.conftest import make_user

TERM_START = date(2025, 1, 1)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def document_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


WORKFLOW_FILES = ("amu_*.bpmn", "amu_*.dmn", "incident*.bpmn", "incident*.dmn",
                  "forms/amu_*.json", "forms/incident_*.json")


@pytest.fixture
def definitions(db, settings, tmp_path):
    """The AMU and incident processes only, synced from a copy: other
    processes in workflows/ are no concern of these tests."""
    source = Path(settings.VARDE_WORKFLOW_DIR)
    target = tmp_path / "workflows"
    (target / "forms").mkdir(parents=True)
    for pattern in WORKFLOW_FILES:
        for path in source.glob(pattern):
            shutil.copy(path, target / path.relative_to(source))
    settings.VARDE_WORKFLOW_DIR = target
    role_groups_ensure()
    return definitions_sync(directory=target)


@dataclass
class World:
    amu: Body
    byggarm: Body
    samu_gjovik: Body
    samu_alesund: Body
    secretary: object
    submitter: object
    outsider: object
    users: dict  # username -> user
    members: dict  # username -> Member (AMU seats; byggarm seats keyed "b_<name>")
    meetings: dict  # body code -> upcoming Meeting


def chair_term() -> tuple[date, date]:
    """A chair's one-year term (forskrift § 3-12) around today's meetings."""
    start = timezone.localdate() - timedelta(days=100)
    return start, start + timedelta(days=364)


def seat(body, user, *, side=Side.EMPLOYEE, voting=True, chair=False, observer=False,
         secretary=False, represents="", function="", deputy_for=None, deputy_chair=False):
    start, end = chair_term() if chair or deputy_chair else (TERM_START, None)
    return member_save(member=Member(
        body=body, user=user, side=side, voting=voting, chair=chair, observer=observer,
        secretary=secretary, represents=represents, term_start=start, term_end=end,
        function=function, deputy_for=deputy_for, deputy_chair=deputy_chair,
    ))


_travels = []


@pytest.fixture(autouse=True)
def _back_from_meeting_day():
    yield
    while _travels:
        _travels.pop().stop()


def on_meeting_day(meeting):
    """Move time to the meeting's day (10:00, time running on): a meeting
    is attended, decided and closed on its date, not before. Time returns
    at the end of the test."""
    if timezone.localdate() >= meeting.date:
        return
    traveller = time_machine.travel(
        timezone.make_aware(datetime.combine(meeting.date, time(10, 0))), tick=True)
    traveller.start()
    _travels.append(traveller)


def attend(world, meeting, names=None):
    """On the meeting's day, the secretary records who is present (all
    voting members of the body by default), as the meeting page does before
    the votes."""
    from amu.services.meetings import meeting_attendance_update

    on_meeting_day(meeting)
    if names is None:
        members = Member.objects.filter(body=meeting.body, voting=True, deputy_for=None)
    else:
        members = [world.members[name] for name in names]
    return meeting_attendance_update(actor=world.secretary, meeting=meeting,
                                     member_ids=[m.pk for m in members])


@pytest.fixture
def world(definitions, people):
    amu = Body.objects.create(code="amu", name="AMU", kind=BodyKind.AMU, position=1)
    byggarm = Body.objects.create(code="byggarm", name="AMU's building arm",
                                  kind=BodyKind.BUILDING_ARM, parent=amu, position=2)
    samu_g = Body.objects.create(code="samu-gjovik", name="SAMU Gjøvik", kind=BodyKind.LOCAL,
                                 site=Site.GJOVIK, parent=amu, position=3)
    samu_a = Body.objects.create(code="samu-alesund", name="SAMU Ålesund", kind=BodyKind.LOCAL,
                                 site=Site.ALESUND, parent=amu, position=4)
    users = {name: make_user(name, first_name=name.capitalize(), email=f"{name}@example.org")
             for name in ("chair", "emp2", "er1", "er2", "bht", "student", "observer",
                          "bchair", "bemp", "ber")}
    secretary = make_user("secretary", roles=[AMU_SECRETARY], email="secretary@example.org")
    members = {
        "chair": seat(amu, users["chair"], side=Side.EMPLOYEE, chair=True),
        "emp2": seat(amu, users["emp2"], side=Side.EMPLOYEE),
        "er1": seat(amu, users["er1"], side=Side.EMPLOYER),
        "er2": seat(amu, users["er2"], side=Side.EMPLOYER),
        "bht": seat(amu, users["bht"], side=Side.NONE, voting=False,
                    represents="Occupational health service", function="occupational_health"),
        "student": seat(amu, users["student"], side=Side.NONE, voting=False,
                        represents="Student parliament"),
        "observer": seat(amu, users["observer"], side=Side.NONE, voting=False, observer=True,
                         represents="SINTEF"),
        "secretary": seat(amu, secretary, side=Side.NONE, voting=False, secretary=True),
        "b_chair": seat(byggarm, users["bchair"], side=Side.EMPLOYER, chair=True),
        "b_emp": seat(byggarm, users["bemp"], side=Side.EMPLOYEE),
        "b_er": seat(byggarm, users["ber"], side=Side.EMPLOYER),
    }
    day = timezone.localdate() + timedelta(days=14)
    meetings = {
        body.code: Meeting.objects.create(body=body, date=day, location="Room 1")
        for body in (amu, byggarm, samu_g, samu_a)
    }
    return World(amu, byggarm, samu_g, samu_a, secretary, people["reporter"],
                 people["other_reporter"], users, members, meetings)


SUBMISSION = {
    "title": "Noise in the open-plan office",
    "kind": "decision",
    "description": "The noise level in the open-plan office on floor 3 is too high.",
    "submitter_role": "safety_representative",
    "site": "all",
    "is_building_case": False,
}


@pytest.fixture
def submission():
    return dict(SUBMISSION)


def upload(name="document.pdf", content=b"%PDF-1.4 test"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def consent_documents():
    return {kind: [upload(f"{kind}.pdf")] for kind in (
        "project_description", "plans_sections", "function_description", "indoor_climate")}


def ready(case, bpmn_id) -> Task:
    return Task.objects.get(case=case, bpmn_id=bpmn_id, state=TaskState.READY)


def is_ready(case, bpmn_id) -> bool:
    return Task.objects.filter(case=case, bpmn_id=bpmn_id, state=TaskState.READY).exists()


def accept(world, amu_case, **extra):
    from cases import services

    task = ready(amu_case.case, "screen")
    data = {"screening_decision": "accept", "kind": amu_case.kind,
            "site": amu_case.site or "all", "is_building_case": amu_case.is_building_case,
            **extra}
    if data["is_building_case"] and "needs_consent" not in data:
        data["needs_consent"] = "yes" if amu_case.needs_consent else "no"
    services.task_complete(actor=world.secretary, task_id=task.pk, data=data)
    amu_case.refresh_from_db()
    return amu_case

