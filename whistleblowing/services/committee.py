"""Working on a case as a key holder: read it, write to the reporter, and
complete the workflow's steps together with their encrypted text.

Step forms carry only codes (they go into workflow data and the case event
log); the text of a step (acknowledgement, question, recommendation,
decision, feedback) is encrypted here, in the same transaction.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from cases.models import Task, TaskState
from cases.services import task_complete
from whistleblowing.exceptions import (
    NoAccess,
    NoDecisionMaker,
    NotWhistleblowingSecondMember,
    SecondMemberRequired,
    TextRequired,
)
from whistleblowing.models import (
    Entry,
    EntryKind,
    EntryShare,
    HolderRole,
    IdentityRequest,
    KeyHolder,
    Report,
    Sender,
)
from whistleblowing.services.audit import audit_append
from whistleblowing.services.content import (
    Opened,
    attachment_stream,
    attachments_create,
    entry_create,
    entry_open,
    entry_open_shared,
)
from whistleblowing.services.exclusions import decision_makers_for
from whistleblowing.services.grants import case_key
from whistleblowing.services.reporting import case_bytes, check_sizes
from whistleblowing.services.retention import keep_open

# BPMN user task id -> what its text is (whistleblowing.bpmn).
TO_REPORTER = "to_reporter"
RECOMMENDATION = "recommendation"
DECISION = "decision"
HEARING = "hearing"
STEP_TEXT = {
    "acknowledge": TO_REPORTER,
    "assess": TO_REPORTER,
    "await_answer": None,
    "hear_reported_person": HEARING,
    "write_recommendation": RECOMMENDATION,
    "record_decision": DECISION,
    "give_feedback": TO_REPORTER,
    "employer_checkin": TO_REPORTER,
    "confirm_not_whistleblowing": None,
}
# Assessment outcomes that need a text to the reporter: the question, or
# where to go instead when the matter is not whistleblowing.
ASSESS_WITH_TEXT = ("need_information", "not_whistleblowing")


def text_required(bpmn_id: str, data: dict) -> bool:
    """Acknowledgement, feedback, a question to the reporter, the "not
    whistleblowing" answer, the hearing record, the recommendation, the
    decision and the employer's check-in cannot be completed without text."""
    if bpmn_id == "assess":
        return data.get("assessment_decision") in ASSESS_WITH_TEXT
    return STEP_TEXT.get(bpmn_id) is not None


@dataclass
class CaseView:
    report: Report
    body: Opened | None = None
    identity_given: bool = False
    conversation: list[Opened] = field(default_factory=list)
    recommendation: Opened | None = None
    employer_notice: Opened | None = None
    decisions: list[Opened] = field(default_factory=list)
    hearings: list[Opened] = field(default_factory=list)
    followup: list[Opened] = field(default_factory=list)  # check-ins and answers


@transaction.atomic
def case_open(*, holder: KeyHolder, private_key: bytes, report: Report) -> CaseView:
    """Decrypt a case for a committee member (audited; marks reporter
    activity as read, which lets the retention purge go ahead)."""
    case_sk = case_key(holder=holder, private_key=private_key, report=report)
    view = CaseView(report=report)
    for entry in Entry.objects.filter(report=report).select_related("report", "author__user"):
        if entry.kind == EntryKind.IDENTITY:
            view.identity_given = True
            continue
        opened = entry_open(entry, case_sk)
        if entry.kind == EntryKind.BODY:
            view.body = opened
        elif entry.kind == EntryKind.RECOMMENDATION:
            view.recommendation = opened
        elif entry.kind == EntryKind.DECISION:
            view.decisions.append(opened)
        elif entry.kind == EntryKind.EMPLOYER_NOTICE:
            view.employer_notice = opened
        elif entry.kind == EntryKind.HEARING:
            view.hearings.append(opened)
        else:
            view.conversation.append(opened)
    Report.objects.filter(pk=report.pk).update(reporter_activity_unread=False)
    audit_append(actor=holder, action="opened", report=report)
    return view


def identity_request_state(report: Report):
    """The newest request to reveal the reporter's identity, if any."""
    return IdentityRequest.objects.filter(report=report).order_by("-pk").first()


