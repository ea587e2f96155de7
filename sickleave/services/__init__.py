"""Writes of sick-leave follow-up. Each service checks who may act, changes
the sickleave models and tells the case engine what happened (a case start
or a BPMN signal), in one transaction."""

from sickleave.services.absences import (  # noqa: F401
    absence_grade_change,
    absence_register,
    absence_return_to_work,
    followup_close,
)
from sickleave.services.meetings import (  # noqa: F401
    bht_invite,
    bht_revoke,
    dm3_request,
    meeting_minutes_save,
)
from sickleave.services.nav_requests import nav_plan_request_record  # noqa: F401
from sickleave.services.plans import (  # noqa: F401
    plan_comment_add,
    plan_version_confirm,
    plan_version_create,
)
