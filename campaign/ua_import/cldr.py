"""Month, language and country names in the languages UAs are published in, from CLDR (Babel).

Reading Babel's locale data costs about 0.3 s per process, and the command line reads one text
per process, so the three tables are kept in `cldr_names.json` beside this module, stamped with
the Babel version they came from. When the stamp does not match the installed Babel the tables
are built from Babel directly. Rebuild the file with `python -m campaign.ua_import.cldr`.
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from importlib.metadata import version
from pathlib import Path

TABLES = Path(__file__).with_name("cldr_names.json")

#: Locales whose names are read; a text in another language still gets English names.
LOCALES = ("en", "fr", "de", "es", "pl", "nl", "it", "pt", "ru")


def fold(word: str) -> str:
    """Lower case without accents: how names are compared."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).strip(". ")


@cache
def _locale(code: str):
    from babel import Locale

    return Locale.parse(code)


@cache
def _stored() -> dict | None:
    """The tables kept beside this module, if they were built from the installed Babel."""
    try:
        stored = json.loads(TABLES.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if stored.get("babel") != version("babel") or stored.get("locales") != list(LOCALES):
        return None
    return stored


@cache
def month_numbers() -> dict[str, int]:
    stored = _stored()
    return stored["months"] if stored else _month_numbers()


@cache
def language_codes() -> dict[str, str]:
    stored = _stored()
    return stored["languages"] if stored else _language_codes()


@cache
def country_names() -> frozenset[str]:
    stored = _stored()
    return frozenset(stored["countries"]) if stored else _country_names()


def _month_numbers() -> dict[str, int]:
    """Every wide and abbreviated month name of every locale (format and stand-alone) -> 1..12."""
    names: dict[str, int] = {}
    for code in LOCALES:
        locale = _locale(code)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in locale.months[context][width].items():
                    folded = fold(name)
                    if len(folded) >= 3:
                        names.setdefault(folded, number)
    return names


def _language_codes() -> dict[str, str]:
    """Language names of every locale, folded -> BCP 47 code of the language named."""
    codes: dict[str, str] = {}
    for code in LOCALES:
        for language, name in _locale(code).languages.items():
            if "_" in language or len(language) > 3:
                continue
            codes.setdefault(fold(name), language)
    return codes


def _country_names() -> frozenset[str]:
    """Country names of every locale, folded."""
    names: set[str] = set()
    for code in LOCALES:
        for territory, name in _locale(code).territories.items():
            if territory.isalpha() and len(territory) == 2:
                names.add(fold(name))
    return frozenset(names)


def is_country(text: str) -> bool:
    """Whether text names a country in one of the locales."""
    return fold(text) in country_names()


def language_code(word: str) -> str | None:
    """The code of the language a word names, allowing inflected forms ("po angielsku")."""
    folded = fold(word)
    codes = language_codes()
    if folded in codes:
        return codes[folded]
    if len(folded) >= 6:
        for stem_length in (len(folded) - 1, len(folded) - 2):
            stem = folded[:stem_length]
            for name, code in codes.items():
                if name.startswith(stem) and len(name) - stem_length <= 2 and " " not in name:
                    return code
    return None


def write_tables() -> None:
    """Build the three tables from Babel and keep them beside this module."""
    tables = {
        "babel": version("babel"),
        "locales": list(LOCALES),
        "months": _month_numbers(),
        "languages": _language_codes(),
        "countries": sorted(_country_names()),
    }
    TABLES.write_text(json.dumps(tables, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_tables()
