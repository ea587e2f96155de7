"""Load workflows/*.bpmn (+ DMN tables and form schemas) into versioned
ProcessDefinition rows. Unchanged files make no new version."""

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import jsonschema
from django.contrib.auth.models import Group
from django.db import transaction

from cases import operations
from cases.models import ProcessDefinition
from cases.workflow.errors import DefinitionError
from cases.workflow.specs import FORM_PROPERTY, ParsedProcess, load_json_file, parse_process

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncResult:
    process_id: str
    version: int
    created: bool


def _check_rules(parsed: ParsedProcess, bpmn_name: str, forms_dir: Path) -> dict[str, dict]:
    """Varde's rules for a definition; returns the form schemas it uses."""
    problems, forms = [], {}
    groups = set(Group.objects.values_list("name", flat=True))
    for task in parsed.user_tasks:
        where = f"{bpmn_name}: user task {task.bpmn_id!r}"
        form = task.properties.get(FORM_PROPERTY)
        if not form:
            problems.append(f"{where} names no form (property {FORM_PROPERTY})")
        elif not (forms_dir / form).is_file():
            problems.append(f"{where}: form file {form} not found in {forms_dir}")
        else:
            try:
                schema = load_json_file(forms_dir / form)
                jsonschema.Draft202012Validator.check_schema(schema)
                forms[form] = schema
            except (DefinitionError, jsonschema.SchemaError) as exc:
                problems.append(f"{where}: form {form} is not a valid JSON Schema: {exc}")
        if not task.lane:
            problems.append(f"{where} is in no lane")
        elif task.lane not in groups:
            problems.append(
                f"{where}: lane {task.lane!r} has no group mapping (no Django group named so)"
            )
    registered = operations.names()
    for bpmn_id, name in sorted(parsed.service_tasks.items()):
        if name not in registered:
            problems.append(
                f"{bpmn_name}: service task {bpmn_id!r}: operation {name!r} is not registered"
            )
    if problems:
        raise DefinitionError("\n".join(problems))
    return forms


def _content_hash(bpmn: Path, dmn_files: list[Path], forms_dir: Path, forms: dict) -> str:
    digest = hashlib.sha256()
    for path in [bpmn, *dmn_files, *(forms_dir / name for name in sorted(forms))]:
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def definitions_sync(*, directory: Path) -> list[SyncResult]:
    """Parse and check every BPMN file first; write only if all are valid."""
    forms_dir = directory / "forms"
    dmn_files = sorted(directory.glob("*.dmn"))
    prepared, problems = [], []
    for bpmn in sorted(directory.glob("*.bpmn")):
        try:
            parsed = parse_process(bpmn, dmn_files)
            forms = _check_rules(parsed, bpmn.name, forms_dir)
        except DefinitionError as exc:
            problems.append(str(exc))
            continue
        except Exception:
            # A failure inside the parser that it did not report as invalid
            # BPMN: the designer gets the file and what to check, the
            # traceback goes to the log for the developers.
            logger.exception("sync_workflows: the BPMN parser failed on %s", bpmn.name)
            problems.append(
                f"{bpmn.name}: the BPMN parser could not read this file; check that it is "
                "a BPMN 2.0 diagram and that every id it refers to is defined in it"
            )
            continue
        prepared.append((bpmn, parsed, forms))
    if problems:
        raise DefinitionError("\n".join(problems))

    results = []
    with transaction.atomic():
        for bpmn, parsed, forms in prepared:
            results.append(_store(bpmn, parsed, forms, forms_dir))
    return results


def _store(bpmn: Path, parsed: ParsedProcess, forms: dict, forms_dir: Path) -> SyncResult:
    content_hash = _content_hash(bpmn, parsed.dmn_files, forms_dir, forms)
    existing = ProcessDefinition.objects.filter(
        process_id=parsed.process_id, content_hash=content_hash
    ).first()
    if existing is not None:
        return SyncResult(parsed.process_id, existing.version, created=False)
    latest = (
        ProcessDefinition.objects.select_for_update()
        .filter(process_id=parsed.process_id)
        .order_by("-version")
        .first()
    )
    sources = {p.name: p.read_text(encoding="utf-8") for p in [bpmn, *parsed.dmn_files]}
    definition = ProcessDefinition.objects.create(
        process_id=parsed.process_id,
        version=(latest.version + 1) if latest else 1,
        name=parsed.name,
        content_hash=content_hash,
        bpmn_file=bpmn.name,
        sources=sources,
        spec_json=parsed.spec_json(),
        forms=forms,
        reference_prefix=parsed.reference_prefix,
        confidential=parsed.confidential,
    )
    return SyncResult(parsed.process_id, definition.version, created=True)
