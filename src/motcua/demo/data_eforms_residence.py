"""Demo e-forms of residence (cư trú) and of the judicial record certificate.

Residence procedures share one declaration, the CT01 form (Tờ khai thay đổi thông tin cư trú,
Circular 56/2021/TT-BCA as amended by Circular 66/2023/TT-BCA); each procedure fills in the
part of "Nội dung đề nghị" that concerns it. The judicial record request follows form
03/2013/TT-LLTP (Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp).
"""

from __future__ import annotations

from typing import Any

from .data_eforms_parts import (
    ADDRESS,
    BIRTH_DATE,
    BY_PROXY,
    DECLARATION,
    EMAIL,
    ETHNICITY,
    GENDER,
    MONTH_YEAR,
    NAME,
    NATIONALITY,
    PERSONAL_ID,
    PHONE,
    RECEIVE,
    address,
    form,
    obj,
    rows,
    text,
)

HOUSEHOLD_HEAD = obj(
    "Chủ hộ",
    ["ho_ten", "so_dinh_danh", "quan_he"],
    {
        "ho_ten": NAME,
        "so_dinh_danh": PERSONAL_ID,
        "quan_he": text("Quan hệ của người khai với chủ hộ", 50),
    },
)
MEMBERS = rows(
    "Những thành viên trong hộ gia đình cùng thay đổi",
    ["ho_ten", "ngay_sinh", "so_dinh_danh", "quan_he_voi_chu_ho"],
    {
        "ho_ten": NAME,
        "ngay_sinh": BIRTH_DATE,
        "gioi_tinh": GENDER,
        "so_dinh_danh": PERSONAL_ID,
        "quan_he_voi_chu_ho": text("Quan hệ với chủ hộ", 50),
    },
    maxItems=20,
)


