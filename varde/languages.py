"""The languages Varde speaks, and what to do with a code from outside.

Every language code that reaches Varde from outside (the language cookie,
``Accept-Language``, the switcher's form, a stored profile, a Feide claim)
goes through ``supported``: anything not in ``settings.LANGUAGES`` is no
language, and ``or_default`` turns it into bokmål (``LANGUAGE_CODE``), so a
bad value is never an error page.
"""

from django.conf import settings

# Each language in its own name, as the switcher shows it (språklova: a
# person looks for their language by its own name, not a translation of it).
LOCAL_NAMES = {"nb": "Norsk bokmål", "nn": "Norsk nynorsk", "en": "English"}


def codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def supported(code) -> str | None:
    """The language code if Varde speaks it (``nn-NO`` → ``nn``), else None."""
    if not isinstance(code, str) or not code or len(code) > 20:
        return None
    code = code.strip().lower().replace("_", "-")
    if code in codes():
        return code
    base = code.split("-")[0]
    return base if base in codes() else None


def or_default(code) -> str:
    """A supported language code, bokmål for anything else."""
    return supported(code) or settings.LANGUAGE_CODE


def choices() -> list[tuple[str, str]]:
    """(code, name in that language) for every language, in settings order."""
    return [(code, LOCAL_NAMES.get(code, str(name))) for code, name in settings.LANGUAGES]


def set_cookie(response, code: str) -> None:
    """Remember the language on this device (Django's language cookie)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, or_default(code),
        max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
