from datetime import datetime

from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition


def next_timer_due(waiting_tasks) -> datetime | None:
    """Earliest due time among the waiting tasks' timers, event-based
    gateways included.

    ``waiting_events()`` misses timers behind event-based gateways, so this
    reads the due time SpiffWorkflow fixed when the timer started waiting.
    """
    dues = []
    for task in waiting_tasks:
        definition = getattr(task.task_spec, "event_definition", None)
        definitions = (
            definition.event_definitions
            if isinstance(definition, MultipleEventDefinition)
            else [definition]
        )
        if not any(isinstance(d, TimerEventDefinition) for d in definitions):
            continue
        value = task.internal_data.get("event_value")
        if isinstance(value, dict):  # cycle timer
            value = value.get("next") if value.get("cycles") else None
        if value:
            dues.append(datetime.fromisoformat(value))
    return min(dues) if dues else None