def ct01(code: str, slug: str, purpose: str, required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    """The CT01 declaration for one residence procedure: the person, the household, the request."""
    return form(
        code,
        f"ct01-{slug}",
        f"Tờ khai thay đổi thông tin cư trú (CT01) - {purpose}",
        ["ho_ten", "ngay_sinh", "gioi_tinh", "so_dinh_danh", "dien_thoai", "chu_ho", *required, "cam_doan"],
        {
            "ho_ten": NAME,
            "ngay_sinh": BIRTH_DATE,
            "gioi_tinh": GENDER,
            "so_dinh_danh": PERSONAL_ID,
            "dien_thoai": PHONE,
            "email": EMAIL,
            "chu_ho": HOUSEHOLD_HEAD,
            **properties,
            "noi_dung_de_nghi": text("Nội dung đề nghị", 500),
            "thanh_vien_cung_thay_doi": MEMBERS,
            "cam_doan": DECLARATION,
        },
    )


OWNER_CONSENT = {
    "title": "Chủ hộ, chủ sở hữu chỗ ở hợp pháp đồng ý cho đăng ký",
    "description": "Luật Cư trú 2020, Điều 20 và Điều 28.",
    "type": "boolean",
    "const": True,
}
PERMANENT = ct01(
    "1.004222",
    "dang-ky-thuong-tru",
    "Đăng ký thường trú",
    ["noi_de_nghi_thuong_tru", "can_cu", "y_kien_chu_so_huu"],
    {
        "noi_de_nghi_thuong_tru": {**ADDRESS, "title": "Địa chỉ đề nghị đăng ký thường trú"},
        "can_cu": {
            "title": "Trường hợp đăng ký thường trú (Luật Cư trú 2020, Điều 20)",
            "enum": [
                "Chỗ ở hợp pháp thuộc quyền sở hữu của mình",
                "Về ở với người thân (vợ, chồng, cha, mẹ, con...)",
                "Chỗ ở hợp pháp do thuê, mượn, ở nhờ",
                "Cơ sở tín ngưỡng, tôn giáo",
                "Cơ sở trợ giúp xã hội",
                "Phương tiện lưu động",
            ],
        },
        "y_kien_chu_so_huu": OWNER_CONSENT,
    },
)
TEMPORARY = ct01(
    "1.004194",
    "dang-ky-tam-tru",
    "Đăng ký tạm trú",
    ["noi_de_nghi_tam_tru", "thoi_han_tam_tru_thang", "y_kien_chu_so_huu"],
    {
        "noi_de_nghi_tam_tru": {**ADDRESS, "title": "Địa chỉ đề nghị đăng ký tạm trú"},
        "thoi_han_tam_tru_thang": {
            "title": "Thời hạn tạm trú (tháng)",
            "description": "Tối đa 02 năm (Luật Cư trú 2020, Điều 27).",
            "type": "integer",
            "minimum": 1,
            "maximum": 24,
        },
        "y_kien_chu_so_huu": OWNER_CONSENT,
    },
)
EXTENSION = ct01(
    "1.002755",
    "gia-han-tam-tru",
    "Gia hạn tạm trú",
    ["noi_tam_tru", "tam_tru_den_ngay", "gia_han_thang"],
    {
        "noi_tam_tru": {**ADDRESS, "title": "Nơi đang đăng ký tạm trú"},
        "tam_tru_den_ngay": {**text("Thời hạn tạm trú đã đăng ký đến ngày", 10), "format": "date"},
        "gia_han_thang": {"title": "Thời hạn đề nghị gia hạn (tháng)", "type": "integer", "minimum": 1, "maximum": 24},
    },
)
REMOVE_PERMANENT = ct01(
    "1.003197",
    "xoa-dang-ky-thuong-tru",
    "Xóa đăng ký thường trú",
    ["noi_thuong_tru", "ly_do_xoa"],
    {
        "noi_thuong_tru": {**ADDRESS, "title": "Nơi thường trú đề nghị xóa"},
        "ly_do_xoa": {
            "title": "Trường hợp xóa đăng ký thường trú (Luật Cư trú 2020, Điều 24)",
            "enum": [
                "Ra nước ngoài để định cư",
                "Vắng mặt liên tục tại nơi thường trú từ 12 tháng trở lên",
                "Đã được đăng ký thường trú ở nơi khác",
                "Chỗ ở đã bị phá dỡ, tịch thu hoặc không còn sử dụng",
                "Trường hợp khác theo luật định",
            ],
        },
    },
)
REMOVE_TEMPORARY = ct01(
    "1.010028",
    "xoa-dang-ky-tam-tru",
    "Xóa đăng ký tạm trú",
    ["noi_tam_tru", "ly_do_xoa"],
    {
        "noi_tam_tru": {**ADDRESS, "title": "Nơi tạm trú đề nghị xóa"},
        "ly_do_xoa": {
            "title": "Trường hợp xóa đăng ký tạm trú (Luật Cư trú 2020, Điều 29)",
            "enum": [
                "Vắng mặt liên tục tại nơi tạm trú từ 06 tháng trở lên",
                "Đã được đăng ký thường trú tại nơi tạm trú",
                "Đã được đăng ký tạm trú ở nơi khác",
                "Chấm dứt việc thuê, mượn, ở nhờ chỗ ở",
                "Trường hợp khác theo luật định",
            ],
        },
    },
)

JUDICIAL_RECORD = form(
    "3.000333",
    "to-khai-yeu-cau-cap-phieu-lltp",
    "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
    [
        "ho_ten",
        "gioi_tinh",
        "ngay_sinh",
        "noi_sinh",
        "quoc_tich",
        "so_dinh_danh",
        "noi_thuong_tru",
        "qua_trinh_cu_tru",
        "loai_phieu",
        "so_luong_phieu",
        "muc_dich",
        "cam_doan",
    ],
    {
        "ho_ten": NAME,
        "ten_goi_khac": text("Tên gọi khác (nếu có)", 100),
        "gioi_tinh": GENDER,
        "ngay_sinh": BIRTH_DATE,
        "noi_sinh": text("Nơi sinh"),
        "quoc_tich": NATIONALITY,
        "dan_toc": ETHNICITY,
        "so_dinh_danh": PERSONAL_ID,
        "noi_thuong_tru": {**ADDRESS, "title": "Nơi thường trú"},
        "noi_tam_tru": {**ADDRESS, "title": "Nơi tạm trú (nếu có)"},
        "dien_thoai": PHONE,
        "email": EMAIL,
        "cha": text("Họ tên cha", 100),
        "me": text("Họ tên mẹ", 100),
        "vo_chong": text("Họ tên vợ/chồng", 100),
        "qua_trinh_cu_tru": rows(
            "Quá trình cư trú, nghề nghiệp, nơi làm việc (từ đủ 14 tuổi)",
            ["tu_thang", "noi_cu_tru"],
            {
                "tu_thang": {**MONTH_YEAR, "title": "Từ tháng/năm"},
                "den_thang": {**MONTH_YEAR, "title": "Đến tháng/năm"},
                "noi_cu_tru": text("Nơi cư trú"),
                "nghe_nghiep_noi_lam_viec": text("Nghề nghiệp, nơi làm việc"),
            },
            minItems=1,
        ),
        "tien_an_tien_su": text("Tiền án, tiền sự (nếu có)", 500),
        "loai_phieu": {
            "title": "Loại Phiếu lý lịch tư pháp",
            "description": "Phiếu số 1 hoặc Phiếu số 2 (Luật Lý lịch tư pháp 2009, Điều 41–43).",
            "enum": [1, 2],
        },
        "so_luong_phieu": {"title": "Số lượng Phiếu yêu cầu cấp", "type": "integer", "minimum": 1, "maximum": 10},
        "muc_dich": text("Mục đích yêu cầu cấp Phiếu", 300, minLength=3),
        "yeu_cau_xac_nhan_cam_dam_nhiem": {
            "title": "Yêu cầu xác nhận về việc bị cấm đảm nhiệm chức vụ, thành lập, quản lý doanh nghiệp",
            "type": "boolean",
            "default": False,
        },
        "hinh_thuc_nhan": RECEIVE,
        "nop_thay": BY_PROXY,
        "cam_doan": DECLARATION,
    },
)

_HEAD = {"ho_ten": "Lê Quốc Cường", "so_dinh_danh": "001078912345", "quan_he": "Người thuê nhà"}
_PERSON: dict[str, Any] = {
    "ho_ten": "Võ Minh Em",
    "ngay_sinh": "2001-01-30",
    "gioi_tinh": "Nam",
    "so_dinh_danh": "079201664420",
    "dien_thoai": "0900000105",
    "chu_ho": _HEAD,
    "cam_doan": True,
}
_HOME = address("Số 8, ngõ 3 phố Đội Cấn", "Phường Ba Đình")

SCHEMAS: dict[str, dict[str, Any]] = {
    "1.004222": PERMANENT,
    "1.004194": TEMPORARY,
    "1.002755": EXTENSION,
    "1.003197": REMOVE_PERMANENT,
    "1.010028": REMOVE_TEMPORARY,
    "3.000333": JUDICIAL_RECORD,
}
EXAMPLES: dict[str, dict[str, Any]] = {
    "1.004222": {
        **_PERSON,
        "chu_ho": {**_HEAD, "quan_he": "Con"},
        "noi_de_nghi_thuong_tru": _HOME,
        "can_cu": "Về ở với người thân (vợ, chồng, cha, mẹ, con...)",
        "y_kien_chu_so_huu": True,
        "thanh_vien_cung_thay_doi": [
            {
                "ho_ten": "Võ Minh Quân",
                "ngay_sinh": "2024-06-01",
                "gioi_tinh": "Nam",
                "so_dinh_danh": "079224000111",
                "quan_he_voi_chu_ho": "Cháu",
            }
        ],
    },
    "1.004194": {
        **_PERSON,
        "noi_de_nghi_tam_tru": _HOME,
        "thoi_han_tam_tru_thang": 12,
        "y_kien_chu_so_huu": True,
        "noi_dung_de_nghi": "Đăng ký tạm trú để đi làm",
    },
    "1.002755": {**_PERSON, "noi_tam_tru": _HOME, "tam_tru_den_ngay": "2026-12-31", "gia_han_thang": 12},
    "1.003197": {**_PERSON, "noi_thuong_tru": _HOME, "ly_do_xoa": "Ra nước ngoài để định cư"},
    "1.010028": {**_PERSON, "noi_tam_tru": _HOME, "ly_do_xoa": "Chấm dứt việc thuê, mượn, ở nhờ chỗ ở"},
    "3.000333": {
        "ho_ten": "Phạm Thị Thùy Dung",
        "gioi_tinh": "Nữ",
        "ngay_sinh": "2002-05-09",
        "noi_sinh": "Xã Kim Anh, Thành phố Hà Nội",
        "quoc_tich": "Việt Nam",
        "dan_toc": "Kinh",
        "so_dinh_danh": "099302457801",
        "noi_thuong_tru": address("Xóm Giữa", "Xã Kim Anh"),
        "dien_thoai": "0900000104",
        "qua_trinh_cu_tru": [
            {
                "tu_thang": "05/2016",
                "den_thang": "08/2020",
                "noi_cu_tru": "Xã Kim Anh, Thành phố Hà Nội",
                "nghe_nghiep_noi_lam_viec": "Học sinh",
            },
            {
                "tu_thang": "09/2020",
                "noi_cu_tru": "Phường Hoàn Kiếm, Thành phố Hà Nội",
                "nghe_nghiep_noi_lam_viec": "Sinh viên",
            },
        ],
        "loai_phieu": 1,
        "so_luong_phieu": 2,
        "muc_dich": "Bổ sung hồ sơ xin việc",
        "hinh_thuc_nhan": "Bản điện tử",
        "cam_doan": True,
    },
}
