"""Parse process definitions, check them against Varde's rules, and cache
each version's spec once per process."""

import json
import linecache
import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.spiff.specs.defaults import ServiceTask, UserTask

from cases.workflow.errors import DefinitionError
from cases.workflow.serialization import spec_from_json, spec_to_json

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
DMN_NAMESPACES = (
    "https://www.omg.org/spec/DMN/20191111/MODEL/",
    "http://www.omg.org/spec/DMN/20180521/MODEL/",
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd",
)
FORM_PROPERTY = "formJsonSchemaFilename"


@dataclass(frozen=True)
class UserTaskInfo:
    bpmn_id: str
    name: str
    lane: str | None
    properties: dict


@dataclass
class ParsedProcess:
    process_id: str
    name: str
    spec: object
    subprocess_specs: dict
    reference_prefix: str
    confidential: bool = False
    dmn_files: list[Path] = field(default_factory=list)
    user_tasks: list[UserTaskInfo] = field(default_factory=list)
    service_tasks: dict[str, str] = field(default_factory=dict)  # BPMN id -> operation

    @property
    def operations(self) -> set[str]:
        return set(self.service_tasks.values())

    @property
    def lanes(self) -> set[str]:
        return {t.lane for t in self.user_tasks if t.lane}

    @property
    def form_files(self) -> set[str]:
        return {
            t.properties[FORM_PROPERTY] for t in self.user_tasks if FORM_PROPERTY in t.properties
        }

    def spec_json(self) -> str:
        return spec_to_json(self.spec, self.subprocess_specs)


