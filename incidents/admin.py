"""Reports are evidence: the admin lists them and changes nothing.

It shows what a report is about (kind, date, campus), never what it says:
the description, the injury and treatment details and the exact place are
read on the case page, where Varde's access rules apply (is_superuser opens
nothing).
"""

from django.contrib import admin

from incidents.models import IncidentReport


@admin.register(IncidentReport)
class IncidentReportAdmin(admin.ModelAdmin):
    list_display = ["case", "incident_type", "event_date", "campus", "anonymous", "reported_on"]
    list_filter = ["incident_type", "campus", "anonymous"]
    search_fields = ["case__reference"]
    list_select_related = ["case"]
    fields = ["case", "incident_type", "event_date", "campus", "anonymous", "reported_on"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
