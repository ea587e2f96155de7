"""While Redis is away channels_redis logs a traceback every second: one
line a minute without traceback is kept (varde/layer_outage.py)."""

import logging

from varde.layer_outage import LayerOutageLogFilter


def test_the_receive_loop_errors_are_one_quiet_line():
    logger = logging.getLogger("channels_redis.pubsub")
    quiet = [f for f in logger.filters if isinstance(f, LayerOutageLogFilter)]
    assert quiet
    for f in quiet:  # logging may have been configured more than once
        f.last_logged.clear()  # an earlier test may have stopped Redis
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    handler = Keep()
    logger.addHandler(handler)
    try:
        for _ in range(5):
            try:
                raise ConnectionError("Error 111 connecting to 127.0.0.1:6379.")
            except ConnectionError:
                logger.exception("Unexpected exception in receive task")
    finally:
        logger.removeHandler(handler)
    assert records == ["Unexpected exception in receive task: ConnectionError"]
