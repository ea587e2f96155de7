"""Where the translation catalogues are and which msgids the code asks for.

Layout: the core (varde/, templates/, cases/, forms/, org/, incidents/,
notifications/, documents/) is translated in the project catalogue
``locale/`` (settings.LOCALE_PATHS); an app with its own ``<app>/locale/``
(whistleblowing/, parking/, sickleave/, amu/) keeps its own catalogue, and
``makemessages`` sends the app's strings there rather than to the core.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CORE_LOCALE = ROOT / "locale"

# Apps that keep their own catalogue, whether or not they exist yet.
OWN_CATALOG_APPS = ("whistleblowing", "parking", "sickleave", "amu")

# Directory names that are never translated source (makemessages --ignore);
# hidden directories (.venv, .git) are skipped as makemessages does by default.
NOT_SOURCE = frozenset({"tests", "bench", "var", "node_modules", "__pycache__"})

# The files makemessages reads for the "django" domain.
SOURCE_SUFFIXES = frozenset({".py", ".html", ".txt"})

GETTEXT_PROGRAMS = ("xgettext", "msguniq", "msgmerge")

# The language of the msgids needs no catalogue.
SOURCE_LANGUAGE = "en"


def translated_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE]


def _skipped_dir(name: str) -> bool:
    return name.startswith(".") or name in NOT_SOURCE


def po_files() -> list[Path]:
    """Every .po file of the checkout, not those of installed packages."""
    found = []
    for dirpath, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "var")
        found.extend(Path(dirpath) / name for name in sorted(filenames) if name.endswith(".po"))
    return found


def locale_dirs() -> list[Path]:
    """Every ``locale`` folder makemessages would write to, relative to ROOT."""
    found = {Path("locale")}
    for dirpath, dirnames, _filenames in os.walk(ROOT):
        dirnames[:] = [d for d in dirnames if not _skipped_dir(d)]
        if "locale" in dirnames:
            found.add((Path(dirpath) / "locale").relative_to(ROOT))
            dirnames.remove("locale")
    return sorted(found)


def own_catalog_dirs() -> list[Path]:
    """Top-level folders whose strings must not land in the core catalogue."""
    apps = {Path(name) for name in OWN_CATALOG_APPS}
    apps.update(d.parent for d in locale_dirs() if d != Path("locale"))
    return sorted(apps)


def gettext_missing() -> list[str]:
    return [program for program in GETTEXT_PROGRAMS if shutil.which(program) is None]


def copy_sources(target: Path) -> list[Path]:
    """Copy the translatable source files to ``target`` and create the
    ``locale`` folders makemessages fills: the existing ones, plus one for
    each own-catalogue app that exists but has none yet (so its strings are
    reported as missing from its catalogue, not silently added to the core).
    Returns the locale folders, relative to ``target``."""
    for dirpath, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = [d for d in dirnames if not _skipped_dir(d) and d != "locale"]
        relative = Path(dirpath).relative_to(ROOT)
        for name in filenames:
            if Path(name).suffix in SOURCE_SUFFIXES:
                (target / relative).mkdir(parents=True, exist_ok=True)
                shutil.copy2(Path(dirpath) / name, target / relative / name)
    locales = set(locale_dirs())
    locales.update(Path(app) / "locale" for app in OWN_CATALOG_APPS if (ROOT / app).is_dir())
    for locale in locales:
        (target / locale).mkdir(parents=True, exist_ok=True)
    return sorted(locales)


def run_makemessages(target: Path, languages: list[str]) -> None:
    """``django-admin makemessages`` in the copy, without the project's
    settings: LOCALE_PATHS would point at the real ``locale/`` folder and
    makemessages would write there. Without settings it writes to the
    copy's ``./locale`` and to the app ``locale`` folders it finds."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    command = [sys.executable, "-m", "django", "makemessages", "--no-location"]
    for language in languages:
        command += ["--locale", language]
    for name in sorted(NOT_SOURCE):
        command += ["--ignore", f"{name}/*"]
    subprocess.run(command, cwd=target, env=env, check=True, capture_output=True, text=True)


def entry_key(entry: polib.POEntry) -> tuple[str | None, str]:
    return entry.msgctxt, entry.msgid


def msgids(path: Path) -> set[tuple[str | None, str]]:
    """The active entries of a catalogue (obsolete ``#~`` ones are no translation)."""
    if not path.exists():
        return set()
    return {entry_key(e) for e in polib.pofile(str(path)) if not e.obsolete}


def describe(key: tuple[str | None, str]) -> str:
    context, msgid = key
    return f"[{context}] {msgid!r}" if context else repr(msgid)
