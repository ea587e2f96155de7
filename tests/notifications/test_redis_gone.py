"""Redis gone: live updates are not published (logged without content), and
everything else, from a report to its background jobs, keeps working."""

import logging

import pytest
from django.urls import reverse

from cases.models import Case
from notifications import live
from tests.web.conftest import report_post

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every connection is refused, as with Redis stopped.
DEAD_REDIS = {
    "default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": ["redis://127.0.0.1:1/9"]},
    }
}


def test_publishing_without_redis_is_swallowed_and_logged_without_content(settings, caplog):
    settings.CHANNEL_LAYERS = DEAD_REDIS
    caplog.set_level(logging.WARNING, logger="notifications.live")
    live.publish_many([("case-1", {"type": "case_event", "secret": "Kari"}),
                       ("case-2", {"type": "case_event", "secret": "Kari"})])
    logged = [record.getMessage() for record in caplog.records]
    assert logged == ["Live updates not published (2 of 2 messages): ConnectionError"]
    assert not [r for r in caplog.records if r.exc_info]


def test_a_report_and_its_jobs_work_without_redis(
    client, settings, definitions, people, report_data, run_worker, caplog,
    django_capture_on_commit_callbacks,
):
    settings.CHANNEL_LAYERS = DEAD_REDIS
    client.force_login(people["reporter"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("incidents:report"), report_post(report_data))
    assert response.status_code == 302
    assert any("Live updates not published" in r.getMessage() for r in caplog.records), \
        "the live events were tried and dropped"
    case = Case.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()
    from notifications.models import Notification

    assert Notification.objects.filter(case=case).count() == 2
