"""JSON-schema driven forms for BPMN user tasks.

Each user task names a schema file in ``workflows/forms/``; ``forms.builder``
turns that schema into a Django form and ``forms/schema_form.html`` renders it.
"""
