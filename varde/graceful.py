"""A daphne server that stops cleanly on SIGTERM (``varde.serve``'s web workers).

Daphne's own handling of SIGTERM is Twisted's: the reactor stops at once,
and daphne cancels every application still running ("Killed N pending
application instances"), so a request in flight gets no answer. Daphne has
no graceful mode of its own, so ``GracefulServer`` adds one with Twisted's
means:

1. the first SIGTERM (or SIGINT) stops listening (``stopListening``: new
   connections go to the other workers, or are refused once every worker
   stopped) and closes open websockets with 1001 "going away" (the page's
   live script reconnects to another process);
2. requests already received run to the end and their answers are written
   out (no request left in ``connections``, no socket with data still to
   send);
3. then the reactor stops. After ``grace`` seconds it stops anyway, and a
   second signal stops it at once, unless it came within
   ``SAME_STOP_SECONDS`` of the first: systemd's default KillMode and a
   terminal's Ctrl-C signal every process, and the supervisor passes its own
   signal on as well; that is one stop.
"""

import signal
import sys
import time

from daphne.server import Server
from daphne.ws_protocol import WebSocketProtocol
from twisted.internet import reactor, tcp

POLL_SECONDS = 0.05
GOING_AWAY = 1001
SAME_STOP_SECONDS = 2.0


def _log(message: str) -> None:
    print(f"[serve] {message}", file=sys.stderr, flush=True)


class GracefulServer(Server):
    def __init__(self, *args, grace: float = 30.0, **kwargs):
        kwargs["signal_handlers"] = False  # ours, below, instead of Twisted's
        super().__init__(*args, **kwargs)
        self.grace = grace
        self.ports = []
        self.draining_until: float | None = None
        self.stop_signalled = 0.0

    def run(self):
        reactor.callWhenRunning(self._install_signal_handlers)
        super().run()

    def listen_success(self, port):
        self.ports.append(port)
        super().listen_success(port)

    def _install_signal_handlers(self):
        loop = reactor._asyncioEventloop  # daphne's reactor is Twisted's asyncio one
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, self.drain)

    # --- stopping -----------------------------------------------------------

    def open_requests(self) -> int:
        """HTTP requests received and not yet answered in full."""
        return sum(
            1 for protocol, details in self.connections.items()
            if "disconnected" not in details and not isinstance(protocol, WebSocketProtocol)
        )

    def drain(self):
        if self.draining_until is not None:
            if time.monotonic() - self.stop_signalled < SAME_STOP_SECONDS:
                return
            _log("second signal: stopping now")
            self.stop()
            return
        self.stop_signalled = time.monotonic()
        self.draining_until = self.stop_signalled + self.grace
        for port in self.ports:
            port.stopListening()
        for protocol, details in list(self.connections.items()):
            if isinstance(protocol, WebSocketProtocol) and "disconnected" not in details:
                protocol.serverClose(code=GOING_AWAY)
        _log(f"stopping: no new connections; waiting for {self.open_requests()} request(s)")
        self._wait()

    def _unsent(self) -> bool:
        """A client connection still has bytes of an answer to send."""
        return any(isinstance(writer, tcp.Server) for writer in reactor.getWriters())

    def _wait(self):
        if self.open_requests() == 0 and not self._unsent():
            self.stop()
        elif time.monotonic() >= self.draining_until:
            _log(f"grace of {self.grace:g} s over: stopping {self.open_requests()} request(s)")
            self.stop()
        else:
            reactor.callLater(POLL_SECONDS, self._wait)
