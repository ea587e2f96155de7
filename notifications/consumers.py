"""The websocket endpoint for live queues, case pages and the bell."""

import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from cases.access import can_view_case
from cases.models import Case
from notifications.groups import case_group, groups_for_user

UNAUTHENTICATED = 4401
LAYER_UNAVAILABLE = 4503

logger = logging.getLogger(__name__)


class LiveConsumer(AsyncJsonWebsocketConsumer):
    """Authenticated by the Django session (the ASGI router checks the origin).

    The socket joins only groups the user may hear; a case page subscribes to
    its case after an access check.
    """

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=UNAUTHENTICATED)
            return
        self.joined = await database_sync_to_async(groups_for_user)(user)
        try:
            for group in self.joined:
                await self.channel_layer.group_add(group, self.channel_name)
        except Exception as exc:  # Redis gone: the page says live updates paused
            logger.warning("Live socket refused, channel layer unavailable: %s",
                           exc.__class__.__name__)
            self.joined = []
            await self.close(code=LAYER_UNAVAILABLE)
            return
        await self.accept()

    async def disconnect(self, code):
        try:
            for group in getattr(self, "joined", []):
                await self.channel_layer.group_discard(group, self.channel_name)
        except Exception as exc:  # Redis gone: nothing left to leave
            logger.warning("Live socket left no groups: %s", exc.__class__.__name__)

    async def receive_json(self, content, **kwargs):
        if content.get("subscribe") == "case":
            case_id = await self._accessible_case_id(str(content.get("reference", "")))
            if case_id is None:
                await self.send_json({"error": "not_found"})
                return
            group = case_group(case_id)
            self.joined.append(group)
            await self.channel_layer.group_add(group, self.channel_name)
            await self.send_json({"subscribed": "case"})

    async def varde_event(self, message):
        await self.send_json(message["payload"])

    @database_sync_to_async
    def _accessible_case_id(self, reference: str) -> int | None:
        case = Case.objects.filter(reference=reference).first()
        user = self.scope["user"]
        if case is None or not can_view_case(user, case):
            return None
        return case.pk
