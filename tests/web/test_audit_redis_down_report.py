"""Audit of issue 20: "Redis goes away ... everything else, from submissions to
queues, keeps working". The incident report form counts anonymous reports in
the cache (varde.ratelimit); with the production cache on Redis and Redis
stopped, an anonymous report must still be accepted (or at worst refused
politely), never answered with a server error."""

import pytest
from django.test import Client

from cases.models import Case
from tests.web.conftest import report_post

pytestmark = pytest.mark.django_db

CLOSED_PORT = 9009  # nothing listens here (the auditor's port range)


@pytest.fixture
def redis_gone(settings):
    """The production cache (Redis, settings.REDIS_URL) with Redis stopped."""
    saved = settings.CACHES
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                    "LOCATION": f"redis://127.0.0.1:{CLOSED_PORT}/9"},
    }
    yield
    settings.CACHES = saved  # the suite's own cache again, for its teardown


def test_an_anonymous_report_is_stored_while_redis_is_down(definitions, units, report_data,
                                                           redis_gone):
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = "en"
    response = client.post("/hms/avvik/ny/", report_post(report_data))
    assert response.status_code != 500, "a server error while Redis is down"
    assert response.status_code == 302 and Case.objects.count() == 1
