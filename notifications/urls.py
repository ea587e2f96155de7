from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("les-alle/", views.notification_mark_all_read, name="mark_all_read"),
    path("innstillinger/", views.preferences, name="preferences"),
    path("e-post-feil/", views.failed_emails, name="failed_emails"),
]
