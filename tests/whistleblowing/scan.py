"""Look for a canary anywhere the system keeps data: every column of every
table (zlib-compressed workflow state included), every stored file, the
cache, and captured log output."""

import contextlib
import logging
import pickle
import zlib
from pathlib import Path

from django.core.cache import caches
from django.db import connection


def forms_of(canary: str) -> list[bytes]:
    return [canary.encode("utf-8"), canary.encode("utf-16-le"), canary.encode("utf-16-be")]


def _contains(value, needles) -> bool:
    if value is None:
        return False
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        blobs = [value]
        with contextlib.suppress(zlib.error):
            blobs.append(zlib.decompress(value))
        return any(n in blob for blob in blobs for n in needles)
    return any(n in str(value).encode("utf-8") for n in needles[:1]) or any(
        n in str(value).encode("utf-16-le") for n in needles[1:2]
    )


def database_hits(canary: str) -> list[str]:
    """table.column of every cell that holds the canary."""
    needles = forms_of(canary)
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if _contains(value, needles):
                        hits.append(f"{table}.{column}")
    return hits


def tables_scanned() -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def file_hits(root: Path, canary: str) -> list[str]:
    needles = forms_of(canary)
    return [
        str(path) for path in Path(root).rglob("*")
        if path.is_file() and any(n in path.read_bytes() or n in path.name.encode()
                                  for n in needles)
    ]


def cache_hits(canary: str) -> list[str]:
    """Keys and values of the in-memory test cache."""
    needles = forms_of(canary)
    cache = caches["default"]
    store = getattr(cache, "_cache", {})
    hits = []
    for key, value in store.items():
        raw = value if isinstance(value, bytes) else pickle.dumps(value)
        if _contains(key, needles) or _contains(raw, needles):
            hits.append(key)
    return hits


class Capture(logging.Handler):
    """Everything logged anywhere, formatted with tracebacks."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record):
        self.lines.append(self.format(record) + repr(getattr(record, "request", "")))

    def text(self) -> str:
        return "\n".join(self.lines)
