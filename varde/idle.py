"""The warning before an idle logout (WCAG 2.2.1 Timing adjustable, A).

A view whose session ends after some minutes without a request (the
whistleblowing channel: reporters after 15, committee members after 30)
marks its request with ``idle_logout_mark``. base.html then renders a dialog
(templates/_idle_warning.html) that static/js/idle.js opens
``WARNING_SECONDS`` before the end: "Stay logged in" posts to the view's
extend URL (the session's idle time starts again; the page is not reloaded,
so what was typed stays). If the time runs out the dialog says so. Nothing
the user typed is stored anywhere, in the browser or on the server: the
warning and the extension are what keep it.
"""

from dataclasses import dataclass

# WCAG 2.2.1 asks for at least 20 seconds; two minutes leave room for a
# screen reader, a switch or a slow hand.
WARNING_SECONDS = 120


@dataclass(frozen=True)
class IdleLogout:
    seconds: int
    extend_url: str
    login_url: str
    warning_seconds: int = WARNING_SECONDS

    @property
    def minutes(self) -> int:
        return self.seconds // 60

    @property
    def warning_minutes(self) -> int:
        return max(1, self.warning_seconds // 60)


def idle_logout_mark(request, *, seconds: int, extend_url: str, login_url: str) -> None:
    """This page's session ends after ``seconds`` without a request: warn first."""
    request.idle_logout = IdleLogout(seconds=seconds, extend_url=extend_url,
                                     login_url=login_url)
