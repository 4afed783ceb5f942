"""Building blocks of the demo e-forms: the fields that every declaration (tờ khai) repeats.

Field names are Vietnamese slugs, titles the wording of the paper forms. Code-list fields
are written as ``x-codelist`` markers, replaced by `motcua.codelists.schema.with_codelists`.
"""

from __future__ import annotations

from typing import Any

from motcua.codelists.formats import past_date, phone
from motcua.codelists.schema import with_codelists

DRAFT = "https://json-schema.org/draft/2020-12/schema"

PERSONAL_ID: dict[str, Any] = {
    "title": "Số định danh cá nhân",
    "description": "12 chữ số (Luật Căn cước 2023; Nghị định 137/2015/NĐ-CP Điều 13).",
    "type": "string",
    "pattern": "^[0-9]{12}$",
}
PHONE: dict[str, Any] = phone("Số điện thoại")
EMAIL: dict[str, Any] = {"title": "Thư điện tử", "type": "string", "format": "email", "maxLength": 254}
NAME: dict[str, Any] = {"title": "Họ, chữ đệm và tên", "type": "string", "minLength": 2, "maxLength": 100}
DATE: dict[str, Any] = {"type": "string", "format": "date"}
BIRTH_DATE: dict[str, Any] = past_date("Ngày, tháng, năm sinh")
GENDER: dict[str, Any] = {"title": "Giới tính", "enum": ["Nam", "Nữ"]}
ETHNICITY: dict[str, Any] = {"x-codelist": "ethnicity", "title": "Dân tộc"}
NATIONALITY: dict[str, Any] = {"x-codelist": "nationality", "title": "Quốc tịch"}
ADDRESS: dict[str, Any] = {"x-codelist": "address"}
DECLARATION: dict[str, Any] = {"title": "Tôi cam đoan nội dung khai trên đây là đúng sự thật", "const": True}
#: Filed on someone else's behalf: the paper "Văn bản ủy quyền (nếu nộp thay)" is mandatory
#: when this is answered yes (a conditional paper of the catalogue names this field).
BY_PROXY: dict[str, Any] = {
    "title": "Nộp thay cho người có yêu cầu (theo ủy quyền)",
    "type": "boolean",
    "default": False,
}
COPIES: dict[str, Any] = {"title": "Số bản sao đề nghị cấp", "type": "integer", "minimum": 0, "maximum": 10}
RECEIVE: dict[str, Any] = {
    "title": "Hình thức nhận kết quả",
    "enum": ["Trực tiếp", "Bưu chính công ích", "Bản điện tử"],
    "default": "Bản điện tử",
}
PAYMENT: dict[str, Any] = {
    "title": "Hình thức nhận tiền",
    "enum": ["Tiền mặt", "Tài khoản ngân hàng"],
}
BANK_ACCOUNT: dict[str, Any] = {
    "title": "Tài khoản nhận tiền (nếu nhận qua ngân hàng)",
    "type": "object",
    "properties": {
        "so_tai_khoan": {"title": "Số tài khoản", "type": "string", "pattern": "^[0-9]{6,20}$"},
        "ngan_hang": {"title": "Ngân hàng", "type": "string", "maxLength": 100},
        "chu_tai_khoan": {"title": "Chủ tài khoản", "type": "string", "maxLength": 100},
    },
    "additionalProperties": False,
}
MONTH_YEAR: dict[str, Any] = {"type": "string", "pattern": "^(0[1-9]|1[0-2])/[0-9]{4}$"}
MONEY: dict[str, Any] = {"type": "integer", "minimum": 0}
TAX_CODE: dict[str, Any] = {"title": "Mã số thuế", "type": "string", "pattern": "^[0-9]{10}(-[0-9]{3})?$"}
PARCEL: dict[str, Any] = {
    "title": "Thửa đất",
    "type": "object",
    "required": ["thua_dat_so", "to_ban_do_so", "dien_tich_m2", "dia_chi"],
    "properties": {
        "thua_dat_so": {"title": "Thửa đất số", "type": "integer", "minimum": 1},
        "to_ban_do_so": {"title": "Tờ bản đồ số", "type": "integer", "minimum": 1},
        "dien_tich_m2": {"title": "Diện tích (m²)", "type": "number", "exclusiveMinimum": 0},
        "dia_chi": {**ADDRESS, "title": "Địa chỉ thửa đất"},
    },
    "additionalProperties": False,
}


def obj(title: str, required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    """A group of fields (a fieldset on the page)."""
    return {
        "title": title,
        "type": "object",
        "required": required,
        "properties": properties,
        "additionalProperties": False,
    }


def rows(title: str, required: list[str], properties: dict[str, Any], **bounds: int) -> dict[str, Any]:
    """A repeating group (rows of a table on the paper form)."""
    return {"title": title, "type": "array", "items": obj(title, required, properties), **bounds}


def text(title: str, max_length: int = 200, **extra: Any) -> dict[str, Any]:
    return {"title": title, "type": "string", "maxLength": max_length, **extra}


def person(title: str, *extra_required: str, **extra: dict[str, Any]) -> dict[str, Any]:
    """A person as the declarations describe one: name, birth, sex, identity number, residence."""
    return obj(
        title,
        ["ho_ten", "ngay_sinh", "gioi_tinh", "so_dinh_danh", "noi_cu_tru", *extra_required],
        {
            "ho_ten": NAME,
            "ngay_sinh": BIRTH_DATE,
            "gioi_tinh": GENDER,
            "so_dinh_danh": PERSONAL_ID,
            "noi_cu_tru": {**ADDRESS, "title": "Nơi cư trú"},
            **extra,
        },
    )


def requester(title: str = "Người yêu cầu", **extra: dict[str, Any]) -> dict[str, Any]:
    """The person who files: identity, residence and how to reach them."""
    return person(title, "dien_thoai", dien_thoai=PHONE, email=EMAIL, **extra)


def form(code: str, slug: str, title: str, required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    """An e-form: a draft 2020-12 object schema, code lists resolved into ``$defs``."""
    return with_codelists(
        {
            "$schema": DRAFT,
            "$id": f"https://motcua.example/eforms/{code}/{slug}.json",
            "title": title,
            "type": "object",
            "required": required,
            "properties": properties,
            "additionalProperties": False,
        }
    )


# ------------------------------------------------------------------ example values (invented people)

HANOI = "Thành phố Hà Nội"
HUE = "Thành phố Huế"


def address(detail: str, commune: str = "Phường Hoàn Kiếm", province: str = HANOI) -> dict[str, str]:
    return {"tinh_thanh": province, "xa_phuong": commune, "chi_tiet": detail}


def person_example(name: str, birth: str, gender: str, personal_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "ho_ten": name,
        "ngay_sinh": birth,
        "gioi_tinh": gender,
        "so_dinh_danh": personal_id,
        "noi_cu_tru": address("Số 12 phố Hàng Bài"),
        **extra,
    }


REQUESTER_EXAMPLE: dict[str, Any] = person_example(
    "Trần Thị Bình", "1990-04-18", "Nữ", "099190318562", dien_thoai="0900000102", email="tran.thi.binh@example.com"
)
