from django.contrib import admin

from notifications.models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "status", "attempts"]
    list_filter = ["status"]
    readonly_fields = ["to", "subject", "body", "status", "attempts", "last_error", "created_at",
                       "sent_at"]

    def has_add_permission(self, request):
        return False
