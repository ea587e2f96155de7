"""Every translatable string of the code is in a committed catalogue.

How: the translatable sources (.py, .html, .txt; not .venv, tests/ or
bench/) are copied to a temporary folder together with the ``locale``
folders, ``makemessages`` runs there, and the msgids it finds for each
catalogue (the core's ``locale/`` and each app's ``<app>/locale/``) are
compared with the committed .po file at the same place. A msgid the code
uses but the catalogue lacks fails the test, with the list; fix it with
``makemessages`` for that catalogue (see tests/i18n/catalogs.py for the
layout), then translate. Extra (obsolete) entries in a catalogue are fine.

Form-schema strings reach the core catalogue through the generated
``forms/schema_strings.py`` (manage.py extract_form_strings; its own test
checks that the module matches the JSON schemas).
"""

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.i18n.catalogs import (
    ROOT,
    copy_sources,
    describe,
    gettext_missing,
    msgids,
    po_files,
    run_makemessages,
    translated_languages,
)


@dataclass
class Extraction:
    # (locale folder relative to the root, language) -> msgids makemessages found
    found: dict[tuple[Path, str], set] = field(default_factory=dict)
    # .po files of the checkout that changed while makemessages ran
    touched: list[Path] = field(default_factory=list)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Run makemessages once, in a temporary copy of the sources."""
    missing_programs = gettext_missing()
    if missing_programs:
        pytest.skip(
            f"GNU gettext is not installed ({', '.join(missing_programs)} missing): "
            "apt-get install gettext; CI has it"
        )
    target = tmp_path_factory.mktemp("makemessages")
    before = {path: path.read_bytes() for path in po_files()}
    locales = copy_sources(target)
    languages = translated_languages()
    run_makemessages(target, languages)
    return Extraction(
        found={
            (locale, language): msgids(target / locale / language / "LC_MESSAGES" / "django.po")
            for locale in locales
            for language in languages
        },
        touched=[path for path in po_files() if before.get(path) != path.read_bytes()],
    )


@pytest.mark.parametrize("language", translated_languages())
def test_every_translatable_string_is_in_its_catalogue(generated, language):
    problems = []
    for (locale, lang), wanted in sorted(generated.found.items()):
        if lang != language or not wanted:
            continue
        committed_path = ROOT / locale / language / "LC_MESSAGES" / "django.po"
        missing = wanted - msgids(committed_path)
        if not committed_path.exists():
            problems.append(
                f"{committed_path.relative_to(ROOT)} does not exist ({len(wanted)} strings need it)"
            )
        elif missing:
            problems.append(
                f"{committed_path.relative_to(ROOT)} lacks {len(missing)} msgid(s):\n  "
                + "\n  ".join(describe(key) for key in sorted(missing, key=str))
            )
    assert not problems, (
        "Run makemessages for these catalogues and translate the new entries:\n"
        + "\n".join(problems)
    )


def test_the_core_catalogue_is_checked(generated):
    """Guard for the check itself: makemessages found the core strings,
    including form-schema and e-mail ones, and routed them to ``locale/``."""
    core = generated.found[(Path("locale"), "nb")]
    assert (None, "Report an incident") in core  # templates/base.html
    assert (None, "Triage the deviation") in core  # workflows/forms/incident_triage.json
    assert (None, "Open it in Varde:") in core  # notifications/.../single.txt


def test_the_check_leaves_the_checkout_alone(generated):
    """makemessages runs without the project's settings, whose LOCALE_PATHS
    point at the checkout: it writes to its temporary copy only."""
    assert generated.touched == []
