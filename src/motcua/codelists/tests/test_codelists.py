"""Code lists: where they come from, and how e-forms use them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import jsonschema_rs
import pycountry
import pytest

from motcua.codelists.divisions import communes, is_commune_of, province_names
from motcua.codelists.ethnicity import ETHNICITIES, ethnicity_code, ethnicity_names
from motcua.codelists.formats import FORMATS, is_past_date, past_date
from motcua.codelists.nationality import country_code, nationality_names
from motcua.codelists.schema import with_codelists


def test_the_ethnic_groups_are_the_54_of_the_statistics_office_coded_01_to_54() -> None:
    assert [code for code, _ in ETHNICITIES] == [f"{n:02d}" for n in range(1, 55)]
    assert len(set(ethnicity_names())) == 54
    assert ethnicity_code("Kinh") == "01"
    assert ethnicity_code("Rơ-măm") == "54"
    assert ethnicity_names(with_foreigner=True)[-1] == "Người nước ngoài"


def test_nationalities_are_the_iso_countries_with_their_vietnamese_names_viet_nam_first() -> None:
    names = nationality_names()
    assert len(names) == len(pycountry.countries) == len(set(names))
    assert names[0] == "Việt Nam"
    assert {"Hàn Quốc", "Hoa Kỳ", "Nhật Bản", "Lào"} <= set(names)
    assert country_code("Hàn Quốc") == "KR"


def test_the_provinces_are_the_34_after_the_reorganisation_of_1_july_2025_with_their_communes() -> None:
    provinces = province_names()
    assert len(provinces) == 34
    assert "Thành phố Hà Nội" in provinces
    assert "Tỉnh Cao Bằng" in provinces
    assert set(communes()) == set(provinces)
    assert sum(len(names) for names in communes().values()) > 3000
    assert is_commune_of("Phường Hoàn Kiếm", "Thành phố Hà Nội")
    assert not is_commune_of("Phường Hoàn Kiếm", "Thành phố Hồ Chí Minh")


def _validator(schema: dict[str, Any]) -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for(schema, formats=FORMATS, validate_formats=True)


FORM: dict[str, Any] = {
    "type": "object",
    "properties": {
        "dan_toc": {"x-codelist": "ethnicity", "title": "Dân tộc"},
        "quoc_tich": {"x-codelist": "nationality", "title": "Quốc tịch"},
        "noi_o": {"x-codelist": "address", "title": "Nơi ở"},
    },
}


def test_a_codelist_marker_becomes_a_reference_to_the_list_in_defs() -> None:
    schema = with_codelists(FORM)
    assert schema["properties"]["dan_toc"] == {"$ref": "#/$defs/dm_dan_toc", "title": "Dân tộc"}
    assert schema["$defs"]["dm_dan_toc"]["enum"] == ethnicity_names()
    assert schema["$defs"]["dm_tinh_thanh"]["enum"] == province_names()  # needed by the address
    assert "x-codelist" not in str(schema)
    assert "$defs" not in FORM  # the author's schema is left alone


def test_it_refuses_a_marker_naming_a_list_that_does_not_exist() -> None:
    with pytest.raises(KeyError):
        with_codelists({"type": "object", "properties": {"x": {"x-codelist": "religion"}}})


def test_the_form_accepts_listed_values_and_refuses_others() -> None:
    validator = _validator(with_codelists(FORM))
    good = {
        "dan_toc": "Tày",
        "quoc_tich": "Việt Nam",
        "noi_o": {"tinh_thanh": "Thành phố Hà Nội", "xa_phuong": "Phường Hoàn Kiếm", "chi_tiet": "Số 1"},
    }
    assert validator.is_valid(good)
    assert not validator.is_valid({**good, "dan_toc": "Kinh Tày"})
    assert not validator.is_valid({**good, "quoc_tich": "Vietnam"})


def test_an_address_refuses_a_commune_of_another_province() -> None:
    validator = _validator(with_codelists(FORM))
    wrong = {"noi_o": {"tinh_thanh": "Thành phố Hồ Chí Minh", "xa_phuong": "Phường Hoàn Kiếm", "chi_tiet": "Số 1"}}
    paths = ["/".join(str(p) for p in error.instance_path) for error in validator.iter_errors(wrong)]
    assert paths == ["noi_o/xa_phuong"]


def test_a_past_date_is_today_or_earlier() -> None:
    today = date.today()
    assert is_past_date("2000-02-29")
    assert not is_past_date((today + timedelta(days=2)).isoformat())
    assert not is_past_date("2001-02-29")
    validator = _validator({"type": "object", "properties": {"ngay_sinh": past_date("Ngày sinh")}})
    assert validator.is_valid({"ngay_sinh": "1990-01-01"})
    assert not validator.is_valid({"ngay_sinh": (today + timedelta(days=2)).isoformat()})
