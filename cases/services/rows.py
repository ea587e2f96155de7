"""The rows every workflow step reads and writes, in SQL written once per
connection.

Every step reads the locked case (with its unit and definition), the task it
completes and the case's open tasks, and writes the case, task and event rows.
Through the ORM, compiling those queries costs ten to twenty times running
them (``bench/engine.py --profile``): a ``select_related`` query is compiled
anew on every call. Here each is written once from the models' metadata and
then only run with new parameters. Values
go through the converters the ORM itself would apply and rows become model
instances through ``Model.from_db``, so callers get ordinary model instances
with their related objects cached, exactly as ``select_related`` gives them.

Internal to ``cases.services``; everything else uses the ORM.
"""

import json
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.auth.models import Group
from django.db import DEFAULT_DB_ALIAS, connections, models

from cases.models import Case, ProcessDefinition, Task, TaskState
from org.models import Unit

# Definition columns a step never needs: loaded on access, like ``defer()``.
_DEFINITION_DEFERRED = ("sources", "spec_json", "forms")


def _execute(sql: str, params, *, fetch: bool = True) -> list:
    """Run one statement; its rows when ``fetch``."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if fetch else []


@dataclass(frozen=True)
class _Columns:
    """One model's columns in a SELECT list, under a table alias."""

    model: type
    alias: str
    fields: tuple
    attnames: tuple
    converters: tuple  # (position, column, converters) of the fields that have any

    @classmethod
    def of(cls, connection, model, alias: str, *, exclude=()) -> "_Columns":
        fields = tuple(f for f in model._meta.concrete_fields if f.name not in exclude)
        converters = []
        for i, field in enumerate(fields):
            column = field.get_col(alias)
            found = connection.ops.get_db_converters(column) + column.get_db_converters(
                connection
            )
            if found:
                converters.append((i, column, tuple(found)))
        return cls(model, alias, fields, tuple(f.attname for f in fields), tuple(converters))

    def select_list(self, connection) -> str:
        quote = connection.ops.quote_name
        return ", ".join(f"{quote(self.alias)}.{quote(f.column)}" for f in self.fields)

    def instance(self, row, start: int):
        """The model instance from ``row[start:start + len(fields)]``, or
        None when its primary key is NULL (the empty side of a LEFT JOIN)."""
        values = list(row[start:start + len(self.fields)])
        if values[0] is None:
            return None
        if self.converters:
            connection = connections[DEFAULT_DB_ALIAS]
            for i, column, converters in self.converters:
                for convert in converters:
                    values[i] = convert(values[i], column, connection)
        return self.model.from_db(DEFAULT_DB_ALIAS, self.attnames, values)


@dataclass(frozen=True)
class _Statement:
    sql: str
    parts: tuple[_Columns, ...]

    def rows(self, params):
        return _execute(self.sql, params)

    def first(self, params) -> list | None:
        """The instances of the first row, or None without a row."""
        rows = self.rows(params)
        return self.instances(rows[0]) if rows else None

    def instances(self, row, parts: slice = slice(None)) -> list:
        """The instances of the row's parts (those of ``parts`` only)."""
        found, start = [], 0
        wanted = set(range(len(self.parts))[parts])
        for i, part in enumerate(self.parts):
            if i in wanted:
                found.append(part.instance(row, start))
            start += len(part.fields)
        return found


def _for_update(connection, alias: str) -> str:
    """The row-lock clause for the case alone (not the joined rows). SQLite
    has none: its transactions take the database's write lock at BEGIN."""
    features = connection.features
    if not features.has_select_for_update:
        return ""
    if features.has_select_for_update_of:
        return " " + connection.ops.for_update_sql(of=(connection.ops.quote_name(alias),))
    return " " + connection.ops.for_update_sql()


