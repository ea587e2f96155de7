"""Production as the README runs it leaves no client detail in any log.

One real ``bin/serve`` (two web workers and a task worker, DEBUG off, the
access log switched on) serves the test database; first it is reached
directly, then through nginx configured from ``deploy/nginx/varde.conf``. An
anonymous client on 127.8.9.10 with a canary user agent and referrer files a
report, opens the whistleblowing channel, and provokes a 404, a 400 (bad Host
header, a malformed request), a 403 and a 500 on anonymous routes. Then every
file the server, its workers and nginx wrote (stdout, stderr, log files, the
cache) is searched for the address and the canaries: zero hits. The search is
shown to work: the same logs hold the paths and errors that were logged.

The served settings (tests/serve/settings.py) add only the failing view and
a file cache shared by the workers.
"""

import datetime
import os
import pwd
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings

from cases.services.definitions import definitions_sync
from org.models import Unit
from org.services import role_groups_ensure
from tests.serve import harness
from tests.serve.harness import OTHER_SOURCE, SOURCE
from tests.whistleblowing.scan import database_hits

FLOOD_SOURCE = "127.8.9.12"
REPORT_LIMIT = 3  # tests/serve/settings.py


@dataclass
class Site:
    base: Path
    logs: Path
    var: Path
    port: int
    https_port: int
    http_port: int
    server: harness.Process


# Transactional: what a test writes is committed, so the server sees it.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded(transactional_db):
    role_groups_ensure()
    definitions_sync(directory=settings.VARDE_WORKFLOW_DIR)
    Unit.objects.create(code="ivt", name="Fakultet for ingeniørvitenskap")


@pytest.fixture(scope="module")
def site(django_db_setup, tmp_path_factory):
    base = tmp_path_factory.mktemp("serve")
    logs, var, cache = base / "logs", base / "var", base / "cache"
    for directory in (logs, var, cache):
        directory.mkdir()
    port, https_port, http_port = harness.free_ports(3)
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "VARDE_", "PYTEST")) and key != "DATABASE_URL"
    } | {
        "DATABASE_URL": harness.database_url(),
        "DJANGO_SETTINGS_MODULE": "tests.serve.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{https_port}",
        "VARDE_RECEIPT_PEPPER": secrets.token_urlsafe(32),
        "VARDE_VAR_DIR": str(var),
        "VARDE_TEST_CACHE_DIR": str(cache),
        "VARDE_TRUSTED_PROXIES": "127.0.0.1",
        "VARDE_ACCESS_LOG": "1",
        "BIND": "127.0.0.1",
        "PORT": str(port),
        "WORKERS": "2",
        "TASK_WORKERS": "1",
        "PYTHONUNBUFFERED": "1",
    }
    server = harness.start("serve", [str(harness.ROOT / "bin" / "serve")], logs, env)
    try:
        harness.wait_until_serving(server, port)
        yield Site(base, logs, var, port, https_port, http_port, server)
    finally:
        harness.stop(server)


class Visitor:
    """An anonymous client on one address, with canaries in its headers."""

    def __init__(self, port, *, tls=False, source=SOURCE):
        self.port, self.tls, self.source = port, tls, source
        self.token = secrets.token_hex(6)
        self.agent = f"VardeCanaryAgent/{self.token}"
        scheme = "https" if tls else "http"
        self.referrer = f"{scheme}://127.0.0.1:{port}/?from=referrer-canary-{self.token}"
        self.origin = f"https://origin-canary-{self.token}.example"

    @property
    def needles(self):
        return [SOURCE, OTHER_SOURCE, FLOOD_SOURCE, self.agent,
                f"referrer-canary-{self.token}", f"origin-canary-{self.token}"]

    def get(self, path, **headers):
        return harness.request(self.port, "GET", path, tls=self.tls, source=self.source,
                               headers=self._headers(headers))

    def post(self, path, data: dict, page: harness.Response, **headers):
        cookie, token = harness.csrf(page)
        body = urlencode(data | {"csrfmiddlewaretoken": token}, doseq=True)
        return harness.request(self.port, "POST", path, tls=self.tls, source=self.source,
                               body=body, headers=self._headers(headers) | {
                                   "Content-Type": "application/x-www-form-urlencoded",
                                   "Cookie": f"csrftoken={cookie}",
                               })

    def _headers(self, extra):
        return {"User-Agent": self.agent, "Referer": self.referrer,
                "Accept-Language": "en"} | extra

    def raw(self, data: bytes) -> bytes:
        return harness.raw(self.port, data, tls=self.tls, source=self.source)


