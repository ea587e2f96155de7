"""Outgoing e-mail, for operators chasing a delivery: to whom, when, how it
went. The body is not shown (it names cases and tasks; is_superuser opens
nothing)."""

from django.contrib import admin

from notifications.models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "status", "attempts"]
    list_filter = ["status"]
    fields = ["to", "subject", "status", "attempts", "last_error", "created_at", "sent_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