@lru_cache(maxsize=32)
def _locked_case_statement(connection, by_task: bool, with_tasks: bool = False) -> _Statement:
    """The case by its id or a task's id (``by_task``), with its unit,
    definition and labels; ``with_tasks``: one row per task of the case that
    is ready or has the given id, with its group (parameters: the ready state,
    the task id, then the task id of the WHERE)."""
    q = connection.ops.quote_name
    parts = [
        _Columns.of(connection, Case, "c"),
        _Columns.of(connection, Unit, "u"),
        _Columns.of(connection, ProcessDefinition, "d", exclude=_DEFINITION_DEFERRED),
    ]
    joins = (
        f"INNER JOIN {q(ProcessDefinition._meta.db_table)} {q('d')} "
        f"ON {q('d')}.{q('id')} = {q('c')}.{q('definition_id')} "
        f"LEFT OUTER JOIN {q(Unit._meta.db_table)} {q('u')} "
        f"ON {q('u')}.{q('id')} = {q('c')}.{q('unit_id')} "
    )
    order = ""
    if with_tasks:
        parts += [_Columns.of(connection, Task, "t"), _Columns.of(connection, Group, "g")]
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
        f"WHERE {where}{order}{_for_update(connection, 'c')}"
    )
    return _Statement(sql, tuple(parts))


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


def _case_of(statement: _Statement, row) -> Case:
    case, unit, definition = statement.instances(row, slice(3))
    labels = row[-1]
    if isinstance(labels, str):  # SQLite gives the JSON as text
        labels = json.loads(labels)
    case.__dict__[LABELS] = {(key, value) for key, value in labels}
    _remember(case)
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


def _tasks_of(statement: _Statement, found, task_id, parts: slice) -> tuple[Task | None, list]:
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
def _case_tasks_statement(connection) -> _Statement:
    q = connection.ops.quote_name
    task = _Columns.of(connection, Task, "t")
    group = _Columns.of(connection, Group, "g")
    sql = (
        f"SELECT {task.select_list(connection)}, {group.select_list(connection)} "
        f"FROM {q(Task._meta.db_table)} {q('t')} "
        f"LEFT OUTER JOIN {q(Group._meta.db_table)} {q('g')} "
        f"ON {q('g')}.{q('id')} = {q('t')}.{q('candidate_group_id')} "
        f"WHERE {q('t')}.{q('case_id')} = %s "
        f"AND ({q('t')}.{q('state')} = %s OR {q('t')}.{q('id')} = %s) "
        f"ORDER BY {q('t')}.{q('id')}"
    )
    return _Statement(sql, (task, group))


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


# -- writes --------------------------------------------------------------------------
# Plain INSERT/UPDATE of one instance, with the values prepared by the fields
# exactly as ``Model.save`` prepares them (``pre_save`` fills auto_now and
# auto_now_add, ``get_db_prep_save`` adapts JSON, dates and bytes). No model
# signals are sent: nothing listens to these models' saves, and a step must
# not grow hidden side effects (``test_rows`` checks that none is connected).
def _generated_pk(model) -> bool:
    return model._meta.pk.get_internal_type().endswith("AutoField")


# Field classes (exactly these, not subclasses, which may encrypt or encode)
# whose ``pre_save`` reads the attribute and whose ``get_db_prep_save`` gives
# a value of this type back unchanged, on SQLite and PostgreSQL alike.
_PLAIN_FIELDS = {
    models.CharField: str,
    models.TextField: str,
    models.IntegerField: int,
    models.BigIntegerField: int,
    models.SmallIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.BooleanField: bool,
}
_INTEGER_KEYS = (models.AutoField, models.BigAutoField)


def _plain_type(field) -> type | None:
    if type(field) in (models.ForeignKey, models.OneToOneField):
        return int if type(field.target_field) in _INTEGER_KEYS else None
    return _PLAIN_FIELDS.get(type(field))


@lru_cache(maxsize=256)
def _preparers(fields: tuple) -> tuple:
    return tuple((f, f.attname, _plain_type(f)) for f in fields)