def report(title="Loose handrail in stairwell") -> dict:
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    return {
        "title": title, "incident_type": "near_accident", "categories": ["building"],
        "event_date": yesterday.isoformat(), "campus": "trondheim",
        "building": "Realfagbygget", "unit": "ivt",
        "description": "The handrail came off when I leaned on it.",
    }


def exercise(visitor: Visitor) -> None:
    """Every kind of anonymous request, with its expected status."""
    assert visitor.get("/").status == 200  # a signed-out, non-anonymous page
    form = visitor.get("/hms/avvik/ny/")
    assert form.status == 200
    sent = visitor.post("/hms/avvik/ny/", report(), form)
    assert sent.status == 302, sent.body[:2000]
    receipt = visitor.get(sent.headers["Location"].removeprefix(f"https://127.0.0.1:{visitor.port}"))
    assert receipt.status == 200 and "HMS-" in receipt.body
    assert visitor.get("/hms/avvik/mottatt/?ref=nonsense").status == 404
    assert visitor.get("/si-fra/").status == 200
    assert visitor.get("/si-fra/finnes-ikke/").status == 404
    assert visitor.get("/komite/").status in (302, 200)
    assert visitor.get("/si-fra/", Host="unknown.example").status == 400
    malformed = visitor.raw(
        b"GET /si-fra/ not-a-version HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + f"User-Agent: {visitor.agent}\r\n\r\n".encode()
    )
    assert malformed.split(b" ", 2)[1] == b"400", malformed[:300]
    visitor.raw(  # a header line without a colon: refused or ignored
        b"GET /si-fra/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + f"User-Agent: {visitor.agent}\r\n".encode()
        + b"A header line without a colon\r\n\r\n"
    )
    # A CSRF refusal: Django's message would quote the Origin header.
    refused = harness.request(
        visitor.port, "POST", "/si-fra/logg-inn/", tls=visitor.tls, source=visitor.source,
        body="receipt=x", headers=visitor._headers({"Origin": visitor.origin}),
    )
    assert refused.status == 403
    assert visitor.get("/si-fra/test-feil/").status == 500
    assert visitor.get("/hms/avvik/ny/test-feil/").status == 500
    upgrade = visitor.raw(
        b"GET /ws/live/ HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        b"Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + f"User-Agent: {visitor.agent}\r\nOrigin: http://127.0.0.1\r\n\r\n".encode()
    )
    assert upgrade  # answered (accepted or refused): the server saw the websocket


def settle():
    time.sleep(1.0)  # the task worker picks up the report's jobs; logs are flushed


def assert_logged_without_client(site: Site, visitor: Visitor):
    served = "\n".join(p.read_text(errors="replace") for p in site.server.logs)
    # The logs hold what they should: errors with path and traceback, the
    # access log for the other routes. So the search below searched something.
    assert "Internal Server Error: /si-fra/test-feil/" in served
    assert "RuntimeError: deliberate failure of the server test" in served
    assert "Not Found: /si-fra/finnes-ikke/" in served
    assert '"GET /" 200' in served
    assert "403: /si-fra/logg-inn/ (the message quoted" in served
    assert "/si-fra/" not in site.logs.joinpath("serve.stdout").read_text()
    assert "/hms/avvik/ny/" not in site.logs.joinpath("serve.stdout").read_text()
    assert harness.hits(site.base, visitor.needles) == []
    assert [h for n in visitor.needles for h in database_hits(n)] == []


def test_bin_serve_logs_nothing_about_anonymous_clients(site, seeded):
    visitor = Visitor(site.port)
    exercise(visitor)
    settle()
    assert_logged_without_client(site, visitor)


# --- nginx in front -----------------------------------------------------------


def _nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None
    )


def _self_signed(directory: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .sign(key, hashes.SHA256())
    )
    directory.mkdir()
    (directory / "fullchain.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "privkey.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ))


