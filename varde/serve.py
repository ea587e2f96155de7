"""Production server: ``bin/serve`` runs ``python -m varde.serve``.

One supervisor process binds ``BIND``:``PORT`` and starts ``WORKERS`` daphne
processes that all accept on that one listening socket (handed down as a file
descriptor), plus ``TASK_WORKERS`` background workers (``manage.py jobs_worker``;
0 when they run elsewhere); a process that dies is started again.

SIGTERM/SIGINT stops them all cleanly (a deploy): the supervisor closes its
copy of the listening socket and passes the signal on; each web worker stops
accepting, finishes the requests in flight and exits (``varde.graceful``),
each background worker finishes its current job and exits; whatever still
runs after ``GRACE_SECONDS`` (default 30) gets SIGKILL (a job then comes
back through its lease). Each worker runs daphne's ``Server`` directly rather than its command
line, because daphne's own access log (written to stdout at its default
verbosity, ``--access-log`` or not) starts every line with the client's
address and port. Here:

* there is no access log unless ``VARDE_ACCESS_LOG=1``; then one line per
  request is written to stdout with time, method, path (no query string),
  status and size: never an address, port, user agent or referrer, and no
  line at all for the anonymous routes (``varde.anonymity``);
* Twisted's own log is discarded (daphne does so below verbosity 2) and
  daphne's loggers stay at WARNING (their DEBUG lines name the client);
* every line the root logger's handlers write passes
  ``varde.anonymity.AddressFreeLogFilter``, which replaces any IP address
  and daphne's ``client=[address, port]`` field: daphne's WARNING about an
  application killed after its websocket client left names the connection;
* Django logs as ``varde/settings.py`` says: errors with path and traceback,
  never request headers (``AnonymousRouteReporterFilter``).

Proxy headers are not applied by daphne: the client address is read only by
the rate limiters, from the trusted proxies' X-Forwarded-For
(``varde.client_address``).
"""

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime
from urllib.parse import unquote

RESTART_WINDOW = 60  # seconds
RESTART_LIMIT = 5  # more worker deaths than this within the window: give up
DEFAULT_GRACE = 30  # seconds a stopping process may take to finish its work
SYSTEMD_FIRST_FD = 3


def _log(message: str) -> None:
    print(f"[serve] {message}", file=sys.stderr, flush=True)


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        _log(f"{name}={value!r} is not a whole number.")
        sys.exit(2)


# --- the supervisor ---------------------------------------------------------


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host.strip("[]"), port))
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


def _spawn(sock: socket.socket) -> subprocess.Popen:
    domain = "INET6" if sock.family == socket.AF_INET6 else "INET"
    return subprocess.Popen(
        [sys.executable, "-m", "varde.serve", "--worker", str(sock.fileno()), domain],
        pass_fds=(sock.fileno(),),
    )


def _spawn_task_worker() -> subprocess.Popen:
    manage = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "manage.py")
    return subprocess.Popen([sys.executable, manage, "jobs_worker", "--queue-name", "*"])


def supervise() -> int:
    os.environ["DJANGO_DEBUG"] = "0"  # the workers inherit it: no debug pages, ever
    workers = max(1, _env_int("WORKERS", 2))
    task_workers = max(0, _env_int("TASK_WORKERS", 1))
    host = os.environ.get("BIND", "127.0.0.1") or "127.0.0.1"
    port = _env_int("PORT", 8000)
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sock = _listen(host, port)
    starters = [lambda: _spawn(sock)] * workers + [_spawn_task_worker] * task_workers
    children = [start() for start in starters]
    _log(f"listening on {host}:{port} with {workers} web and {task_workers} task worker(s)")
    deaths: list[float] = []
    status = 0
    while not stopping:
        time.sleep(0.5)
        for index, child in enumerate(children):
            code = child.poll()
            if code is None or stopping:
                continue
            now = time.monotonic()
            deaths = [t for t in deaths if now - t < RESTART_WINDOW] + [now]
            if len(deaths) > RESTART_LIMIT:
                _log("workers keep dying; stopping")
                stopping, status = True, 1
                break
            _log(f"worker {child.pid} exited with status {code}; starting another")
            children[index] = starters[index]()
    sock.close()  # the workers hold their own copies until they stop listening
    for child in children:
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + _grace() + 5
    for child in children:
        try:
            child.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    return status


def _grace() -> float:
    return max(0, _env_int("GRACE_SECONDS", DEFAULT_GRACE))


# --- a worker ---------------------------------------------------------------


class AddressFreeAccessLog:
    """daphne's action logger, minus the client: see the module docstring."""

    def __init__(self, stream):
        self.stream = stream

    def __call__(self, protocol, action, details):
        from varde.anonymity import is_anonymous_path

        if protocol == "http" and action == "complete":
            request = f"{details['method']} {details['path']}"
            extra = f" {details['status'] or '-'} {details['size'] or '-'}"
        elif protocol == "websocket" and action in ("connected", "disconnected", "rejected"):
            request, extra = f"WS{action.upper()} {details['path']}", ""
        else:
            return
        method, _, target = request.partition(" ")
        path = unquote(target.split("?", 1)[0])
        if is_anonymous_path(path):
            return
        stamp = datetime.now().strftime("%d/%b/%Y:%H:%M:%S")
        self.stream.write(f'[{stamp}] "{method} {path}"{extra}\n')
        self.stream.flush()


def work(fd: int, domain: str) -> None:
    import logging

    # Twisted adopts an inherited socket of any address family only the
    # systemd way: descriptor 3 and LISTEN_FDS/LISTEN_PID, read when
    # twisted.internet.endpoints is imported (by daphne.server, below).
    if fd != SYSTEMD_FIRST_FD:
        os.dup2(fd, SYSTEMD_FIRST_FD)
        os.close(fd)
    os.environ.update(LISTEN_FDS="1", LISTEN_FDNAMES="varde", LISTEN_PID=str(os.getpid()))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "varde.settings")
    os.environ["DJANGO_DEBUG"] = "0"
    from varde.graceful import GracefulServer  # noqa: I001 - installs the asyncio reactor: first
    from varde.asgi import application  # sets Django up (settings.LOGGING)

    for name in ("daphne", "twisted", "autobahn"):
        logging.getLogger(name).setLevel(logging.WARNING)
    from varde.anonymity import AddressFreeLogFilter  # needs the settings: after Django

    for handler in logging.getLogger().handlers:  # what daphne's records reach
        handler.addFilter(AddressFreeLogFilter())
    access_log = os.environ.get("VARDE_ACCESS_LOG", "0") == "1"
    GracefulServer(
        grace=_grace(),
        application=application,
        endpoints=[f"systemd:domain={domain}:index=0"],
        action_logger=AddressFreeAccessLog(sys.stdout) if access_log else None,
        verbosity=0,
        http_timeout=_env_int("HTTP_TIMEOUT", 0) or None,  # daphne's default: none
        application_close_timeout=10,
        server_name="varde",
    ).run()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        work(int(sys.argv[2]), sys.argv[3])
    else:
        sys.exit(supervise())
