"""Redis stopped: the whistleblowing channel's report form still takes
reports (its rate limits let them through uncounted), and signing in with a
receipt, whose session lives only in the cache, answers 503 "try again in a
moment" in the user's language, never a server error."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.whistleblowing.conftest import submit_via_web
from whistleblowing.models import Report

pytestmark = pytest.mark.django_db

CLOSED_PORT = 9009  # nothing listens here


@pytest.fixture
def redis_gone(settings):
    saved = settings.CACHES
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                    "LOCATION": f"redis://127.0.0.1:{CLOSED_PORT}/9"},
    }
    yield
    settings.CACHES = saved


def test_reports_go_on_and_a_receipt_sign_in_asks_to_try_again(
    committee, report_form, redis_gone
):
    reporter = Client(raise_request_exception=False)
    reporter.cookies["django_language"] = "en"
    receipt = submit_via_web(reporter, report_form)
    assert Report.objects.count() == 1
    response = reporter.post(reverse("whistleblowing:login"), {"receipt": receipt})
    assert response.status_code == 503
    page = response.content.decode()
    assert "Try again in a moment" in page
    assert "cannot reach a service it needs for this page just now" in page
    assert receipt not in page
