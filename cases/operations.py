"""Registry of service-task operations.

A BPMN service task names an operation (``incident.transfer``); the app that
owns it registers a function here, so no app imports the engine. Operations
run inside the step's transaction, get the case and the evaluated parameters,
and return a small JSON-serialisable dict (stored as the task's result).
"""

from collections.abc import Callable
from typing import Any

Operation = Callable[..., dict[str, Any] | None]

_REGISTRY: dict[str, Operation] = {}


class UnknownOperation(LookupError):
    pass


def register(name: str) -> Callable[[Operation], Operation]:
    def decorator(func: Operation) -> Operation:
        _REGISTRY[name] = func
        return func

    return decorator


def names() -> set[str]:
    return set(_REGISTRY)


def run(name: str, *, case, params: dict[str, Any]) -> dict[str, Any] | None:
    try:
        func = _REGISTRY[name]
    except KeyError:
        raise UnknownOperation(f"No operation named {name!r} is registered.") from None
    return func(case=case, **params)
