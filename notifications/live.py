"""Send live events to websocket groups (after commit, from sync code)."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

EVENT_TYPE = "varde.event"


def publish(groups: list[str], payload: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    send = async_to_sync(layer.group_send)
    for group in dict.fromkeys(groups):  # de-duplicate, keep order
        try:
            send(group, {"type": EVENT_TYPE, "payload": payload})
        except Exception:  # live updates are best effort; pages still load fresh
            logger.exception("Could not publish live event to %s", group)
