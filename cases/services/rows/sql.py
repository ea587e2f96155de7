"""Running a statement, and a model's columns in a SELECT list."""

from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections

DEFINITION_DEFERRED = ("sources", "spec_json", "forms")


def execute(sql: str, params, *, fetch: bool = True) -> list:
    """Run one statement; its rows when ``fetch``."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if fetch else []


@dataclass(frozen=True)
class Columns:
    """One model's columns in a SELECT list, under a table alias."""

    model: type
    alias: str
    fields: tuple
    attnames: tuple
    converters: tuple  # (position, column, converters) of the fields that have any

    @classmethod
    def of(cls, connection, model, alias: str, *, exclude=()) -> "Columns":
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
class Statement:
    sql: str
    parts: tuple[Columns, ...]

    def rows(self, params):
        return execute(self.sql, params)

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


def for_update(connection, alias: str) -> str:
    """The row-lock clause for the case alone (not the joined rows). SQLite
    has none: its transactions take the database's write lock at BEGIN."""
    features = connection.features
    if not features.has_select_for_update:
        return ""
    if features.has_select_for_update_of:
        return " " + connection.ops.for_update_sql(of=(connection.ops.quote_name(alias),))
    return " " + connection.ops.for_update_sql()
