"""Django's own messages that Varde words itself.

A message Django shows on Varde's pages (a form field's refusal) comes from
Django's catalogue, whose nynorsk is not always nynorsk: "Velg eit gyldig
valg" for a refused choice is bokmål velg/valg (nynorsk vel/val). The project
catalogues (``LOCALE_PATHS``) take precedence over Django's, so each msgid
here, the same as Django's, is translated in ``locale/<lang>`` with Varde's
wording. Listing it here keeps it in the catalogue: makemessages would drop
a msgid no source asks for. Nothing imports this module.
"""

from django.utils.translation import gettext_noop

DJANGO_MESSAGES = (
    # forms.ChoiceField, TypedChoiceField, MultipleChoiceField,
    # ModelMultipleChoiceField: a value that is not offered.
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    # forms.ModelChoiceField: an object that is not (or no longer) offered.
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
)
