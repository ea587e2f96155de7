"""Instance-only serialization.

SpiffWorkflow embeds the whole spec (and DMN tables) in every serialized
workflow. Each definition version stores its spec once; a case stores only its
instance state, and loading puts the cached spec objects back.
"""

import json
import zlib

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG


class InstanceOnlyWorkflowConverter(BpmnWorkflowConverter):
    def to_dict(self, workflow):
        dct = super(BpmnWorkflowConverter, self).to_dict(workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct, spec=None, subprocess_specs=None):
        from uuid import UUID

        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


_spec_registry = BpmnWorkflowSerializer.configure(SPIFF_CONFIG)
spec_serializer = BpmnWorkflowSerializer(_spec_registry)

_instance_config = dict(SPIFF_CONFIG)
_instance_config[BpmnWorkflow] = InstanceOnlyWorkflowConverter
_instance_registry = BpmnWorkflowSerializer.configure(_instance_config)
instance_serializer = BpmnWorkflowSerializer(_instance_registry)


def spec_to_json(spec, subprocess_specs) -> str:
    registry = spec_serializer.registry
    return json.dumps(
        {
            "spec": registry.convert(spec),
            "subprocess_specs": {name: registry.convert(s) for name, s in subprocess_specs.items()},
        },
        separators=(",", ":"),
    )


def spec_from_json(text: str):
    dct = json.loads(text)
    registry = spec_serializer.registry
    spec = registry.restore(dct["spec"])
    subprocess_specs = {name: registry.restore(s) for name, s in dct["subprocess_specs"].items()}
    return spec, subprocess_specs


def state_to_json(workflow) -> str:
    return instance_serializer.serialize_json(workflow)


def state_from_json(text: str, spec, subprocess_specs):
    dct = json.loads(text)
    instance_serializer.migrate(dct)
    return instance_serializer.from_dict(dct, spec=spec, subprocess_specs=subprocess_specs)


def state_to_bytes(workflow) -> bytes:
    """Compressed instance state: a closed incident is ~20 KB of JSON, ~3 KB stored."""
    return zlib.compress(state_to_json(workflow).encode("utf-8"), 6)


def state_from_bytes(blob: bytes, spec, subprocess_specs):
    return state_from_json(zlib.decompress(bytes(blob)).decode("utf-8"), spec, subprocess_specs)


def state_bytes_to_text(blob: bytes) -> str:
    """Readable JSON of a stored state, for HSE admins debugging a case."""
    return zlib.decompress(bytes(blob)).decode("utf-8") if blob else ""
