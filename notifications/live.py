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
        for group, payload in messages:
            try:
                await layer.group_send(group, {"type": EVENT_TYPE, "payload": payload})
            except Exception:  # live updates are best effort; pages still load fresh
                logger.exception("Could not publish live event to %s", group)

    async_to_sync(send_all)()
