"""Who sees what of AMU: the one place these rules live.

- The secretary (group ``amu_secretary``) sees and edits everything: agendas,
  minutes, every case with its full text.
- A member (a current ``Member`` row) sees the published agendas and minutes
  of their own bodies, and the cases and documents on them. Cases that came
  from a reported deviation are shown to them pseudonymised: no reporter,
  no free text, only the secretary's summary.
- The submitter sees their own case, with their own text.
- Owners of follow-up actions see the case they act on (pseudonymised), as
  anyone holding one of its tasks does.
- A confidential case (personnel or health matters, offentleglova § 13)
  shows its text and documents only to the secretary, the submitter and the
  voting members (and deputies) of its bodies; observers and members without
  a vote see its title, and so do the public minutes.

Views get meetings and cases only through ``access_meeting`` and
``access_amu_case``; without access the answer is 404.
"""

from datetime import date

from django.http import Http404
from django.utils import timezone

from amu.models import AgendaItem, AmuCase, Body, Meeting, Member
from amu.roles import AMU_SECRETARY
from cases.access import has_case_grant, is_hse_admin
from cases.models import Task


def _roles(user) -> set[str]:
    cache = getattr(user, "_amu_roles", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._amu_roles = cache
    return cache


def is_secretary(user) -> bool:
    return bool(user.is_authenticated and user.is_active and AMU_SECRETARY in _roles(user))


def membership(user, body: Body, day: date | None = None) -> Member | None:
    """The user's seat in the body on ``day`` (today by default)."""
    if not user.is_authenticated or not user.is_active:
        return None
    return (
        Member.objects.active_on(day or timezone.localdate())
        .filter(user=user, body=body)
        .select_related("body", "user")
        .first()
    )


def current_seats(user, day: date | None = None):
    if not user.is_authenticated or not user.is_active:
        return Member.objects.none()
    return Member.objects.active_on(day or timezone.localdate()).filter(user=user)


def member_body_ids(user, day: date | None = None) -> set[int]:
    return set(current_seats(user, day).values_list("body_id", flat=True))


def can_view_meeting(user, meeting: Meeting) -> bool:
    """The secretary always; members of the body once the agenda is published."""
    if is_secretary(user):
        return True
    return meeting.agenda_published and meeting.body_id in member_body_ids(user)


def access_meeting(user, pk: int) -> Meeting:
    meeting = Meeting.objects.select_related("body").filter(pk=pk).first()
    if meeting is None or not can_view_meeting(user, meeting):
        raise Http404
    return meeting


def is_submitter(user, amu_case: AmuCase) -> bool:
    return bool(user.is_authenticated and amu_case.case.reporter_id == user.pk)


def _on_members_agenda(user, amu_case: AmuCase) -> bool:
    bodies = member_body_ids(user)
    return bool(bodies) and AgendaItem.objects.filter(
        amu_case=amu_case, meeting__body_id__in=bodies,
        meeting__status__in=["published", "held", "approved"],
    ).exists()


def can_view_amu_case(user, amu_case: AmuCase) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if is_secretary(user) or is_submitter(user, amu_case):
        return True
    if _on_members_agenda(user, amu_case):
        return True
    # Owners of follow-up actions (and anyone else holding a task of the case).
    case = amu_case.case
    return Task.objects.filter(case=case, assignee=user).exists() or has_case_grant(user, case)


def sees_confidential(user, amu_case: AmuCase) -> bool:
    """The text and documents of the case: for a confidential case only the
    secretary, the submitter and voting seats (members and deputies) of the
    bodies that handle it."""
    if not amu_case.confidential:
        return True
    if is_secretary(user) or is_submitter(user, amu_case):
        return True
    bodies = set(amu_case.agenda_items.values_list("meeting__body_id", flat=True))
    bodies.add(amu_case.body_id)
    return current_seats(user).filter(
        body_id__in=bodies, voting=True, observer=False, secretary=False
    ).exists()


def sees_full_text(user, amu_case: AmuCase) -> bool:
    """The submitted description. For a case from a reported deviation only
    the secretary and the one who raised it read it; members and action
    owners see the secretary's summary instead."""
    if is_secretary(user) or is_submitter(user, amu_case):
        return True
    return (not amu_case.from_incident and can_view_amu_case(user, amu_case)
            and sees_confidential(user, amu_case))


def sees_incident_text(user, amu_case: AmuCase) -> bool:
    """The deviation report's own free text: the secretary alone, who needs
    it to write the members' summary (the one who raised the case reads it
    on the deviation itself)."""
    return amu_case.from_incident and is_secretary(user)


def access_amu_case(user, reference: str) -> AmuCase:
    amu_case = (
        AmuCase.objects.select_related("case", "case__reporter", "body", "incident_case")
        .filter(case__reference=reference)
        .first()
    )
    if amu_case is None or not can_view_amu_case(user, amu_case):
        raise Http404
    return amu_case


def can_view_statistics(user) -> bool:
    """Annual figures are aggregates: secretary, HSE admins and members."""
    return is_secretary(user) or is_hse_admin(user) or bool(member_body_ids(user))

