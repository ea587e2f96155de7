"""An AMU member's pages in nynorsk (språklova § 14): no bokmål-only word in
Varde's own text (tests/i18n/nynorsk.py). Awaits amu/locale/nn and locale/nn."""

import pytest
from django.urls import reverse

from amu.services.meetings import agenda_item_add, agenda_item_update, agenda_publish
from amu.services.submission import amu_case_submit
from org.services import language_set
from tests.i18n.nynorsk import assert_nynorsk

from .conftest import SUBMISSION, accept, attend

pytestmark = pytest.mark.django_db

PROPOSAL = "AMU asks for a noise measurement."
TYPED = (*SUBMISSION.values(), PROPOSAL, "AMU's building arm", "SAMU Gjøvik", "SAMU Ålesund",
         "Room 1", "Occupational health service", "Student parliament", "SINTEF",
         "Fakultet for ingeniørvitenskap")


def test_a_members_pages(world, submission, client, settings):
    # These tests run with English as the site language; nynorsk falls back to
    # the site language, and here that must be bokmål, as in production.
    settings.LANGUAGE_CODE = "nb"
    meeting = world.meetings["amu"]
    case = accept(world, amu_case_submit(actor=world.submitter, data=submission))
    item = agenda_item_add(actor=world.secretary, meeting=meeting, amu_case=case)
    agenda_item_update(actor=world.secretary, item=item, proposal=PROPOSAL)
    agenda_publish(actor=world.secretary, meeting=meeting)
    attend(world, meeting)
    member = world.users["emp2"]
    language_set(user=member, language="nn")
    client.force_login(member)
    for url in (reverse("amu:home"), reverse("amu:calendar"),
                reverse("amu:meeting", args=[meeting.pk]),
                reverse("amu:item", args=[meeting.pk, item.pk]),
                reverse("amu:case", args=[case.case.reference])):
        assert_nynorsk(client.get(url), (*TYPED, *world.users), where=url)
