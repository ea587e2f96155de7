"""The committee's audit trail: append-only and hash-chained.

Each row stores the hash of the previous row and a hash over its own fields,
so editing or deleting a row breaks the chain. Rows carry a date, the acting
member, an action code and the case uuid; never content.
"""

import hashlib
import json

from django.db import transaction
from django.utils import timezone

from whistleblowing.models import AuditEvent, AuditHead, KeyHolder

GENESIS = "0" * 64
REPORTER = "reporter"
SYSTEM = "system"


def _digest(prev_hash: str, fields: dict) -> str:
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}|{payload}".encode()).hexdigest()


def _fields(event: AuditEvent) -> dict:
    return {
        "on": event.on.isoformat(), "actor": event.actor_label, "action": event.action,
        "report": event.report_uuid, "detail": event.detail,
    }


def _label(actor: KeyHolder | str | None) -> str:
    if isinstance(actor, KeyHolder):
        return f"holder:{actor.pk}"
    return actor or SYSTEM


@transaction.atomic
def audit_append(*, actor: KeyHolder | str | None, action: str, report=None,
                 detail: str = "") -> AuditEvent:
    """Append one event. The head row is locked, so concurrent appends queue
    up instead of forking the chain."""
    head, _created = AuditHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"hash": GENESIS}
    )
    event = AuditEvent(
        on=timezone.localdate(),
        actor=actor if isinstance(actor, KeyHolder) else None,
        actor_label=_label(actor),
        action=action,
        report_uuid=str(report.uuid) if report is not None else "",
        detail=detail[:200],
        prev_hash=head.hash,
    )
    event.hash = _digest(head.hash, _fields(event))
    event.save()
    head.hash = event.hash
    head.save(update_fields=["hash"])
    return event


def audit_verify() -> bool:
    """True if every row links to the one before and its hash matches."""
    previous = GENESIS
    for event in AuditEvent.objects.order_by("id").iterator():
        if event.prev_hash != previous or event.hash != _digest(previous, _fields(event)):
            return False
        previous = event.hash
    head = AuditHead.objects.filter(pk=1).values_list("hash", flat=True).first()
    return (head or GENESIS) == previous
