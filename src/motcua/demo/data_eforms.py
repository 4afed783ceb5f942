"""Demo e-forms (JSON Schema draft 2020-12) for three procedures of the FICTIONAL province.

The fields follow the paper forms they stand for, shortened for a demo: the birth registration
declaration (Tờ khai đăng ký khai sinh, Circular 04/2020/TT-BTP as amended), the request for a
judicial record certificate (Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp) and the residence
change declaration CT01 (Tờ khai thay đổi thông tin cư trú, Circular 56/2021/TT-BCA as amended
by Circular 66/2023/TT-BCA) used for temporary residence. ``E_FORM_EXAMPLES`` holds one valid
filled-in form per schema, with invented people. Re-exported by :mod:`motcua.demo.data`.
"""

from __future__ import annotations

from typing import Any

_DRAFT = "https://json-schema.org/draft/2020-12/schema"

_PERSONAL_ID: dict[str, Any] = {
    "title": "Số định danh cá nhân",
    "description": "12 chữ số (Luật Căn cước 2023; Nghị định 137/2015/NĐ-CP Điều 13).",
    "type": "string",
    "pattern": "^[0-9]{12}$",
}
_PHONE: dict[str, Any] = {"title": "Số điện thoại", "type": "string", "pattern": "^0[0-9]{9}$"}
_EMAIL: dict[str, Any] = {"title": "Thư điện tử", "type": "string", "format": "email", "maxLength": 254}
_NAME: dict[str, Any] = {"title": "Họ, chữ đệm và tên", "type": "string", "minLength": 2, "maxLength": 100}
_DATE: dict[str, Any] = {"type": "string", "format": "date"}
_ADDRESS: dict[str, Any] = {
    "type": "object",
    "required": ["chi_tiet", "xa_phuong", "tinh_thanh"],
    "properties": {
        "chi_tiet": {"title": "Số nhà, đường, thôn, tổ", "type": "string", "maxLength": 200},
        "xa_phuong": {"title": "Xã, phường, đặc khu", "type": "string", "maxLength": 100},
        "tinh_thanh": {"title": "Tỉnh, thành phố", "type": "string", "maxLength": 100},
    },
    "additionalProperties": False,
}

BIRTH_REGISTRATION_FORM: dict[str, Any] = {
    "$schema": _DRAFT,
    "$id": "https://motcua.example/eforms/1.001193/to-khai-dang-ky-khai-sinh.json",
    "title": "Tờ khai đăng ký khai sinh",
    "type": "object",
    "required": ["nguoi_yeu_cau", "nguoi_duoc_khai_sinh", "me", "cam_doan"],
    "properties": {
        "nguoi_yeu_cau": {
            "title": "Người yêu cầu",
            "type": "object",
            "required": ["ho_ten", "so_dinh_danh", "quan_he"],
            "properties": {
                "ho_ten": _NAME,
                "so_dinh_danh": _PERSONAL_ID,
                "quan_he": {
                    "title": "Quan hệ với người được khai sinh",
                    "enum": ["Cha", "Mẹ", "Ông", "Bà", "Người thân thích khác", "Người nuôi dưỡng"],
                },
                "dien_thoai": _PHONE,
                "email": _EMAIL,
            },
            "additionalProperties": False,
        },
        "nguoi_duoc_khai_sinh": {
            "title": "Người được khai sinh",
            "type": "object",
            "required": ["ho_ten", "ngay_sinh", "gioi_tinh", "dan_toc", "quoc_tich", "noi_sinh", "que_quan"],
            "properties": {
                "ho_ten": _NAME,
                "ngay_sinh": {**_DATE, "title": "Ngày, tháng, năm sinh"},
                "gioi_tinh": {"title": "Giới tính", "enum": ["Nam", "Nữ"]},
                "dan_toc": {"title": "Dân tộc", "type": "string", "default": "Kinh"},
                "quoc_tich": {"title": "Quốc tịch", "type": "string", "default": "Việt Nam"},
                "noi_sinh": {"title": "Nơi sinh", "type": "string", "maxLength": 200},
                "que_quan": {"title": "Quê quán", "type": "string", "maxLength": 200},
                "so_giay_chung_sinh": {"title": "Số Giấy chứng sinh", "type": "string", "maxLength": 30},
            },
            "additionalProperties": False,
        },
        "me": {"$ref": "#/$defs/cha_me", "title": "Thông tin người mẹ"},
        "cha": {"$ref": "#/$defs/cha_me", "title": "Thông tin người cha (nếu có)"},
        "so_ban_sao": {
            "title": "Số bản sao Giấy khai sinh đề nghị cấp",
            "type": "integer",
            "minimum": 0,
            "maximum": 10,
            "default": 1,
        },
        "cam_doan": {
            "title": "Tôi cam đoan nội dung khai trên đây là đúng sự thật",
            "const": True,
        },
    },
    "additionalProperties": False,
    "$defs": {
        "cha_me": {
            "type": "object",
            "required": ["ho_ten", "nam_sinh", "dan_toc", "quoc_tich", "noi_cu_tru"],
            "properties": {
                "ho_ten": _NAME,
                "nam_sinh": {"title": "Năm sinh", "type": "integer", "minimum": 1900, "maximum": 2100},
                "dan_toc": {"title": "Dân tộc", "type": "string"},
                "quoc_tich": {"title": "Quốc tịch", "type": "string"},
                "so_dinh_danh": _PERSONAL_ID,
                "noi_cu_tru": {"title": "Nơi cư trú", "type": "string", "maxLength": 200},
            },
        },
    },
}

