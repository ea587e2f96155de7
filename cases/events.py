"""After-commit delivery of case events to subscribers (notifications, live
queues). A plain registry, not Django signals: subscribers never advance a
workflow, and nothing is sent for a transaction that rolled back."""

import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)

_subscribers: list[Callable] = []


def subscribe(callback: Callable) -> Callable:
    if callback not in _subscribers:
        _subscribers.append(callback)
    return callback


def publish_on_commit(event) -> None:
    if not _subscribers:
        return

    def deliver():
        for callback in list(_subscribers):
            try:
                callback(event)
            except Exception:  # a subscriber must never break the user's request
                logger.exception("Event subscriber %r failed for event %s", callback, event.pk)

    transaction.on_commit(deliver)
