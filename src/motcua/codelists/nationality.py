"""Nationalities: the countries of ISO 3166-1 with their Vietnamese names.

The list and the names come from the maintained `pycountry` package (the ISO 3166-1 data of
Debian's iso-codes, with its Vietnamese translation). "Việt Nam" comes first, the others in
Vietnamese alphabetical order of their names.
"""

from __future__ import annotations

import gettext
import unicodedata
from functools import cache

import pycountry

VIET_NAM = "VN"


@cache
def _vietnamese() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["vi"], fallback=True)


def _sort_key(name: str) -> str:
    return unicodedata.normalize("NFD", name.casefold())


@cache
def countries() -> tuple[tuple[str, str], ...]:
    """(ISO 3166-1 alpha-2 code, Vietnamese name) of every country, Việt Nam first."""
    translate = _vietnamese().gettext
    rows = [(country.alpha_2, translate(country.name)) for country in pycountry.countries]
    home = [row for row in rows if row[0] == VIET_NAM]
    others = sorted((row for row in rows if row[0] != VIET_NAM), key=lambda row: _sort_key(row[1]))
    return (*home, *others)


def nationality_names() -> list[str]:
    """The Vietnamese names of the countries, Việt Nam first."""
    return [name for _, name in countries()]


def country_code(name: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country's Vietnamese name, or None."""
    return next((code for code, known in countries() if known == name), None)
