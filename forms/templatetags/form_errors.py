"""The error summary of any form, schema-built or plain Django.

A form sent back with errors starts with one summary (role="alert"; varde.js
moves focus to it) whose entries link to the invalid inputs. Schema forms
list their entries themselves (rows and groups); plain forms get the same
shape here: the first radio or checkbox of a group is the link target.
"""

from django import forms, template
from django.forms.forms import NON_FIELD_ERRORS

register = template.Library()


def _anchor(field: forms.BoundField) -> str:
    if field.use_fieldset and field.subwidgets:
        return field.subwidgets[0].id_for_label
    return field.id_for_label


@register.simple_tag
def error_summary(form: forms.BaseForm, *more: forms.BaseForm | None) -> dict:
    """{"id": …, "entries": [{"anchor", "label", "message"}, …]}; no entries when
    valid. A page with several forms in one <form> passes them all (one summary)."""
    entries = [entry for each in (form, *more) if each for entry in _entries(each)]
    summary_id = form.auto_id % form.add_prefix("error-summary") if form.auto_id else ""
    return {"id": summary_id if entries else "", "entries": entries}


def _entries(form: forms.BaseForm) -> list[dict]:
    if not form.is_bound or not form.errors:
        return []
    entries = getattr(form, "error_summary", None)
    if not isinstance(entries, list):
        entries = [
            {"anchor": "", "label": "", "message": message}
            for message in form.errors.get(NON_FIELD_ERRORS, [])
        ]
        for field in form:
            entries += [
                {"anchor": _anchor(field), "label": field.label, "message": message}
                for message in field.errors
            ]
        for name in form.errors:  # errors of hidden or unknown fields: text only
            if name != NON_FIELD_ERRORS and (name not in form.fields or form[name].is_hidden):
                entries += [{"anchor": "", "label": "", "message": m} for m in form.errors[name]]
    return entries
