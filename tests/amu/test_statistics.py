"""Annual figures per body: meetings held, cases decided, cases for
information (as the annual report gives them)."""

from datetime import date

import pytest
from django.conf import settings

from amu.models import Meeting, Outcome
from amu.selectors import annual_figures
from amu.services.decisions import agenda_item_decide
from amu.services.meetings import agenda_item_add, agenda_publish, meeting_close
from amu.services.submission import amu_case_submit

from .conftest import accept, attend

pytestmark = pytest.mark.django_db


def test_annual_figures_per_body(world, submission, client):
    meeting = world.meetings["amu"]
    year = meeting.date.year
    outcomes = [(Outcome.ADOPTED, "decision"), (Outcome.REJECTED, "decision"),
                (Outcome.NOTED, "information"), (Outcome.POSTPONED, "decision")]
    items = []
    for index, (_outcome, kind) in enumerate(outcomes):
        amu_case = accept(world, amu_case_submit(
            actor=world.submitter, data={**submission, "title": f"Case {index}", "kind": kind}))
        items.append(agenda_item_add(actor=world.secretary, meeting=meeting, amu_case=amu_case))
    agenda_publish(actor=world.secretary, meeting=meeting)
    attend(world, meeting)
    for item, (outcome, _kind) in zip(items, outcomes, strict=True):
        agenda_item_decide(actor=world.secretary, item=item, method="consensus",
                           outcome=outcome, decision_text="Text")
    meeting_close(actor=world.secretary, meeting=meeting)
    Meeting.objects.create(body=world.amu, date=date(year, 12, 31))  # planned, not held

    rows = {row.body.code: row for row in annual_figures(year=year)}
    assert (rows["amu"].meetings_held, rows["amu"].cases_decided,
            rows["amu"].cases_for_information) == (1, 2, 1)
    assert (rows["byggarm"].meetings_held, rows["byggarm"].cases_decided) == (0, 0)

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.users["er1"])
    page = client.get(f"/amu/tall/?year={year}").content.decode()
    assert "Annual figures" in page and "SAMU Ålesund" in page
    # The year's meetings against the plan (normally at least four).
    assert (rows["amu"].meetings_planned, rows["amu"].behind_plan) == (4, True)
    assert "fewer held than planned" in page
