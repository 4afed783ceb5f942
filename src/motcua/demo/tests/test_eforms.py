"""Every procedure the demo offers fully online has an e-form with its declaration's fields."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from motcua import eforms
from motcua.demo.data import PROCEDURES
from motcua.demo.data_eforms import E_FORM_EXAMPLES, E_FORM_SCHEMAS
from motcua.eforms.schema import form_errors, schema_error

FULLY_ONLINE = sorted(p["code"] for p in PROCEDURES if p["online_level"] == "full")


def _spec(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """`spec` with its local $ref followed (the target's keys, the spec's own winning)."""
    ref = spec.get("$ref")
    if not isinstance(ref, str):
        return spec
    target = schema["$defs"][ref.removeprefix("#/$defs/")]
    return {**_spec(schema, target), **{k: v for k, v in spec.items() if k != "$ref"}}


def _raw_leaves(code: str) -> list[tuple[list[str], dict[str, Any], dict[str, Any]]]:
    """(path, spec as written, spec resolved) of the example's scalars."""
    schema, example = E_FORM_SCHEMAS[code], E_FORM_EXAMPLES[code]
    found: list[tuple[list[str], dict[str, Any], dict[str, Any]]] = []

    def walk(spec: dict[str, Any], value: Any, path: list[str]) -> None:
        resolved = _spec(schema, spec)
        if isinstance(value, dict):
            for key, child in value.items():
                walk(resolved["properties"][key], child, [*path, key])
        elif isinstance(value, list):
            for index, row in enumerate(value):
                walk(resolved["items"], row, [*path, str(index)])
        else:
            found.append((path, spec, resolved))

    walk(schema, example, [])
    return found


def _with(example: dict[str, Any], path: list[str], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(example)
    target: Any = changed
    for part in path[:-1]:
        target = target[int(part)] if isinstance(target, list) else target[part]
    target[path[-1]] = value
    return changed


def test_every_procedure_offered_fully_online_has_an_e_form() -> None:
    assert len(FULLY_ONLINE) >= 33
    assert sorted(E_FORM_SCHEMAS) == FULLY_ONLINE
    assert sorted(E_FORM_EXAMPLES) == FULLY_ONLINE
    attached = {p["code"]: p["e_form_schema"] for p in PROCEDURES}
    assert all(attached[code] is E_FORM_SCHEMAS[code] for code in FULLY_ONLINE)


@pytest.mark.parametrize("code", FULLY_ONLINE)
def test_each_e_form_is_valid_json_schema_renders_and_accepts_its_example(code: str) -> None:
    schema = E_FORM_SCHEMAS[code]
    assert schema_error(schema) is None
    html = render_to_string(
        "portal/partials/eform.html", {"fields": eforms.build_fields(schema, E_FORM_EXAMPLES[code])}
    )
    assert 'name="ef.' in html
    assert form_errors(schema, E_FORM_EXAMPLES[code]) == {}
    assert form_errors(schema, {})  # an empty form is refused


@pytest.mark.parametrize("code", FULLY_ONLINE)
def test_each_e_form_refuses_a_birth_or_death_date_in_the_future(code: str) -> None:
    schema, example = E_FORM_SCHEMAS[code], E_FORM_EXAMPLES[code]
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    past_dates = [path for path, _, spec in _raw_leaves(code) if {"format": "past-date"} in spec.get("allOf", [])]
    assert past_dates, "the form has a birth date or another date that cannot be in the future"
    for path in past_dates:
        assert "/".join(path) in form_errors(schema, _with(example, path, tomorrow))


@pytest.mark.parametrize("code", FULLY_ONLINE)
def test_each_e_form_refuses_a_value_outside_its_code_lists(code: str) -> None:
    schema, example = E_FORM_SCHEMAS[code], E_FORM_EXAMPLES[code]
    coded = [path for path, raw, _ in _raw_leaves(code) if str(raw.get("$ref", "")).startswith("#/$defs/dm_")]
    assert coded, "the form chooses an ethnic group, a nationality or a province from a code list"
    for path in coded:
        assert "/".join(path) in form_errors(schema, _with(example, path, "Không có trong danh mục"))


@pytest.mark.parametrize("code", [c for c in FULLY_ONLINE if "dia_chi" in E_FORM_SCHEMAS[c]["$defs"]])
def test_each_address_refuses_a_commune_that_is_not_in_its_province(code: str) -> None:
    schema, example = E_FORM_SCHEMAS[code], E_FORM_EXAMPLES[code]
    communes = [path for path, _, _ in _raw_leaves(code) if path[-1] == "xa_phuong"]
    assert communes
    for path in communes:
        assert "/".join(path) in form_errors(schema, _with(example, path, "Phường Sài Gòn"))


def test_a_citizen_who_types_a_birth_date_in_the_future_is_told_so_in_vietnamese() -> None:
    schema, example = E_FORM_SCHEMAS["1.001193"], E_FORM_EXAMPLES["1.001193"]
    future = (date.today() + timedelta(days=30)).isoformat()
    wrong = _with(example, ["nguoi_duoc_khai_sinh", "ngay_sinh"], future)
    with translation.override("vi"):
        errors = eforms.localised_errors(schema, wrong)
    assert errors == {"nguoi_duoc_khai_sinh/ngay_sinh": "Ngày này không được sau ngày hôm nay."}


def test_a_citizen_who_types_a_commune_of_another_province_is_asked_to_choose_one() -> None:
    schema, example = E_FORM_SCHEMAS["3.000333"], E_FORM_EXAMPLES["3.000333"]
    wrong = _with(example, ["noi_thuong_tru", "tinh_thanh"], "Thành phố Hồ Chí Minh")
    with translation.override("vi"):
        errors = eforms.localised_errors(schema, wrong)
    assert list(errors) == ["noi_thuong_tru/xa_phuong"]
