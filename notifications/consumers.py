"""The websocket endpoint for live queues, case pages and the bell."""

import asyncio
import contextlib
import functools
import logging

from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from channels.utils import await_many_dispatch

from cases.access import can_view_case
from cases.models import Case
from notifications.groups import case_group, groups_for_user

UNAUTHENTICATED = 4401
LAYER_UNAVAILABLE = 4503
# An open socket checks the channel layer (Redis) this often, by a message to
# itself: a page learns within this time that live updates stopped.
LAYER_CHECK_SECONDS = 5.0
LAYER_TIMEOUT_SECONDS = 3.0
PING_TYPE = "varde.layer_ping"

logger = logging.getLogger(__name__)


class LiveConsumer(AsyncJsonWebsocketConsumer):
    """Authenticated by the Django session (the ASGI router checks the origin).

    The socket joins only groups the user may hear; a case page subscribes to
    its case after an access check.

    When the channel layer (Redis) is down, a socket is refused with
    ``LAYER_UNAVAILABLE``; an open one sends itself a message through the
    layer every ``LAYER_CHECK_SECONDS`` and closes with that code when the
    layer fails or the message does not come back, so the page says live
    updates are paused and reconnects (and catches up) when Redis is back.
    """

    async def __call__(self, scope, receive, send):
        """channels' AsyncConsumer.__call__, with the layer's channel set up
        under a guard: with Redis' pub/sub layer ``new_channel`` subscribes at
        once and would fail the handshake with HTTP 500 before ``connect``."""
        self.scope = scope
        self.base_send = send
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        if self.channel_layer is not None:
            try:
                async with asyncio.timeout(LAYER_TIMEOUT_SECONDS):
                    self.channel_name = await self.channel_layer.new_channel()
            except Exception as exc:  # noqa: BLE001 - Redis down, whatever the error
                await self._refuse_unavailable(receive, exc)
                return
            self.channel_receive = functools.partial(
                self.channel_layer.receive, self.channel_name
            )
        try:
            if self.channel_layer is not None:
                await await_many_dispatch([receive, self.channel_receive], self.dispatch)
            else:
                await await_many_dispatch([receive], self.dispatch)
        except StopConsumer:
            pass
        finally:
            watch = getattr(self, "_watch", None)
            if watch is not None:
                watch.cancel()

    async def _refuse_unavailable(self, receive, exc: BaseException) -> None:
        logger.warning("Live socket refused, channel layer unavailable: %s",
                       exc.__class__.__name__)
        message = await receive()
        if message["type"] == "websocket.connect":
            await self.base_send({"type": "websocket.close", "code": LAYER_UNAVAILABLE})

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
        self.pings_out = 0
        self._watch = asyncio.ensure_future(self._watch_layer())

    async def _watch_layer(self) -> None:
        """Close with LAYER_UNAVAILABLE once the layer fails: a ping to this
        socket's own channel that cannot be sent, or that did not come back
        by the next check."""
        while True:
            await asyncio.sleep(LAYER_CHECK_SECONDS)
            try:
                if self.pings_out:
                    raise ConnectionError("the last layer ping did not come back")
                async with asyncio.timeout(LAYER_TIMEOUT_SECONDS):
                    await self.channel_layer.send(self.channel_name, {"type": PING_TYPE})
                self.pings_out += 1
            except Exception as exc:  # noqa: BLE001 - Redis down, whatever the error
                logger.warning("Live socket closed, channel layer unavailable: %s",
                               exc.__class__.__name__)
                with contextlib.suppress(Exception):
                    await self.close(code=LAYER_UNAVAILABLE)
                return

    async def varde_layer_ping(self, message):
        self.pings_out = 0

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
