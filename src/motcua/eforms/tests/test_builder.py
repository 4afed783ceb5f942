"""The e-form builder's rows and the stored JSON Schema: every demo e-form loads into rows and
builds back unchanged, the builder's own constructs (code lists, sections, repeating groups,
conditions) become plain JSON Schema the portal checks, and each bad row is named."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.demo.data_eforms import E_FORM_SCHEMAS
from motcua.eforms import form_errors, schema_error
from motcua.eforms.builder import Row, rows_to_schema, schema_to_rows


@pytest.mark.parametrize("code", sorted(E_FORM_SCHEMAS))
def test_every_demo_e_form_loads_into_the_builder_and_builds_back_unchanged(code: str) -> None:
    schema = E_FORM_SCHEMAS[code]
    title, rows, root, exact = schema_to_rows(schema)
    assert exact
    assert rows_to_schema(title, rows, root) == (schema, {})


def _build(*rows: Row) -> dict[str, Any]:
    schema, errors = rows_to_schema("Tờ khai", list(rows))
    assert errors == {}
    assert schema is not None
    assert schema_error(schema) is None
    return schema


def test_a_condition_makes_a_field_required_only_when_the_other_field_has_the_value() -> None:
    schema = _build(
        Row(key="uy_quyen", title="Có ủy quyền", kind="yesno"),
        Row(key="nguoi_duoc_uy_quyen", title="Người được ủy quyền", when_field="uy_quyen", when_value="true"),
    )
    assert form_errors(schema, {"uy_quyen": False}) == {}
    assert list(form_errors(schema, {"uy_quyen": True})) == ["(form)"]
    assert form_errors(schema, {"uy_quyen": True, "nguoi_duoc_uy_quyen": "Trần Thị Bình"}) == {}


def test_a_code_list_field_accepts_only_the_values_of_its_list() -> None:
    schema = _build(Row(key="dan_toc", title="Dân tộc", kind="ethnicity", required=True))
    assert form_errors(schema, {"dan_toc": "Kinh"}) == {}
    assert "dan_toc" in form_errors(schema, {"dan_toc": "Không có"})


def test_a_repeating_group_holds_the_rows_that_name_it() -> None:
    schema = _build(
        Row(key="thanh_vien", title="Thành viên", kind="group"),
        Row(key="ho_ten", title="Họ tên", parent="thanh_vien", required=True),
        Row(key="ngay_sinh", title="Ngày sinh", kind="date", parent="thanh_vien"),
    )
    group = schema["properties"]["thanh_vien"]
    assert group["type"] == "array"
    assert list(group["items"]["properties"]) == ["ho_ten", "ngay_sinh"]
    assert "thanh_vien/0" in form_errors(schema, {"thanh_vien": [{"ngay_sinh": "2020-01-02"}]})


def test_a_changed_type_drops_the_rules_of_the_old_type() -> None:
    _title, rows, _root, _exact = schema_to_rows(
        {"type": "object", "properties": {"so": {"type": "string", "pattern": "^[0-9]+$", "maxLength": 12}}}
    )
    rows[0].kind = "integer"
    schema = _build(*rows)
    assert schema["properties"]["so"] == {"type": "integer"}


def test_each_bad_row_is_named_with_its_problem() -> None:
    schema, errors = rows_to_schema(
        "",
        [
            Row(key="Họ tên", title="Họ tên"),
            Row(key="a", kind="choice"),
            Row(key="b", parent="khong_co"),
            Row(key="c", required=True, when_field="a", when_value="x"),
            Row(key="d", when_field="khong_co", when_value="x"),
            Row(key="a", title="Trùng"),
        ],
    )
    assert schema is None
    assert sorted(errors) == [0, 1, 2, 3, 4, 5]
