"""Nationalities: the countries of ISO 3166-1 with their Vietnamese names.

The list of countries comes from the maintained `pycountry` package (ISO 3166-1 as kept by
Debian's iso-codes), their Vietnamese names from the Unicode CLDR through `babel` ("Hàn Quốc",
"Hoa Kỳ", "Vương quốc Anh"). "Việt Nam" comes first, the others in Vietnamese alphabetical
order of their names.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import pycountry
from babel import Locale

VIET_NAM = "VN"


def _sort_key(name: str) -> str:
    return unicodedata.normalize("NFD", name.casefold())


@cache
def countries() -> tuple[tuple[str, str], ...]:
    """(ISO 3166-1 alpha-2 code, Vietnamese name) of every country, Việt Nam first."""
    names = Locale("vi").territories
    rows = [(country.alpha_2, names.get(country.alpha_2, country.name)) for country in pycountry.countries]
    home = [row for row in rows if row[0] == VIET_NAM]
    others = sorted((row for row in rows if row[0] != VIET_NAM), key=lambda row: _sort_key(row[1]))
    return (*home, *others)


def nationality_names() -> list[str]:
    """The Vietnamese names of the countries, Việt Nam first."""
    return [name for _, name in countries()]


def country_code(name: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country's Vietnamese name, or None."""
    return next((code for code, known in countries() if known == name), None)
