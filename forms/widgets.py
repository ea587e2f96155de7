"""Widgets that differ from Django's defaults.

Only the date input needs its own class: Django's ``DateInput`` renders
``type="text"`` and formats values by the active locale, whereas the native
date picker needs ``type="date"`` and always reads and writes ISO 8601.
"""

from django import forms


class NativeDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
