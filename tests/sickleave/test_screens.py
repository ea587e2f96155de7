"""The sick-leave screens over HTTP: registering, the leader's dashboard with
its traffic light in words, the employee's plan (read, comment, confirm), HR's
overdue list and the statistics per unit."""

from datetime import date

import pytest
from django.urls import reverse

from cases import services as case_services
from sickleave import services
from sickleave.models import FollowUp, PlanComment
from tests.conftest import make_user
from tests.sickleave.conftest import PLAN, open_task, oslo

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def register(sick, employee=None, first_day=date(2026, 3, 2), grade=100):
    return services.absence_register(actor=sick.leader, employee=employee or sick.employee,
                                     unit=sick.ivt, first_day=first_day, grade=grade)


def test_leader_registers_an_absence(client, sick, frozen):
    frozen(oslo(2026, 3, 4, 9))
    client.force_login(sick.leader)
    page = client.get(reverse("sickleave:register"), **EN).content.decode()
    assert "Never record a diagnosis" in page
    response = client.post(reverse("sickleave:register"), {
        "unit": sick.ivt.pk, "employee": sick.employee.pk, "first_day": "2026-03-02",
        "grade": "60",
    }, **EN)
    followup = FollowUp.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("sickleave:detail", args=[followup.case.reference])
    assert followup.case.reporter == sick.leader and followup.employee == sick.employee
    assert followup.current_period.grade == 60


def test_only_leaders_register(client, sick):
    for user in (sick.hr, sick.employee, sick.admin):
        client.force_login(user)
        assert client.get(reverse("sickleave:register")).status_code == 403


def test_dashboard_traffic_light_in_words(client, sick, frozen):
    """Most urgent first, each with its next deadline and a status word."""
    other = make_user("other", units=[sick.ivt], first_name="Ola", last_name="Late")
    third = make_user("third", units=[sick.ivt], first_name="Per", last_name="Hansen")
    frozen(oslo(2026, 3, 2, 9))
    register(sick)  # plan due 30 March
    frozen(oslo(2026, 3, 24, 9))
    register(sick, employee=third, first_day=date(2026, 3, 3))  # plan due in 7 days 7 h
    register(sick, employee=other, first_day=date(2026, 2, 2))  # plan due 2 March
    case_services.cases_wake_due()

    client.force_login(sick.leader)
    page = client.get(reverse("sickleave:leader"), **EN).content.decode()
    assert page.index("Ola Late") < page.index("Kari Syk") < page.index("Per Hansen")
    assert "Overdue" in page and "Due soon" in page and "On track" in page
    assert "traffic traffic--red" in page and "traffic traffic--amber" in page
    assert "traffic traffic--green" in page
    assert "Follow-up plan, 22 days overdue" in page
    # Another unit's leader sees none of them.
    client.force_login(sick.nv_leader)
    page = client.get(reverse("sickleave:leader"), **EN).content.decode()
    assert "Kari Syk" not in page and "Ola Late" not in page


def test_on_track_when_nothing_is_due_within_a_week(client, sick, frozen):
    frozen(oslo(2026, 3, 2, 9))
    register(sick)
    client.force_login(sick.leader)
    page = client.get(reverse("sickleave:leader"), **EN).content.decode()
    assert "On track" in page and "traffic--green" in page


