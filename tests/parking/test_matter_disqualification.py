"""A conflict declared in one case of an application counts in all of its
cases (fvl. § 6: the official is disqualified from the matter): also in a
case that already runs, whose tasks they hold go back to the group."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.exceptions import Disqualified, FourEyesViolation
from cases.models import CaseParty, PartyKind
from parking.models import Offer
from parking.roles import PARKING_APPEAL_BODY
from parking.services.applications import appeal_submit
from tests.conftest import make_user
from tests.parking.conftest import complete, ready
from tests.parking.test_audit2_fvl import assessed, kari  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_conflict_declared_in_the_offer_case_bars_the_application_case(
    client, apply, kari, staff, units, time_machine  # noqa: F811
):
    from parking.dates import expiry_moment

    time_machine.move_to(timezone.now(), tick=False)
    holder = make_user("holder", email="h@example.no", units=[units["ivt"]])
    first = apply(holder, zone="kalvskinnet")
    assessed(first, staff)
    complete(staff["officer"], first.case, "allocate", {"allocation_decision": "grant"})
    app = apply(kari, zone="kalvskinnet")
    assessed(app, staff)
    complete(staff["officer"], app.case, "allocate",
             {"allocation_decision": "waitlist", "decision_reasons": "Full."})
    time_machine.move_to(expiry_moment(first.permits.get().valid_to) + timedelta(minutes=1),
                         tick=False)
    services.cases_wake_due()
    offer = Offer.objects.get(application=app)
    services.task_declare_disqualified(actor=staff["officer2"],
                                       task_id=ready(offer.case, "offer_spot").pk,
                                       reason="Kari is my sister.")
    declared = CaseParty.objects.get(case=app.case, user=staff["officer2"])
    assert declared.kind == PartyKind.DECLARED and declared.reason == "Kari is my sister."
    client.force_login(staff["officer2"])
    assert client.get(reverse("cases:detail", args=[app.case.reference])).status_code == 404
    # A year on, a late appeal runs in a case of its own: barred there too.
    appeal = appeal_submit(actor=kari, application_id=app.pk, grounds="I need it.",
                           uploads=[], kind="other")
    review = ready(appeal.case, "appeal_body_decision")
    assert CaseParty.objects.filter(case=appeal.case, user=staff["officer2"],
                                    kind=PartyKind.DECLARED).exists()
    staff["officer2"].groups.add(Group.objects.get(name=PARKING_APPEAL_BODY))
    with pytest.raises((Disqualified, FourEyesViolation)):
        services.task_claim(actor=staff["officer2"], task_id=review.pk)