def nginx_config(site: Site) -> Path:
    """deploy/nginx/varde.conf with the test's ports and paths, inside a
    main config whose own http-wide access log (with addresses, as Debian's
    default) and info-level error log the example must override."""
    base = site.base / "nginx"
    (base / "temp").mkdir(parents=True)
    _self_signed(base / "tls")
    text = (harness.ROOT / "deploy" / "nginx" / "varde.conf").read_text()
    replacements = {
        "listen 443 ssl default_server;": f"listen 127.0.0.1:{site.https_port} ssl default_server;",
        "listen 80 default_server;": f"listen 127.0.0.1:{site.http_port} default_server;",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{site.port};",
        "/etc/ssl/varde/": f"{base}/tls/",
        "/var/log/nginx/": f"{site.logs}/",
        "/srv/varde/var/static/": f"{site.var}/static/",
    }
    for old, new in replacements.items():
        assert old in text, f"deploy/nginx/varde.conf no longer has {old!r}"
        text = text.replace(old, new)
    text = "\n".join(line for line in text.splitlines() if "listen [::]" not in line)
    (base / "varde.conf").write_text(text)
    temp = base / "temp"
    user = f"user {pwd.getpwuid(os.getuid()).pw_name};" if os.getuid() == 0 else ""
    (base / "nginx.conf").write_text(f"""
{user}
daemon off;
worker_processes 1;
pid {base}/nginx.pid;
error_log {site.logs}/nginx-main-error.log info;
events {{ worker_connections 64; }}
http {{
    access_log {site.logs}/nginx-http-access.log combined;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {base}/varde.conf;
}}
""")
    return base


@pytest.fixture
def nginx(site):
    binary = _nginx_binary()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is missing: bin/test installs Debian's nginx (bin/setup)")
        pytest.skip("nginx is not installed (bin/test installs it)")
    base = nginx_config(site)
    process = harness.start(
        "nginx", [binary, "-p", str(base), "-e", str(site.logs / "nginx-stderr.log"),
                  "-c", str(base / "nginx.conf")], site.logs, dict(os.environ),
    )
    try:
        harness.wait_until_serving(process, site.https_port, tls=True, timeout=30)
        yield process
    finally:
        harness.stop(process)


def test_behind_nginx_no_log_holds_the_client_and_limits_see_real_clients(
    site, seeded, nginx
):
    visitor = Visitor(site.https_port, tls=True)
    exercise(visitor)
    assert visitor.get("/static/varde.css").status in (200, 404)  # served by nginx
    assert harness.request(site.http_port, "GET", "/si-fra/", source=SOURCE,
                           headers={"User-Agent": visitor.agent}).status == 301

    # Behind the trusted proxy each client has its own bucket: one flooding
    # client is refused (politely, the text kept), the next one is not.
    flood = Visitor(site.https_port, tls=True, source=FLOOD_SOURCE)
    form = flood.get("/hms/avvik/ny/")
    statuses = [flood.post("/hms/avvik/ny/", report("Flood"), form).status
                for _ in range(REPORT_LIMIT)]
    assert statuses == [302] * REPORT_LIMIT
    refused = flood.post("/hms/avvik/ny/", report("Flood number four"), form)
    assert refused.status == 429
    assert "You have sent many reports in a short time" in refused.body
    assert 'value="Flood number four"' in refused.body
    # A spoofed X-Forwarded-For is appended to, not believed: still the flooder.
    spoofed = flood.post("/hms/avvik/ny/", report("Spoofed"), form,
                         **{"X-Forwarded-For": OTHER_SOURCE})
    assert spoofed.status == 429
    other = Visitor(site.https_port, tls=True, source=OTHER_SOURCE)
    assert other.post("/hms/avvik/ny/", report(), other.get("/hms/avvik/ny/")).status == 302

    settle()
    harness.stop(nginx)
    nginx_written = [p for p in site.logs.iterdir() if p.name.startswith("nginx")]
    access = site.logs / "varde-access.log"
    assert access.exists() and '"GET /" 200' in access.read_text()
    assert '"GET /hms/avvik/ny/"' not in access.read_text()
    assert nginx_written
    assert_logged_without_client(site, visitor)
