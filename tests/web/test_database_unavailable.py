"""When the database cannot be reached, a request gets a 503 "try again in a
moment" page in the user's language, never a server error or a traceback,
and the next request after the database is back works again."""

import contextlib

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from cases.models import Case
from tests.web.conftest import report_post

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def database_gone():
    """Every statement fails as it does when the server closed the connection."""

    def refuse(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(refuse):
        yield


def test_a_page_answers_503_in_norwegian_and_recovers(client, definitions, people):
    client.cookies.clear()  # the default language: Norwegian bokmål
    client.force_login(people["coordinator"])
    with database_gone():
        response = client.get(reverse("cases:queue"))
    assert response.status_code == 503
    page = response.content.decode()
    assert "Prøv igjen om et øyeblikk" in page
    assert 'lang="nb"' in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert response["Retry-After"] == "5"
    assert client.get(reverse("cases:queue")).status_code == 200


def test_a_report_sent_during_the_outage_gets_the_page_in_english_and_stores_nothing(
    client, definitions, people, report_data
):
    with database_gone():
        response = client.post(reverse("incidents:report"), report_post(report_data))
    assert response.status_code == 503
    page = response.content.decode()
    assert "Try again in a moment" in page
    assert "Go back in your browser to find what you typed" in page
    assert not Case.objects.exists()
    response = client.post(reverse("incidents:report"), report_post(report_data))
    assert response.status_code == 302 and Case.objects.count() == 1


def test_other_errors_are_not_disguised_as_an_outage(client, people, monkeypatch):
    from cases.views import lists

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(lists, "render", broken)
    client.force_login(people["coordinator"])
    client.raise_request_exception = False
    assert client.get(reverse("cases:queue")).status_code == 500
