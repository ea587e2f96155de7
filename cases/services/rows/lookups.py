"""The small reads and writes of a few steps."""

from functools import lru_cache

from django.db import DEFAULT_DB_ALIAS, connections

from cases.models import ProcessDefinition, Task
from cases.services.rows.sql import DEFINITION_DEFERRED, Columns, Statement, execute
from org.models import Unit


def _scalar(sql: str, params):
    found = execute(sql, params)
    return found[0][0] if found else None


def task_completed_by(case_id: int, bpmn_id: str, user_id: int) -> bool:
    """Whether the user completed a task of this BPMN id in the case."""
    # The user is compared here, not in SQL: with the user in the WHERE
    # clause SQLite (without statistics) reads the completed_by index, which
    # holds everything the user ever completed, instead of the case's tasks.
    q = connections[DEFAULT_DB_ALIAS].ops.quote_name
    found = execute(
        f"SELECT {q('completed_by_id')} FROM {q(Task._meta.db_table)} "
        f"WHERE {q('case_id')} = %s AND {q('bpmn_id')} = %s",
        [case_id, bpmn_id],
    )
    return any(completed_by == user_id for (completed_by,) in found)


def case_labels(case_id: int) -> set[tuple[str, str]]:
    """The case's (key, value) label rows."""
    from cases.models import CaseLabel

    q = connections[DEFAULT_DB_ALIAS].ops.quote_name
    return set(execute(
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
def _unit_statement(connection) -> Statement:
    q = connection.ops.quote_name
    unit = Columns.of(connection, Unit, "u")
    sql = (
        f"SELECT {unit.select_list(connection)} FROM {q(Unit._meta.db_table)} {q('u')} "
        f"WHERE {q('u')}.{q('code')} = %s"
    )
    return Statement(sql, (unit,))


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
def _latest_definition_statement(connection) -> Statement:
    q = connection.ops.quote_name
    definition = Columns.of(
        connection, ProcessDefinition, "d", exclude=DEFINITION_DEFERRED
    )
    sql = (
        f"SELECT {definition.select_list(connection)} "
        f"FROM {q(ProcessDefinition._meta.db_table)} {q('d')} "
        f"WHERE {q('d')}.{q('process_id')} = %s "
        f"ORDER BY {q('d')}.{q('version')} DESC LIMIT 1"
    )
    return Statement(sql, (definition,))


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
    execute(
        f"INSERT INTO {table} ({q('permission_id')}, {q('content_type_id')}, "
        f"{q('object_pk')}, {q('user_id')}) VALUES (%s, %s, %s, %s) "
        f"ON CONFLICT DO NOTHING",
        [permission_id, content_type.pk, str(obj.pk), user_id],
        fetch=False,
    )
