"""Checks on near-parking steps before they complete (``cases.task_checks``).

The appeal body decides only after the applicant has had the first
instance's comments and the time to answer them (fvl. § 17; §§ 18 and 33):
the answer, or ``statement_comment_days`` after the appeal was sent on.
"""

from datetime import timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext

from cases.exceptions import InvalidTaskData
from cases.task_checks import register_task_check
from parking.conf import statement_comment_days
from parking.models import Appeal, Decision
from parking.roles import PROCESS_ID


def applicant_heard_on_statement(*, case, task, data) -> None:
    appeal = Appeal.objects.filter(case=case, forwarded_at__isnull=False).order_by(
        "-forwarded_at", "-pk").first()
    if appeal is None or not appeal.statement or appeal.commented_at is not None:
        return
    if Decision.objects.filter(application_id=appeal.application_id, after_appeal=True,
                               by_appeal_body=False,
                               decided_at__gte=appeal.submitted_at).exists():
        return  # reversed in part: its letter gave the reasons, and the applicant kept the rest
    until = appeal.forwarded_at + timedelta(days=statement_comment_days())
    if timezone.now() < until:
        message = gettext(
            "The applicant may answer the first instance's comments until %(date)s. Decide "
            "after that, or when they have answered."
        ) % {"date": formats.date_format(timezone.localtime(until), "DATE_FORMAT")}
        raise InvalidTaskData(message, extra={"errors": {"__all__": message}})


def register_task_checks() -> None:
    register_task_check(PROCESS_ID, "appeal_body_decision", applicant_heard_on_statement)
