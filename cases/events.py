"""After-commit delivery of case events to subscribers (notifications, live
queues). A plain registry, not Django signals: subscribers never advance a
workflow, and nothing is delivered for a transaction that rolled back.

Each service transaction delivers its events once, as one batch: the service
registers the delivery when it takes the case lock (outside any savepoint),
and ``record`` collects the events on the case object. Events recorded by a
service-task operation whose savepoint rolled back are dropped from the batch
(``mark``/``discard_since``), so only committed events are delivered.
"""

import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)

_subscribers: list[Callable] = []


def subscribe(callback: Callable) -> Callable:
    """Register ``callback(events: list[CaseEvent])``, called after commit."""
    if callback not in _subscribers:
        _subscribers.append(callback)
    return callback


_PENDING = "_events_to_deliver"


def deliver_after_commit(case) -> None:
    """Deliver the events recorded on ``case`` in this transaction at commit."""
    case.__dict__[_PENDING] = []
    if _subscribers:
        transaction.on_commit(lambda: deliver(case))


def record(case, event) -> None:
    pending = case.__dict__.get(_PENDING)
    if pending is not None:
        pending.append(event)


def mark(case) -> int:
    return len(case.__dict__.get(_PENDING, ())) if case is not None else 0


def discard_since(case, position: int) -> None:
    pending = case.__dict__.get(_PENDING) if case is not None else None
    if pending is not None:
        del pending[position:]


def deliver(case) -> None:
    batch = case.__dict__.pop(_PENDING, None) or []
    if not batch:
        return
    for event in batch:
        event.case = case
    for callback in list(_subscribers):
        try:
            callback(batch)
        except Exception:  # a subscriber must never break the user's request
            logger.exception("Event subscriber %r failed for case %s", callback, case.pk)
