from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from varde import views

urlpatterns = [
    path("", views.home, name="home"),
    path("tilgjengelighet/", views.accessibility, name="accessibility"),
    path("hms/avvik/", include("incidents.urls")),
    path("saker/", include("cases.urls")),
    path("varsler/", include("notifications.urls")),
    path("amu/", include("amu.urls")),
    path("si-fra/", include("whistleblowing.urls.reporter")),
    path("komite/", include("whistleblowing.urls.committee")),
    path("parkering/", include("parking.urls")),
    path("sykefravaer/", include("sickleave.urls")),
    path("konto/logg-inn/", auth_views.LoginView.as_view(), name="login"),
    path("konto/logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", views.set_language, name="set_language"),
]

# A database outage met outside a view is a 503 too (varde/unavailable.py).
handler500 = "varde.unavailable.server_error"
