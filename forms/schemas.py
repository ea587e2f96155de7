"""Finding form-schema files and the translatable strings inside them.

Schema files are data in ``workflows/forms/`` (settings.VARDE_WORKFLOW_DIR),
read when needed rather than at import, so tests can point the setting
elsewhere.
"""

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from django.conf import settings

# Keys whose values are English msgids shown to users.
TEXT_KEYS = ("title", "description", "x-warning", "x-placeholder")
MAPPING_KEYS = ("x-enum-labels", "x-enum-descriptions")


def schema_dir() -> Path:
    return Path(settings.VARDE_WORKFLOW_DIR) / "forms"


def schema_files() -> list[Path]:
    return sorted(schema_dir().glob("*.json"))


def load_schema(filename: str) -> dict[str, Any]:
    """Load a schema by the file name a BPMN user task gives (``formJsonSchemaFilename``)."""
    path = schema_dir() / filename
    if path.parent != schema_dir() or path.suffix != ".json":
        raise ValueError(f"Not a form schema file name: {filename!r}")
    return json.loads(path.read_text(encoding="utf-8"))


def translatable_strings(schema: Mapping[str, Any]) -> Iterator[str]:
    """Yield every user-facing string of a schema, nested ones included."""
    for key in TEXT_KEYS:
        if isinstance(schema.get(key), str) and schema[key]:
            yield schema[key]
    for key in MAPPING_KEYS:
        yield from (text for text in schema.get(key, {}).values() if text)
    for prop in schema.get("properties", {}).values():
        yield from translatable_strings(prop)
    if isinstance(schema.get("items"), Mapping):
        yield from translatable_strings(schema["items"])
