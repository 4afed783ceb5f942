"""Code lists in JSON Schema e-forms: ``"x-codelist": "<list>"`` becomes an enum definition.

An e-form author writes ``{"x-codelist": "ethnicity", "title": "Dân tộc"}``; `with_codelists`
replaces it by ``{"$ref": "#/$defs/dm_dan_toc", "title": "Dân tộc"}`` and puts the list in the
schema's ``$defs``, so the stored schema is plain JSON Schema that pages render (a choice
list) and any validator checks. ``"x-codelist": "address"`` is an address: province and
commune from the lists after 1 July 2025, the commune checked against the chosen province.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from .divisions import communes, province_names
from .ethnicity import ethnicity_names
from .nationality import nationality_names

MARKER = "x-codelist"


def _enum(names: list[str]) -> dict[str, Any]:
    return {"type": "string", "enum": names}


def _address() -> dict[str, Any]:
    commune_checks = [
        {
            "if": {"properties": {"tinh_thanh": {"const": province}}, "required": ["tinh_thanh"]},
            "then": {"properties": {"xa_phuong": {"enum": list(names)}}},
        }
        for province, names in communes().items()
    ]
    return {
        "type": "object",
        "required": ["tinh_thanh", "xa_phuong", "chi_tiet"],
        "properties": {
            "tinh_thanh": {"$ref": "#/$defs/dm_tinh_thanh", "title": "Tỉnh, thành phố"},
            "xa_phuong": {
                "title": "Xã, phường, đặc khu",
                "description": "Tên đầy đủ theo danh mục từ 01/7/2025, ví dụ: Phường Hoàn Kiếm, Xã Tân Phú.",
                "type": "string",
                "maxLength": 100,
            },
            "chi_tiet": {"title": "Số nhà, đường, thôn, tổ", "type": "string", "maxLength": 200},
        },
        "additionalProperties": False,
        "allOf": commune_checks,
    }


# list name -> (definition name in $defs, the definition, definitions it needs)
CODELISTS: dict[str, tuple[str, Callable[[], dict[str, Any]], tuple[str, ...]]] = {
    "ethnicity": ("dm_dan_toc", lambda: _enum(ethnicity_names()), ()),
    "ethnicity_or_foreigner": ("dm_dan_toc_nn", lambda: _enum(ethnicity_names(with_foreigner=True)), ()),
    "nationality": ("dm_quoc_tich", lambda: _enum(nationality_names()), ()),
    "province": ("dm_tinh_thanh", lambda: _enum(province_names()), ()),
    "address": ("dia_chi", _address, ("province",)),
}


def codelists_used(schema: Any) -> set[str]:
    """The code lists `schema` names with ``x-codelist`` (and those they need)."""
    found: set[str] = set()
    if isinstance(schema, dict):
        if isinstance(schema.get(MARKER), str):
            found.add(schema[MARKER])
        for value in schema.values():
            found |= codelists_used(value)
    elif isinstance(schema, list):
        for value in schema:
            found |= codelists_used(value)
    for name in list(found):
        if name in CODELISTS:
            found.update(CODELISTS[name][2])
    return found


def _replace(node: Any) -> Any:
    if isinstance(node, list):
        return [_replace(value) for value in node]
    if not isinstance(node, dict):
        return node
    name = node.get(MARKER)
    rest = {key: _replace(value) for key, value in node.items() if key != MARKER}
    if isinstance(name, str):
        return {"$ref": f"#/$defs/{CODELISTS[name][0]}", **rest}
    return rest


def with_codelists(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with every ``x-codelist`` marker replaced by a ``$ref`` to its list in ``$defs``.

    Raises KeyError for a list that does not exist.
    """
    used = codelists_used(schema)
    unknown = used - set(CODELISTS)
    if unknown:
        raise KeyError(f"unknown code lists: {sorted(unknown)}")
    result: dict[str, Any] = _replace(copy.deepcopy(schema))
    defs = dict(result.get("$defs") or {})
    for name in sorted(used):
        def_name, build, _needs = CODELISTS[name]
        defs[def_name] = _replace(build())
    result["$defs"] = defs
    return result
