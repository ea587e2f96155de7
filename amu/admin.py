"""The HSE admin maintains the bodies and their members here. Meetings,
agendas and minutes belong to the secretary's pages; cases are evidence and
are shown read-only."""

from django.contrib import admin

from amu.models import AmuCase, Body, Meeting, Member
from amu.services.members import member_roles_sync, member_save


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "site", "parent", "seats_per_side", "quorum",
                    "meetings_per_year", "position"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["display_name", "body", "side", "voting", "observer", "chair", "deputy_chair",
                    "deputy_for", "function", "secretary", "term_start", "term_end"]
    list_filter = ["body", "side", "voting", "chair", "deputy_chair", "observer", "function"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "represents"]
    autocomplete_fields = ["user", "deputy_for"]
    list_select_related = ["body", "user", "deputy_for__user"]

    def save_model(self, request, obj, form, change):
        member_save(member=obj)

    def delete_model(self, request, obj):
        user = obj.user
        super().delete_model(request, obj)
        member_roles_sync(user=user)

    def delete_queryset(self, request, queryset):
        users = {m.user for m in queryset.select_related("user")}
        super().delete_queryset(request, queryset)
        for user in users:
            member_roles_sync(user=user)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["body", "date", "status", "extra"]
    list_filter = ["body", "status"]
    date_hierarchy = "date"


@admin.register(AmuCase)
class AmuCaseAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "body", "created_at"]
    list_filter = ["body", "kind"]
    search_fields = ["case__reference"]
    list_select_related = ["case", "body"]
    exclude = ["description", "summary"]
