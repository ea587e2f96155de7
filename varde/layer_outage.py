"""Quiet logs while Redis (the channel layer) is away.

channels_redis' pub/sub layer logs "Unexpected exception in receive task"
with a traceback every second while Redis is down, in every process. The
outage is expected and handled (live sockets close with 4503 and pages say
live updates are paused), so this filter on the ``channels_redis.pubsub``
logger keeps one line without traceback, at most once a minute per message.
"""

import logging
import time

QUIET_SECONDS = 60.0


class LayerOutageLogFilter(logging.Filter):
    def __init__(self, name: str = ""):
        super().__init__(name)
        self.last_logged: dict[str, float] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            record.msg = f"{record.getMessage()}: {record.exc_info[1].__class__.__name__}"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        now = time.monotonic()
        message = record.getMessage()
        if now - self.last_logged.get(message, float("-inf")) < QUIET_SECONDS:
            return False
        self.last_logged[message] = now
        return True
