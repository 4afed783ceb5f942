"""Provinces and communes of Viet Nam after the reorganisation of 1 July 2025.

The 34 provinces and centrally-run cities and their communes, wards and special zones come
from the maintained `vietnam-provinces` package (codes of the General Statistics Office);
nothing here is typed by hand. Names are those of the package ("Thành phố Hà Nội",
"Phường Hoàn Kiếm"), a province's with its kind in front ("Tỉnh Cao Bằng").
"""

from __future__ import annotations

from functools import cache

from vietnam_provinces import Province, VietNamDivisionType, Ward


def _full_name(province: Province) -> str:
    if province.division_type is VietNamDivisionType.TINH and not province.name.startswith("Tỉnh "):
        return f"Tỉnh {province.name}"
    return province.name


@cache
def provinces() -> tuple[tuple[int, str], ...]:
    """(code, name) of every province and centrally-run city, in code order."""
    return tuple(sorted((int(p.code), _full_name(p)) for p in Province.iter_all()))


@cache
def communes() -> dict[str, tuple[str, ...]]:
    """Province name -> the names of its communes, wards and special zones, in code order."""
    names = dict(provinces())
    by_province: dict[str, list[tuple[int, str]]] = {name: [] for name in names.values()}
    for ward in Ward.iter_all():
        by_province[names[int(ward.province_code)]].append((int(ward.code), ward.name))
    return {province: tuple(name for _, name in sorted(rows)) for province, rows in by_province.items()}


def province_names() -> list[str]:
    return [name for _, name in provinces()]


def is_commune_of(commune: str, province: str) -> bool:
    """Whether `commune` names a commune, ward or special zone of `province`."""
    return commune in communes().get(province, ())
