"""Audit (issue 22): deploy/nginx/varde.conf as the README installs it on Debian.

The README says: copy the file to /etc/nginx/conf.d/varde.conf on Debian's
nginx. Debian's package also enables /etc/nginx/sites-enabled/default, whose
server is ``listen 80 default_server`` and which inherits the http-wide
``access_log /var/log/nginx/access.log`` (the combined format: address, user
agent, referrer). varde.conf's port-80 server names only ``varde.example.no``
and is not the default server, so a plain-HTTP request for another Host (the
server's IP address, an alias, a scanner, HTTP/1.0 without Host) is answered
by Debian's default site and logged with the client's address, user agent and
referrer, e.g. ``127.9.8.7 - - [...] "GET /si-fra/ HTTP/1.1" 404 ...
"https://referer-...example/page?" "AuditUA-..."``.

The README now says to remove Debian's default site, and varde.conf's servers
are ``default_server``, so nginx refuses to start while the default site is
still enabled (two default servers for one port). This test builds the main
config as Debian ships it (tests/serve/test_serve.py's nginx_config plus the
default site), checks that nginx will not start with it, then removes it as
the README says and asks for /si-fra/ by IP on both ports.
"""

import os
import subprocess

import pytest

from tests.serve import harness
from tests.serve.harness import SOURCE
from tests.serve.test_serve import _nginx_binary, nginx_config, seeded, site  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

DEBIAN_DEFAULT_SITE = """
    server {{
        listen 127.0.0.1:{port} default_server;
        root /var/www/html;
        index index.html index.htm index.nginx-debian.html;
        server_name _;
        location / {{ try_files $uri $uri/ =404; }}
    }}
"""


def test_debian_default_site_does_not_log_anonymous_clients(site, seeded):  # noqa: F811
    binary = _nginx_binary()
    if binary is None:
        pytest.skip("nginx is not installed (bin/test installs it)")
    base = nginx_config(site)
    main = base / "nginx.conf"
    text = main.read_text()
    include = f"include {base}/varde.conf;"
    main.write_text(text.replace(include, include + DEBIAN_DEFAULT_SITE.format(
        port=site.http_port)))
    check = subprocess.run(
        [binary, "-t", "-p", str(base), "-e", str(site.logs / "nginx-stderr.log"), "-c", str(main)],
        capture_output=True, text=True, timeout=30,
    )
    assert check.returncode != 0  # the operator cannot keep Debian's default site by mistake
    assert "duplicate default server" in check.stderr, check.stderr
    main.write_text(text)  # rm /etc/nginx/sites-enabled/default, as the README says
    process = harness.start(
        "nginx", [binary, "-p", str(base), "-e", str(site.logs / "nginx-stderr.log"),
                  "-c", str(main)], site.logs, dict(os.environ),
    )
    agent = "AuditDefaultSiteAgent/1.0"
    referrer = "https://referer-audit-default.example/page?"
    try:
        harness.wait_until_serving(process, site.https_port, tls=True, timeout=30)
        for port, tls in ((site.http_port, False), (site.https_port, True)):
            answer = harness.request(port, "GET", "/si-fra/", source=SOURCE, tls=tls,
                                     headers={"User-Agent": agent, "Host": "127.0.0.1",
                                              "Referer": referrer})
            assert answer.status < 500, answer.status
    finally:
        harness.stop(process)
    found = harness.hits(site.logs, [SOURCE, agent, "referer-audit-default"])
    assert not found, "\n".join(found)
