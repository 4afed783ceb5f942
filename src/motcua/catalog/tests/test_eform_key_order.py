"""An e-form's fields come back in the author's order on every database (jsonb sorts keys)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from motcua.catalog.models import ProcedureVersion
from motcua.lib.fields import ORDER_KEY, restore_key_order, with_key_order

# Keys whose jsonb order (shorter first, then bytes) differs from the order written here.
SCHEMA = {
    "type": "object",
    "required": ["ho_va_ten", "ngay_sinh"],
    "properties": {
        "ho_va_ten": {"type": "string", "title": "Họ và tên"},
        "ngay_sinh": {"type": "string", "format": "date", "title": "Ngày sinh"},
        "gioi_tinh": {"enum": ["Nam", "Nữ"], "title": "Giới tính"},
        "so_dinh_danh_ca_nhan": {"type": "string", "title": "Số định danh cá nhân"},
        "dan_toc": {"type": "string", "title": "Dân tộc"},
        "thanh_vien": {
            "type": "array",
            "items": {"type": "object", "properties": {"ten": {"type": "string"}, "b": {"type": "string"}}},
        },
    },
}


def test_a_stored_schema_keeps_its_key_order_at_every_level(world: Any) -> None:
    version = world.procedure
    ProcedureVersion.objects.filter(pk=version.pk).update(e_form_schema=SCHEMA)
    stored = ProcedureVersion.objects.get(pk=version.pk).e_form_schema
    assert stored == SCHEMA
    assert list(stored) == list(SCHEMA)
    assert list(stored["properties"]) == list(SCHEMA["properties"])
    member = stored["properties"]["thanh_vien"]["items"]["properties"]
    assert list(member) == ["ten", "b"]
    assert ORDER_KEY not in str(stored)
    values = ProcedureVersion.objects.filter(pk=version.pk).values_list("e_form_schema", flat=True).get()
    assert values is not None
    assert list(values["properties"]) == list(SCHEMA["properties"])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=5),
    max_leaves=20,
)


@given(json_values)
def test_recording_and_restoring_the_order_gives_back_the_same_value_and_order(value: Any) -> None:
    back = restore_key_order(with_key_order(value))
    assert back == value
    assert _orders(back) == _orders(value)


@given(st.dictionaries(st.text(min_size=1, max_size=6), st.integers(), min_size=2, max_size=6))
def test_the_order_survives_a_store_that_sorts_keys(value: dict[str, int]) -> None:
    recorded = with_key_order(value)
    sorted_like_jsonb = {key: recorded[key] for key in sorted(recorded, key=lambda k: (len(k.encode()), k.encode()))}
    assert list(restore_key_order(sorted_like_jsonb)) == list(value)


def _orders(value: Any) -> Any:
    if isinstance(value, dict):
        return [(key, _orders(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [_orders(item) for item in value]
    return value
