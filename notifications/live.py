"""Send live events to websocket groups (after commit, from sync code)."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

EVENT_TYPE = "varde.event"


def publish(groups: list[str], payload: dict) -> None:
    publish_many([(group, payload) for group in dict.fromkeys(groups)])


def publish_many(messages: list[tuple[str, dict]]) -> None:
    """Send (group, payload) pairs in one trip through the event loop.

    From sync code each ``async_to_sync`` call costs a loop hand-off (and, in
    a plain worker thread, a fresh loop and Redis connection), so batch.
    """
    layer = get_channel_layer()
    if layer is None or not messages:
        return
    # Not getattr(layer, "groups"): channels_redis' pub/sub layer proxies
    # attribute reads to a per-event-loop layer and raises RuntimeError
    # outside a running loop (every sync caller).
    local_groups = layer.__dict__.get("groups")
    if isinstance(local_groups, dict):
        # The in-process layer (development, tests) knows its listeners:
        # skip the event-loop hop when nobody is subscribed.
        messages = [(group, payload) for group, payload in messages if local_groups.get(group)]
        if not messages:
            return

    async def send_all():
        for sent, (group, payload) in enumerate(messages):
            try:
                await layer.group_send(group, {"type": EVENT_TYPE, "payload": payload})
            except Exception as exc:  # Redis gone: live updates are best effort
                # No payload, no traceback (it may show both): pages still load
                # fresh, and open pages say that live updates are paused.
                logger.warning("Live updates not published (%s of %s messages): %s",
                               len(messages) - sent, len(messages), exc.__class__.__name__)
                return

    try:
        async_to_sync(send_all)()
    except Exception as exc:  # the layer could not even be set up
        logger.warning("Live updates not published: %s", exc.__class__.__name__)
