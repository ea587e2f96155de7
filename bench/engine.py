"""How much does persistence cost per incident lifecycle?

Runs N full incident lifecycles (report → triage → plan with one corrective
action → the action → four-eyes closure by a second user) three ways:

  (a) bare SpiffWorkflow in memory: the spec parsed once, the restricted
      script engine, each user task completed and the engine stepped;
  (b) the durable floor: (a) plus one state serialize + deserialize round trip
      per user task, in memory (what any durable engine must at least do);
  (c) persisted through the service layer: incident_report_submit, then one
      task_complete per user task, each in its own transaction on the
      database (a candidate may complete an unclaimed task; the variant with
      a task_claim first is printed too).

Prints lifecycles/s for each, the stored state size per closed case, and as the
last line ``persisted/floor: X.X`` (time per lifecycle of (c) ÷ (b)).

Not a test: run it by hand,

    .venv/bin/python bench/engine.py [--n 200] [--profile]

It uses the configured database (DATABASE_URL, else SQLite) but never the
real one: SQLite gets a temporary file, PostgreSQL a throwaway database that
is dropped afterwards.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "varde.settings")
os.environ["DJANGO_DEBUG"] = "0"  # DEBUG would record every SQL query in memory
warnings.filterwarnings("ignore", category=DeprecationWarning)

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
TRIAGE = {"triage_decision": "accept", "severity": "serious"}
PLAN = {
    "consequence": "Fall risk",
    "cause": "Loose bolts",
    "measures": [{"title": "Fix handrail", "owner": "owner", "deadline": "2099-12-10"}],
}
MEASURE = {"status": "done"}
CLOSURE = {"closure_decision": "close", "severity": "serious", "closure_comment": "Done"}
# User tasks of one lifecycle, in order: BPMN id → form data.
STEPS = [
    ("triage", TRIAGE),
    ("plan_measures", PLAN),
    ("carry_out_measure", MEASURE),
    ("verify_and_close", CLOSURE),
]


def _process_data() -> dict:
    """The routing fields incident_report_submit starts the process with."""
    from django.utils import timezone

    return {
        "unit": REPORT["unit"],
        "incident_type": REPORT["incident_type"],
        "categories": list(REPORT["categories"]),
        "injury_actual": False,
        "severity_suggested": "",
        "anonymous": False,
        "reported_at": timezone.now().isoformat(),
    }


# -- (a) and (b): the engine alone ---------------------------------------------------
class BareEngine:
    def __init__(self):
        from cases.workflow.scripting import make_engine
        from cases.workflow.specs import parse_process

        workflows = Path(os.environ.get("VARDE_WORKFLOW_DIR", ROOT / "workflows"))
        parsed = parse_process(workflows / "incident.bpmn", sorted(workflows.glob("*.dmn")))
        self.spec, self.subprocess_specs = parsed.spec, parsed.subprocess_specs
        self.engine = make_engine({"case": None})
        self.sizes: list[int] = []

    def lifecycle(self, *, durable: bool, stock: bool = False) -> None:
        """``stock``: the round trip uses SpiffWorkflow's own serializer, which
        embeds the spec in every state (what bare SpiffWorkflow would store)."""
        from SpiffWorkflow.bpmn import BpmnWorkflow
        from SpiffWorkflow.util.task import TaskState

        from cases.workflow.serialization import (
            spec_serializer,
            state_from_bytes,
            state_to_bytes,
        )

        wf = BpmnWorkflow(self.spec, self.subprocess_specs, script_engine=self.engine)
        wf.task_tree.data.update(_process_data())
        wf.do_engine_steps()
        for bpmn_id, data in STEPS:
            if durable and stock:
                wf = spec_serializer.deserialize_json(spec_serializer.serialize_json(wf))
                wf.script_engine = self.engine
            elif durable:  # the state goes to storage and comes back before each user task
                wf = state_from_bytes(state_to_bytes(wf), self.spec, self.subprocess_specs)
                wf.script_engine = self.engine
            (task,) = [
                t for t in wf.get_tasks(state=TaskState.READY, manual=True)
                if t.task_spec.bpmn_id == bpmn_id
            ]
            result_variable = task.task_spec.extensions.get("properties", {}).get(
                "resultVariable"
            )
            if result_variable:  # as CaseWorkflow.complete does for multi-instance items
                task.data[result_variable] = {**task.data.get("measure", {}), **data}
            else:
                task.data.update(data)
            task.run()
            wf.do_engine_steps()
        assert wf.is_completed() and wf.data.get("outcome") == "closed", wf.data
        if durable:
            self.sizes.append(len(state_to_bytes(wf)))


# -- (c): the service layer on the database ----------------------------------------
class Persisted:
    def __init__(self):
        from django.conf import settings
        from django.contrib.auth.models import Group, User

        from cases.services.definitions import definitions_sync
        from org.models import Unit, UnitMembership
        from org.roles import HSE_COORDINATOR

        definitions_sync(directory=settings.VARDE_WORKFLOW_DIR)
        ivt = Unit.objects.create(code="ivt", name="Fakultet for ingeniørvitenskap")
        coordinators = Group.objects.get(name=HSE_COORDINATOR)

        def user(name, *, coordinator=False):
            u = User.objects.create_user(username=name)  # no password: no hashing cost
            UnitMembership.objects.create(user=u, unit=ivt, primary=True)
            if coordinator:
                u.groups.add(coordinators)
            return u

        self.reporter = user("reporter")
        self.owner = user("owner")
        self.coordinator = user("coordinator", coordinator=True)
        self.coordinator2 = user("coordinator2", coordinator=True)
        self.actors = {
            "triage": self.coordinator,
            "plan_measures": self.coordinator,
            "carry_out_measure": self.owner,
            "verify_and_close": self.coordinator2,
        }
        self.case_ids: list[int] = []

    def lifecycle(self, *, claims: bool = False) -> None:
        """One service call per user task, as (b) has one round trip per user
        task: a candidate may complete an unclaimed task directly. With
        ``claims``, each group task is claimed first, in its own transaction,
        as a handler working the queue does."""
        from cases import services
        from incidents.services import incident_report_submit

        case = incident_report_submit(reporter=self.reporter, data=dict(REPORT))
        for bpmn_id, data in STEPS:
            actor = self.actors[bpmn_id]
            task_id = self._ready_task_id(case.pk, bpmn_id)
            if claims and bpmn_id != "carry_out_measure":  # the action has its owner
                services.task_claim(actor=actor, task_id=task_id)
            services.task_complete(actor=actor, task_id=task_id, data=data)
        self.case_ids.append(case.pk)

    @staticmethod
    def _ready_task_id(case_id: int, bpmn_id: str) -> int:
        """The id a handler's request carries in its URL. Looked up with one
        plain query, so the harness adds no ORM overhead to (c)'s figure."""
        from django.db import connection

        from cases.models import TaskState

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM cases_task WHERE case_id = %s AND bpmn_id = %s AND state = %s",
                [case_id, bpmn_id, TaskState.READY.value],
            )
            (task_id,), = cursor.fetchall()
        return task_id

    def lifecycle_with_claims(self) -> None:
        self.lifecycle(claims=True)

    def lifecycle_without_subscribers(self) -> None:
        """(c) with the event subscribers (the notification job, live
        queues) switched off: the cost of the case services alone."""
        from cases import events

        registries = (events._subscribers, events._in_transaction_subscribers)
        saved = [list(registry) for registry in registries]
        for registry in registries:
            registry.clear()
        try:
            self.lifecycle()
        finally:
            for registry, callbacks in zip(registries, saved, strict=True):
                registry.extend(callbacks)

    def query_counts(self, lifecycle) -> dict[str, int]:
        """SQL statements of one lifecycle, grouped by verb and table."""
        import re
        from collections import Counter

        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            lifecycle()
        counts: Counter = Counter()
        for query in captured.captured_queries:
            sql = query["sql"]
            verb = sql.split(None, 1)[0].upper()
            while re.search(r"\([^()]*\)", sql):  # subqueries and lists out: the main table
                sql = re.sub(r"\([^()]*\)", "", sql)
            match = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql, re.IGNORECASE)
            counts[f"{verb} {match.group(1) if match else ''}".strip()] += 1
        return dict(counts.most_common())

    def closed_state_sizes(self) -> list[int]:
        from cases.models import Case, CaseStatus

        cases = Case.objects.filter(pk__in=self.case_ids)
        assert all(c.status == CaseStatus.COMPLETED and c.outcome == "closed" for c in cases)
        return [len(bytes(c.state)) for c in cases]


