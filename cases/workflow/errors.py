class WorkflowError(Exception):
    """The engine failed at a BPMN element; the case can be retried after a fix."""

    def __init__(self, message: str, *, element_id: str = "", task_id: str = ""):
        super().__init__(message)
        self.message = message
        self.element_id = element_id
        self.task_id = task_id


class DefinitionError(Exception):
    """A process definition is invalid; the message names the file and element."""


class ScriptPolicyError(Exception):
    """A script or expression uses something the restricted engine refuses.

    Raised instead of SyntaxError: PythonScriptEngine's error reporting crashes
    on SyntaxError.lineno=None.
    """
