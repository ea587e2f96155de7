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

from dataclasses import dataclass
from functools import lru_cache

from django.contrib.auth.models import Group
from django.db import DEFAULT_DB_ALIAS, connections

from cases.models import Case, ProcessDefinition, Task, TaskState
from org.models import Unit

# Definition columns a step never needs: loaded on access, like ``defer()``.
_DEFINITION_DEFERRED = ("sources", "spec_json", "forms")


@dataclass(frozen=True)
class _Columns:
    """One model's columns in a SELECT list, under a table alias."""

    model: type
    alias: str
    fields: tuple
    converters: tuple

    @classmethod
    def of(cls, connection, model, alias: str, *, exclude=()) -> "_Columns":
        fields = tuple(f for f in model._meta.concrete_fields if f.name not in exclude)
        converters = []
        for field in fields:
            column = field.get_col(alias)
            found = connection.ops.get_db_converters(column) + column.get_db_converters(
                connection
            )
            converters.append((column, tuple(found)))
        return cls(model, alias, fields, tuple(converters))

    def select_list(self, connection) -> str:
        quote = connection.ops.quote_name
        return ", ".join(f"{quote(self.alias)}.{quote(f.column)}" for f in self.fields)

    def instance(self, row, start: int):
        """The model instance from ``row[start:start + len(fields)]``, or
        None when its primary key is NULL (the empty side of a LEFT JOIN)."""
        values = list(row[start:start + len(self.fields)])
        if values[0] is None:
            return None
        connection = connections[DEFAULT_DB_ALIAS]
        for i, (column, converters) in enumerate(self.converters):
            for convert in converters:
                values[i] = convert(values[i], column, connection)
        return self.model.from_db(
            DEFAULT_DB_ALIAS, [f.attname for f in self.fields], values
        )


@dataclass(frozen=True)
class _Statement:
    sql: str
    parts: tuple[_Columns, ...]

    def rows(self, params):
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(self.sql, params)
            return cursor.fetchall()

    def first(self, params) -> list | None:
        """The instances of the first row, or None without a row."""
        rows = self.rows(params)
        return self.instances(rows[0]) if rows else None

    def instances(self, row) -> list:
        found, start = [], 0
        for part in self.parts:
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
def _locked_case_statement(connection, by_task: bool) -> _Statement:
    q = connection.ops.quote_name
    case = _Columns.of(connection, Case, "c")
    unit = _Columns.of(connection, Unit, "u")
    definition = _Columns.of(
        connection, ProcessDefinition, "d", exclude=_DEFINITION_DEFERRED
    )
    where = (
        f"{q('c')}.{q('id')} = (SELECT {q('case_id')} FROM {q(Task._meta.db_table)} "
        f"WHERE {q('id')} = %s)"
        if by_task else f"{q('c')}.{q('id')} = %s"
    )
    sql = (
        f"SELECT {case.select_list(connection)}, {unit.select_list(connection)}, "
        f"{definition.select_list(connection)} "
        f"FROM {q(Case._meta.db_table)} {q('c')} "
        f"INNER JOIN {q(ProcessDefinition._meta.db_table)} {q('d')} "
        f"ON {q('d')}.{q('id')} = {q('c')}.{q('definition_id')} "
        f"LEFT OUTER JOIN {q(Unit._meta.db_table)} {q('u')} "
        f"ON {q('u')}.{q('id')} = {q('c')}.{q('unit_id')} "
        f"WHERE {where}{_for_update(connection, 'c')}"
    )
    return _Statement(sql, (case, unit, definition))


def locked_case(*, case_id: int | None = None, task_id: int | None = None) -> Case | None:
    """Lock and read one case, by its id or one of its tasks' ids, with its
    unit and definition (the definition's large columns deferred)."""
    connection = connections[DEFAULT_DB_ALIAS]
    statement = _locked_case_statement(connection, case_id is None)
    found = statement.first([task_id if case_id is None else case_id])
    if found is None:
        return None
    case, unit, definition = found
    Case.unit.field.set_cached_value(case, unit)
    Case.definition.field.set_cached_value(case, definition)
    return case


@lru_cache(maxsize=32)
def _task_statement(connection) -> _Statement:
    q = connection.ops.quote_name
    task = _Columns.of(connection, Task, "t")
    group = _Columns.of(connection, Group, "g")
    sql = (
        f"SELECT {task.select_list(connection)}, {group.select_list(connection)} "
        f"FROM {q(Task._meta.db_table)} {q('t')} "
        f"LEFT OUTER JOIN {q(Group._meta.db_table)} {q('g')} "
        f"ON {q('g')}.{q('id')} = {q('t')}.{q('candidate_group_id')} "
        f"WHERE {q('t')}.{q('id')} = %s"
    )
    return _Statement(sql, (task, group))


