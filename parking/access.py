"""Who may see a near-parking case, and who may read health information.

Near-parking cases have their own access policy (registered for the process
in ``ParkingConfig.ready``): the generic rules would hide them from the two
global roles that handle them, and would show them to HSE administrators
and unit staff who have no business with them. The case (zone, score,
decision) is visible to case officers and occupational physiotherapists and
to the applicant; the health information is protected apart, per object:

* documentation files: ``parking.read_document`` on each file;
* the functional limitation in the application, the physiotherapist's note
  and the grounds of an appeal: ``parking.read_health_data`` on the
  application.

Both are granted (django-guardian) to the applicant and to the occupational
physiotherapists' group when the data arrives, never to case officers. The
group's grant counts only while an assessment of the application is open
(``open_in_physiotherapists_lane``): not for closed or expired cases.
``ObjectPermissionChecker`` is asked directly, not ``user.has_perm``: Django
answers True to every superuser, and a superuser is no physiotherapist.
"""

from guardian.core import ObjectPermissionChecker

from cases.access import AccessPolicy
from parking.roles import OCCUPATIONAL_PHYSIOTHERAPIST, PARKING_APPEAL_BODY, PARKING_OFFICER

# The applicant's own steps, where they act as the party (``cases.parties``).
APPLICANT_STEPS = frozenset({"supply_documentation", "appeal", "keep_appeal"})


