"""Reports are evidence: the admin shows them and changes nothing."""

from django.contrib import admin

from incidents.models import IncidentReport


@admin.register(IncidentReport)
class IncidentReportAdmin(admin.ModelAdmin):
    list_display = ["case", "incident_type", "event_date", "campus", "anonymous", "reported_on"]
    list_filter = ["incident_type", "campus", "anonymous", "injury_actual"]
    search_fields = ["case__reference", "building"]
    list_select_related = ["case"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