def test_employee_reads_comments_and_confirms_the_plan(client, sick, frozen):
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick)
    ref = followup.case.reference
    client.force_login(sick.leader)
    page = client.get(reverse("sickleave:plan_new", args=[ref]), **EN).content.decode()
    assert "Do not write a diagnosis or other medical details" in page
    response = client.post(reverse("sickleave:plan_new", args=[ref]), PLAN)
    assert response.status_code == 302
    assert "send_plan_to_doctor" in set(
        followup.case.tasks.filter(state="ready").values_list("bpmn_id", flat=True))

    client.force_login(sick.employee)
    page = client.get(reverse("sickleave:plan", args=[ref, 1]), **EN).content.decode()
    for part in PLAN.values():
        assert part in page
    assert "I have read the plan" in page
    client.post(reverse("sickleave:plan_comment", args=[ref, 1]),
                {"comment": "Mondays suit me better in the afternoon."})
    client.post(reverse("sickleave:plan_confirm", args=[ref, 1]))
    version = followup.plan_versions.get()
    assert version.confirmed_at is not None
    assert PlanComment.objects.get(version=version).author == sick.employee
    page = client.get(reverse("sickleave:plan", args=[ref, 1]), **EN).content.decode()
    assert "I have read the plan" not in page and "afternoon" in page
    # The employee cannot write the plan.
    assert client.get(reverse("sickleave:plan_new", args=[ref])).status_code == 403


def test_new_version_keeps_the_old_one(client, sick, frozen):
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick)
    ref = followup.case.reference
    client.force_login(sick.leader)
    client.post(reverse("sickleave:plan_new", args=[ref]), PLAN)
    page = client.get(reverse("sickleave:plan_new", args=[ref]), **EN).content.decode()
    assert PLAN["employer_measures"] in page  # starts from the latest version
    client.post(reverse("sickleave:plan_new", args=[ref]),
                {**PLAN, "further_follow_up": "Review after the summer."})
    assert [v.further_follow_up for v in followup.plan_versions.order_by("number")] == [
        PLAN["further_follow_up"], "Review after the summer."]
    page = client.get(reverse("sickleave:plan", args=[ref, 1]), **EN).content.decode()
    assert "This is not the latest version" in page


def test_follow_up_page_actions(client, sick, frozen):
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick, grade=50)
    ref = followup.case.reference
    client.force_login(sick.leader)
    page = client.get(reverse("sickleave:detail", args=[ref]), **EN).content.decode()
    for text in ("Draw up the follow-up plan", "Decide on dialogue meeting 1",
                 "Change the sick-leave grade", "Back at full work", "Who has read this case"):
        assert text in page
    frozen(oslo(2026, 3, 9, 9))
    client.post(reverse("sickleave:grade", args=[ref]),
                {"grade-grade": "100", "grade-changed_on": "2026-03-09"})
    assert open_task(followup.case, "invite_dm1")
    client.post(reverse("sickleave:bht_invite", args=[ref]), {"bht-adviser": sick.bht.pk})
    client.post(reverse("sickleave:returned", args=[ref]),
                {"return-returned_on": "2026-03-09"})
    followup.refresh_from_db()
    assert followup.status == "returned"
    assert not followup.case.tasks.filter(state="ready").exists()


def test_minutes_are_written_by_the_leader_and_read_by_the_employee(client, sick, frozen):
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick)
    case_services.task_complete(actor=sick.leader,
                                task_id=open_task(followup.case, "invite_dm1").pk,
                                data={"dm1_plan": "invite", "meeting_on": "2026-04-10",
                                      "participants": ["employee", "leader"]})
    ref = followup.case.reference
    client.force_login(sick.leader)
    url = reverse("sickleave:minutes", args=[ref, 1])
    assert "Do not write a diagnosis" in client.get(url, **EN).content.decode()
    client.post(url, {"minutes": "Agreed on four-hour days from April."})
    client.force_login(sick.employee)
    page = client.get(url, **EN).content.decode()
    assert "Agreed on four-hour days" in page and "<textarea" not in page
    assert client.post(url, {"minutes": "x"}).status_code == 403


def test_hr_overview_lists_overdue_steps_per_unit(client, sick, frozen):
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick)
    frozen(oslo(2026, 4, 2, 9))
    case_services.cases_wake_due()
    client.force_login(sick.hr)
    page = client.get(reverse("sickleave:hr"), **EN).content.decode()
    assert followup.case.reference in page and "Follow-up plan" in page
    row = page[page.index("Follow-up plan"):]
    assert '<td class="numeric">3</td>' in row[:400]
    client.force_login(sick.leader)
    assert client.get(reverse("sickleave:hr")).status_code == 403


