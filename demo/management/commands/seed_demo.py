"""Demo data: NTNU-style units, one user per role and incident cases in
every state, built through the real services (as users would build them).

Idempotent: units and users are created once (existing users keep their
password unless ``--reset-passwords``), and a demo case is created only if no
case with its title exists yet. Refuses to run with DEBUG off unless
``--force``: the demo users share one known password.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cases import services
from cases.calendar import OSLO
from cases.models import Case, Task, TaskState
from cases.services.definitions import definitions_sync
from incidents.services import incident_report_submit
from org.models import Unit, UnitMembership
from org.roles import HSE_ADMIN, HSE_COORDINATOR, UNIT_LEADER

DEMO_PASSWORD = "varde-demo"

# (code, name, parent code)
UNITS = [
    ("ok", "Fellesadministrasjonen", None),
    ("ivt", "Fakultet for ingeniørvitenskap", None),
    ("ivt-ibm", "Institutt for bygg- og miljøteknikk", "ivt"),
    ("ivt-kt", "Institutt for konstruksjonsteknikk", "ivt"),
    ("nv", "Fakultet for naturvitenskap", None),
    ("nv-ik", "Institutt for kjemi", "nv"),
    ("hf", "Det humanistiske fakultet", None),
]
IVT_UNITS = ("ivt", "ivt-ibm", "ivt-kt")
NV_UNITS = ("nv", "nv-ik")


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role_label: str
    roles: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    superuser: bool = False


USERS = [
    DemoUser("ansatt", "Kari", "Nordmann", "reporter (every user)", units=("ivt-kt",)),
    DemoUser("koordinator", "Ola", "Hansen", "HSE coordinator, IV",
             roles=(HSE_COORDINATOR,), units=IVT_UNITS),
    DemoUser("koordinator2", "Ingrid", "Berg", "HSE coordinator, IV (second pair of eyes)",
             roles=(HSE_COORDINATOR,), units=IVT_UNITS),
    DemoUser("nvkoordinator", "Lars", "Dahl", "HSE coordinator, NV",
             roles=(HSE_COORDINATOR,), units=NV_UNITS),
    DemoUser("leder", "Per", "Olsen", "unit leader, IV", roles=(UNIT_LEADER,), units=IVT_UNITS),
    DemoUser("hmsadmin", "Siri", "Lund", "HSE administrator (all units)",
             roles=(HSE_ADMIN,), units=("ok",)),
    DemoUser("tiltakseier", "Jonas", "Vik", "owner of a corrective action",
             units=("ivt-ibm",)),
    DemoUser("admin", "Django", "Admin", "superuser (Django admin at /admin/)",
             units=("ok",), superuser=True),
]


def _report(title, *, unit="ivt", incident_type="near_accident", categories=("building",),
            building="Realfagbygget", room="", description="", **extra) -> dict:
    return {
        "title": title,
        "incident_type": incident_type,
        "categories": list(categories),
        "campus": "trondheim",
        "building": building,
        "room": room,
        "unit": unit,
        "description": description or title,
        **extra,
    }


@dataclass
class Scenario:
    """One demo case: the report, then the steps taken on it.

    ``days_ago`` backdates the report (and each step by its own offset) when
    time-machine is installed, so statistics and overdue timers show something.
    """

    report: dict
    reporter: str | None = "ansatt"
    anonymous: bool = False
    days_ago: float = 0
    steps: list = field(default_factory=list)


def _triage(decision="accept", severity="serious", **extra):
    return ("triage", {"triage_decision": decision, "severity": severity, **extra})


PLAN = {
    "consequence": "Risiko for fallskade for ansatte og studenter.",
    "cause": "Manglende ettersyn av festepunkter.",
}

SCENARIOS = [
    Scenario(_report("Løst rekkverk i trappeoppgang", room="Trapp B, 2. etg.",
                     categories=("building", "personal_injury"), injury_potential=True,
                     description="Rekkverket løsnet da jeg lente meg på det.")),
    Scenario(
        _report("Kjemikaliesøl i laboratorium", incident_type="dangerous_condition",
                categories=("chemicals", "laboratory"), building="Kjemiblokk 4", room="D2-112",
                description="Flaske med aceton veltet i avtrekkskapet."),
        steps=[("claim", "triage", "koordinator")],
    ),
    Scenario(
        _report("Blokkert rømningsvei i kjelleren", incident_type="dangerous_condition",
                categories=("escape_routes",), building="Valgrinda",
                description="Paller med materiell står foran nødutgangen."),
        days_ago=3,
        steps=[("complete", *_triage(severity="less_serious"), "koordinator", 0.1)],
    ),
    Scenario(
        _report("Kutt i hånd ved verkstedet", incident_type="accident",
                categories=("personal_injury",), building="Verkstedteknisk", room="Verksted 1",
                injury_actual=True, medical_treatment=True, severity_suggested="serious",
                description="Student kuttet seg på en ubeskyttet sagklinge."),
        days_ago=9,
        steps=[
            ("complete", *_triage(skademelding_required=True), "koordinator", 0.1),
            ("complete", "plan_measures", {
                **PLAN, "consequence": "Kuttskade som krevde legebehandling.",
                "cause": "Sagklingen manglet vern.",
                "measures": [{"title": "Montere vern på sagen", "owner": "tiltakseier",
                              "deadline": "+14"}],
            }, "koordinator", 1),
        ],
    ),
    Scenario(
        _report("Manglende vernebriller i laboratoriet", incident_type="dangerous_condition",
                categories=("laboratory",), building="Kjemiblokk 5", room="Lab 3",
                description="Ingen vernebriller tilgjengelig ved inngangen."),
        days_ago=14,
        steps=[
            ("complete", *_triage(severity="less_serious"), "koordinator", 0.1),
            ("complete", "plan_measures", {
                **PLAN, "consequence": "Fare for øyeskade.", "cause": "Ingen fast påfylling.",
                "measures": [{"title": "Sette opp stativ med vernebriller",
                              "owner": "tiltakseier", "deadline": "+7"}],
            }, "koordinator", 1),
            ("complete", "carry_out_measure", {"status": "done"}, "tiltakseier", 5),
        ],
    ),
    Scenario(
        _report("Glatt gulv ved hovedinngangen", categories=("building", "personal_injury"),
                building="Gamle elektro", injury_potential=True,
                description="Vann på gulvet etter vask, ingen skilting."),
        days_ago=40,
        steps=[
            ("complete", *_triage(severity="less_serious"), "koordinator", 0.1),
            ("complete", "plan_measures", {
                **PLAN, "cause": "Renholdsrutinen mangler skilting.",
                "measures": [{"title": "Innføre skilt ved våtvask", "owner": "tiltakseier",
                              "deadline": "+10"}],
            }, "koordinator", 2),
            ("complete", "carry_out_measure", {"status": "done", "comment": "Skilt innkjøpt."},
             "tiltakseier", 8),
            ("complete", "verify_and_close", {
                "closure_decision": "close", "severity": "less_serious",
                "closure_comment": "Skilting er innført og fulgt opp.",
                "lessons_learned": "Våtvask skal alltid skiltes.", "share_lessons": True,
            }, "koordinator2", 10),
        ],
    ),
    Scenario(
        _report("Lyspære gått på kontoret", incident_type="dangerous_condition",
                categories=("other",), building="Sentralbygg 2",
                description="Taklampen på kontor 301 virker ikke."),
        days_ago=20,
        steps=[("complete", "triage", {
            "triage_decision": "reject",
            "rejection_reason": "Driftsfeil, ikke et HMS-avvik: meld til e-vaktmester.",
        }, "koordinator2", 0.1)],
    ),
    Scenario(
        _report("Brannalarm utløst av matlaging", unit="nv", incident_type="dangerous_condition",
                categories=("fire",), building="Realfagbygget", room="Kjøkken D1",
                description="Brannalarmen gikk da noen brente toast på kjøkkenet."),
        reporter=None, anonymous=True,
    ),
    Scenario(
        _report("Gassflaske uten sikring", incident_type="dangerous_condition",
                categories=("chemicals", "laboratory"), building="Realfagbygget",
                room="D3-150", description="Gassflaske står uten kjetting i korridoren."),
        days_ago=1,
        steps=[("complete", "triage", {"triage_decision": "transfer", "transfer_to": "nv"},
                "koordinator", 0.1)],
    ),
    Scenario(
        _report("Fall fra stige i lageret", incident_type="accident",
                categories=("personal_injury",), building="Lerkendal", room="Lager U1",
                injury_actual=True, lost_time=True, severity_suggested="critical",
                description="Ansatt falt fra stige og ble sendt til legevakten."),
        days_ago=6,
        steps=[("wake",)],
    ),
    Scenario(
        _report("Avtrekksskap med svak trekk", unit="nv", incident_type="dangerous_condition",
                categories=("laboratory", "indoor_climate"), building="Kjemiblokk 3",
                description="Avtrekket i lab 2 varsler lav lufthastighet."),
        reporter=None, days_ago=60,
        steps=[
            ("complete", *_triage(severity="serious"), "nvkoordinator", 0.2),
            ("complete", "plan_measures", {
                **PLAN, "consequence": "Eksponering for løsemiddeldamp.",
                "cause": "Tett filter i ventilasjonsanlegget.",
                "measures": [],
            }, "nvkoordinator", 3),
            ("complete", "verify_and_close", {
                "closure_decision": "close", "severity": "serious",
                "closure_comment": "Filter byttet av Eiendom; målt trekk er normal.",
            }, "hmsadmin", 6),
        ],
    ),
]


@contextmanager
def _at(moment: datetime | None):
    """Run the block as if at ``moment`` (needs time-machine, a dev dependency)."""
    if moment is None:
        yield
        return
    try:
        import time_machine
    except ImportError:  # not installed: everything happens now
        yield
        return
    with time_machine.travel(moment, tick=True):
        yield


def _moment(days_ago: float) -> datetime | None:
    if not days_ago:
        return None
    day = timezone.localdate() - timedelta(days=int(days_ago))
    start = datetime.combine(day, time(9, 30), tzinfo=OSLO)
    return start + timedelta(days=days_ago - int(days_ago))


class Command(BaseCommand):
    help = "Create demo units, users (one per role) and incident cases. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="Run even when DEBUG is off (the demo password is public).")
        parser.add_argument("--reset-passwords", action="store_true",
                            help=f"Set every demo user's password back to {DEMO_PASSWORD!r}.")

    def handle(self, *args, force=False, reset_passwords=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: refusing to create demo users with a public password. "
                "Use --force if you really mean it."
            )
        units = self._units()
        users = self._users(reset_passwords)
        definitions_sync(directory=settings.VARDE_WORKFLOW_DIR)  # unchanged files: no-op
        created = sum(self._scenario(s, users) for s in SCENARIOS)
        self._give_emails(users)
        self._other_processes(reset_passwords)
        self.stdout.write(
            f"Demo data: {len(units)} units, {len(users)} users, "
            f"{Case.objects.count()} cases ({created} new incidents)."
        )
        self._print_logins()

    def _other_processes(self, reset_passwords: bool) -> None:
        """Each process app seeds its own demo (idempotent)."""
        from amu.demo import seed_amu_demo
        from parking.demo import DEMO_LOGINS as PARKING_LOGINS
        from parking.demo import seed_parking_demo
        from sickleave.demo import seed_sickleave_demo

        seed_parking_demo(password=DEMO_PASSWORD, reset_passwords=reset_passwords)
        seed_sickleave_demo(password=DEMO_PASSWORD)
        seed_amu_demo(password=DEMO_PASSWORD, stdout=self.stdout)
        call_command("seed_committee_demo", stdout=self.stdout)
        self._extra_logins = [
            *PARKING_LOGINS,
            ("leder", "also registers sick leave for employees of ivt"),
            ("hrradgiver", "HR advisor (sick-leave follow-up, overdue items)"),
            ("bht", "occupational health service (BHT), when invited"),
            ("sykmeldt", "employee on sick leave (sees own plan and read log)"),
            ("amusekretaer", "AMU secretary (screening, agendas, minutes)"),
            ("amuleder", "AMU chair (voting member)"),
        ]

    # -- organisation -----------------------------------------------------------
    def _units(self) -> dict[str, Unit]:
        units: dict[str, Unit] = {}
        for code, name, parent in UNITS:
            unit, _created = Unit.objects.get_or_create(
                code=code, defaults={"name": name, "parent": units.get(parent)}
            )
            units[code] = unit
        return units

    @transaction.atomic
    def _users(self, reset_passwords: bool) -> dict:
        User = get_user_model()
        users = {}
        for spec in USERS:
            # No e-mail address yet: the seeded history must not send a flood of
            # e-mails; _give_emails adds them once the cases exist.
            user, created = User.objects.get_or_create(
                username=spec.username,
                defaults={"first_name": spec.first_name, "last_name": spec.last_name},
            )
            if spec.superuser and not (user.is_staff and user.is_superuser):
                user.is_staff = user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])
            if created or reset_passwords:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            for role in spec.roles:
                user.groups.add(Group.objects.get(name=role))
            for i, code in enumerate(spec.units):
                UnitMembership.objects.get_or_create(
                    user=user, unit=Unit.objects.get(code=code), defaults={"primary": i == 0}
                )
            users[spec.username] = user
        return users

    @staticmethod
    def _give_emails(users: dict) -> None:
        for user in users.values():
            if not user.email:
                user.email = f"{user.username}@example.org"
                user.save(update_fields=["email"])

    # -- cases ------------------------------------------------------------------
    def _scenario(self, scenario: Scenario, users: dict) -> bool:
        title = scenario.report["title"]
        if Case.objects.filter(title=title).exists():
            return False
        start = _moment(scenario.days_ago)
        with transaction.atomic():
            with _at(start):
                report = dict(scenario.report)
                report["event_date"] = (timezone.localdate() - timedelta(days=1)).isoformat()
                reporter = users.get(scenario.reporter) if scenario.reporter else None
                case = incident_report_submit(
                    reporter=reporter, data=report, anonymous=scenario.anonymous
                )
            for step in scenario.steps:
                self._step(case, step, users, start)
        return True

    def _step(self, case: Case, step: tuple, users: dict, start: datetime | None) -> None:
        kind = step[0]
        if kind == "wake":  # fire whatever timer is due by now (an overdue triage)
            services.case_wake(case_id=case.pk)
            return
        if kind == "claim":
            _kind, bpmn_id, username = step
            services.task_claim(actor=users[username], task_id=self._ready(case, bpmn_id))
            return
        _kind, bpmn_id, data, username, after_days = step
        moment = start + timedelta(days=after_days) if start else None
        with _at(moment):
            data = self._resolve_deadlines(data)
            task_id = self._ready(case, bpmn_id)
            actor = users[username]
            task = Task.objects.get(pk=task_id)
            if task.assignee_id is None:
                services.task_claim(actor=actor, task_id=task_id)
            services.task_complete(actor=actor, task_id=task_id, data=data)

    @staticmethod
    def _ready(case: Case, bpmn_id: str) -> int:
        task_id = (
            Task.objects.filter(case=case, bpmn_id=bpmn_id, state=TaskState.READY)
            .order_by("pk").values_list("pk", flat=True).first()
        )
        if task_id is None:
            raise CommandError(f"{case.reference}: no ready task {bpmn_id!r} for the demo step.")
        return task_id

    @staticmethod
    def _resolve_deadlines(data: dict) -> dict:
        """Measure deadlines are written "+N" (days from the step's own date)."""
        measures = data.get("measures")
        if not measures:
            return data
        today = timezone.localdate()
        resolved = [
            {**m, "deadline": (today + timedelta(days=int(m["deadline"][1:]))).isoformat()}
            if str(m.get("deadline", "")).startswith("+") else m
            for m in measures
        ]
        return {**data, "measures": resolved}

    def _print_logins(self) -> None:
        self.stdout.write(f"Log in with one of these users; every password is {DEMO_PASSWORD}")
        for spec in USERS:
            self.stdout.write(f"  {spec.username:<14} {spec.role_label}")
        for username, label in getattr(self, "_extra_logins", []):
            self.stdout.write(f"  {username:<14} {label}")
        self.stdout.write(
            "Whistleblowing committee (its own passwords, TOTP and recovery keys above): "
            "log in at /komite/."
        )