@transaction.atomic
def identity_request(*, holder: KeyHolder, report: Report) -> IdentityRequest:
    """A member asks to reveal the identity; a second member must approve."""
    if not report.grants.filter(holder=holder).exists():
        raise NoAccess()
    current = identity_request_state(report)
    if current is not None:
        return current
    request = IdentityRequest.objects.create(report=report, requested_by=holder,
                                             requested_on=timezone.localdate())
    audit_append(actor=holder, action="identity_reveal_requested", report=report)
    return request


@transaction.atomic
def identity_approve(*, holder: KeyHolder, report: Report) -> IdentityRequest:
    """A second member, not the one who asked, approves the reveal."""
    if not report.grants.filter(holder=holder).exists():
        raise NoAccess()
    current = IdentityRequest.objects.select_for_update().filter(report=report).order_by(
        "-pk").first()
    if current is None or current.requested_by_id == holder.pk:
        raise SecondMemberRequired()
    if current.approved_by_id is None:
        current.approved_by = holder
        current.approved_on = timezone.localdate()
        current.save(update_fields=["approved_by", "approved_on"])
        audit_append(actor=holder, action="identity_reveal_approved", report=report)
    return current


@transaction.atomic
def identity_reveal(*, holder: KeyHolder, private_key: bytes, report: Report) -> str:
    """The identity, to the asking or the approving member once two members
    have agreed (audited)."""
    current = identity_request_state(report)
    if (current is None or current.approved_by_id is None
            or holder.pk not in (current.requested_by_id, current.approved_by_id)):
        raise SecondMemberRequired()
    case_sk = case_key(holder=holder, private_key=private_key, report=report)
    entry = Entry.objects.filter(report=report, kind=EntryKind.IDENTITY).first()
    if entry is None:
        return ""
    audit_append(actor=holder, action="identity_revealed", report=report)
    return entry_open(entry, case_sk).data.get("identity", "")


def attachment_export(*, holder: KeyHolder, private_key: bytes, report: Report,
                      entry_uuid) -> tuple[dict, object]:
    """(metadata, plaintext chunks) of an attachment; the download is audited."""
    case_sk = case_key(holder=holder, private_key=private_key, report=report)
    entry = Entry.objects.select_related("report").filter(
        report=report, uuid=entry_uuid, kind=EntryKind.ATTACHMENT
    ).first()
    if entry is None:
        raise NoAccess()
    meta = entry_open(entry, case_sk).data
    audit_append(actor=holder, action="exported", report=report)
    return meta, attachment_stream(entry, meta)


@transaction.atomic
def committee_message_send(*, holder: KeyHolder, report: Report, text: str,
                           uploads=()) -> None:
    """A message (and files) from the committee to the reporter."""
    if not report.grants.filter(holder=holder).exists():
        raise NoAccess()
    report = Report.objects.select_for_update().get(pk=report.pk)
    text = (text or "").strip()
    if not text and not uploads:
        raise TextRequired()
    check_sizes(uploads, already=case_bytes(report))
    if text:
        entry_create(report=report, kind=EntryKind.MESSAGE, data={"text": text},
                     sender=Sender.COMMITTEE, author=holder, visible_to_reporter=True)
    attachments_create(report=report, uploads=uploads, sender=Sender.COMMITTEE, author=holder)
    keep_open(report)
    audit_append(actor=holder, action="message_sent", report=report)


def open_task(report: Report, task_id: int) -> Task:
    task = Task.objects.select_related("case", "candidate_group").filter(
        pk=task_id, case_id=report.case_id, state=TaskState.READY
    ).first()
    if task is None or report.case_id is None:
        raise NoAccess()
    return task


def not_whistleblowing_confirm(*, holder: KeyHolder, report: Report, data: dict) -> None:
    """A second member, not the one who assessed the report as "not
    whistleblowing", confirms the closing; the held-back message to the
    reporter is then released. Anyone holding the case may send it back to
    assessment instead."""
    if data.get("not_whistleblowing_confirmation") != "close":
        return
    assessed = Task.objects.filter(case_id=report.case_id, bpmn_id="assess",
                                   state=TaskState.COMPLETED).order_by("-completed_at", "-pk")
    last = assessed.first()
    if last is None or last.completed_by_id == holder.user_id:
        raise NotWhistleblowingSecondMember()
    held = Entry.objects.filter(report=report, kind=EntryKind.MESSAGE, sender=Sender.COMMITTEE,
                                visible_to_reporter=False).order_by("-seq").first()
    if held is not None:
        Entry.objects.filter(pk=held.pk).update(visible_to_reporter=True)


