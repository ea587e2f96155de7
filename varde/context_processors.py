from django.conf import settings
from django.urls import reverse


def accessibility(request):
    """Where the footer's accessibility-statement link goes: the institution's
    statement when one is set, else Varde's own page of what is tested."""
    return {
        "accessibility_statement_url": settings.VARDE_ACCESSIBILITY_STATEMENT_URL
        or reverse("accessibility"),
        "accessibility_contact": settings.VARDE_ACCESSIBILITY_CONTACT,
    }


def languages(request):
    """The switcher's choices, each language in its own name."""
    from varde.languages import choices

    return {"language_choices": choices()}
