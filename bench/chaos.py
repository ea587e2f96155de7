"""Chaos: nothing acknowledged is lost while workers die, the database
connections are cut and Redis stops, all during a load of reports.

Starts one daphne web process, a private redis-server and ``--workers``
background workers (``manage.py jobs_worker``), sends ``--reports`` anonymous
incident reports over HTTP from ``--clients`` threads, and meanwhile:

- SIGKILLs a worker ``--kills`` times, each time while it runs a job (and
  starts a new one in its place, as systemd would);
- cuts the database once: every connection of the run's database
  terminated (``pg_terminate_backend``, repeated for ``--cut-seconds``) on
  PostgreSQL; the file's write lock held for ``--cut-seconds`` (longer than
  the busy timeout) on SQLite;
- stops Redis once for ``--redis-seconds``, then starts it again;

then lets the workers drain the queue (a dead worker's job comes back after
the lease, ``VARDE_JOB_LEASE_SECONDS``, 20 s here instead of 120 s) and prints:

    reports acknowledged: X   (POST answered with the receipt redirect)
    cases stored: X
    jobs lost: X              (due jobs, or jobs waiting to be tried again, not
                              SUCCESSFUL after the drain)
    notifications missing: X  (each case: one per coordinator of its unit)
    notifications doubled: X
    emails sent twice: X      (a Message-ID written twice, or two e-mails for one
                              notification)
    recovery s after database cut: X  (cut end to the next acknowledged report)

    .venv/bin/python bench/chaos.py [--reports 240] [--workers 2] [--kills 6]

Uses a temporary SQLite file unless DATABASE_URL is set (then a throwaway
database on that server, dropped afterwards). Ports: --port (web) and
--port + 1 (Redis). A benchmark, not a test: it takes minutes.
"""

import argparse
import email
import http.cookiejar
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


