"""The parking applicant's pages and letter in nynorsk (språklova §§ 14–15):
no bokmål-only word in Varde's own text (tests/i18n/nynorsk.py). Awaits
parking/locale/nn and locale/nn."""

import pytest
from django.urls import reverse

from org.services import language_set
from parking.models import Decision
from tests.conftest import REPORT, make_user
from tests.i18n.nynorsk import assert_nynorsk, cookie
from tests.parking.conftest import HEALTH_APPLICATION, complete

pytestmark = pytest.mark.django_db

TYPED = (*HEALTH_APPLICATION.values(), *REPORT.values(), "Gløshaugen A", "Gløshaugen B",
         "Gløshaugen", "Kalvskinnet", "Fakultet for ingeniørvitenskap", "Kari Nordmann",
         "Too low.")


@pytest.fixture
def kari(units):
    return make_user("kari", first_name="Kari", last_name="Nordmann", email="kari@example.no")


def test_the_applicants_pages(client, apply, kari, staff, to_allocation):
    language_set(user=kari, language="nn")
    app = apply(kari)
    complete(staff["officer"], to_allocation(app, function="0", distance="0").case,
             "allocate", {"allocation_decision": "reject", "decision_reasons": "Too low."})
    decision = Decision.objects.get(application=app)
    assert decision.language == "nn"
    client.force_login(kari)
    cookie(client)
    for url in (reverse("parking:home"), reverse("parking:apply"),
                reverse("parking:application", args=[app.pk]),
                reverse("parking:appeal", args=[app.pk]),
                reverse("parking:letter", args=[decision.pk])):
        assert_nynorsk(client.get(url), TYPED, where=url)