def test_statistics_share_on_time_per_unit(client, sick, frozen):
    """One plan on time and one late: 50 % in the unit; meetings likewise."""
    late = make_user("late", units=[sick.ivt])
    frozen(oslo(2026, 1, 5, 9))
    on_time = register(sick, first_day=date(2026, 1, 5))
    services.plan_version_create(actor=sick.leader, followup=on_time, data=PLAN)
    slow = register(sick, employee=late, first_day=date(2026, 1, 5))
    frozen(oslo(2026, 2, 10, 9))  # after the plan deadline of 2 February
    services.plan_version_create(actor=sick.leader, followup=slow, data=PLAN)
    case_services.task_complete(actor=sick.leader,
                                task_id=open_task(on_time.case, "invite_dm1").pk,
                                data={"dm1_plan": "invite", "meeting_on": "2026-02-12"})
    frozen(oslo(2026, 2, 12, 14))
    case_services.task_complete(actor=sick.leader,
                                task_id=open_task(on_time.case, "record_dm1").pk,
                                data={"held_on": "2026-02-12"})
    frozen(oslo(2026, 3, 1, 9))  # both meeting deadlines (23 February) passed

    from sickleave.selectors import unit_statistics

    ivt = next(s for s in unit_statistics(year=2026, unit_ids={sick.ivt.pk})
               if s.unit == sick.ivt)
    assert (ivt.plans_due, ivt.plans_on_time, ivt.plans_share) == (2, 1, 50)
    assert (ivt.meetings_due, ivt.meetings_on_time, ivt.meetings_share) == (2, 1, 50)

    client.force_login(sick.hr)
    page = client.get(reverse("sickleave:statistics") + "?year=2026", **EN).content.decode()
    assert "50 %" in page and "aml. § 4-6 (3)" in page
    client.force_login(sick.employee)
    assert client.get(reverse("sickleave:statistics")).status_code == 403


def test_generic_case_page_points_to_the_follow_up(client, sick, frozen):
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick)
    client.force_login(sick.leader)
    page = client.get(reverse("cases:detail", args=[followup.case.reference]),
                      **EN).content.decode()
    assert reverse("sickleave:detail", args=[followup.case.reference]) in page
    assert "every reading of this case is logged" in page


def test_home_page_for_each_role(client, sick, frozen):
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick)
    services.bht_invite(actor=sick.leader, followup=followup, adviser=sick.bht)
    client.force_login(sick.employee)
    page = client.get(reverse("sickleave:home"), **EN).content.decode()
    assert reverse("sickleave:detail", args=[followup.case.reference]) in page
    assert reverse("sickleave:leader") not in page
    client.force_login(sick.bht)
    page = client.get(reverse("sickleave:home"), **EN).content.decode()
    assert "Kari Syk" in page
    client.force_login(sick.colleague)
    page = client.get(reverse("sickleave:home"), **EN).content.decode()
    assert "You have no registered sick leave" in page and "Kari Syk" not in page


def test_demo_seed_is_idempotent(db, sick_definition):
    from sickleave.demo import seed_sickleave_demo

    users = seed_sickleave_demo(password="pw")
    seed_sickleave_demo(password="other")
    followup = FollowUp.objects.get()
    assert followup.employee == users["sykmeldt"]
    assert followup.case.reporter == users["leder"]
    assert followup.bht_invitations.get().user == users["bht"]
    assert users["hrradgiver"].check_password("pw")
    assert followup.plan_due is not None


def test_case_cancelled_on_the_generic_page_leaves_the_dashboard(client, sick, frozen):
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick)
    case_services.case_cancel(actor=sick.hr, case_id=followup.case_id, reason="mistake")
    client.force_login(sick.leader)
    page = client.get(reverse("sickleave:leader"), **EN).content.decode()
    assert "Kari Syk" not in page
    followup.refresh_from_db()
    from sickleave.selectors import summarise

    [row] = summarise([followup])
    assert row.light.colour == "grey" and row.next is None
