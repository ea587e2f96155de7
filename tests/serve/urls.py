"""The production URLconf plus an anonymous route with a bug (tests only)."""

from django.urls import path

from varde.urls import urlpatterns as production_urlpatterns


def broken_view(request):
    """A view bug on an anonymous route: the server must log it without the client."""
    raise RuntimeError("deliberate failure of the server test")


urlpatterns = [
    path("si-fra/test-feil/", broken_view),
    path("hms/avvik/ny/test-feil/", broken_view),
    *production_urlpatterns,
]