def _db_values(obj, fields: tuple, connection, *, add: bool) -> list:
    """The field values as ``Model.save`` sends them: ``get_db_prep_save`` of
    ``pre_save``, skipped for a plain value it would return unchanged (most
    columns of a step's rows; the call chain per value costs more than the
    statement's execution)."""
    values = []
    loaded = obj.__dict__
    for field, attname, plain in _preparers(fields):
        if plain is not None and attname in loaded:  # (a deferred field loads below)
            value = loaded[attname]
            if value is None or type(value) is plain:
                values.append(value)
                continue
        values.append(field.get_db_prep_save(field.pre_save(obj, add), connection))
    return values


@lru_cache(maxsize=64)
def _insert_statement(connection, model) -> tuple[str, tuple]:
    q = connection.ops.quote_name
    generated = _generated_pk(model)
    fields = tuple(f for f in model._meta.concrete_fields if not (f.primary_key and generated))
    sql = (
        f"INSERT INTO {q(model._meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    if generated:
        # SQLite and PostgreSQL, the databases Varde runs on, both return columns.
        returning, _params = connection.ops.return_insert_columns([model._meta.pk])
        sql = f"{sql} {returning}"
    return sql, fields


def insert(obj):
    """INSERT a new instance and set its generated primary key; returns it."""
    connection = connections[DEFAULT_DB_ALIAS]
    model = type(obj)
    sql, fields = _insert_statement(connection, model)
    params = _db_values(obj, fields, connection, add=True)
    if _generated_pk(model):
        ((pk,),) = _execute(sql, params)
    else:
        _execute(sql, params, fetch=False)
        pk = obj.pk
    return _inserted(obj, pk)


@lru_cache(maxsize=64)
def _insert_many_statement(connection, model, count: int) -> tuple[str, tuple]:
    single, fields = _insert_statement(connection, model)
    head, rest = single.split(" VALUES ", 1)
    row, returning = rest.split(")", 1)
    return f"{head} VALUES {', '.join([row + ')'] * count)}{returning}", fields


def insert_many(objs: list) -> None:
    """INSERT new instances of one model with a generated primary key in one
    statement, setting their primary keys."""
    if len(objs) <= 1:
        for obj in objs:
            insert(obj)
        return
    connection = connections[DEFAULT_DB_ALIAS]
    sql, fields = _insert_many_statement(connection, type(objs[0]), len(objs))
    params = [value for obj in objs for value in _db_values(obj, fields, connection, add=True)]
    # One statement takes its ids in row order; RETURNING need not give
    # them in that order, so they are matched sorted.
    pks = sorted(pk for (pk,) in _execute(sql, params))
    for obj, pk in zip(objs, pks, strict=True):
        _inserted(obj, pk)


def _inserted(obj, pk):
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = DEFAULT_DB_ALIAS
    if type(obj) is Case:  # the one model a step writes again (``update``)
        _remember(obj)
    return obj


# The field values a case was read or last written with, so ``update`` writes
# only what changed: every column named in an UPDATE costs its indexes a
# rewrite, even with the value unchanged (on SQLite a case has eight).
_STORED = "_rows_stored"


def _remember(obj) -> None:
    obj.__dict__[_STORED] = {
        f.attname: obj.__dict__[f.attname]
        for f in obj._meta.concrete_fields if f.attname in obj.__dict__
    }


def _changed_fields(obj, stored: dict) -> tuple:
    """Names of the fields to write: those changed since read or written
    (a deferred field never loaded is not), mutable values always, and
    auto_now fields, which every save touches."""
    names = []
    for f in obj._meta.concrete_fields:
        if f.primary_key or f.attname not in obj.__dict__:
            continue
        value = obj.__dict__[f.attname]
        if (
            getattr(f, "auto_now", False)
            or isinstance(value, (dict, list, bytearray, memoryview))
            or f.attname not in stored
            or stored[f.attname] != value
        ):
            names.append(f.name)
    return tuple(sorted(names))


@lru_cache(maxsize=32)
def _insert_task_statement(connection) -> tuple[str, tuple, int]:
    """The task INSERT with its candidate group looked up by name inside it."""
    q = connection.ops.quote_name
    sql, fields = _insert_statement(connection, Task)
    group_column = Task._meta.get_field("candidate_group").column
    lookup = (
        f"(SELECT {q('id')} FROM {q(Group._meta.db_table)} WHERE {q('name')} = %s)"
    )
    values = ", ".join(lookup if f.column == group_column else "%s" for f in fields)
    head = sql[:sql.index(" VALUES (")]
    returning, _params = connection.ops.return_insert_columns(
        [Task._meta.pk, Task._meta.get_field("candidate_group")]
    )
    group_position = [f.column for f in fields].index(group_column)
    return f"{head} VALUES ({values}) {returning}", fields, group_position


def insert_task(task: Task, group_name: str | None) -> Task:
    """INSERT a new task whose candidate group is the group named so (none if
    no group has that name), with the group cached on the instance."""
    connection = connections[DEFAULT_DB_ALIAS]
    sql, fields, group_position = _insert_task_statement(connection)
    params = _db_values(task, fields, connection, add=True)
    params[group_position] = group_name
    ((pk, group_id),) = _execute(sql, params)
    group = (
        Group.from_db(DEFAULT_DB_ALIAS, ["id", "name"], [group_id, group_name])
        if group_id is not None else None
    )
    task.candidate_group_id = group_id  # before the cache: setting the id clears it
    Task.candidate_group.field.set_cached_value(task, group)
    return _inserted(task, pk)


@lru_cache(maxsize=256)
def _update_statement(connection, model, names: tuple | None) -> tuple[str, tuple]:
    q = connection.ops.quote_name
    fields = tuple(
        f for f in model._meta.concrete_fields
        if not f.primary_key and (names is None or f.name in names)
    )
    sql = (
        f"UPDATE {q(model._meta.db_table)} SET "
        f"{', '.join(f'{q(f.column)} = %s' for f in fields)} "
        f"WHERE {q(model._meta.pk.column)} = %s"
    )
    return sql, fields


def update(obj, fields=None) -> None:
    """UPDATE the named fields of a stored instance; when None, the fields
    changed since it was read or written here (every field of an instance
    that came from elsewhere).

    As ``save(update_fields=...)``, auto_now fields change only when named
    (or when every field is written, or any changed one).
    """
    connection = connections[DEFAULT_DB_ALIAS]
    stored = obj.__dict__.get(_STORED)
    if fields is not None:
        names = tuple(sorted(fields))
    elif stored is not None:
        names = _changed_fields(obj, stored)
    else:
        names = None
    if names == ():
        return
    sql, prepared = _update_statement(connection, type(obj), names)
    params = _db_values(obj, prepared, connection, add=False)
    _execute(sql, [*params, obj.pk], fetch=False)
    if stored is not None:
        stored.update((f.attname, obj.__dict__[f.attname]) for f in prepared)


# -- small lookups --------------------------------------------------------------------
def _scalar(sql: str, params):
    found = _execute(sql, params)
    return found[0][0] if found else None


def task_completed_by(case_id: int, bpmn_id: str, user_id: int) -> bool:
    """Whether the user completed a task of this BPMN id in the case."""
    # The user is compared here, not in SQL: with the user in the WHERE
    # clause SQLite (without statistics) reads the completed_by index, which
    # holds everything the user ever completed, instead of the case's tasks.
    q = connections[DEFAULT_DB_ALIAS].ops.quote_name
    found = _execute(
        f"SELECT {q('completed_by_id')} FROM {q(Task._meta.db_table)} "
        f"WHERE {q('case_id')} = %s AND {q('bpmn_id')} = %s",
        [case_id, bpmn_id],
    )
    return any(completed_by == user_id for (completed_by,) in found)


def case_labels(case_id: int) -> set[tuple[str, str]]:
    """The case's (key, value) label rows."""
    from cases.models import CaseLabel

    q = connections[DEFAULT_DB_ALIAS].ops.quote_name
    return set(_execute(
        f"SELECT {q('key')}, {q('value')} FROM {q(CaseLabel._meta.db_table)} "
        f"WHERE {q('case_id')} = %s",
        [case_id],
    ))


def active_user_id(username: str) -> int | None:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    q = connections[DEFAULT_DB_ALIAS].ops.quote_name
    username_column = user_model._meta.get_field(user_model.USERNAME_FIELD).column
    return _scalar(
        f"SELECT {q('id')} FROM {q(user_model._meta.db_table)} "
        f"WHERE {q(username_column)} = %s AND {q('is_active')} = %s",
        [username, True],
    )


@lru_cache(maxsize=32)
def _unit_statement(connection) -> _Statement:
    q = connection.ops.quote_name
    unit = _Columns.of(connection, Unit, "u")
    sql = (
        f"SELECT {unit.select_list(connection)} FROM {q(Unit._meta.db_table)} {q('u')} "
        f"WHERE {q('u')}.{q('code')} = %s"
    )
    return _Statement(sql, (unit,))


def unit_by_code(code: str) -> Unit | None:
    found = _unit_statement(connections[DEFAULT_DB_ALIAS]).first([code])
    return found[0] if found else None


def latest_definition(process_id: str) -> ProcessDefinition | None:
    """The newest version of a process, its large columns deferred."""
    connection = connections[DEFAULT_DB_ALIAS]
    statement = _latest_definition_statement(connection)
    found = statement.first([process_id])
    return found[0] if found else None


@lru_cache(maxsize=32)
def _latest_definition_statement(connection) -> _Statement:
    q = connection.ops.quote_name
    definition = _Columns.of(
        connection, ProcessDefinition, "d", exclude=_DEFINITION_DEFERRED
    )
    sql = (
        f"SELECT {definition.select_list(connection)} "
        f"FROM {q(ProcessDefinition._meta.db_table)} {q('d')} "
        f"WHERE {q('d')}.{q('process_id')} = %s "
        f"ORDER BY {q('d')}.{q('version')} DESC LIMIT 1"
    )
    return _Statement(sql, (definition,))


def next_reference_number(prefix: str, year: int) -> int:
    """Count up the yearly reference counter in one statement: an upsert
    that two first cases of a year cannot both win (the unique constraint
    on prefix and year arbitrates)."""
    from cases.models import ReferenceCounter

    q = connections[DEFAULT_DB_ALIAS].ops.quote_name
    table = q(ReferenceCounter._meta.db_table)
    return _scalar(
        f"INSERT INTO {table} ({q('prefix')}, {q('year')}, {q('last_number')}) "
        f"VALUES (%s, %s, 1) ON CONFLICT ({q('prefix')}, {q('year')}) "
        f"DO UPDATE SET {q('last_number')} = {table}.{q('last_number')} + 1 "
        f"RETURNING {q('last_number')}",
        [prefix, year],
    )


def grant_object_permission(user_id: int, codename: str, obj) -> None:
    """django-guardian's ``assign_perm`` for one user and object, in two
    statements instead of its five (a grant that exists already stays)."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from guardian.utils import get_user_obj_perms_model

    connection = connections[DEFAULT_DB_ALIAS]
    q = connection.ops.quote_name
    content_type = ContentType.objects.get_for_model(obj)  # cached by Django
    permission_id = _scalar(
        f"SELECT {q('id')} FROM {q(Permission._meta.db_table)} "
        f"WHERE {q('content_type_id')} = %s AND {q('codename')} = %s",
        [content_type.pk, codename],
    )
    if permission_id is None:
        raise Permission.DoesNotExist(codename)
    table = q(get_user_obj_perms_model()._meta.db_table)
    _execute(
        f"INSERT INTO {table} ({q('permission_id')}, {q('content_type_id')}, "
        f"{q('object_pk')}, {q('user_id')}) VALUES (%s, %s, %s, %s) "
        f"ON CONFLICT DO NOTHING",
        [permission_id, content_type.pk, str(obj.pk), user_id],
        fetch=False,
    )
