"""The restricted script engine every BPMN/DMN expression runs in.

SpiffWorkflow's default engine is plain ``eval``/``exec``: a script can call
``__import__('os')``. Swapping builtins is not enough either, since
``().__class__.__base__.__subclasses__()`` reaches every loaded class. So every
script, condition, timer expression and DMN cell is compiled with
RestrictedPython, which refuses dunder attribute access and imports at compile
time and guards attribute, item and iteration access at run time.
"""

import json
from functools import lru_cache

from django.db import transaction
from RestrictedPython import compile_restricted, limited_builtins, safe_globals
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
)
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from cases import calendar, events, operations
from cases.workflow.errors import ScriptPolicyError

_INPLACE_OPS = {
    "+=": lambda x, y: x + y,
    "-=": lambda x, y: x - y,
    "*=": lambda x, y: x * y,
    "/=": lambda x, y: x / y,
    "//=": lambda x, y: x // y,
    "%=": lambda x, y: x % y,
}


def _inplacevar(op, x, y):
    if op not in _INPLACE_OPS:
        raise ScriptPolicyError(f"Operator {op} is not allowed in scripts.")
    return _INPLACE_OPS[op](x, y)


@lru_cache(maxsize=4096)
def _compile(source: str, mode: str):
    try:
        return compile_restricted(source, filename="<bpmn>", mode=mode)
    except SyntaxError as exc:  # RestrictedPython reports policy violations as SyntaxError
        # Its args[0] is the tuple of every violation found; join them for
        # a readable error message on the case.
        problems = exc.args[0] if exc.args and isinstance(exc.args[0], (tuple, list)) else [exc]
        raise ScriptPolicyError("; ".join(str(p) for p in problems)) from None


# Functions BPMN scripts and expressions may call. Plain data in, plain data out.
SCRIPT_FUNCTIONS = {
    "working_deadline": calendar.working_deadline,
    "calendar_deadline": calendar.calendar_deadline,
    "hours_deadline": calendar.hours_deadline,
    "transfer_hours_deadline": calendar.transfer_hours_deadline,
    "add_months": calendar.add_months,
    "now": calendar.now_iso,
}

_SAFE_BUILTINS = {
    **safe_globals["__builtins__"],
    **limited_builtins,
    "dict": dict, "list": list, "set": set, "min": min, "max": max, "sum": sum,
    "any": any, "all": all, "enumerate": enumerate, "sorted": sorted, "len": len,
}


class RestrictedEnvironment(TaskDataEnvironment):
    """Task-data environment that compiles with RestrictedPython and routes
    service tasks to the operations registered in ``cases.operations``."""

    def __init__(self, context: dict | None = None):
        super().__init__(
            {
                "__builtins__": _SAFE_BUILTINS,
                "_getattr_": safer_getattr,
                "_getitem_": default_guarded_getitem,
                "_getiter_": default_guarded_getiter,
                "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
                "_unpack_sequence_": guarded_unpack_sequence,
                "_write_": full_write_guard,
                "_inplacevar_": _inplacevar,
                **SCRIPT_FUNCTIONS,
            }
        )
        self.context = context or {}

    def evaluate(self, expression, context, external_context=None):
        return super().evaluate(_compile(expression, "eval"), context, external_context)

    def execute(self, script, context, external_context=None):
        return super().execute(_compile(script, "exec"), context, external_context)

    def call_service(self, context, operation_name=None, operation_params=None, **kwargs):
        params = {name: spec["value"] for name, spec in (operation_params or {}).items()}
        # One savepoint per operation: a failing operation leaves none of its
        # writes behind, while the writes of operations that completed earlier
        # in the same engine step stay (the workflow records those steps as
        # done and a retry does not run them again).
        case = self.context.get("case")
        mark = events.mark(case)
        try:
            with transaction.atomic():
                result = operations.run(operation_name, case=case, params=params)
        except Exception:
            events.discard_since(case, mark)  # their rows were rolled back
            raise
        return json.dumps(result if result is not None else {})


class RestrictedScriptEngine(PythonScriptEngine):
    def call_service(self, task, **kwargs):
        # The base class refers to an undefined name on its error path; keep
        # the task for the error report instead.
        from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException

        try:
            return self.environment.call_service(task.data, **kwargs)
        except WorkflowTaskException:
            raise
        except Exception as exc:
            detail = f"{exc.__class__.__name__}: {exc}"
            raise WorkflowTaskException(detail, task=task, exception=exc) from exc


def make_engine(context: dict | None = None) -> RestrictedScriptEngine:
    return RestrictedScriptEngine(environment=RestrictedEnvironment(context))
