"""Start the real bin/serve (and nginx), talk to them from a distinctive
loopback address, and search everything they wrote.

Ports: free ones from the operating system, or from ``VARDE_TEST_PORTS``
(``8610-8629``) when a developer must stay in an agreed range.
"""

import contextlib
import http.client
import os
import re
import signal
import socket
import ssl
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "127.8.9.10"  # the anonymous client's address
OTHER_SOURCE = "127.8.9.11"  # a second client


def free_ports(count: int) -> list[int]:
    """``count`` different ports nothing listens on (held open while choosing)."""
    wanted = os.environ.get("VARDE_TEST_PORTS", "")
    candidates = [0] * count
    if wanted:
        low, _, high = wanted.partition("-")
        candidates = list(range(int(low), int(high or low) + 1))
    probes = []
    try:
        for port in candidates:
            probe = socket.socket()
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                probe.close()
                continue
            probes.append(probe)
            if len(probes) == count:
                return [p.getsockname()[1] for p in probes]
    finally:
        for probe in probes:
            probe.close()
    raise RuntimeError(f"not {count} free ports in {wanted}")


def database_url() -> str:
    """The test database, as DATABASE_URL for a server process."""
    conf = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{conf['NAME']}"
    auth = conf["USER"] + (f":{conf['PASSWORD']}" if conf["PASSWORD"] else "")
    return f"postgres://{auth}@{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/{conf['NAME']}"


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    logs: list[Path] = field(default_factory=list)


def start(name: str, command: list[str], log_dir: Path, env: dict) -> Process:
    out, err = log_dir / f"{name}.stdout", log_dir / f"{name}.stderr"
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        popen = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=stdout, stderr=stderr,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
    return Process(name, popen, [out, err])


def stop(process: Process) -> None:
    """SIGTERM to the process (bin/serve's supervisor stops its workers), then
    SIGKILL to anything left in its process group."""
    if process.popen.poll() is None:
        process.popen.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.popen.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.popen.pid, signal.SIGKILL)
    process.popen.wait(timeout=10)


def wait_until_serving(process: Process, port: int, *, tls=False, timeout=90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise AssertionError(f"{process.name} exited: " + tail(process))
        try:
            response = request(port, "GET", "/", tls=tls, source=None)
        except OSError:
            time.sleep(0.3)
            continue
        if response.status < 500:
            return
        time.sleep(0.3)
    raise AssertionError(f"{process.name} did not answer on {port}: " + tail(process))


def tail(process: Process) -> str:
    return "\n".join(path.read_text(errors="replace")[-3000:] for path in process.logs)


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str

    def cookies(self) -> dict[str, str]:
        found = {}
        for header in self.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            found[name.strip()] = rest.split(";", 1)[0]
        return found


def _context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def request(port, method, path, *, headers=None, body=None, tls=False,
            source=SOURCE) -> Response:
    """One request over a socket bound to ``source`` (the client's address)."""
    kwargs = {"timeout": 30}
    if source:
        kwargs["source_address"] = (source, 0)
    if tls:
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=_context(), **kwargs)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, **kwargs)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return Response(response.status, response.headers,
                        response.read().decode("utf-8", "replace"))
    finally:
        conn.close()


def raw(port, data: bytes, *, tls=False, source=SOURCE) -> bytes:
    """Send bytes as they are (a malformed request) and read the answer."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30, source_address=(source, 0))
    if tls:
        sock = _context().wrap_socket(sock)
    with sock:
        sock.sendall(data)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except (TimeoutError, ConnectionResetError, ssl.SSLError):
                break
            if not chunk:
                break
            chunks.append(chunk)
            sock.settimeout(1)  # the answer has begun; a kept-alive connection ends it
        return b"".join(chunks)


def csrf(page: Response) -> tuple[str, str]:
    """(cookie, form token) from a page with a form."""
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    assert token, page.body[:2000]
    return page.cookies()["csrftoken"], token.group(1)


def hits(directory: Path, needles) -> list[str]:
    """Every file under ``directory`` (logs, caches, static) holding a needle."""
    found = []
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path}: {needle}" for needle in needles if needle.encode() in data]
    return found


def written(directory: Path) -> int:
    """Bytes written to the log files: the search looked at something."""
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())
