"""The locked case with what a step needs of it: unit, definition, labels,
and the task at hand with the case's open tasks."""

import json
from functools import lru_cache

from django.contrib.auth.models import Group
from django.db import DEFAULT_DB_ALIAS, connections

from cases.models import Case, ProcessDefinition, Task, TaskState
from cases.services.rows.sql import (
    DEFINITION_DEFERRED,
    Columns,
    Statement,
    for_update,
)
from cases.services.rows.writes import remember
from org.models import Unit


@lru_cache(maxsize=32)
def _locked_case_statement(connection, by_task: bool, with_tasks: bool = False) -> Statement:
    """The case by its id or a task's id (``by_task``), with its unit,
    definition and labels; ``with_tasks``: one row per task of the case that
    is ready or has the given id, with its group (parameters: the ready state,
    the task id, then the task id of the WHERE)."""
    q = connection.ops.quote_name
    parts = [
        Columns.of(connection, Case, "c"),
        Columns.of(connection, Unit, "u"),
        Columns.of(connection, ProcessDefinition, "d", exclude=DEFINITION_DEFERRED),
    ]
    joins = (
        f"INNER JOIN {q(ProcessDefinition._meta.db_table)} {q('d')} "
        f"ON {q('d')}.{q('id')} = {q('c')}.{q('definition_id')} "
        f"LEFT OUTER JOIN {q(Unit._meta.db_table)} {q('u')} "
        f"ON {q('u')}.{q('id')} = {q('c')}.{q('unit_id')} "
    )
    order = ""
    if with_tasks:
        parts += [Columns.of(connection, Task, "t"), Columns.of(connection, Group, "g")]
        joins += (
            f"LEFT OUTER JOIN {q(Task._meta.db_table)} {q('t')} "
            f"ON {q('t')}.{q('case_id')} = {q('c')}.{q('id')} "
            f"AND ({q('t')}.{q('state')} = %s OR {q('t')}.{q('id')} = %s) "
            f"LEFT OUTER JOIN {q(Group._meta.db_table)} {q('g')} "
            f"ON {q('g')}.{q('id')} = {q('t')}.{q('candidate_group_id')} "
        )
        order = f" ORDER BY {q('t')}.{q('id')}"
    where = (
        f"{q('c')}.{q('id')} = (SELECT {q('case_id')} FROM {q(Task._meta.db_table)} "
        f"WHERE {q('id')} = %s)"
        if by_task else f"{q('c')}.{q('id')} = %s"
    )
    columns = ", ".join(part.select_list(connection) for part in parts)
    sql = (
        f"SELECT {columns}, {_labels_column(connection)} "
        f"FROM {q(Case._meta.db_table)} {q('c')} {joins}"
        f"WHERE {where}{order}{for_update(connection, 'c')}"
    )
    return Statement(sql, tuple(parts))


def _labels_column(connection) -> str:
    """The case's label rows as one JSON array of [key, value] pairs."""
    from cases.models import CaseLabel

    q = connection.ops.quote_name
    pair = f"{q('l')}.{q('key')}, {q('l')}.{q('value')}"
    aggregate = (
        f"COALESCE(json_agg(json_build_array({pair})), '[]'::json)"
        if connection.vendor == "postgresql" else f"json_group_array(json_array({pair}))"
    )
    return (
        f"(SELECT {aggregate} FROM {q(CaseLabel._meta.db_table)} {q('l')} "
        f"WHERE {q('l')}.{q('case_id')} = {q('c')}.{q('id')})"
    )


# On a case read here: its labels as stored, a set of (key, value).
LABELS = "_labels_stored"


def locked_case(*, case_id: int | None = None, task_id: int | None = None) -> Case | None:
    """Lock and read one case, by its id or one of its tasks' ids, with its
    unit and definition (the definition's large columns deferred) and its
    labels (``LABELS``)."""
    connection = connections[DEFAULT_DB_ALIAS]
    statement = _locked_case_statement(connection, case_id is None)
    found = statement.rows([task_id if case_id is None else case_id])
    return _case_of(statement, found[0]) if found else None


def _case_of(statement: Statement, row) -> Case:
    case, unit, definition = statement.instances(row, slice(3))
    labels = row[-1]
    if isinstance(labels, str):  # SQLite gives the JSON as text
        labels = json.loads(labels)
    case.__dict__[LABELS] = {(key, value) for key, value in labels}
    remember(case)
    Case.unit.field.set_cached_value(case, unit)
    Case.definition.field.set_cached_value(case, definition)
    return case


def locked_case_with_tasks(task_id: int) -> tuple[Case | None, Task | None, list]:
    """The locked case of a task, the task, and the case's ready tasks (as
    ``task_and_open_tasks`` gives them), each task with the case set.

    On PostgreSQL in two statements: the tasks are read after the lock is
    taken, so they show the last writer's commit (a locking statement sees
    other tables as they were when it started), and every writer locks the
    case before any task (the other order could deadlock). On SQLite in one:
    its transaction holds the database's write lock from BEGIN, so nothing
    can change in between.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.features.has_select_for_update:
        case = locked_case(task_id=task_id)
        if case is None:
            return None, None, []
        task, ready = task_and_open_tasks(case.pk, task_id)
    else:
        statement = _locked_case_statement(connection, True, with_tasks=True)
        found = statement.rows([TaskState.READY.value, task_id, task_id])
        if not found:
            return None, None, []
        case = _case_of(statement, found[0])
        task, ready = _tasks_of(statement, found, task_id, slice(3, 5))
    for row in ready:
        row.case = case
    if task is not None:
        task.case = case
    return case, task, ready


def _tasks_of(statement: Statement, found, task_id, parts: slice) -> tuple[Task | None, list]:
    task, ready = None, []
    for row in found:
        row_task, group = statement.instances(row, parts)
        if row_task is None:  # a case without such tasks (the empty LEFT JOIN)
            continue
        Task.candidate_group.field.set_cached_value(row_task, group)
        if row_task.pk == task_id:
            task = row_task
        if row_task.state == TaskState.READY:
            ready.append(row_task)
    return task, ready


@lru_cache(maxsize=32)
def _case_tasks_statement(connection) -> Statement:
    q = connection.ops.quote_name
    task = Columns.of(connection, Task, "t")
    group = Columns.of(connection, Group, "g")
    sql = (
        f"SELECT {task.select_list(connection)}, {group.select_list(connection)} "
        f"FROM {q(Task._meta.db_table)} {q('t')} "
        f"LEFT OUTER JOIN {q(Group._meta.db_table)} {q('g')} "
        f"ON {q('g')}.{q('id')} = {q('t')}.{q('candidate_group_id')} "
        f"WHERE {q('t')}.{q('case_id')} = %s "
        f"AND ({q('t')}.{q('state')} = %s OR {q('t')}.{q('id')} = %s) "
        f"ORDER BY {q('t')}.{q('id')}"
    )
    return Statement(sql, (task, group))


def task_and_open_tasks(case_id: int, task_id: int | None = None) -> tuple[Task | None, list]:
    """One of the case's tasks (None if it has no such task) and its ready
    tasks, oldest first, each with its candidate group (the assignee is loaded
    on access), in one query. When the task is ready it is the very instance
    in the list, so a change to it shows in both."""
    statement = _case_tasks_statement(connections[DEFAULT_DB_ALIAS])
    found = statement.rows([case_id, TaskState.READY.value, task_id])
    return _tasks_of(statement, found, task_id, slice(None))


def open_tasks(case_id: int) -> list[Task]:
    """The case's ready task rows, oldest first."""
    return task_and_open_tasks(case_id)[1]
