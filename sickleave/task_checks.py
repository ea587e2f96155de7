"""Checks on the sick-leave steps before they complete (cases.task_checks).

Recording the plan as sent to NAV claims that a plan reached NAV: with no
plan made yet the step is refused, next to its date, and the leader is told
to make the plan first (a dispatch never records "no version").
"""

from django.utils.translation import gettext_lazy

from cases.exceptions import InvalidTaskData
from cases.task_checks import register_task_check
from sickleave.access import PROCESS_ID
from sickleave.models import PlanVersion

# The steps before dialogue meetings 2 and 3 ("send_plan_to_nav_2/3") are not
# checked yet: a plan recorded as obviously unnecessary has no version to send
# and would leave the leader a step they could never complete.
PLAN_TO_NAV_STEPS = ("send_plan_to_nav_requested",)


def plan_exists_for_nav(*, case, task, data) -> None:
    if not PlanVersion.objects.filter(followup__case=case).exists():
        raise InvalidTaskData(
            gettext_lazy("There is no follow-up plan to send yet."),
            extra={"errors": {"sent_on": gettext_lazy(
                "There is no follow-up plan yet: make the plan on the sick-leave page "
                "first, then record when you sent it to NAV."
            )}},
        )


def register_task_checks() -> None:
    for bpmn_id in PLAN_TO_NAV_STEPS:
        register_task_check(PROCESS_ID, bpmn_id, plan_exists_for_nav)
