"""Read-only admin for definitions, cases, the audit trail and the job queue.

Cases change only through ``cases.services``; the admin imports neither the
engine nor ``cases.workflow``, so workflow state is not shown here.

``is_superuser`` opens nothing (Varde's rule): the admin is for operations,
never a back door to content. Cases and events of a process with its own
access policy (cases/access.py) are not listed, found or opened here at all;
of the others only routing facts show: reference, process, status, unit,
step and times. No title, no event data (a user's form answers), no job
arguments, results or tracebacks; search is by reference only.
"""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

from cases.access import restricted_process_ids
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


def open_process_cases(queryset, case_path: str = ""):
    """``queryset`` without the cases of processes that guard their own content."""
    restricted = restricted_process_ids()
    if not restricted:
        return queryset
    return queryset.exclude(**{f"{case_path}definition__process_id__in": restricted})


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["reference", "definition", "status", "unit", "severity", "current_step",
                    "created_at"]
    list_filter = ["status", "unit"]
    search_fields = ["reference"]
    list_select_related = ["unit", "definition"]
    fields = ["reference", "definition", "status", "unit", "severity", "current_step",
              "outcome", "next_timer_at", "error_element", "created_at", "updated_at",
              "closed_at"]
    readonly_fields = fields
    inlines = [TaskInline]

    def get_queryset(self, request):
        return open_process_cases(super().get_queryset(request))


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ["case", "at", "kind", "actor", "task", "public"]
    list_filter = ["kind", "public"]
    search_fields = ["case__reference"]
    list_select_related = ["case", "actor", "task"]
    fields = ["case", "at", "kind", "actor", "task", "public"]  # never ``data``
    readonly_fields = fields

    def get_queryset(self, request):
        return open_process_cases(super().get_queryset(request), "case__")


# django-tasks-db's own admin shows a job's arguments, return value and
# traceback, which can carry case content: this one shows the job's life only.
admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["id", "task_path", "status", "enqueued_at", "started_at", "finished_at",
                    "queue_name"]
    list_filter = ["status", "queue_name"]
    ordering = ["-enqueued_at"]
    fields = ["id", "task_path", "status", "queue_name", "priority", "enqueued_at",
              "run_after", "started_at", "finished_at", "exception_class_path", "worker_ids"]
    readonly_fields = fields