@transaction.atomic
def step_complete(*, holder: KeyHolder, report: Report, task_id: int, data: dict,
                  text: str = "") -> Task:
    """Store the step's text encrypted, then complete the workflow step with
    the form's codes (``cases.services.task_complete`` checks lane and access)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    task = open_task(report, task_id)
    text = (text or "").strip()
    if text_required(task.bpmn_id, data) and not text:
        raise TextRequired()
    purpose = STEP_TEXT.get(task.bpmn_id, TO_REPORTER if text else None)
    if task.bpmn_id == "confirm_not_whistleblowing":
        not_whistleblowing_confirm(holder=holder, report=report, data=data)
    if text and purpose == TO_REPORTER:
        employer = holder.role == HolderRole.DECISION_MAKER
        sender = Sender.DECISION_MAKER if employer else Sender.COMMITTEE
        # The employer's check-in is shared with the decision-makers, who
        # then also read the reporter's answer (``reporting.checkin_answer``).
        # "Not whistleblowing" waits for a second member: its message to the
        # reporter is held back until confirmed (``not_whistleblowing_confirm``).
        held = (task.bpmn_id == "assess"
                and data.get("assessment_decision") == "not_whistleblowing")
        entry_create(report=report, kind=EntryKind.MESSAGE, data={"text": text},
                     sender=sender, author=holder, visible_to_reporter=not held,
                     share_with=decision_makers_for(report) if employer else ())
    elif purpose == HEARING:
        entry_create(report=report, kind=EntryKind.HEARING,
                     data={"text": text, "heard_on": data.get("heard_on", "")},
                     sender=Sender.COMMITTEE, author=holder)
        audit_append(actor=holder, action="reported_person_heard", report=report)
    elif purpose == RECOMMENDATION:
        makers = decision_makers_for(report)
        if not makers:
            raise NoDecisionMaker()
        entry_create(report=report, kind=EntryKind.RECOMMENDATION, data={"text": text},
                     sender=Sender.COMMITTEE, author=holder, share_with=makers)
        audit_append(actor=holder, action="recommendation_released", report=report)
    elif purpose == DECISION:
        makers = decision_makers_for(report)
        entry_create(report=report, kind=EntryKind.DECISION, data={"text": text},
                     sender=Sender.DECISION_MAKER, author=holder, share_with=makers)
        audit_append(actor=holder, action="decision_recorded", report=report)
    completed = task_complete(actor=holder.user, task_id=task.pk, data=data)
    keep_open(report)
    audit_append(actor=holder, action=f"step:{task.bpmn_id}", report=report)
    return completed


EMPLOYER_KINDS = (EntryKind.RECOMMENDATION, EntryKind.EMPLOYER_NOTICE)


def released_to(*, holder: KeyHolder, report: Report) -> bool:
    """The employer sees a case once the committee released a recommendation
    or the case closed with the bare notice; never if excluded from it."""
    return EntryShare.objects.filter(
        holder=holder, entry__report=report, entry__kind__in=EMPLOYER_KINDS
    ).exists()


@transaction.atomic
def decision_view(*, holder: KeyHolder, private_key: bytes, report: Report) -> CaseView:
    """What a decision-maker may read: the released recommendation, the
    employer's own decisions, and the check-ins with the reporter with the
    reporter's answers to them. Nothing else is shared with them."""
    if not released_to(holder=holder, report=report):
        raise NoAccess()
    view = CaseView(report=report)
    shared = Entry.objects.filter(report=report, shares__holder=holder).select_related(
        "report").order_by("seq")
    for entry in shared:
        opened = entry_open_shared(entry, holder, private_key)
        if entry.kind == EntryKind.RECOMMENDATION:
            view.recommendation = opened
        elif entry.kind == EntryKind.EMPLOYER_NOTICE:
            view.employer_notice = opened
        elif entry.kind == EntryKind.DECISION:
            view.decisions.append(opened)
        elif entry.kind == EntryKind.MESSAGE:
            view.followup.append(opened)
    audit_append(actor=holder, action="opened_recommendation", report=report)
    return view
