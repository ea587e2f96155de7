"""After-commit delivery of case events to subscribers (notifications, live
queues). A plain registry, not Django signals: subscribers never advance a
workflow, and nothing is delivered for a transaction that rolled back.

Each service transaction delivers its events once, as one batch: the service
registers the delivery when it takes the case lock (outside any savepoint),
and ``record`` collects the events on the case object. The cases a service
locked are known for the length of the service only (``service_scope``), so
nothing outlives it; the service writes the events recorded on them at its
end, before the flush (``in_service``, ``unsaved``). Events recorded by a
service-task operation whose savepoint rolled back are dropped from the batch
(``mark``/``discard_since``), so only committed events are delivered.

Subscribers that only write rows (the notification job) subscribe with
``subscribe_in_transaction`` instead: the case services hand them their
events at the end of the service, inside its transaction
(``flush_in_transaction``), so the rows commit or roll back with the events
and cost no commit of their own. Events recorded outside a case service reach
them after commit, with the rest.
"""

import logging
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DatabaseError, transaction

logger = logging.getLogger(__name__)

_subscribers: list[Callable] = []
_in_transaction_subscribers: list[Callable] = []


def subscribe(callback: Callable) -> Callable:
    """Register ``callback(events: list[CaseEvent])``, called after commit."""
    if callback not in _subscribers:
        _subscribers.append(callback)
    return callback


def subscribe_in_transaction(callback: Callable) -> Callable:
    """Register ``callback(events)``, called inside the recording transaction
    (see the module docstring); it must only write rows."""
    if callback not in _in_transaction_subscribers:
        _in_transaction_subscribers.append(callback)
    return callback


_PENDING = "_events_to_deliver"
_FLUSHED = "_events_flushed"  # how many of the pending events were flushed
# The cases locked by the running case service (None outside one).
_service_cases: ContextVar[list | None] = ContextVar("varde_service_cases", default=None)


@contextmanager
def service_scope():
    """The extent of one case service: the cases it locks are flushed by its
    ``flush_in_transaction``. A nested service's cases are handed on to the
    enclosing service when it succeeds; when it fails, its savepoint and the
    events recorded in it are gone, and so is its list."""
    cases: list = []
    token = _service_cases.set(cases)
    try:
        yield
    finally:
        _service_cases.reset(token)
    outer = _service_cases.get()
    if outer is not None:
        outer.extend(cases)


def in_service(case) -> bool:
    """Whether the running case service locked this very case object: then
    the service writes the events recorded on it at its end, together."""
    cases = _service_cases.get()
    return cases is not None and any(c is case for c in cases)


def service_cases() -> list:
    """The cases locked by the running case service."""
    return list(_service_cases.get() or ())


def unsaved(case) -> list:
    """Events recorded on the case and not written yet."""
    return [e for e in case.__dict__.get(_PENDING) or () if e.pk is None]


def deliver_after_commit(case) -> None:
    """Deliver the events recorded on ``case`` in this transaction at commit."""
    case.__dict__[_PENDING] = []
    case.__dict__[_FLUSHED] = 0
    cases = _service_cases.get()
    if cases is not None:
        cases.append(case)
    if _subscribers or _in_transaction_subscribers:
        transaction.on_commit(lambda: deliver(case))


def flush_in_transaction() -> None:
    """Hand the events recorded so far by the running case service to the
    in-transaction subscribers (each event once).

    A subscriber's failure is logged and the service goes on, except a
    database error: its rows belong to the transaction like the service's
    own, so that fails the service (PostgreSQL could not go on anyway).
    """
    if not _in_transaction_subscribers:
        return
    for case in _service_cases.get() or ():
        batch = _take_unflushed(case)
        if batch:
            for callback in list(_in_transaction_subscribers):
                try:
                    callback(batch)
                except DatabaseError:
                    raise
                except Exception:
                    logger.exception("Event subscriber %r failed for case %s",
                                     callback, case.pk)


def _take_unflushed(case) -> list:
    pending = case.__dict__.get(_PENDING) or []
    start = case.__dict__.get(_FLUSHED, 0)
    case.__dict__[_FLUSHED] = len(pending)
    batch = pending[start:]
    for event in batch:
        event.case = case
    return batch


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
        # Flushed rows in that savepoint were rolled back with it.
        case.__dict__[_FLUSHED] = min(case.__dict__.get(_FLUSHED, 0), position)


def deliver(case) -> None:
    unflushed = _take_unflushed(case)
    batch = case.__dict__.pop(_PENDING, None) or []
    if not batch:
        return
    for event in batch:
        event.case = case
    callbacks = [(callback, batch) for callback in _subscribers]
    if unflushed:  # recorded outside a case service: the in-transaction
        callbacks += [(callback, unflushed) for callback in _in_transaction_subscribers]
    for callback, events in callbacks:
        try:
            callback(events)
        except Exception:  # a subscriber must never break the user's request
            logger.exception("Event subscriber %r failed for case %s", callback, case.pk)
