"""Audit of issue 20: Redis stops while a page's live socket is open.

Issue 20: "Redis goes away. Live updates stop and say so quietly in the
page". README: "open pages say quietly that live updates are paused and
catch up when the socket is back". static/js/live.js shows the pause only
when the socket closes; with channels-redis' pub/sub layer the consumer never
learns that Redis went away (the layer reconnects quietly in the background),
so the open socket stays open, the page never says updates are paused, and
every event published during the outage is lost to it without a catch-up."""

import asyncio
import contextlib
import shutil
import socket
import subprocess
import time

import pytest
from asgiref.sync import sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator

from tests.notifications.test_consumers import session_cookie
from varde.asgi import application

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio, pytest.mark.realtime]

PORT = 8209  # this audit's port range


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def private_redis(settings):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = subprocess.Popen(["redis-server", "--port", str(PORT), "--bind", "127.0.0.1",
                               "--save", "", "--appendonly", "no"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 5
    while not listening(PORT) and time.monotonic() < deadline:
        time.sleep(0.05)
    settings.CHANNEL_LAYERS = {"default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": [f"redis://127.0.0.1:{PORT}/9"]},
    }}
    channel_layers.backends = {}
    yield server
    if server.poll() is None:
        server.terminate()
        server.wait(timeout=5)
    channel_layers.backends = {}


async def test_an_open_live_socket_learns_that_redis_went_away(people, private_redis):
    cookie = await sync_to_async(session_cookie)(people["coordinator"])
    communicator = WebsocketCommunicator(application, "/ws/live/", headers=[
        (b"origin", b"http://testserver"), (b"cookie", cookie)])
    connected, _ = await communicator.connect()
    assert connected
    private_redis.terminate()
    private_redis.wait(timeout=5)
    try:
        output = await communicator.receive_output(timeout=10)
    except TimeoutError:
        output = None
    if output is not None:  # on a timeout the communicator already stopped the consumer
        with contextlib.suppress(asyncio.CancelledError):
            await communicator.disconnect()
    assert output is not None, "10 s after Redis stopped the socket is open and silent"
    assert output["type"] == "websocket.close" or "paus" in str(output)


async def test_a_socket_opened_while_redis_is_down_is_refused_with_4503(people, private_redis):
    cookie = await sync_to_async(session_cookie)(people["coordinator"])
    private_redis.terminate()
    private_redis.wait(timeout=5)
    communicator = WebsocketCommunicator(application, "/ws/live/", headers=[
        (b"origin", b"http://testserver"), (b"cookie", cookie)])
    connected, code = await communicator.connect(timeout=5)
    assert not connected and code == 4503