def require_utf8(path: Path) -> None:
    """Refuse a definition file that is not UTF-8, naming the first bad byte.

    Modelers from other vendors sometimes declare UTF-8 and write Latin-1;
    lxml then fails deep inside its reader with a UnicodeDecodeError. Every
    file Varde stores (BPMN and DMN sources, form schemas) is read as UTF-8.
    """
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DefinitionError(
            f"{path.name}, line {line}, column {column}: not valid UTF-8 "
            f"(byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from exc
    declared = re.match(rb"<\?xml[^>]*encoding=[\"']([^\"']+)[\"']", data.lstrip())
    encoding = declared.group(1).decode("ascii", "replace") if declared else "UTF-8"
    if encoding.lower() not in ("utf-8", "utf8"):
        raise DefinitionError(
            f"{path.name}, line 1: declares encoding {encoding!r}; "
            "Varde reads process definitions as UTF-8: save the file as UTF-8"
        )


def decision_ids(dmn_path: Path) -> list[str]:
    require_utf8(dmn_path)
    try:
        root = etree.parse(str(dmn_path)).getroot()
    except etree.XMLSyntaxError as exc:
        raise DefinitionError(f"{dmn_path.name}: not well-formed XML: {exc}") from exc
    ids = []
    for ns in DMN_NAMESPACES:
        ids += [d.get("id") for d in root.iter(f"{{{ns}}}decision")]
    return ids


def _process_properties(bpmn_path: Path, process_id: str) -> dict[str, str]:
    root = etree.parse(str(bpmn_path)).getroot()
    for process in root.iter(f"{{{BPMN_NS}}}process"):
        if process.get("id") == process_id:
            return {
                p.get("name"): p.get("value")
                for p in process.findall(
                    f"{{{BPMN_NS}}}extensionElements/{{{SPIFF_NS}}}properties/{{{SPIFF_NS}}}property"
                )
            }
    return {}


# Event definitions the engine delivers by name: without their reference the
# engine falls back to the element's display name (or None), so a case that
# reaches the event waits for a message or signal nobody sends. Error and
# escalation definitions without a reference are BPMN's catch-alls (the
# engine catches any code), so they are allowed.
REQUIRED_REFS = {"messageEventDefinition": "messageRef", "signalEventDefinition": "signalRef"}


def _missing_refs(bpmn_path: Path) -> list[str]:
    """Message and signal event definitions that name no message or signal."""
    root = etree.parse(str(bpmn_path)).getroot()
    problems = []
    for tag, ref in REQUIRED_REFS.items():
        for definition in root.iter(f"{{{BPMN_NS}}}{tag}"):
            if definition.get(ref):
                continue
            event = definition.getparent()
            problems.append(
                f"{bpmn_path.name}: event {event.get('id')!r}: bpmn:{tag} "
                f"{definition.get('id')!r} names no {ref.removesuffix('Ref')} ({ref}); "
                f"a case reaching it could never continue"
            )
    return problems


def lane_map(spec, subprocess_specs) -> dict[str, str | None]:
    """BPMN id -> lane for every task spec, nested subprocesses included.

    A task inside an embedded subprocess has no lane of its own; it takes the
    lane of the subprocess activity that contains it.
    """
    lanes: dict[str, str | None] = {}

    def walk(process_spec, inherited: str | None):
        for task_spec in process_spec.task_specs.values():
            bpmn_id = getattr(task_spec, "bpmn_id", None)
            if not bpmn_id:
                continue
            lane = task_spec.lane or inherited
            lanes[bpmn_id] = lane
            if isinstance(task_spec, SubWorkflowTask) and task_spec.spec in subprocess_specs:
                walk(subprocess_specs[task_spec.spec], lane)

    walk(spec, None)
    return lanes


def named_tasks(spec, subprocess_specs) -> frozenset[str]:
    """BPMN ids of the user tasks whose performer the process names (an
    ``assignee`` property: a corrective action's owner), not a lane's group."""
    return frozenset(
        task_spec.bpmn_id for task_spec in _all_task_specs(spec, subprocess_specs)
        if getattr(task_spec, "bpmn_id", None)
        and (getattr(task_spec, "extensions", None) or {}).get("properties", {}).get("assignee")
    )


def _all_task_specs(spec, subprocess_specs):
    yield from spec.task_specs.values()
    for sub in subprocess_specs.values():
        yield from sub.task_specs.values()


def _element_at_line(path: Path, line) -> str:
    """Id of the element on ``line``, or of the nearest enclosing one with an id."""
    try:
        line = int(line)
        root = etree.parse(str(path)).getroot()
    except (TypeError, ValueError, etree.XMLSyntaxError, OSError):
        return ""
    for element in root.iter():
        if element.sourceline == line:
            for node in (element, *element.iterancestors()):
                if node.get("id"):
                    return node.get("id")
    return ""


_INTENDED_MESSAGE = re.compile(r"raise_validation_exception\(\s*(['\"])(.+?)\1")


def _parser_failure_message(failure: BaseException) -> str:
    """What a process designer can act on when the parser itself failed.

    SpiffWorkflow wraps any exception from parsing an element in a
    ValidationException whose text is the exception's repr (for example a
    TypeError from its own ``raise_validation_exception(..., node=...)``
    call, which takes no ``node``). The message the parser meant to give is
    in its source line; a dangling ``*_ref`` attribute value is in the
    failing frame's locals.
    """
    frames = []
    traceback = failure.__traceback__
    while traceback is not None:
        frames.append(traceback)
        traceback = traceback.tb_next
    for frame in reversed(frames):
        code = frame.tb_frame.f_code
        source = linecache.getline(code.co_filename, frame.tb_lineno)
        intended = _INTENDED_MESSAGE.search(source)
        if intended:
            message = intended.group(2)
            refs = [
                value for name, value in frame.tb_frame.f_locals.items()
                if name.endswith("_ref") and isinstance(value, str)
            ]
            if refs:
                message += f" (it refers to {refs[0]!r}, which the file does not define)"
            return message
    return (
        "the BPMN parser could not read this element; check its type, its attributes "
        "and the ids it refers to against the BPMN standard"
    )


def _invalid(path: Path, exc: ValidationException) -> DefinitionError:
    """A schema or parser error, named by file, line and element id."""
    line = getattr(exc, "line_number", "")
    element = getattr(exc, "id", "") or _element_at_line(path, line)
    where = path.name
    if line:
        where += f", line {line}"
    if element:
        where += f", element {element!r}"
    # Only when the text is the wrapped exception's repr: a ValidationException
    # the parser raised on purpose while handling another error keeps its text.
    failure = exc.__cause__ or exc.__context__
    if failure is not None and repr(failure) in str(exc):
        return DefinitionError(f"{where}: {_parser_failure_message(failure)}")
    message = str(exc).replace(f"{{{BPMN_NS}}}", "bpmn:")
    message = message.replace(f"{{{SPIFF_NS}}}", "spiffworkflow:").strip()
    return DefinitionError(f"{where}: {message}")


def parse_process(bpmn_path: Path, dmn_paths: list[Path]) -> ParsedProcess:
    """Parse one BPMN file (whose process id must equal its file stem) with the
    DMN files it calls. Raises DefinitionError naming the file and element."""
    process_id = bpmn_path.stem
    require_utf8(bpmn_path)
    parser = SpiffBpmnParser(validator=VALIDATOR)
    try:
        parser.add_bpmn_file(str(bpmn_path))
    except ValidationException as exc:
        raise _invalid(bpmn_path, exc) from exc
    except etree.XMLSyntaxError as exc:
        raise DefinitionError(f"{bpmn_path.name}: not well-formed XML: {exc}") from exc
    if process_id not in parser.get_process_ids():
        raise DefinitionError(
            f"{bpmn_path.name}: the executable process id must be {process_id!r} "
            f"(the file name); found {parser.get_process_ids()}"
        )

    decisions = {did: path for path in dmn_paths for did in decision_ids(path)}
    bpmn_text = bpmn_path.read_text(encoding="utf-8")
    used_dmn = sorted(
        {path for did, path in decisions.items() if f">{did}<" in bpmn_text}, key=lambda p: p.name
    )
    for path in used_dmn:
        try:
            parser.add_dmn_file(str(path))
        except ValidationException as exc:
            raise _invalid(path, exc) from exc

    try:
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except ValidationException as exc:
        raise _invalid(bpmn_path, exc) from exc
    missing = _missing_refs(bpmn_path)
    if missing:
        raise DefinitionError("\n".join(missing))

    lanes = lane_map(spec, subprocess_specs)
    user_tasks, service_tasks = [], {}
    for task_spec in _all_task_specs(spec, subprocess_specs):
        if isinstance(task_spec, UserTask) and task_spec.bpmn_id:
            properties = dict(task_spec.extensions.get("properties", {}))
            user_tasks.append(
                UserTaskInfo(task_spec.bpmn_id, task_spec.bpmn_name or task_spec.bpmn_id,
                             lanes.get(task_spec.bpmn_id), properties)
            )
        if isinstance(task_spec, ServiceTask):
            service_tasks[task_spec.bpmn_id] = task_spec.operation_name

    properties = _process_properties(bpmn_path, process_id)
    return ParsedProcess(
        process_id=process_id,
        name=spec.description or process_id,
        spec=spec,
        subprocess_specs=subprocess_specs,
        reference_prefix=properties.get("referencePrefix", process_id[:3].upper()),
        confidential=properties.get("confidential", "").lower() == "true",
        dmn_files=used_dmn,
        user_tasks=sorted(user_tasks, key=lambda t: t.bpmn_id),
        service_tasks=service_tasks,
    )


@dataclass(frozen=True)
class CachedSpec:
    spec: object
    subprocess_specs: dict
    lanes: dict
    named: frozenset = frozenset()  # named_tasks()


_cache: dict[Hashable, CachedSpec] = {}
_cache_lock = Lock()


def cached_spec(key: Hashable, load_spec_json) -> CachedSpec:
    """The deserialized spec of one definition version, parsed once per process.

    ``key`` must change whenever the spec can differ (the services use the
    definition's id and content hash). Spec objects are shared by every
    workflow built from them; SpiffWorkflow keeps all instance state on the
    workflow and its tasks.
    """
    cached = _cache.get(key)
    if cached is None:
        spec, subprocess_specs = spec_from_json(load_spec_json())
        cached = CachedSpec(spec, subprocess_specs, lane_map(spec, subprocess_specs),
                            named_tasks(spec, subprocess_specs))
        with _cache_lock:
            _cache[key] = cached
    return cached


def load_json_file(path: Path) -> dict:
    require_utf8(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DefinitionError(f"{path.name}: invalid JSON: {exc}") from exc
