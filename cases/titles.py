"""Case titles Varde composes itself, shown in the reader's language.

``Case.title`` is stored once: the reporter's own words for most cases, and
what search and the admin show. A title Varde writes from parts (a deviation
raised with AMU: "HSE deviation AVV-… (near accident)") keeps the parts too,
so each reader gets it in their language (språklova § 14): ``Case.title_key``
names a renderer that the composing app registers here, and
``Case.title_params`` holds its parts (references and codes, never a person's
words). ``Case.display_title`` renders it in the active language; a case
without a key, or with a key no app registers, shows ``title``.
"""

from collections.abc import Callable

_RENDERERS: dict[str, Callable[[dict], str]] = {}


def register_title(key: str, renderer: Callable[[dict], str]) -> None:
    """``renderer(params)`` returns the title in the active language."""
    _RENDERERS[key] = renderer


def render_title(case) -> str:
    renderer = _RENDERERS.get(case.title_key) if case.title_key else None
    if renderer is None:
        return case.title
    try:
        return renderer(case.title_params or {})[:200]
    except (KeyError, TypeError, ValueError):  # parts a renderer no longer reads
        return case.title
