"""The only code that runs the engine or writes Case and Task rows.

Every service runs in one transaction with the case row locked
(``select_for_update``), so workflow state and the task mirror always change
together.
"""

from cases.services.cases import (  # noqa: F401
    case_cancel,
    case_grant_access,
    case_keep_date_only,
    case_purge,
    case_retry,
    case_start,
    case_wake,
    cases_wake_due,
)
from cases.services.parties import task_declare_disqualified  # noqa: F401
from cases.services.signals import case_signal  # noqa: F401
from cases.services.tasks import (  # noqa: F401
    task_claim,
    task_complete,
    task_reassign,
    task_unclaim,
)
