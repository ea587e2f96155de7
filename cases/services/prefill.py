"""Initial values for a task's form, read from the case's workflow data.

Read-only, but it lives among the services because it has to load the
workflow, and only ``cases.services`` may touch ``cases.workflow``.
"""

from cases.models import Task, TaskState
from cases.services.persistence import load_workflow
from cases.workflow.errors import WorkflowError
from cases.workflow.runtime import TaskNotReady


def task_form_initial(*, task: Task) -> dict:
    """The ready task's current data for the keys its form asks for.

    A later step thus starts from what earlier steps decided (the final
    severity starts as the triage severity). Empty if the task is no longer
    ready or has no form.
    """
    schema = task.case.definition.forms.get(task.form_name)
    if task.state != TaskState.READY or not schema:
        return {}
    try:
        data = load_workflow(task.case).task_data(task.spiff_id)
    except (TaskNotReady, WorkflowError):
        return {}
    # Decisions ("x-prefill": false) are asked afresh each time, so a reopened
    # or transferred case is not closed or passed on again by one click.
    wanted = {
        key for key, prop in schema.get("properties", {}).items()
        if prop.get("x-prefill", True)
    }
    return {key: value for key, value in data.items() if key in wanted}
