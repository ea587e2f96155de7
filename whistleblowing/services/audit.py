"""The committee's audit trail: append-only and hash-chained.

Each row stores the hash of the previous row of its chain and a hash over its
own fields, so editing or deleting a row breaks the chain. Every report has
its own chain (and the channel one for events without a report): when a
report is purged its whole chain goes with it, and what remains is the
yearly count of purged reports (``PurgeCounter``). Rows carry a date, the
acting member, an action code and the case uuid; never content.
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
    chain = str(report.uuid) if report is not None else ""
    AuditHead.objects.get_or_create(chain=chain, defaults={"hash": GENESIS})
    head = AuditHead.objects.select_for_update().get(chain=chain)
    event = AuditEvent(
        chain=chain,
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
    """True if in every chain each row links to the one before, its hash
    matches, and the chain ends at its head."""
    previous: dict[str, str] = {}
    for event in AuditEvent.objects.order_by("id").iterator():
        last = previous.get(event.chain, GENESIS)
        if event.prev_hash != last or event.hash != _digest(last, _fields(event)):
            return False
        previous[event.chain] = event.hash
    heads = dict(AuditHead.objects.values_list("chain", "hash"))
    return all(heads.get(chain) == last for chain, last in previous.items())


def audit_chain_delete(report_uuid: str) -> int:
    """Delete one report's whole chain (the purge): no per-day history of a
    deleted report remains. Other chains are untouched."""
    deleted, _ = AuditEvent.objects.filter(chain=report_uuid).delete()
    AuditHead.objects.filter(chain=report_uuid).delete()
    return deleted