JUDICIAL_RECORD_REQUEST_FORM: dict[str, Any] = {
    "$schema": _DRAFT,
    "$id": "https://motcua.example/eforms/3.000333/to-khai-yeu-cau-cap-phieu-lltp.json",
    "title": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
    "type": "object",
    "required": [
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
    ],
    "properties": {
        "ho_ten": _NAME,
        "ten_goi_khac": {"title": "Tên gọi khác (nếu có)", "type": "string", "maxLength": 100},
        "gioi_tinh": {"title": "Giới tính", "enum": ["Nam", "Nữ"]},
        "ngay_sinh": {**_DATE, "title": "Ngày, tháng, năm sinh"},
        "noi_sinh": {"title": "Nơi sinh", "type": "string", "maxLength": 200},
        "quoc_tich": {"title": "Quốc tịch", "type": "string", "default": "Việt Nam"},
        "dan_toc": {"title": "Dân tộc", "type": "string"},
        "so_dinh_danh": _PERSONAL_ID,
        "noi_thuong_tru": {**_ADDRESS, "title": "Nơi thường trú"},
        "noi_tam_tru": {**_ADDRESS, "title": "Nơi tạm trú (nếu có)"},
        "dien_thoai": _PHONE,
        "email": _EMAIL,
        "cha": {"title": "Họ tên cha", "type": "string", "maxLength": 100},
        "me": {"title": "Họ tên mẹ", "type": "string", "maxLength": 100},
        "vo_chong": {"title": "Họ tên vợ/chồng", "type": "string", "maxLength": 100},
        "qua_trinh_cu_tru": {
            "title": "Quá trình cư trú, nghề nghiệp, nơi làm việc (từ đủ 14 tuổi)",
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["tu_thang", "noi_cu_tru"],
                "properties": {
                    "tu_thang": {"title": "Từ tháng/năm", "type": "string", "pattern": "^(0[1-9]|1[0-2])/[0-9]{4}$"},
                    "den_thang": {"title": "Đến tháng/năm", "type": "string", "pattern": "^(0[1-9]|1[0-2])/[0-9]{4}$"},
                    "noi_cu_tru": {"title": "Nơi cư trú", "type": "string", "maxLength": 200},
                    "nghe_nghiep_noi_lam_viec": {"title": "Nghề nghiệp, nơi làm việc", "type": "string"},
                },
            },
        },
        "loai_phieu": {
            "title": "Loại Phiếu lý lịch tư pháp",
            "description": "Phiếu số 1 hoặc Phiếu số 2 (Luật Lý lịch tư pháp 2009, Điều 41–43).",
            "enum": [1, 2],
        },
        "so_luong_phieu": {"title": "Số lượng Phiếu yêu cầu cấp", "type": "integer", "minimum": 1, "maximum": 10},
        "muc_dich": {"title": "Mục đích yêu cầu cấp Phiếu", "type": "string", "minLength": 3, "maxLength": 300},
        "yeu_cau_xac_nhan_cam_dam_nhiem": {
            "title": "Yêu cầu xác nhận về việc bị cấm đảm nhiệm chức vụ, thành lập, quản lý doanh nghiệp",
            "type": "boolean",
            "default": False,
        },
        "hinh_thuc_nhan": {
            "title": "Hình thức nhận kết quả",
            "enum": ["Trực tiếp", "Bưu chính công ích", "Bản điện tử"],
            "default": "Bản điện tử",
        },
    },
    "additionalProperties": False,
}

