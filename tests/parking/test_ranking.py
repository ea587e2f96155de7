"""The waiting list: health before social, score descending, then
application date; each waiting applicant sees their own place, and the
officer's board lists the same order with the rule explained."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parking.models import Application, ApplicationStatus
from parking.scoring import Score, ranking_key, suggested_days_score
from parking.selectors import rank_of, waitlist
from tests.conftest import make_user
from tests.parking.conftest import complete

pytestmark = pytest.mark.django_db


def waitlisted(apply, to_allocation, staff, user, when, time_machine, **scores):
    time_machine.move_to(when, tick=False)
    app = apply(user)
    complete(staff["officer"], to_allocation(app, **scores).case, "allocate",
             {"allocation_decision": "waitlist"})
    app.refresh_from_db()
    assert app.status == ApplicationStatus.WAITLISTED
    return app


def test_score_then_date_break_ties(apply, to_allocation, staff, units, zones, time_machine):
    zones["a"].capacity = 0
    zones["a"].save()
    start = timezone.now()
    users = [make_user(f"user{i}") for i in range(5)]
    # Applied in this order; scores 6, 8, 6, 9, 6.
    apps = [
        waitlisted(apply, to_allocation, staff, users[0], start, time_machine, function="2"),
        waitlisted(apply, to_allocation, staff, users[1], start + timedelta(hours=1),
                   time_machine, function="4"),
        waitlisted(apply, to_allocation, staff, users[2], start + timedelta(hours=2),
                   time_machine, function="2"),
        waitlisted(apply, to_allocation, staff, users[3], start + timedelta(hours=3),
                   time_machine, function="5"),
        waitlisted(apply, to_allocation, staff, users[4], start + timedelta(hours=4),
                   time_machine, function="2"),
    ]
    assert [a.score for a in apps] == [6, 8, 6, 9, 6]
    expected = [apps[3], apps[1], apps[0], apps[2], apps[4]]
    assert list(waitlist(zones["a"])) == expected
    assert [rank_of(a) for a in expected] == [1, 2, 3, 4, 5]
    # The same order as the rule written out in parking.scoring.
    assert sorted(apps, key=lambda a: ranking_key(priority_group=a.priority_group,
                                                  score=a.score, submitted_at=a.submitted_at,
                                                  pk=a.pk)) == expected


def test_applicant_sees_their_place_and_officer_sees_the_explained_list(
    client, apply, to_allocation, staff, units, zones, time_machine
):
    zones["a"].capacity = 0
    zones["a"].save()
    start = timezone.now()
    first = waitlisted(apply, to_allocation, staff, make_user("first"), start, time_machine,
                       function="5")
    kari = make_user("kari", first_name="Kari", last_name="Nordmann")
    mine = waitlisted(apply, to_allocation, staff, kari, start + timedelta(minutes=5),
                      time_machine, function="1")
    client.force_login(kari)
    page = client.get(reverse("parking:home"))
    assert "You are number 2 for Gløshaugen A." in page.content.decode()
    detail = client.get(reverse("parking:application", args=[mine.pk]))
    assert "You are number 2 for Gløshaugen A." in detail.content.decode()

    client.force_login(staff["officer"])
    board = client.get(reverse("parking:board_zone", args=["gloshaugen-a"]))
    text = board.content.decode()
    waiting = board.context["boards"][0].waiting
    assert [(e.rank, e.application) for e in waiting] == [(1, first), (2, mine)]
    assert "Applications for health reasons come before applications for social" in text
    assert "Kari Nordmann" in text
    assert text.index("first") < text.index("Kari Nordmann")


def test_rubric():
    assert Score(function=5, distance=2, days=2, temporary=True).total == 10
    assert Score(function=0, distance=0, days=0, temporary=False).total == 0
    with pytest.raises(ValueError):
        Score(function=6, distance=0, days=0, temporary=False)
    assert [suggested_days_score(d) for d in (1, 2, 3, 4, 5, 7)] == [0, 0, 1, 1, 2, 2]


def test_rank_of_application_not_on_the_list(apply, units, zones):
    app = apply(make_user("kari"))
    assert rank_of(Application.objects.get(pk=app.pk)) is None
