"""The live server every browser test runs against.

Each test class gets its own cache namespace: the rate limiters count in the
cache, and with ``REDIS_URL`` set the server process shares one Redis with
every other class (and earlier runs), so reports sent by one class would
count against the next. The server keeps the configured backend (Redis on
the PostgreSQL + Redis run); only the keys are private to the class.
"""

import signal
import uuid

from channels.testing import ChannelsLiveServerTestCase
from django.conf import settings
from django.test import override_settings


def private_caches() -> dict:
    prefix = f"varde-test-{uuid.uuid4().hex}"
    return {
        alias: {**config, "KEY_PREFIX": prefix, "LOCATION": config.get("LOCATION") or prefix}
        for alias, config in settings.CACHES.items()
    }


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