# -- running --------------------------------------------------------------------------
def _timed(variants: dict, n: int, warmup: int, rounds: int) -> dict[str, float]:
    """Seconds per lifecycle for each variant: the median over ``rounds``
    rounds, the variants interleaved within each round, so load from other
    processes on the machine hits them alike."""
    for func in variants.values():
        for _ in range(warmup):
            func()
    per_round = max(1, n // rounds)
    samples: dict[str, list[float]] = {label: [] for label in variants}
    for _ in range(rounds):
        for label, func in variants.items():
            start = time.perf_counter()
            for _ in range(per_round):
                func()
            samples[label].append((time.perf_counter() - start) / per_round)
    result = {label: statistics.median(times) for label, times in samples.items()}
    for label, per in result.items():
        print(f"{label:<46} {1 / per:8.1f} lifecycles/s  ({per * 1000:7.2f} ms each)",
              flush=True)
    return result


def _throwaway_database(tmpdir: str) -> str:
    """Point the default connection at a fresh, migrated database; return the old name."""
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "sqlite":
        test_name = str(Path(tmpdir) / "bench.sqlite3")
    else:
        test_name = f"varde_bench_{os.getpid()}"
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = test_name
    connection.settings_dict.setdefault("TEST", {})["NAME"] = test_name
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return old_name


def _print_profile(profiler: cProfile.Profile, limit: int) -> None:
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order)
        stats.print_stats(limit)
        print(f"\n--- profile of (c), top {limit} by {order} ---")
        print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200, help="lifecycles per variant")
    parser.add_argument("--rounds", type=int, default=5,
                        help="interleaved rounds; each variant's figure is the median")
    parser.add_argument("--profile", action="store_true",
                        help="also profile (c) with cProfile and print the top functions")
    parser.add_argument("--profile-limit", type=int, default=30)
    parser.add_argument("--queries", action="store_true",
                        help="also print the SQL statements of one (c) lifecycle by table")
    args = parser.parse_args()
    n, warmup = args.n, max(2, min(20, args.n // 10))

    import django

    django.setup()
    from django.db import connection

    with tempfile.TemporaryDirectory(prefix="varde-bench-") as tmpdir:
        old_name = _throwaway_database(tmpdir)
        try:
            where = "SQLite (temporary file)" if connection.vendor == "sqlite" else (
                f"{connection.vendor} (throwaway database {connection.settings_dict['NAME']})"
            )
            print(f"Incident lifecycles: {n} per variant ({args.rounds} interleaved rounds, "
                  f"median) after {warmup} warm-up; "
                  f"report → triage → plan (1 action) → action → four-eyes close; {where}")
            bare = BareEngine()
            persisted = Persisted()
            labels = {
                "bare": "(a) bare engine, in memory",
                "floor": "(b) durable floor (+state round trip per task)",
                "stock": "    (b) with SpiffWorkflow's stock serializer",
                "persisted": "(c) persisted through the services",
                "core": "    (c) with event subscribers switched off",
                "claims": "    (c) with a claim before each group task",
            }
            times = _timed(
                {
                    labels["bare"]: lambda: bare.lifecycle(durable=False),
                    labels["floor"]: lambda: bare.lifecycle(durable=True),
                    labels["stock"]: lambda: bare.lifecycle(durable=True, stock=True),
                    labels["persisted"]: persisted.lifecycle,
                    labels["core"]: persisted.lifecycle_without_subscribers,
                    labels["claims"]: persisted.lifecycle_with_claims,
                },
                n, warmup, args.rounds,
            )
            t_bare, t_floor, t_persisted = (
                times[labels[k]] for k in ("bare", "floor", "persisted")
            )
            queries = persisted.query_counts(persisted.lifecycle)
            core = persisted.query_counts(persisted.lifecycle_without_subscribers)
            print(f"SQL statements per (c) lifecycle: {sum(queries.values())} "
                  f"({sum(core.values())} with event subscribers switched off)")
            if args.queries:
                for what, count in queries.items():
                    print(f"  {count:4d}  {what}")
            if args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(max(20, n // 4)):
                    persisted.lifecycle()
                profiler.disable()
                _print_profile(profiler, args.profile_limit)
            floor_sizes = bare.sizes
            stored_sizes = persisted.closed_state_sizes()
            print(f"state per closed case: {sum(stored_sizes) / len(stored_sizes):.0f} bytes "
                  f"stored on average (zlib-compressed instance JSON; floor: "
                  f"{sum(floor_sizes) / len(floor_sizes):.0f} bytes)")
            print(f"engine share of (c): {t_bare / t_persisted:.0%} bare, "
                  f"{t_floor / t_persisted:.0%} with round trips")
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    t_stock = times[labels["stock"]]
    print(f"persisted/stock-serializer floor: {t_persisted / t_stock:.1f} "
          "(the floor with the spec embedded in every state, as SpiffWorkflow stores it)")
    print(f"persisted/floor: {t_persisted / t_floor:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
