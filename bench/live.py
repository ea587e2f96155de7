"""Live-update latency: from a service's commit to the event at a socket.

Starts several daphne workers on one Redis (the production layout), opens
many websockets (default 500, one per user) as HSE coordinators spread over
units, creates tasks through the service layer in this process, and prints
p50/p95/max of the time from the commit to each subscribed socket (the
coordinators of the task's unit) receiving the new-task event.

    .venv/bin/python bench/live.py [--sockets 500] [--tasks 20] [--workers 2]

Needs Redis (REDIS_URL, default redis://127.0.0.1:6379/0). Uses a temporary
SQLite file unless DATABASE_URL is set (then a throwaway database is created
on that server and dropped afterwards). A benchmark, not a test.
"""

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(tmp: Path) -> tuple[str, callable]:
    """Return a DATABASE_URL for this run and a cleanup function."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp / 'bench-live.sqlite3'}", lambda: None
    import psycopg

    parsed = urlparse(url)
    name = f"varde_bench_live_{os.getpid()}"
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunparse(parsed._replace(path=f"/{name}")), drop


def setup_django(database_url: str, redis_url: str):
    os.environ["DATABASE_URL"] = database_url
    os.environ["REDIS_URL"] = redis_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "varde.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(users: int, units: int) -> tuple[list[str], dict]:
    """Coordinators spread over units, each with a logged-in session cookie."""
    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from cases.services.definitions import definitions_sync
    from org.models import Unit, UnitMembership
    from org.services import role_groups_ensure

    role_groups_ensure()
    definitions_sync(directory=settings.VARDE_WORKFLOW_DIR)
    unit_rows = [
        Unit.objects.get_or_create(code=f"bench-{u}", defaults={"name": f"Bench unit {u}"})[0]
        for u in range(units)
    ]
    group = Group.objects.get(name="hse_coordinator")
    cookies = []
    for i in range(users):
        user, created = User.objects.get_or_create(username=f"bench-coordinator-{i}")
        if created:
            user.groups.add(group)
            UnitMembership.objects.create(user=user, unit=unit_rows[i % units])
        client = Client()
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        cookies.append(f"{name}={client.cookies[name].value}")
    reporter, _ = User.objects.get_or_create(username="bench-reporter")
    return cookies, {"units": unit_rows, "reporter": reporter}


def start_workers(count: int, env: dict) -> tuple[list[subprocess.Popen], list[int]]:
    ports = [free_port() for _ in range(count)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
             "varde.asgi:application"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    deadline = time.monotonic() + 30
    for port in ports:
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("daphne did not start") from None
                time.sleep(0.2)
    return procs, ports


def report_one(context: dict, index: int) -> float:
    """Create one incident (one new triage task); return the commit time."""
    from django.db import transaction

    from incidents.services import incident_report_submit

    committed = {}
    data = {
        "title": f"Bench incident {index}", "incident_type": "near_accident",
        "categories": ["building"], "event_date": "2026-11-20", "campus": "trondheim",
        "building": "Bench", "unit": context["units"][index % len(context["units"])].code,
        "description": "Bench.",
    }
    with transaction.atomic():
        # Registered first, so it runs first at commit: before the event is published.
        transaction.on_commit(lambda: committed.setdefault("at", time.perf_counter()))
        incident_report_submit(reporter=context["reporter"], data=data)
    return committed["at"]


async def run(args) -> None:
    import websockets

    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    with tempfile.TemporaryDirectory() as tmp:
        database_url, cleanup = prepare_database(Path(tmp))
        procs = []
        try:
            await asyncio.to_thread(setup_django, database_url, redis_url)
            cookies, context = await asyncio.to_thread(seed, args.sockets, args.units)
            env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
                   "DJANGO_DEBUG": "0"}
            procs, ports = start_workers(args.workers, env)

            arrivals: dict[int, list[float]] = {}
            current = {"index": -1}
            sockets = []
            for i in range(args.sockets):
                port = ports[i % len(ports)]
                ws = await websockets.connect(
                    f"ws://127.0.0.1:{port}/ws/live/",
                    additional_headers={"Cookie": cookies[i],
                                        "Origin": f"http://127.0.0.1:{port}"},
                    max_queue=None,
                )
                sockets.append(ws)

            async def reader(ws):
                import json

                async for raw in ws:
                    message = json.loads(raw)
                    if message.get("type") == "case_event" and message.get("kind") == "task_ready":
                        arrivals.setdefault(current["index"], []).append(time.perf_counter())

            readers = [asyncio.create_task(reader(ws)) for ws in sockets]
            await asyncio.sleep(0.5)

            latencies, missed = [], 0
            for index in range(args.tasks):
                current["index"] = index
                committed = await asyncio.to_thread(report_one, context, index)
                # Sockets of the task's unit's coordinators are subscribed to it.
                expected = len(range(index % args.units, len(sockets), args.units))
                deadline = time.monotonic() + 5
                while len(arrivals.get(index, [])) < expected and time.monotonic() < deadline:
                    await asyncio.sleep(0.002)
                got = arrivals.get(index, [])
                if got and args.verbose:
                    print(f"task {index}: first {(min(got) - committed) * 1000:.1f} ms, "
                          f"last {(max(got) - committed) * 1000:.1f} ms")
                missed += expected - len(got)
                latencies += [(t - committed) * 1000 for t in got]
                await asyncio.sleep(0.05)

            for task in readers:
                task.cancel()
            for ws in sockets:
                await ws.close()

            latencies.sort()
            p50 = statistics.median(latencies)
            p95 = latencies[int(len(latencies) * 0.95) - 1]
            print(f"workers: {args.workers} daphne, sockets: {len(sockets)} "
                  f"({args.units} units), tasks: {args.tasks}, deliveries: {len(latencies)}, "
                  f"missed: {missed}")
            print(f"database: {database_url.split(':')[0]}, channel layer: redis")
            print(f"latency commit→socket p50: {p50:.1f} ms")
            print(f"latency commit→socket p95: {p95:.1f} ms")
            print(f"latency commit→socket max: {latencies[-1]:.1f} ms")
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(timeout=10)
            from django.db import connections

            await asyncio.to_thread(connections.close_all)
            cleanup()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sockets", type=int, default=500)
    parser.add_argument("--units", type=int, default=25,
                        help="sockets are coordinators spread over this many units")
    parser.add_argument("--tasks", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--verbose", action="store_true", help="per-task first/last arrival")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
