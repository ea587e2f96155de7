"""The Django admin is no back door: ``is_superuser`` opens nothing.

An auditor's check, as a superuser: GET every admin changelist, every change
page (of every row, including those the admin hides) and a search for each
restricted case's reference and title. No reference, title or form answer of
a near-parking or sick-leave case (processes with their own access policy)
may appear, no incident report's description or injury details, no event's
form answers, and no committee member's TOTP secret.
"""

import contextlib
import json

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases import services
from cases.access import restricted_process_ids
from cases.models import Case, CaseEvent, ProcessDefinition
from incidents.models import IncidentReport
from incidents.services import incident_report_submit
from parking.demo import seed_parking_demo
from sickleave.demo import seed_sickleave_demo

pytestmark = pytest.mark.django_db

MAX_ROWS_PER_MODEL = 60


def _strings(value):
    """Every string inside a JSON value (an event's form answers)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _secrets() -> dict[str, str]:
    """Text that must never appear in the admin, and where it comes from."""
    ordinary = set(User.objects.values_list("username", flat=True))
    # Task and lane names in an event come from the BPMN, not from a person.
    designed = " ".join(
        json.dumps(d.sources, ensure_ascii=False) + json.dumps(d.forms, ensure_ascii=False)
        for d in ProcessDefinition.objects.all()
    )
    secrets = {}
    # A title that is only the process's own name (sick leave's cases are all
    # titled "Sykefraværsoppfølging") is a model name too, in permission lists.
    model_names = {
        str(name).lower() for model in apps.get_models()
        for name in (model._meta.verbose_name, model._meta.verbose_name_plural)
    }
    restricted = Case.objects.filter(definition__process_id__in=restricted_process_ids())
    for case in restricted:
        secrets[case.reference] = f"reference of restricted case {case.pk}"
        if case.title.lower() not in model_names:
            secrets[case.title] = f"title of restricted case {case.reference}"
    for event in CaseEvent.objects.exclude(data={}):
        for text in _strings(event.data):
            # Long enough to be an answer rather than a code or a username.
            if (len(text) >= 12 and text not in ordinary and not text[:4].isdigit()
                    and text not in designed):
                secrets[text] = f"form answer in event {event.pk} ({event.kind})"
    for report in IncidentReport.objects.select_related("case"):
        secrets[report.description] = f"description of {report.case.reference}"
        secrets[report.case.title] = f"title of {report.case.reference}"
        for field in ("injury_actual", "medical_treatment", "immediate_action"):
            text = getattr(report, field) or ""
            if isinstance(text, str) and len(text) >= 12:
                secrets[text] = f"{field} of {report.case.reference}"
    for device in TOTPDevice.objects.all():
        secrets[device.key] = f"TOTP key of {device.user}"
    return {text: where for text, where in secrets.items() if text}


def _admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        urls.append(changelist)
        # Every row the database holds, not only those the admin lists.
        for pk in model._default_manager.values_list("pk", flat=True)[:MAX_ROWS_PER_MODEL]:
            with contextlib.suppress(NoReverseMatch):
                urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change",
                                    args=[pk]))
    return urls


@pytest.fixture
def content(definitions, people, report_data):
    seed_parking_demo(password="pw-demo")
    seed_sickleave_demo(password="pw-demo")
    case = incident_report_submit(reporter=people["reporter"], data={
        **report_data, "description": "Kari Nordmann fell and broke her wrist on the stairs",
    })
    triage = case.tasks.get(bpmn_id="triage")
    services.task_claim(actor=people["coordinator"], task_id=triage.pk)
    services.task_complete(actor=people["coordinator"], task_id=triage.pk, data={
        "triage_decision": "accept", "severity": "serious",
        "severity_rationale": "Wrist fracture needing surgery at St. Olavs",
    })
    TOTPDevice.objects.create(user=people["coordinator"], name="committee phone")
    restricted = Case.objects.filter(definition__process_id__in=restricted_process_ids())
    assert restricted.filter(definition__process_id="near_parking").exists()
    assert restricted.filter(definition__process_id="sick_leave_followup").exists()
    assert CaseEvent.objects.filter(case__in=restricted).exclude(data={}).exists()


def test_the_superuser_reads_no_case_content_in_the_admin(client, people, content):
    client.force_login(people["superuser"])
    secrets = _secrets()
    assert len(secrets) >= 8, secrets  # the check has something to find
    leaks = []
    pages = 0
    for url in _admin_urls():
        response = client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
        html = response.content.decode()
        pages += 1
        leaks += [(url, where) for text, where in secrets.items() if text in html]
    for text, where in secrets.items():
        if where.startswith(("reference of", "title of")):
            for model in (Case, CaseEvent):
                meta = model._meta
                url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
                html = client.get(url, {"q": text}).content.decode()
                pages += 1
                if "0 results" not in html and text in html:
                    leaks.append((f"{url}?q=…", where))
    assert pages > 20
    assert not leaks, "\n".join(f"{url}: {where}" for url, where in leaks)


def test_restricted_cases_are_not_found_by_search(client, people, content):
    """Searching the case admin for a restricted case's reference finds nothing."""
    client.force_login(people["superuser"])
    parking_case = Case.objects.filter(definition__process_id="near_parking").first()
    url = reverse("admin:cases_case_changelist")
    response = client.get(url, {"q": parking_case.reference})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0
    change = client.get(reverse("admin:cases_case_change", args=[parking_case.pk]))
    assert change.status_code == 302  # "doesn't exist", back to the index


def test_an_incident_events_answers_are_not_shown(client, people, content):
    """Incidents are listed (reference, status, unit), but an event's form
    answers stay on the case page, where Varde's access rules apply."""
    client.force_login(people["superuser"])
    rationale = "Wrist fracture needing surgery at St. Olavs"
    events = [e for e in CaseEvent.objects.exclude(
        case__definition__process_id__in=restricted_process_ids()) if rationale in str(e.data)]
    assert events, "the triage left no event with its answers"
    for event in events:
        for url in (reverse("admin:cases_caseevent_change", args=[event.pk]),
                    reverse("admin:cases_caseevent_changelist")):
            response = client.get(url)
            assert response.status_code == 200
            assert rationale not in response.content.decode()