PY = str(ROOT / ".venv" / "bin" / "python")
COORDINATORS = ("chaos-coord-1", "chaos-coord-2")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def log(text: str) -> None:
    print(f"[chaos {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


class Run:
    def __init__(self, args, tmp: Path, database_url: str):
        self.args = args
        self.tmp = tmp
        self.database_url = database_url
        self.mail_dir = tmp / "mail"
        self.mail_dir.mkdir()
        self.redis_port = args.port + 1
        self.redis_url = f"redis://127.0.0.1:{self.redis_port}/9"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": self.redis_url,
            "DJANGO_SETTINGS_MODULE": "varde.settings",
            "DJANGO_DEBUG": "1",
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "VARDE_JOB_LEASE_SECONDS": str(args.lease),
            "VARDE_JOB_HEARTBEAT_SECONDS": "2",
            # All the bench's clients are 127.0.0.1: the flood limit would refuse
            # most reports, which is not what this bench measures.
            "VARDE_INCIDENT_RATE": "1000000/3600",
            "VARDE_VAR_DIR": str(tmp / "var"),
            "PYTHONUNBUFFERED": "1",
        }
        self.workers: dict[str, subprocess.Popen] = {}
        self.generation = 0
        self.lock = threading.Lock()
        self.acknowledged: list[tuple[float, str]] = []
        self.refused: Counter = Counter()
        self.cut_end: float | None = None
        self.redis: subprocess.Popen | None = None
        self.web: subprocess.Popen | None = None

    # Processes -------------------------------------------------------------
    def start_redis(self) -> None:
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)

    def stop_redis(self) -> None:
        self.redis.terminate()
        self.redis.wait()

    def start_web(self) -> None:
        self.web = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "daphne"), "-b", "127.0.0.1", "-p",
             str(self.args.port), "varde.asgi:application"],
            cwd=ROOT, env=self.env, stdout=open(self.tmp / "web.log", "w"),  # noqa: SIM115
            stderr=subprocess.STDOUT)
        for _ in range(100):
            try:
                urllib.request.urlopen(self.url("/konto/logg-inn/"), timeout=2)
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.2)
        raise SystemExit("daphne did not start; see web.log")

    def start_worker(self) -> str:
        with self.lock:
            self.generation += 1
            worker_id = f"chaos-{self.generation}"
        log_file = open(self.tmp / f"{worker_id}.log", "w")  # noqa: SIM115
        self.workers[worker_id] = subprocess.Popen(
            [PY, "manage.py", "jobs_worker", "--queue-name", "*", "--interval", "0.2",
             "--no-startup-delay", "--no-reload", "--worker-id", worker_id, "-v", "1"],
            cwd=ROOT, env=self.env, stdout=log_file, stderr=subprocess.STDOUT)
        return worker_id

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.args.port}{path}"

    # Load ------------------------------------------------------------------
    def report_form(self) -> dict:
        yesterday = (date.today() - timedelta(days=1)).isoformat()
        return {
            "title": "Loose handrail in stairwell", "incident_type": "near_accident",
            "categories": ["building", "personal_injury"], "event_date": yesterday,
            "campus": "trondheim", "building": "Realfagbygget", "room": "A2-30",
            "unit": "ivt", "description": "The handrail came off when I leaned on it.",
            "injury_potential": "on",
        }

    def send_report(self) -> None:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar),
                                             NoRedirect())
        try:
            page = opener.open(self.url("/hms/avvik/ny/"), timeout=60).read().decode()
            token = CSRF.search(page).group(1)
            data = {**self.report_form(), "csrfmiddlewaretoken": token}
            body = urllib.parse.urlencode(data, doseq=True).encode()
            request = urllib.request.Request(self.url("/hms/avvik/ny/"), data=body,
                                             headers={"Referer": self.url("/hms/avvik/ny/")})
            response = opener.open(request, timeout=60)
            status, location = response.status, response.headers.get("Location", "")
        except urllib.error.HTTPError as exc:
            status, location = exc.code, exc.headers.get("Location", "")
        except (urllib.error.URLError, ConnectionError, OSError, AttributeError) as exc:
            status, location = exc.__class__.__name__, ""
        if status == 302 and "ref=" in location:
            reference = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)["ref"][0]
            with self.lock:
                self.acknowledged.append((time.monotonic(), reference))
        else:
            with self.lock:
                self.refused[status] += 1

    def load(self) -> None:
        remaining = iter(range(self.args.reports))
        lock = threading.Lock()

        def client():
            while True:
                with lock:
                    if next(remaining, None) is None:
                        return
                self.send_report()

        threads = [threading.Thread(target=client) for _ in range(self.args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    # Chaos -----------------------------------------------------------------
    def running_holders(self) -> list[str]:
        from django.db import close_old_connections
        from django_tasks_db.models import DBTaskResult

        close_old_connections()
        try:
            rows = DBTaskResult.objects.running().values_list("worker_ids", flat=True)
            return [ids[-1] for ids in rows if ids]
        except Exception:  # noqa: BLE001 - the database may be cut right now
            return []

    def kill_one_busy_worker(self, deadline: float) -> bool:
        while time.monotonic() < deadline:
            for holder in self.running_holders():
                process = self.workers.get(holder)
                if process is not None and process.poll() is None:
                    process.send_signal(signal.SIGKILL)
                    process.wait()
                    log(f"SIGKILL {holder} while it ran a job")
                    self.start_worker()
                    return True
            time.sleep(0.02)
        return False

    def cut_database(self) -> None:
        seconds = self.args.cut_seconds
        if self.database_url.startswith("sqlite"):
            path = self.database_url.removeprefix("sqlite:///")
            conn = sqlite3.connect(path, timeout=30, isolation_level=None)
            conn.execute("BEGIN EXCLUSIVE")
            log(f"database cut: SQLite write lock held for {seconds} s")
            time.sleep(seconds)
            conn.execute("ROLLBACK")
            conn.close()
        else:
            import psycopg

            name = urllib.parse.urlparse(self.database_url).path.lstrip("/")
            log(f"database cut: every connection of {name} terminated for {seconds} s")
            with psycopg.connect(self.database_url, autocommit=True) as conn:
                end = time.monotonic() + seconds
                while time.monotonic() < end:
                    conn.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = %s AND pid <> pg_backend_pid()", [name])
                    time.sleep(0.05)
        self.cut_end = time.monotonic()
        log("database back")

    def chaos(self) -> None:
        kills = 0
        step = 0
        plan = ["kill", "cut", "kill", "redis", "kill", "kill", "kill", "kill"]
        extra = max(self.args.kills - plan.count("kill"), 0)
        plan += ["kill"] * extra
        for action in plan:
            step += 1
            if action == "kill":
                if kills >= self.args.kills:
                    continue
                if self.kill_one_busy_worker(time.monotonic() + 30):
                    kills += 1
                time.sleep(1.0)
            elif action == "cut":
                self.cut_database()
                time.sleep(1.0)
            elif action == "redis":
                self.stop_redis()
                log(f"Redis stopped for {self.args.redis_seconds} s")
                time.sleep(self.args.redis_seconds)
                self.start_redis()
                log("Redis back")
        self.kills = kills

    # Drain and count -------------------------------------------------------
    def due_jobs(self) -> int:
        from django.db import close_old_connections
        from django.db.models import Q
        from django.utils import timezone
        from django_tasks_db.models import DBTaskResult, get_date_max

        close_old_connections()
        due = DBTaskResult.objects.filter(
            Q(status="RUNNING")
            | Q(status="READY") & (Q(run_after=get_date_max()) | Q(run_after__lte=timezone.now()))
        ).count()
        return due + self.retrying()

    def retrying(self) -> int:
        """Jobs that failed a try and wait for their back-off: not done yet,
        although not due (the drain waits for them, "jobs lost" counts them)."""
        from django.utils import timezone
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(status="READY", run_after__gt=timezone.now())
        return sum(1 for ids in waiting.values_list("worker_ids", flat=True) if ids)

    def drain(self) -> float:
        start = time.monotonic()
        limit = self.args.lease * 2 + 120
        quiet = 0
        while time.monotonic() - start < limit:
            quiet = quiet + 1 if self.due_jobs() == 0 else 0
            if quiet >= 3:
                break
            time.sleep(1)
        return time.monotonic() - start

    def figures(self) -> dict:
        from django.db import close_old_connections
        from django.utils import timezone
        from django_tasks_db.models import DBTaskResult, get_date_max

        from cases.models import Case
        from notifications.models import Kind, Notification

        close_old_connections()
        references = {ref for _t, ref in self.acknowledged}
        cases = dict(Case.objects.filter(definition__process_id="incident")
                     .values_list("pk", "reference"))
        stored = set(cases.values())
        # Not done, except what is scheduled for later (reminders, timers, digests).
        due_not_done = DBTaskResult.objects.exclude(status="SUCCESSFUL").exclude(
            status="READY", run_after__gt=timezone.now(), run_after__lt=get_date_max())
        counts = Counter(
            Notification.objects.filter(kind=Kind.TASK_WAITING, case_id__in=cases)
            .values_list("case_id", "user__username")
        )
        missing = doubled = 0
        for case_id in cases:
            for user in COORDINATORS:
                n = counts.get((case_id, user), 0)
                missing += n == 0
                doubled += max(n - 1, 0)
        from notifications.models import OutgoingEmail

        ids = Counter()
        for path in self.mail_dir.iterdir():
            for chunk in path.read_text().split("-" * 79):
                if "Message-ID" not in chunk:
                    continue
                message = email.message_from_string(chunk.strip())
                ids[message["Message-ID"]] += 1
        # The same message handed to the mail server again, or a second
        # e-mail made for one notification.
        resent = sum(n - 1 for n in ids.values() if n > 1)
        emailed = Notification.objects.filter(emailed_at__isnull=False).count()
        twice = resent + max(OutgoingEmail.objects.count() - emailed, 0)
        recovery = None
        if self.cut_end is not None:
            after = [t for t, _ref in self.acknowledged if t >= self.cut_end]
            recovery = (min(after) - self.cut_end) if after else None
        return {
            "reports acknowledged": len(references),
            "cases stored": len(stored),
            "acknowledged but not stored": len(references - stored),
            "jobs lost": due_not_done.count() + self.retrying(),
            "notifications missing": missing,
            "notifications doubled": doubled,
            "emails sent": sum(ids.values()),
            "emails sent twice": twice,
            "recovery s after database cut":
                f"{recovery:.2f}" if recovery is not None else "no report after the cut",
        }


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def prepare_database(tmp: Path) -> tuple[str, callable]:
    """A DATABASE_URL for this run and its cleanup: a temporary SQLite file, or
    on DATABASE_URL's server a throwaway database named after its own
    (``<name>_chaos``), dropped afterwards."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp / 'chaos.sqlite3'}", lambda: None
    import psycopg

    parsed = urllib.parse.urlparse(url)
    name = f"{parsed.path.lstrip('/') or 'varde'}_chaos"
    admin = urllib.parse.urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urllib.parse.urlunparse(parsed._replace(path=f"/{name}")), drop


def seed() -> None:
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    from cases.services.definitions import definitions_sync
    from org.models import Unit, UnitMembership
    from org.roles import HSE_COORDINATOR
    from org.services import role_groups_ensure

    call_command("migrate", verbosity=0)
    role_groups_ensure()
    from django.conf import settings

    definitions_sync(directory=settings.VARDE_WORKFLOW_DIR)
    unit = Unit.objects.create(code="ivt", name="Fakultet for ingeniørvitenskap")
    group = Group.objects.get(name=HSE_COORDINATOR)
    for username in COORDINATORS:
        user = User.objects.create_user(username=username, email=f"{username}@example.no")
        user.groups.add(group)
        UnitMembership.objects.create(user=user, unit=unit, primary=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=240)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kills", type=int, default=6)
    parser.add_argument("--lease", type=int, default=20)
    parser.add_argument("--cut-seconds", type=float, default=None,
                        help="default: 3 on PostgreSQL; 22 on SQLite (past its 20 s busy "
                             "timeout, so requests meet the outage instead of waiting)")
    parser.add_argument("--redis-seconds", type=float, default=5.0)
    parser.add_argument("--port", type=int, default=8770)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="varde-chaos-") as tmp_name:
        tmp = Path(tmp_name)
        database_url, drop = prepare_database(tmp)
        if args.cut_seconds is None:
            args.cut_seconds = 22.0 if database_url.startswith("sqlite") else 3.0
        run = Run(args, tmp, database_url)
        os.environ.update({k: v for k, v in run.env.items() if k not in os.environ
                           or k in ("DATABASE_URL", "REDIS_URL", "VARDE_JOB_LEASE_SECONDS")})
        import django

        django.setup()
        try:
            seed()
            run.start_redis()
            run.start_web()
            for _ in range(args.workers):
                run.start_worker()
            log(f"{args.reports} reports from {args.clients} clients, {args.workers} workers, "
                f"database {database_url.split(':')[0]}")
            loader = threading.Thread(target=run.load)
            loader.start()
            time.sleep(2)
            run.chaos()
            loader.join()
            log(f"load done after {run.kills} kills; refused answers: {dict(run.refused)}")
            waited = run.drain()
            log(f"drained in {waited:.0f} s")
            figures = run.figures()
        finally:
            for process in [*run.workers.values(), run.web]:
                if process is not None and process.poll() is None:
                    process.terminate()
                    try:
                        process.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        process.kill()
            if run.redis is not None and run.redis.poll() is None:
                run.stop_redis()
            from django.db import connections

            connections.close_all()
            drop()
    for label in ("reports acknowledged", "cases stored", "jobs lost", "notifications missing",
                  "notifications doubled", "emails sent twice", "recovery s after database cut"):
        print(f"{label}: {figures[label]}")
    log(f"also: acknowledged but not stored {figures['acknowledged but not stored']}, "
        f"emails sent {figures['emails sent']}, refused answers {dict(run.refused)}")


if __name__ == "__main__":
    main()
