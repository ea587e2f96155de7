"""Audit (issue 22): deploy/nginx/varde.conf's error log during an upstream error.

varde.conf turns the error log off only for the four anonymous locations; the
catch-all ``location /`` logs upstream errors at ``error`` level, and nginx's
error lines name the client (``client: <address>``) and the referrer. Anonymous
visitors use routes under ``/`` too: the language switch on every anonymous
page posts to /i18n/setlang/ with the anonymous page as Referer (the referrer
policy is same-origin, so the full path is sent), and the home page links to
the report form and the channel. While bin/serve is down, restarting or slow
(connect() failed, upstream timed out, upstream prematurely closed), such a
request writes, e.g.::

    connect() failed (111: Connection refused) while connecting to upstream,
    client: 127.9.8.7, ... request: "POST /i18n/setlang/ HTTP/1.1", ...
    referrer: "https://…/si-fra/varsle/"

i.e. the address of someone who was on the whistleblowing form.
"""

import contextlib
import os
import time

import pytest

from tests.serve import harness
from tests.serve.harness import SOURCE
from tests.serve.test_serve import _nginx_binary, nginx_config, seeded, site  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_upstream_error_after_an_anonymous_page_logs_no_client(site, seeded):  # noqa: F811
    binary = _nginx_binary()
    if binary is None:
        pytest.skip("nginx is not installed (bin/test installs it)")
    base = nginx_config(site)
    taken = {site.port, site.https_port, site.http_port}
    dead_port = next(p for p in harness.free_ports(4) if p not in taken)  # bin/serve is down
    conf = base / "varde.conf"
    conf.write_text(conf.read_text().replace(f"server 127.0.0.1:{site.port};",
                                             f"server 127.0.0.1:{dead_port};"))
    process = harness.start(
        "nginx", [binary, "-p", str(base), "-e", str(site.logs / "nginx-stderr.log"),
                  "-c", str(base / "nginx.conf")], site.logs, dict(os.environ),
    )
    referrer = f"https://127.0.0.1:{site.https_port}/si-fra/varsle/"
    try:
        for _ in range(100):  # nginx answers (its /static/ needs no upstream)
            with contextlib.suppress(OSError):
                harness.request(site.https_port, "GET", "/static/x", tls=True, source=None)
                break
            time.sleep(0.3)
        answer = harness.request(
            site.https_port, "POST", "/i18n/setlang/", tls=True, source=SOURCE,
            body="language=en&next=/si-fra/varsle/",
            headers={"Referer": referrer, "Content-Type": "application/x-www-form-urlencoded"},
        )
        assert answer.status == 502
    finally:
        harness.stop(process)
    found = harness.hits(site.logs, [SOURCE, "/si-fra/varsle/"])
    assert not found, "\n".join(found)