TEMPORARY_RESIDENCE_FORM: dict[str, Any] = {
    "$schema": _DRAFT,
    "$id": "https://motcua.example/eforms/1.004194/ct01-dang-ky-tam-tru.json",
    "title": "Tờ khai thay đổi thông tin cư trú (CT01) - Đăng ký tạm trú",
    "type": "object",
    "required": [
        "ho_ten",
        "ngay_sinh",
        "gioi_tinh",
        "so_dinh_danh",
        "dien_thoai",
        "noi_de_nghi_tam_tru",
        "thoi_han_tam_tru_thang",
        "chu_ho",
        "y_kien_chu_so_huu",
    ],
    "properties": {
        "ho_ten": _NAME,
        "ngay_sinh": {**_DATE, "title": "Ngày, tháng, năm sinh"},
        "gioi_tinh": {"title": "Giới tính", "enum": ["Nam", "Nữ"]},
        "so_dinh_danh": _PERSONAL_ID,
        "dien_thoai": _PHONE,
        "email": _EMAIL,
        "noi_de_nghi_tam_tru": {**_ADDRESS, "title": "Địa chỉ đề nghị đăng ký tạm trú"},
        "thoi_han_tam_tru_thang": {
            "title": "Thời hạn tạm trú (tháng)",
            "description": "Tối đa 02 năm (Luật Cư trú 2020, Điều 27).",
            "type": "integer",
            "minimum": 1,
            "maximum": 24,
        },
        "chu_ho": {
            "title": "Chủ hộ",
            "type": "object",
            "required": ["ho_ten", "so_dinh_danh", "quan_he"],
            "properties": {
                "ho_ten": _NAME,
                "so_dinh_danh": _PERSONAL_ID,
                "quan_he": {"title": "Quan hệ với chủ hộ", "type": "string", "maxLength": 50},
            },
        },
        "y_kien_chu_so_huu": {
            "title": "Chủ sở hữu chỗ ở hợp pháp đồng ý cho đăng ký tạm trú",
            "type": "boolean",
            "const": True,
        },
        "noi_dung_de_nghi": {"title": "Nội dung đề nghị", "type": "string", "maxLength": 500},
        "thanh_vien_cung_thay_doi": {
            "title": "Những thành viên trong hộ gia đình cùng thay đổi",
            "type": "array",
            "maxItems": 20,
            "items": {
                "type": "object",
                "required": ["ho_ten", "ngay_sinh", "so_dinh_danh", "quan_he_voi_chu_ho"],
                "properties": {
                    "ho_ten": _NAME,
                    "ngay_sinh": {**_DATE, "title": "Ngày sinh"},
                    "so_dinh_danh": _PERSONAL_ID,
                    "quan_he_voi_chu_ho": {"title": "Quan hệ với chủ hộ", "type": "string"},
                },
            },
        },
    },
    "additionalProperties": False,
}

