"""The live server every browser test runs against.

Each test class gets its own cache namespace: the rate limiters count in the
cache, and with ``REDIS_URL`` set the server process shares one Redis with
every other class (and earlier runs), so reports sent by one class would
count against the next. The server keeps the configured backend (Redis on
the PostgreSQL + Redis run); only the keys are private to the class.
"""

import os
import signal
import uuid
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import SyncToAsync
from channels.testing import ChannelsLiveServerTestCase
from django.conf import settings
from django.test import override_settings


def private_caches() -> dict:
    prefix = f"varde-test-{uuid.uuid4().hex}"
    return {
        alias: {**config, "KEY_PREFIX": prefix, "LOCATION": config.get("LOCATION") or prefix}
        for alias, config in settings.CACHES.items()
    }


def _fresh_sync_thread() -> None:
    # asgiref runs thread-sensitive sync code (the ORM in consumers) on one
    # executor thread. If an async test in this process already started that
    # thread, the forked server inherits an executor whose thread does not
    # exist there, and every sync_to_async call in it waits for ever.
    SyncToAsync.single_thread_executor = ThreadPoolExecutor(max_workers=1)


os.register_at_fork(after_in_child=_fresh_sync_thread)


class LiveServerTestCase(ChannelsLiveServerTestCase):
    """ChannelsLiveServerTestCase with a cache namespace of its own, whose
    server process stops on SIGTERM."""

    @classmethod
    def setUpClass(cls):
        cls._private_caches = override_settings(CACHES=private_caches())
        cls._private_caches.enable()
        # The server process is forked here and inherits the signal handlers:
        # it must stop on terminate() whatever an earlier test installed.
        saved = signal.signal(signal.SIGTERM, signal.SIG_DFL)
        try:
            super().setUpClass()
        except Exception:
            cls._private_caches.disable()
            raise
        finally:
            signal.signal(signal.SIGTERM, saved)

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            cls._private_caches.disable()
