"""INSERT and UPDATE of model instances.

The values are prepared by the fields exactly as ``Model.save`` prepares them
(``pre_save`` fills auto_now and auto_now_add, ``get_db_prep_save`` adapts
JSON, dates and bytes). No model signals are sent: nothing listens to the
saves of the models a step writes (``test_rows`` checks that none is
connected); the job backend sets what django-tasks-db's receiver would, and
``case_start`` saves a content row with receivers through the ORM.
"""

from functools import lru_cache

from django.contrib.auth.models import Group
from django.db import DEFAULT_DB_ALIAS, connections, models

from cases.models import Case, Task
from cases.services.rows.sql import execute


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
        ((pk,),) = execute(sql, params)
    else:
        execute(sql, params, fetch=False)
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
    pks = sorted(pk for (pk,) in execute(sql, params))
    for obj, pk in zip(objs, pks, strict=True):
        _inserted(obj, pk)


def _inserted(obj, pk):
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = DEFAULT_DB_ALIAS
    if type(obj) is Case:  # the one model a step writes again (``update``)
        remember(obj)
    return obj


# The field values a case was read or last written with, so ``update`` writes
# only what changed: every column named in an UPDATE costs its indexes a
# rewrite, even with the value unchanged (on SQLite a case has eight).
_STORED = "_rows_stored"


def remember(obj) -> None:
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
    ((pk, group_id),) = execute(sql, params)
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
    execute(sql, [*params, obj.pk], fetch=False)
    if stored is not None:
        stored.update((f.attname, obj.__dict__[f.attname]) for f in prepared)
