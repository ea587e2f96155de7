"""Checking that a page meant to be in nynorsk is in nynorsk.

Django falls back to bokmål (LANGUAGE_CODE) for a message the nynorsk
catalogue lacks, so a half-translated page reads as a mix. These helpers find
words that are bokmål and never nynorsk (locale/TERMS.md) in Varde's own text
on a page: the visible text and the attributes people hear or see (aria-label,
title, placeholder, alt), leaving out scripts, styles, elements marked as
another language (``lang="nb"`` on the switcher's options, ``lang="en"`` on a
receipt code) and what users typed (given as ``typed``: report titles, unit
names, free text), which is in whatever language they wrote.
"""

import re

from django.conf import settings
from lxml import html as lxml_html

# Whole words. Each is bokmål (or riksmål) and not nynorsk; the
# nynorsk word is in locale/TERMS.md. Kept to words that are no English word a
# page could carry either.
BOKMAL_ONLY = (
    "ikke", "fra", "hva", "hvordan", "hvem", "hvis", "hvor", "hvorfor", "hvilken", "hvilke",
    "noen", "mye", "mer", "være", "vært", "jeg", "ble", "dere", "uten", "sammen", "selv",
    "bare", "ennå", "fortsatt", "gjøre", "gjør", "disse", "hver", "hvert", "hjem", "kun",
    "uke", "uker", "uken", "måned", "måneder", "måneden", "dager",
    "saksbehandler", "saksbehandleren", "saksbehandlere", "saksbehandling",
    "ansatt", "ansatte", "leder", "lederen", "ledere", "nestleder", "nærmeste",
    "sykefravær", "sykefraværet", "sykmelding", "sykmeldingen", "sykmeldt", "syk", "sykdom",
    "verneombud", "verneombudet", "hovedverneombud", "enhet", "enheten", "enheter",
    "bruker", "brukeren", "brukere", "oppgave", "oppgaven", "oppgaver", "oppgavene",
    "hendelse", "hendelsen", "hendelser", "mottatt", "godkjent", "begrunnelse",
    "beslutning", "søker", "utvalg", "utvalget", "arbeidsmiljøutvalg", "bedriftshelsetjeneste",
    "åpne", "åpen", "åpent", "velg", "valg", "valget", "valgene", "nestenulykke", "tilbud",
)
# As written in running text, lower case or capitalised; not in capitals,
# which are codes (the sick-leave reference prefix SYK).
_WORDS = re.compile(
    r"(?<![\w-])("
    + "|".join(f"{word}|{word[0].upper()}{word[1:]}" for word in BOKMAL_ONLY)
    + r")(?![\w-])"
)
ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "data-live-updated-text",
              "data-live-paused-text")
NYNORSK = "nn"


def cookie(client) -> None:
    """The language cookie a browser has after choosing nynorsk."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = NYNORSK


def varde_text(page: str, typed=()) -> str:
    """The page's own text, in one string (see the module docstring)."""
    tree = lxml_html.fromstring(page)
    for element in list(tree.iter("script", "style")):
        element.drop_tree()
    for element in list(tree.iter()):
        lang = element.get("lang") if isinstance(element.tag, str) else None
        if element is not tree and lang and not lang.lower().startswith(NYNORSK):
            element.drop_tree()
    parts = [tree.text_content()]
    parts += [value for element in tree.iter() if isinstance(element.tag, str)
              for name in ATTRIBUTES if (value := element.get(name))]
    text = "\n".join(parts)
    for value in typed:
        for piece in sorted({str(value), *str(value).splitlines()}, key=len, reverse=True):
            if piece.strip():
                text = text.replace(piece.strip(), " ")
    return text


def bokmal_words(page: str, typed=()) -> list[str]:
    """Each bokmål-only word with a little of what surrounds it."""
    text = " ".join(varde_text(page, typed).split())
    return [f"{m.group(0)!r} in …{text[max(m.start() - 40, 0):m.end() + 40]}…"
            for m in _WORDS.finditer(text)]


def assert_nynorsk(response, typed=(), *, where: str = "") -> None:
    assert response.status_code == 200, (where, response.status_code)
    page = response.content.decode()
    assert '<html lang="nn">' in page, f"{where}: not rendered in nynorsk"
    found = bokmal_words(page, typed)
    assert not found, f"{where}: bokmål words in Varde's own text:\n" + "\n".join(found)
