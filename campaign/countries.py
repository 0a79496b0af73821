# ruff: noqa: RUF002 (Cyrillic letters in the docstring are the point)
"""Country names in the reader's language (CLDR, through Babel) and lists sorted as that reader expects.

Sorting uses ICU's collation for the language (PyICU): a Spanish reader finds "Ñ" after "N", a
Kazakh reader finds "Ә" right after "А" and "Қ" after "К" (Cyrillic), a Chinese reader finds the names in pinyin
order, and no reader finds the accented "Å" or "É" names at the end of the list, as a sort by
code point would put them.
"""

from __future__ import annotations

from functools import cache

import icu
import pycountry
from babel import Locale, UnknownLocaleError
from flask_babel import get_locale


def _locale_code(locale: object = None) -> str:
    return str(locale if locale is not None else (get_locale() or "en"))


@cache
def _territories(locale: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(locale).territories)
    except (ValueError, UnknownLocaleError):
        return dict(Locale("en").territories)


def country_name(code: str | None, locale: object = None) -> str:
    """A country's name (ISO 3166-1 alpha-2 code) in the given language, the page's by default; else its code."""
    if not code:
        return ""
    name = _territories(_locale_code(locale)).get(code.upper())
    if name:
        return name
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


@cache
def _collator(locale: str) -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale(locale.replace("-", "_")))


def collation_key(text: str, locale: object = None) -> bytes:
    """What to sort a name by for a reader of the language."""
    return _collator(_locale_code(locale)).getSortKey(text)


def sorted_by_name(pairs: list[tuple[str, str]], locale: object = None) -> list[tuple[str, str]]:
    """(code, name) pairs in the order a reader of the language expects the names."""
    collator = _collator(_locale_code(locale))
    return sorted(pairs, key=lambda pair: collator.getSortKey(pair[1]))


@cache
def _country_choices(locale: str, codes: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted_by_name([(code, country_name(code, locale)) for code in codes], locale))


def country_choices(codes: list[str] | None = None, locale: object = None) -> list[tuple[str, str]]:
    """Countries as (code, name) in the language, sorted for its readers; every country by default."""
    every = codes if codes is not None else [country.alpha_2 for country in pycountry.countries]
    return list(_country_choices(_locale_code(locale), tuple(every)))