def _roles(user) -> set[str]:
    cache = getattr(user, "_parking_roles", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._parking_roles = cache
    return cache


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_parking_officer(user) -> bool:
    return _active(user) and PARKING_OFFICER in _roles(user)


def is_physiotherapist(user) -> bool:
    return _active(user) and OCCUPATIONAL_PHYSIOTHERAPIST in _roles(user)


def is_appeal_body(user) -> bool:
    return _active(user) and PARKING_APPEAL_BODY in _roles(user)


# The first-instance roles see every near-parking case; the appeal body only
# the cases of appeals sent to it (fvl. § 33), nothing else.
FIRST_INSTANCE_ROLES = frozenset({PARKING_OFFICER, OCCUPATIONAL_PHYSIOTHERAPIST})


def can_handle_parking_case(user, case) -> bool:
    if not _active(user):
        return False
    roles = _roles(user)
    if roles & FIRST_INSTANCE_ROLES:
        return True
    return PARKING_APPEAL_BODY in roles and appeal_sent_to_body(case)


def appeal_sent_to_body(case) -> bool:
    """An appeal handled in this case has been sent to the appeal body."""
    from parking.models import Appeal

    return Appeal.objects.filter(case_id=case.pk, forwarded_at__isnull=False).exists()


def can_view_parking_case(user, case) -> bool:
    """The applicant, and those who may handle it unless disqualified: who
    declared a conflict reads nothing of the case (its page, its letters),
    fvl. §§ 6 and 13."""
    if not _active(user):
        return False
    if case.reporter_id == user.pk:
        return True
    return can_handle_parking_case(user, case) and not _disqualified(user, [case.pk])


def _disqualified(user, case_ids) -> bool:
    """A party to one of the cases or someone who declared a conflict
    (``cases.parties``): they get no health information of it."""
    from cases.models import CaseParty

    return CaseParty.objects.filter(case_id__in=[pk for pk in case_ids if pk],
                                    user_id=user.pk).exists()


def can_read_case_health_data(user, case) -> bool:
    """The health sub-scores of a case (its History, its letters): the
    applicant and the occupational physiotherapists who may handle it while
    an assessment of it is open; not
    case officers or the appeal body, who see the total and the outcome."""
    if not _active(user):
        return False
    if case.reporter_id == user.pk:
        return True
    if not is_physiotherapist(user) or _disqualified(user, [case.pk]):
        return False
    # Only while the application waits for a physiotherapist (an open
    # assessment in their lane) or to the one who assessed it, and never
    # after the purge (GDPR art. 5 (1) c and e).
    application = application_of_case(case)
    if application is None or application.health_data_deleted_at is not None:
        return False
    return (open_in_physiotherapists_lane(application)
            or application.assessments.filter(assessed_by_id=user.pk).exists())


CASE_POLICY = AccessPolicy(can_view=can_view_parking_case, can_handle=can_handle_parking_case,
                           can_read_health_data=can_read_case_health_data)


def _has_object_perm(user, codename: str, obj, application) -> bool:
    """The applicant's own grant always; the physiotherapists' group grant
    only while the case has an open task in their lane (an assessment), and
    never for one who is disqualified from the case (a declared conflict or
    a party: fvl. § 6 — they get no content of it)."""
    if not _active(user):
        return False
    checker = ObjectPermissionChecker(user)
    if checker.get_user_perms(obj).filter(codename=codename).exists():
        return True
    return (
        checker.get_group_perms(obj).filter(codename=codename).exists()
        and open_in_physiotherapists_lane(application)
        and not _disqualified(user, _case_ids(application))
    )


def is_disqualified_from_application(user, application) -> bool:
    """A party to or a declared conflict in one of the application's cases."""
    return _active(user) and _disqualified(user, _case_ids(application))


def _case_ids(application) -> list[int]:
    return [application.case_id,
            *application.appeals.exclude(case=None).values_list("case_id", flat=True)]


def application_of_case(case, data=None):
    """The application a near-parking case belongs to: its own case, an
    offer's or an appeal's (from the routing data when it has it)."""
    from django.db.models import Q

    from parking.models import Application

    pk = (data or {}).get("application_id")
    if pk:
        return Application.objects.filter(pk=int(pk)).first()
    return Application.objects.filter(
        Q(case_id=case.pk) | Q(offers__case_id=case.pk) | Q(appeals__case_id=case.pk)
    ).distinct().first()


def matter_case_ids(case, data) -> list[int]:
    """The cases of the same application (``cases.parties`` ``linked``): the
    application's, its offers' and its appeals'. A conflict declared in one
    is a conflict in the matter (fvl. § 6)."""
    application = application_of_case(case, data)
    if application is None:
        return []
    return [*_case_ids(application),
            *application.offers.exclude(case=None).values_list("case_id", flat=True)]


def open_in_physiotherapists_lane(application) -> bool:
    """An open case of the application waits for a physiotherapist: not
    closed or expired cases, whose health information stays closed to them."""
    from cases.models import Task, TaskState

    return Task.objects.filter(
        case_id__in=_case_ids(application), state=TaskState.READY,
        candidate_group__name=OCCUPATIONAL_PHYSIOTHERAPIST,
    ).exists()


def can_read_document(user, document) -> bool:
    return (_has_object_perm(user, "read_document", document, document.application)
            or _appeal_body_reads_appeal_document(user, document))


def appeal_body_task_for(user, application):
    """The open appeal-body task of the application's appeal that ``user``
    may handle: a member of the appeal body, the task's assignee if it has
    one, not barred from it (a party, a declared conflict, took part in the
    decision appealed). None otherwise."""
    from cases.models import Task, TaskState
    from cases.parties import is_barred_from_task

    if not is_appeal_body(user):
        return None
    for task in Task.objects.select_related("case__definition").filter(
        case_id__in=_case_ids(application), bpmn_id="appeal_body_decision",
        state=TaskState.READY,
    ):
        if task.assignee_id in (None, user.pk) and not is_barred_from_task(user, task):
            return task
    return None


def _appeal_body_reads_appeal_document(user, document) -> bool:
    """The appeal body members handling an appeal read the documentation
    sent with it (fvl. §§ 33-34: it decides on it), while they handle it."""
    application = document.application
    appeal = application.appeals.filter(forwarded_at__isnull=False).order_by(
        "-submitted_at", "-pk").first()
    if appeal is None or document.uploaded_at < appeal.submitted_at:
        return False
    return appeal_body_task_for(user, application) is not None


def can_read_letter(user, decision) -> bool:
    """A decision letter: whoever may see its case (the policy above), and
    the appeal body deciding an appeal of it, also a late one in a case of
    its own (fvl. § 33: it decides on the decision appealed and its reasons)."""
    from cases.access import can_view_case

    if can_view_case(user, decision.case):
        return True
    appeal = getattr(decision, "appeal", None)
    return bool(appeal is not None and appeal.forwarded_at
                and appeal_body_task_for(user, decision.application) is not None)


def can_read_health_data(user, application) -> bool:
    return _has_object_perm(user, "read_health_data", application, application)


# The steps that make or prepare a first-instance decision, and the appeal
# steps each of them bars its performer from (fvl. §§ 6 and 28: the appeal is
# prepared by another than the one who decided, and decided by the appeal
# body, none of whose members took part at first instance).
DECIDING_STEPS = ("allocate", "decide_revocation", "offer_spot")
APPEAL_STEP_BARS = {
    "review_appeal": DECIDING_STEPS,
    # The physiotherapists whose assessment the decision rests on, or who
    # assessed again for the first instance's review, took part in it too.
    "appeal_body_decision": (*DECIDING_STEPS, "review_appeal", "assess", "reassess"),
}


def barred_from_appeal_step(user, task) -> bool:
    """Whether the user took part in the decision the task's appeal is about:
    in the case itself, or in the appealed decision's case (an appeal after
    the deadline has a case of its own)."""
    from cases.models import Task, TaskState
    from parking.models import Appeal

    steps = APPEAL_STEP_BARS.get(task.bpmn_id)
    if not steps:
        return False
    case_ids = {task.case_id, *Appeal.objects.filter(case_id=task.case_id).values_list(
        "decision__case_id", flat=True)}
    return Task.objects.filter(case_id__in=case_ids, bpmn_id__in=steps,
                               state=TaskState.COMPLETED, completed_by_id=user.pk).exists()


def is_applicant(user, application) -> bool:
    return _active(user) and application.applicant_id == user.pk


# The steps that give out or take back a spot of a zone, or decide on an
# appeal against that: whoever waits for a spot in the same zone competes
# with the applicant and is a party to the allocation (fvl. § 6 (1) a, (2)).
ZONE_STEPS = ("allocate", "offer_spot", "decide_revocation", "review_appeal",
              "appeal_body_decision")


def competing_for_zone(user, task) -> bool:
    """The user has an application of their own waiting for the zone."""
    from parking.models import Application, ApplicationStatus

    if task.bpmn_id not in ZONE_STEPS:
        return False
    application = application_of_case(task.case)
    if application is None or application.applicant_id == user.pk:
        return False
    return Application.objects.filter(
        applicant_id=user.pk, zone_id=application.zone_id,
        status__in=(ApplicationStatus.SUBMITTED, ApplicationStatus.AWAITING_DOCUMENTATION,
                    ApplicationStatus.ASSESSED, ApplicationStatus.WAITLISTED,
                    ApplicationStatus.OFFERED, ApplicationStatus.APPEALED),
    ).exists()


def barred_from_task(user, task) -> bool:
    """The process's own bars (``cases.parties`` ``barred``)."""
    return barred_from_appeal_step(user, task) or competing_for_zone(user, task)
