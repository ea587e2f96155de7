"""Read-only admin for definitions, cases and the audit trail.

Cases change only through ``cases.services``; the admin imports neither the
engine nor ``cases.workflow``, so workflow state is not shown here.
"""

from django.contrib import admin

from cases.models import Case, CaseEvent, ProcessDefinition, Task


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProcessDefinition)
class ProcessDefinitionAdmin(ReadOnlyAdmin):
    list_display = ["process_id", "version", "name", "reference_prefix", "created_at"]
    list_filter = ["process_id"]
    exclude = ["spec_json"]


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0
    can_delete = False
    fields = ["name", "bpmn_id", "state", "candidate_group", "assignee", "due_at",
              "completed_by", "completed_at"]
    readonly_fields = fields
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "status", "unit", "severity", "current_step",
                    "created_at"]
    list_filter = ["status", "definition__process_id", "unit"]
    search_fields = ["reference", "title"]
    list_select_related = ["unit"]
    exclude = ["state"]
    inlines = [TaskInline]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ["case", "at", "kind", "actor", "task", "public"]
    list_filter = ["kind", "public"]
    search_fields = ["case__reference"]
    list_select_related = ["case", "actor", "task"]
