"""Every catalogue of the checkout is complete, well-formed and compiled.

Runs over every .po file outside .venv, the core's and each app's, so a
catalogue an engineer adds is held to the same rules.
"""

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from tests.i18n.catalogs import (
    CORE_LOCALE,
    ROOT,
    describe,
    entry_key,
    locale_dirs,
    msgids,
    own_catalog_dirs,
    po_files,
    translated_languages,
)

CATALOGS = po_files()
IDS = [str(path.relative_to(ROOT)) for path in CATALOGS]

# %(name)s, %s, %d ... ; "%%" is a literal percent sign.
PERCENT_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]")
BRACE_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def active(catalogue: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in catalogue if not entry.obsolete]


def translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def nplurals(catalogue: polib.POFile) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", catalogue.metadata.get("Plural-Forms", ""))
    return int(match.group(1)) if match else 0


def test_there_is_a_core_catalogue():
    assert CORE_LOCALE / "nb" / "LC_MESSAGES" / "django.po" in CATALOGS


@pytest.mark.parametrize("path", CATALOGS, ids=IDS)
def test_every_entry_is_translated_and_none_is_fuzzy(path):
    catalogue = polib.pofile(str(path))
    count = nplurals(catalogue)
    untranslated, fuzzy, wrong_plurals = [], [], []
    for entry in active(catalogue):
        if "fuzzy" in entry.flags:
            fuzzy.append(describe(entry_key(entry)))
        if not all(text.strip() for text in translations(entry)):
            untranslated.append(describe(entry_key(entry)))
        if entry.msgid_plural and sorted(entry.msgstr_plural) != list(range(count)):
            wrong_plurals.append(describe(entry_key(entry)))
    assert not untranslated, f"{path}: untranslated entries:\n" + "\n".join(untranslated)
    assert not fuzzy, f"{path}: fuzzy entries (check, then remove the flag):\n" + "\n".join(fuzzy)
    assert not wrong_plurals, (
        f"{path}: plural entries need exactly {count} msgstr[n]:\n" + "\n".join(wrong_plurals)
    )


@pytest.mark.parametrize("path", CATALOGS, ids=IDS)
def test_header_names_the_language_and_its_plural_rule(path):
    catalogue = polib.pofile(str(path))
    language = path.parent.parent.name
    assert not catalogue.metadata_is_fuzzy, f"{path}: the header is marked fuzzy"
    assert catalogue.metadata.get("Language") == language
    assert "charset=UTF-8" in catalogue.metadata.get("Content-Type", "")
    if language in ("nb", "nn"):
        assert catalogue.metadata.get("Plural-Forms") == "nplurals=2; plural=(n != 1);"
    else:
        assert nplurals(catalogue) >= 1


@pytest.mark.parametrize("path", CATALOGS, ids=IDS)
def test_translations_keep_the_placeholders(path):
    """A lost or renamed %(name)s fails at run time (KeyError) or drops data;
    every translation keeps the msgid's placeholders."""
    wrong = []
    for entry in active(polib.pofile(str(path))):
        for flag, pattern in (
            ("python-format", PERCENT_PLACEHOLDER),
            ("python-brace-format", BRACE_PLACEHOLDER),
        ):
            if flag not in entry.flags:
                continue
            wanted = sorted(pattern.findall(entry.msgid_plural or entry.msgid))
            for text in translations(entry):
                if text and sorted(pattern.findall(text)) != wanted:
                    wrong.append(f"{describe(entry_key(entry))} -> {text!r}")
    assert not wrong, f"{path}: placeholders differ:\n" + "\n".join(wrong)


@pytest.mark.parametrize("path", CATALOGS, ids=IDS)
def test_catalogue_compiles_with_msgfmt_check(path, tmp_path):
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext's msgfmt is not installed (apt-get install gettext)")
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", CATALOGS, ids=IDS)
def test_compiled_catalogue_matches_the_po_file(path):
    """Django reads the .mo file: one that is missing or older than the .po
    shows English (or old wording) without any error."""
    mo_path = path.with_suffix(".mo")
    assert mo_path.exists(), (
        f"{mo_path} is missing: run bin/setup (or manage.py compilemessages --ignore=.venv)"
    )
    compiled = {entry_key(e): e for e in polib.mofile(str(mo_path))}
    stale = []
    for entry in active(polib.pofile(str(path))):
        if "fuzzy" in entry.flags or not entry.translated():
            continue
        mo_entry = compiled.get(entry_key(entry))
        if mo_entry is None or translations(mo_entry) != translations(entry):
            stale.append(describe(entry_key(entry)))
    assert not stale, (
        f"{mo_path} is out of date; run bin/setup (or manage.py compilemessages "
        "--ignore=.venv). Differing entries:\n" + "\n".join(stale[:20])
    )


def test_core_catalogue_holds_only_core_strings():
    """Strings of apps with their own catalogue (and of tests) stay out of
    ``locale/``: the project catalogue wins over app catalogues at run time,
    so a copy here would silently override the app's own wording."""
    catalogue = polib.pofile(str(CORE_LOCALE / "nb" / "LC_MESSAGES" / "django.po"))
    outside = {str(d) for d in own_catalog_dirs()} | {"tests", "bench"}
    wrong = [
        f"{describe(entry_key(entry))} from {source}"
        for entry in active(catalogue)
        for source, _line in entry.occurrences
        if Path(source).parts[0] in outside
    ]
    assert not wrong, "app or test strings in the core catalogue:\n" + "\n".join(wrong)


# Every catalogue (the core's and each app's) in every language Varde offers:
# (locale folder, language) for each locale folder that has a bokmål catalogue.
SIBLINGS = [
    (locale, language)
    for locale in locale_dirs()
    if (ROOT / locale / "nb" / "LC_MESSAGES" / "django.po").exists()
    for language in translated_languages()
    if language != "nb"
]


@pytest.mark.parametrize(
    "locale,language", SIBLINGS, ids=[f"{locale}-{language}" for locale, language in SIBLINGS]
)
def test_every_language_has_every_catalogue_and_every_message(locale, language):
    """språklova § 14: nynorsk (and every other language in LANGUAGES) is as
    complete as bokmål. Each bokmål catalogue has a sibling in the language,
    with every message bokmål has; that each message there is translated and
    not fuzzy is test_every_entry_is_translated_and_none_is_fuzzy's job (it
    runs over every .po file, the new ones included). Without a message,
    Django would show the bokmål text on a nynorsk page."""
    sibling = ROOT / locale / language / "LC_MESSAGES" / "django.po"
    assert sibling.exists(), f"{sibling.relative_to(ROOT)} does not exist"
    catalogue = polib.pofile(str(sibling))
    translated = {entry_key(e) for e in active(catalogue)
                  if e.translated() and "fuzzy" not in e.flags}
    missing = msgids(ROOT / locale / "nb" / "LC_MESSAGES" / "django.po") - translated
    assert not missing, (
        f"{sibling.relative_to(ROOT)}: {len(missing)} message(s) without a translation "
        "(or fuzzy):\n" + "\n".join(describe(key) for key in sorted(missing, key=str))
    )


def test_nynorsk_is_one_of_the_languages():
    assert "nn" in translated_languages()