def task(task_id: int) -> Task | None:
    """One task with its candidate group (the assignee is loaded on access)."""
    statement = _task_statement(connections[DEFAULT_DB_ALIAS])
    found = statement.first([task_id])
    if found is None:
        return None
    row, group = found
    Task.candidate_group.field.set_cached_value(row, group)
    return row


@lru_cache(maxsize=32)
def _open_tasks_statement(connection) -> _Statement:
    q = connection.ops.quote_name
    task = _Columns.of(connection, Task, "t")
    sql = (
        f"SELECT {task.select_list(connection)} FROM {q(Task._meta.db_table)} {q('t')} "
        f"WHERE {q('t')}.{q('case_id')} = %s AND {q('t')}.{q('state')} = %s "
        f"ORDER BY {q('t')}.{q('id')}"
    )
    return _Statement(sql, (task,))


def open_tasks(case_id: int) -> list[Task]:
    """The case's ready task rows, oldest first."""
    statement = _open_tasks_statement(connections[DEFAULT_DB_ALIAS])
    return [
        statement.instances(row)[0]
        for row in statement.rows([case_id, TaskState.READY.value])
    ]


def groups(names) -> dict[str, Group]:
    """The groups of these names that exist, by name."""
    names = sorted({n for n in names if n})
    if not names:
        return {}
    connection = connections[DEFAULT_DB_ALIAS]
    q = connection.ops.quote_name
    sql = (
        f"SELECT {q('id')}, {q('name')} FROM {q(Group._meta.db_table)} "
        f"WHERE {q('name')} IN ({', '.join(['%s'] * len(names))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, names)
        return {
            name: Group.from_db(DEFAULT_DB_ALIAS, ["id", "name"], [pk, name])
            for pk, name in cursor.fetchall()
        }


# -- writes --------------------------------------------------------------------------
# Plain INSERT/UPDATE of one instance, with the values prepared by the fields
# exactly as ``Model.save`` prepares them (``pre_save`` fills auto_now and
# auto_now_add, ``get_db_prep_save`` adapts JSON, dates and bytes). No model
# signals are sent: nothing listens to these models' saves, and a step must
# not grow hidden side effects (``test_rows`` checks that none is connected).
@lru_cache(maxsize=64)
def _insert_statement(connection, model) -> tuple[str, tuple]:
    q = connection.ops.quote_name
    fields = tuple(
        f for f in model._meta.concrete_fields
        if not (f.primary_key and f.get_internal_type().endswith("AutoField"))
    )
    sql = (
        f"INSERT INTO {q(model._meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    if connection.features.can_return_columns_from_insert:
        returning, _params = connection.ops.return_insert_columns([model._meta.pk])
        sql += " " + returning
    return sql, fields


def insert(obj):
    """INSERT a new instance and set its primary key; returns it."""
    connection = connections[DEFAULT_DB_ALIAS]
    model = type(obj)
    sql, fields = _insert_statement(connection, model)
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if connection.features.can_return_columns_from_insert:
            pk = cursor.fetchone()[0]
        else:
            pk = connection.ops.last_insert_id(cursor, model._meta.db_table, model._meta.pk.column)
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = DEFAULT_DB_ALIAS
    return obj


@lru_cache(maxsize=64)
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
    """UPDATE the named fields of a stored instance (every field when None).

    As ``save(update_fields=...)``, auto_now fields change only when named
    (or when every field is written).
    """
    connection = connections[DEFAULT_DB_ALIAS]
    sql, prepared = _update_statement(
        connection, type(obj), tuple(sorted(fields)) if fields is not None else None
    )
    params = [f.get_db_prep_save(f.pre_save(obj, False), connection) for f in prepared]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, obj.pk])


# -- small lookups --------------------------------------------------------------------
def _scalar(sql: str, params):
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def task_completed_by(case_id: int, bpmn_id: str, user_id: int) -> bool:
    """Whether the user completed a task of this BPMN id in the case."""
    q = connections[DEFAULT_DB_ALIAS].ops.quote_name
    return _scalar(
        f"SELECT 1 FROM {q(Task._meta.db_table)} WHERE {q('case_id')} = %s "
        f"AND {q('bpmn_id')} = %s AND {q('completed_by_id')} = %s LIMIT 1",
        [case_id, bpmn_id, user_id],
    ) is not None


def case_labels(case_id: int) -> set[tuple[str, str]]:
    """The case's (key, value) label rows."""
    from cases.models import CaseLabel

    q = connections[DEFAULT_DB_ALIAS].ops.quote_name
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(
            f"SELECT {q('key')}, {q('value')} FROM {q(CaseLabel._meta.db_table)} "
            f"WHERE {q('case_id')} = %s",
            [case_id],
        )
        return set(cursor.fetchall())


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
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({q('permission_id')}, {q('content_type_id')}, "
            f"{q('object_pk')}, {q('user_id')}) VALUES (%s, %s, %s, %s) "
            f"ON CONFLICT DO NOTHING",
            [permission_id, content_type.pk, str(obj.pk), user_id],
        )
