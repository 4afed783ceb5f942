"""Vietnamese personal names: one full name in Vietnamese order (family, middle, given),
as written on the identity card. The given name is the last word; nothing else is derived."""

from __future__ import annotations


def normalise_full_name(value: str) -> str:
    """The name with its words separated by single spaces (the ID card's spelling kept)."""
    return " ".join(str(value or "").split())


def given_name(full_name: str) -> str:
    """'Nguyễn Thị Minh Khai' -> 'Khai': the given name, for a greeting or a sort key."""
    words = normalise_full_name(full_name).split(" ")
    return words[-1]


def django_name_parts(full_name: str) -> tuple[str, str]:
    """(first_name, last_name) in Django's sense (given name, then family and middle names),
    for Django's own screens; MotCua itself never prints them."""
    name = normalise_full_name(full_name)
    family, _, given = name.rpartition(" ")
    return given[:150], family[:150]


def full_name_from_django(first_name: str, last_name: str) -> str:
    """The Vietnamese order of a name kept in Django's fields (first = given name)."""
    return normalise_full_name(f"{last_name} {first_name}")
