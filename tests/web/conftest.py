"""Helpers for the HTTP tests: English pages, form posts, ready tasks.

Pages are requested in English (the msgids), so assertions keep working once
the Norwegian catalogue is compiled.
"""

import pytest
from django.conf import settings

from cases.models import Task, TaskState


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def report_post(report: dict) -> dict:
    """The report form as a browser posts it: unticked boxes are left out."""
    post = {}
    for key, value in report.items():
        if value is True:
            post[key] = "on"
        elif value is False:
            continue
        else:
            post[key] = value
    return post


def ready(case, bpmn_id) -> Task:
    return Task.objects.get(case=case, bpmn_id=bpmn_id, state=TaskState.READY)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []
