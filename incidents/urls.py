from django.urls import path

from incidents import views

app_name = "incidents"

urlpatterns = [
    path("ny/", views.report, name="report"),
    path("mottatt/", views.receipt, name="receipt"),
    path("statistikk/", views.statistics, name="statistics"),
    path("statistikk.csv", views.statistics_csv, name="statistics_csv"),
    path("verneombud/", views.safety_deviations, name="safety_deviations"),
    path("verneombud/<str:reference>/", views.safety_deviation, name="safety_deviation"),
    path("skaderegister/", views.injuries, name="injury_register"),
]
