"""The warning before the idle logout (WCAG 2.2.1): the pages of a live
session carry the dialog with the session's idle time, and "Stay logged in"
posts to an endpoint that starts the idle time again. The browser side
(dialog, focus, keyboard) is tested in tests/browser/test_audit2_ud.py."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.whistleblowing.conftest import login_member, submit_via_web
from varde.anonymity import is_anonymous_path
from whistleblowing import conf

pytestmark = pytest.mark.django_db


def _reporter(report_form) -> Client:
    reporter = Client()
    receipt = submit_via_web(reporter, report_form)
    assert reporter.post(reverse("whistleblowing:login"), {"receipt": receipt}).status_code == 302
    return reporter


def _dialog(html: str) -> dict:
    match = re.search(r'<dialog id="idle-warning"[^>]*data-idle-seconds="(\d+)"'
                      r'[^>]*data-warning-seconds="(\d+)"', html)
    assert match, "no idle warning on the page"
    extend = re.search(r'<form method="post" action="([^"]+)" data-idle-extend>', html)
    return {"seconds": int(match.group(1)), "warning": int(match.group(2)),
            "extend": extend.group(1), "script": "js/idle.js" in html}


def test_the_follow_up_page_warns_before_the_reporter_is_logged_out(committee, report_form):
    reporter = _reporter(report_form)
    html = reporter.get(reverse("whistleblowing:case")).content.decode()
    dialog = _dialog(html)
    assert dialog == {"seconds": conf.REPORTER_IDLE_SECONDS, "warning": 120,
                      "extend": reverse("whistleblowing:extend"), "script": True}
    assert 20 <= dialog["warning"] < dialog["seconds"]  # WCAG 2.2.1: at least 20 s
    assert 'role="alertdialog"' in html and "Stay logged in" in html
    # Pages without a session that can run out have no warning.
    for name in ("whistleblowing:info", "whistleblowing:login", "whistleblowing:report"):
        assert 'id="idle-warning"' not in Client().get(reverse(name)).content.decode(), name


def test_stay_logged_in_starts_the_reporters_idle_time_again(committee, report_form):
    reporter = _reporter(report_form)
    extend = reverse("whistleblowing:extend")
    assert is_anonymous_path(extend)  # no access-log line, no client details in reports
    now = timezone.now()
    with time_machine.travel(now + timedelta(seconds=conf.REPORTER_IDLE_SECONDS - 60),
                             tick=False):
        answer = reporter.post(extend)
        assert answer.status_code == 200 and answer.json() == {"signed_in": True}
    with time_machine.travel(now + timedelta(seconds=2 * conf.REPORTER_IDLE_SECONDS - 120),
                             tick=False):
        assert reporter.get(reverse("whistleblowing:case")).status_code == 200
    with time_machine.travel(now + timedelta(seconds=4 * conf.REPORTER_IDLE_SECONDS),
                             tick=False):
        assert reporter.post(extend).json() == {"signed_in": False}
        assert reporter.get(reverse("whistleblowing:case")).status_code == 403


def test_stay_logged_in_is_a_post_with_the_csrf_token(committee, report_form):
    assert Client().get(reverse("whistleblowing:extend")).status_code == 405
    assert Client().post(reverse("whistleblowing:extend")).json() == {"signed_in": False}
    guarded = Client(enforce_csrf_checks=True)
    assert guarded.post(reverse("whistleblowing:extend")).status_code == 403


def test_committee_pages_warn_and_stay_logged_in_extends_the_member(committee):
    member = Client()
    login_member(member, committee["anna"])
    html = member.get(reverse("wb_committee:dashboard")).content.decode()
    dialog = _dialog(html)
    assert dialog["seconds"] == conf.MEMBER_IDLE_SECONDS
    assert dialog["extend"] == reverse("wb_committee:extend")
    extend = reverse("wb_committee:extend")
    assert is_anonymous_path(extend)
    now = timezone.now()
    with time_machine.travel(now + timedelta(seconds=conf.MEMBER_IDLE_SECONDS - 60), tick=False):
        assert member.post(extend).json() == {"signed_in": True}
    with time_machine.travel(now + timedelta(seconds=2 * conf.MEMBER_IDLE_SECONDS - 120),
                             tick=False):
        assert member.get(reverse("wb_committee:dashboard")).status_code == 200
    with time_machine.travel(now + timedelta(seconds=4 * conf.MEMBER_IDLE_SECONDS), tick=False):
        ended = member.post(extend)
        assert ended.status_code == 302 and ended.url == reverse("wb_committee:login")
    assert 'id="idle-warning"' not in Client().get(reverse("wb_committee:login")).content.decode()
