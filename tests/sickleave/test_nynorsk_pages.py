"""The employee on sick leave reads their follow-up and plan in nynorsk
(språklova §§ 14–15): no bokmål-only word in Varde's own text
(tests/i18n/nynorsk.py). Awaits sickleave/locale/nn and locale/nn."""

from datetime import date

import pytest
from django.urls import reverse

from org.services import language_set
from sickleave import services
from tests.i18n.nynorsk import assert_nynorsk
from tests.sickleave.conftest import PLAN, oslo

pytestmark = pytest.mark.django_db

TYPED = (*PLAN.values(), "Kari Syk", "Kari", "Syk", "employee", "leader",
         "Fakultet for ingeniørvitenskap")


def test_the_employees_pages(client, sick, frozen):
    frozen(oslo(2026, 3, 4, 9))
    followup = services.absence_register(actor=sick.leader, employee=sick.employee,
                                         unit=sick.ivt, first_day=date(2026, 3, 2), grade=100)
    ref = followup.case.reference
    client.force_login(sick.leader)
    assert client.post(reverse("sickleave:plan_new", args=[ref]), PLAN).status_code == 302
    language_set(user=sick.employee, language="nn")
    client.force_login(sick.employee)
    for url in (reverse("sickleave:home"), reverse("sickleave:detail", args=[ref]),
                reverse("sickleave:plan", args=[ref, 1])):
        assert_nynorsk(client.get(url), TYPED, where=url)
