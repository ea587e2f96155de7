"""The rows every workflow step reads and writes, in SQL written once per
connection.

Every step reads the locked case (with its unit, definition and labels), the
task it completes and the case's open tasks, and writes the case, task and
event rows. Through the ORM, compiling those queries costs ten to twenty
times running them (``bench/engine.py --profile``): a ``select_related``
query is compiled anew on every call. Here each is written once from the
models' metadata and then only run with new parameters. Values go through the
converters the ORM itself would apply and rows become model instances through
``Model.from_db``, so callers get ordinary model instances with their related
objects cached, exactly as ``select_related`` gives them.

- ``sql``: running a statement; a model's columns in a SELECT list.
- ``reads``: the locked case with what a step needs of it.
- ``writes``: INSERT and UPDATE of model instances (an UPDATE of a case read
  here names only the columns that changed).
- ``lookups``: the small reads and writes of a few steps.

Internal to ``cases.services``; everything else uses the ORM.
"""

from cases.services.rows.lookups import (  # noqa: F401
    active_user_id,
    case_labels,
    grant_object_permission,
    latest_definition,
    next_reference_number,
    task_completed_by,
    unit_by_code,
)
from cases.services.rows.reads import (  # noqa: F401
    LABELS,
    locked_case,
    locked_case_with_tasks,
    open_tasks,
    task_and_open_tasks,
)
from cases.services.rows.writes import insert, insert_many, insert_task, update  # noqa: F401
