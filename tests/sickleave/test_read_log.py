"""Every read of a sick-leave case or plan is logged (who, when, which case,
what), through the sick-leave pages and the generic case and task pages
alike, and the employee sees the log."""

from datetime import date

import pytest
from django.urls import reverse

from sickleave import services
from sickleave.models import ReadLogEntry
from tests.sickleave.conftest import PLAN, oslo

pytestmark = pytest.mark.django_db


@pytest.fixture
def followup(sick, frozen):
    frozen(oslo(2026, 3, 2, 9))
    followup = services.absence_register(actor=sick.leader, employee=sick.employee,
                                         unit=sick.ivt, first_day=date(2026, 3, 2), grade=100)
    services.plan_version_create(actor=sick.leader, followup=followup, data=PLAN)
    return followup


def reads(followup):
    return list(ReadLogEntry.objects.filter(followup=followup).order_by("pk")
                .values_list("username", "what", "detail"))


def test_each_read_is_logged(client, sick, followup, frozen):
    ref = followup.case.reference
    client.force_login(sick.leader)
    frozen(oslo(2026, 3, 3, 10, 15))
    client.get(reverse("sickleave:detail", args=[ref]))
    client.get(reverse("sickleave:plan", args=[ref, 1]))
    client.get(reverse("sickleave:plan_pdf", args=[ref, 1]))
    client.get(reverse("cases:detail", args=[ref]))
    task = followup.case.tasks.filter(state="ready").first()
    client.get(reverse("cases:task", args=[task.pk]))
    assert reads(followup) == [
        ("leader", "followup", ""),
        ("leader", "plan", "v1"),
        ("leader", "plan_pdf", "v1"),
        ("leader", "case", ""),
        ("leader", "task", ""),
    ]
    entry = ReadLogEntry.objects.filter(followup=followup).first()
    assert entry.user == sick.leader and entry.at == oslo(2026, 3, 3, 10, 15)


def test_refused_reads_are_not_logged_as_reads(client, sick, followup):
    client.force_login(sick.colleague)
    client.get(reverse("sickleave:detail", args=[followup.case.reference]))
    assert reads(followup) == []


def test_the_employee_sees_who_read_the_case(client, sick, followup, frozen):
    ref = followup.case.reference
    client.force_login(sick.hr)
    frozen(oslo(2026, 3, 4, 11, 30))
    client.get(reverse("sickleave:plan", args=[ref, 1]))

    client.force_login(sick.employee)
    page = client.get(reverse("sickleave:detail", args=[ref]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Who has read this case" in page
    log = page[page.index("Who has read this case"):]
    assert "hr" in log and "Follow-up plan" in log
    assert 'datetime="2026-03-04T11:30:00+01:00"' in log


def test_entries_cannot_be_changed(sick, followup):
    entry = ReadLogEntry.objects.create(followup=followup, user=sick.leader,
                                        username="leader", what="case")
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


def test_notification_link_opens_the_follow_up_page(client, sick, followup):
    """The employee's notification (a new plan version) leads to the
    follow-up page, and opening it is logged like any read."""
    from notifications.models import Notification

    note = Notification.objects.filter(user=sick.employee).latest("pk")
    client.force_login(sick.employee)
    response = client.get(reverse("notifications:open", args=[note.pk]))
    assert response["Location"] == reverse("sickleave:detail", args=[followup.case.reference])
    client.get(response["Location"])
    assert reads(followup)[-1] == ("employee", "followup", "")