E_FORM_SCHEMAS: dict[str, dict[str, Any]] = {
    "1.001193": BIRTH_REGISTRATION_FORM,
    "3.000333": JUDICIAL_RECORD_REQUEST_FORM,
    "1.004194": TEMPORARY_RESIDENCE_FORM,
}

E_FORM_EXAMPLES: dict[str, dict[str, Any]] = {
    "1.001193": {
        "nguoi_yeu_cau": {
            "ho_ten": "Trần Thị Bình",
            "so_dinh_danh": "099190318562",
            "quan_he": "Mẹ",
            "dien_thoai": "0900000102",
            "email": "tran.thi.binh@example.com",
        },
        "nguoi_duoc_khai_sinh": {
            "ho_ten": "Nguyễn Minh Khang",
            "ngay_sinh": "2026-03-02",
            "gioi_tinh": "Nam",
            "dan_toc": "Kinh",
            "quoc_tich": "Việt Nam",
            "noi_sinh": "Bệnh viện Đa khoa tỉnh Minh Hòa",
            "que_quan": "xã An Hòa, tỉnh Minh Hòa",
            "so_giay_chung_sinh": "GCS-2026-000123",
        },
        "me": {
            "ho_ten": "Trần Thị Bình",
            "nam_sinh": 1990,
            "dan_toc": "Kinh",
            "quoc_tich": "Việt Nam",
            "so_dinh_danh": "099190318562",
            "noi_cu_tru": "Thôn Đông, xã An Hòa, tỉnh Minh Hòa",
        },
        "cha": {
            "ho_ten": "Nguyễn Văn An",
            "nam_sinh": 1985,
            "dan_toc": "Kinh",
            "quoc_tich": "Việt Nam",
            "so_dinh_danh": "099085004217",
            "noi_cu_tru": "Thôn Đông, xã An Hòa, tỉnh Minh Hòa",
        },
        "so_ban_sao": 2,
        "cam_doan": True,
    },
    "3.000333": {
        "ho_ten": "Phạm Thị Thùy Dung",
        "gioi_tinh": "Nữ",
        "ngay_sinh": "2002-05-09",
        "noi_sinh": "xã Đồng Tâm, tỉnh Minh Hòa",
        "quoc_tich": "Việt Nam",
        "dan_toc": "Kinh",
        "so_dinh_danh": "099302457801",
        "noi_thuong_tru": {"chi_tiet": "Xóm Giữa", "xa_phuong": "xã Đồng Tâm", "tinh_thanh": "tỉnh Minh Hòa"},
        "dien_thoai": "0900000104",
        "qua_trinh_cu_tru": [
            {
                "tu_thang": "05/2016",
                "den_thang": "08/2020",
                "noi_cu_tru": "xã Đồng Tâm, tỉnh Minh Hòa",
                "nghe_nghiep_noi_lam_viec": "Học sinh",
            },
            {
                "tu_thang": "09/2020",
                "noi_cu_tru": "phường Minh Hòa, tỉnh Minh Hòa",
                "nghe_nghiep_noi_lam_viec": "Sinh viên",
            },
        ],
        "loai_phieu": 1,
        "so_luong_phieu": 2,
        "muc_dich": "Bổ sung hồ sơ xin việc",
        "hinh_thuc_nhan": "Bản điện tử",
    },
    "1.004194": {
        "ho_ten": "Võ Minh Em",
        "ngay_sinh": "2001-01-30",
        "gioi_tinh": "Nam",
        "so_dinh_danh": "079201664420",
        "dien_thoai": "0900000105",
        "noi_de_nghi_tam_tru": {
            "chi_tiet": "Số 8, ngõ 3",
            "xa_phuong": "phường Nam Xuyên",
            "tinh_thanh": "tỉnh Minh Hòa",
        },
        "thoi_han_tam_tru_thang": 12,
        "chu_ho": {"ho_ten": "Lê Quốc Cường", "so_dinh_danh": "001078912345", "quan_he": "Người thuê nhà"},
        "y_kien_chu_so_huu": True,
        "noi_dung_de_nghi": "Đăng ký tạm trú để đi làm",
    },
}
