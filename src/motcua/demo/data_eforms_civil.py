"""Demo e-forms of civil status (hộ tịch) and of the linked civil-status groups.

The fields follow the declarations of Circular 04/2020/TT-BTP as amended by Circular
04/2024/TT-BTP (birth, death, marital status, copies of civil status extracts) and the
electronic linked declarations of Decree 63/2024/NĐ-CP (Mẫu số 01 and 02), shortened where
the paper form repeats what the identity account already holds.
"""

from __future__ import annotations

from typing import Any

from motcua.codelists.formats import past_date

from .data_eforms_parts import (
    ADDRESS,
    BANK_ACCOUNT,
    BIRTH_DATE,
    BY_PROXY,
    COPIES,
    DECLARATION,
    ETHNICITY,
    GENDER,
    NAME,
    NATIONALITY,
    PAYMENT,
    PERSONAL_ID,
    RECEIVE,
    REQUESTER_EXAMPLE,
    address,
    form,
    obj,
    requester,
    text,
)

RELATION = {"title": "Quan hệ với người được đăng ký", "type": "string", "maxLength": 50}

CHILD = obj(
    "Người được khai sinh",
    ["ho_ten", "ngay_sinh", "gioi_tinh", "dan_toc", "quoc_tich", "noi_sinh", "que_quan"],
    {
        "ho_ten": NAME,
        "ngay_sinh": BIRTH_DATE,
        "gioi_tinh": GENDER,
        "dan_toc": ETHNICITY,
        "quoc_tich": NATIONALITY,
        "noi_sinh": text("Nơi sinh"),
        "que_quan": text("Quê quán"),
        "so_giay_chung_sinh": text("Số Giấy chứng sinh", 30),
    },
)
PARENT = obj(
    "Cha, mẹ",
    ["ho_ten", "nam_sinh", "dan_toc", "quoc_tich", "noi_cu_tru"],
    {
        "ho_ten": NAME,
        "nam_sinh": {"title": "Năm sinh", "type": "integer", "minimum": 1900, "maximum": 2100},
        "dan_toc": ETHNICITY,
        "quoc_tich": NATIONALITY,
        "so_dinh_danh": PERSONAL_ID,
        "noi_cu_tru": {**ADDRESS, "title": "Nơi cư trú"},
    },
)
DECEASED = obj(
    "Người đã chết",
    ["ho_ten", "ngay_sinh", "gioi_tinh", "dan_toc", "quoc_tich", "noi_cu_tru_cuoi_cung", "ngay_chet", "noi_chet"],
    {
        "ho_ten": NAME,
        "ngay_sinh": BIRTH_DATE,
        "gioi_tinh": GENDER,
        "dan_toc": ETHNICITY,
        "quoc_tich": NATIONALITY,
        "so_dinh_danh": PERSONAL_ID,
        "noi_cu_tru_cuoi_cung": {**ADDRESS, "title": "Nơi cư trú cuối cùng"},
        "ngay_chet": past_date("Ngày chết"),
        "gio_chet": {"title": "Giờ, phút chết", "type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"},
        "noi_chet": text("Nơi chết"),
        "nguyen_nhan_chet": text("Nguyên nhân chết"),
        "giay_bao_tu": text("Số, ngày, cơ quan cấp Giấy báo tử (hoặc giấy tờ thay thế)"),
    },
)
MARITAL_STATUS = {
    "title": "Tình trạng hôn nhân",
    "enum": ["Chưa đăng ký kết hôn với ai", "Đang có vợ/chồng", "Đã ly hôn, chưa kết hôn lại", "Vợ/chồng đã chết"],
}

BIRTH = form(
    "1.001193",
    "to-khai-dang-ky-khai-sinh",
    "Tờ khai đăng ký khai sinh",
    ["nguoi_yeu_cau", "nguoi_duoc_khai_sinh", "me", "cam_doan"],
    {
        "nguoi_yeu_cau": requester(quan_he={**RELATION, "title": "Quan hệ với người được khai sinh"}),
        "nguoi_duoc_khai_sinh": CHILD,
        "me": {**PARENT, "title": "Thông tin người mẹ"},
        "cha": {**PARENT, "title": "Thông tin người cha (nếu có)"},
        "so_ban_sao": {**COPIES, "title": "Số bản sao Giấy khai sinh đề nghị cấp", "default": 1},
        "nop_thay": BY_PROXY,
        "cam_doan": DECLARATION,
    },
)

DEATH = form(
    "1.000656",
    "to-khai-dang-ky-khai-tu",
    "Tờ khai đăng ký khai tử",
    ["nguoi_yeu_cau", "nguoi_chet", "cam_doan"],
    {
        "nguoi_yeu_cau": requester(quan_he={**RELATION, "title": "Quan hệ với người đã chết"}),
        "nguoi_chet": DECEASED,
        "so_ban_sao": {**COPIES, "title": "Số bản sao Trích lục khai tử đề nghị cấp"},
        "nop_thay": BY_PROXY,
        "cam_doan": DECLARATION,
    },
)

MARITAL = form(
    "1.004873",
    "to-khai-cap-giay-xac-nhan-tinh-trang-hon-nhan",
    "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
    ["nguoi_yeu_cau", "nguoi_duoc_xac_nhan", "tinh_trang_hon_nhan", "muc_dich_su_dung", "so_luong", "cam_doan"],
    {
        "nguoi_yeu_cau": requester(quan_he=RELATION),
        "nguoi_duoc_xac_nhan": obj(
            "Người được xác nhận tình trạng hôn nhân",
            ["ho_ten", "ngay_sinh", "gioi_tinh", "dan_toc", "quoc_tich", "so_dinh_danh", "noi_cu_tru"],
            {
                "ho_ten": NAME,
                "ngay_sinh": BIRTH_DATE,
                "gioi_tinh": GENDER,
                "dan_toc": ETHNICITY,
                "quoc_tich": NATIONALITY,
                "so_dinh_danh": PERSONAL_ID,
                "noi_cu_tru": {**ADDRESS, "title": "Nơi cư trú"},
            },
        ),
        "tinh_trang_hon_nhan": MARITAL_STATUS,
        "thoi_gian_xac_nhan": text("Thời gian cư trú đề nghị xác nhận (nếu xác nhận cho thời gian trước)", 100),
        "muc_dich_su_dung": text("Mục đích sử dụng Giấy xác nhận", 300),
        "so_luong": {"title": "Số lượng Giấy xác nhận đề nghị cấp", "type": "integer", "minimum": 1, "maximum": 10},
        "cam_doan": DECLARATION,
    },
)

EXTRACT_COPY = form(
    "2.000635",
    "to-khai-cap-ban-sao-trich-luc-ho-tich",
    "Tờ khai cấp bản sao trích lục hộ tịch",
    ["nguoi_yeu_cau", "loai_giay_to", "nguoi_duoc_cap", "noi_dang_ky", "so_ban_sao", "cam_doan"],
    {
        "nguoi_yeu_cau": requester(quan_he={**RELATION, "title": "Quan hệ với người được cấp bản sao"}),
        "loai_giay_to": {
            "title": "Loại giấy tờ đề nghị cấp bản sao",
            "enum": [
                "Giấy khai sinh",
                "Trích lục kết hôn",
                "Trích lục khai tử",
                "Trích lục nhận cha, mẹ, con",
                "Trích lục thay đổi, cải chính hộ tịch",
                "Trích lục ghi chú ly hôn",
            ],
        },
        "nguoi_duoc_cap": obj(
            "Người được cấp bản sao",
            ["ho_ten", "ngay_sinh"],
            {"ho_ten": NAME, "ngay_sinh": BIRTH_DATE, "so_dinh_danh": PERSONAL_ID},
        ),
        "so_dang_ky": text("Số đăng ký (nếu biết)", 30),
        "ngay_dang_ky": past_date("Ngày đăng ký (nếu biết)"),
        "noi_dang_ky": text("Cơ quan đã đăng ký hộ tịch"),
        "so_ban_sao": {**COPIES, "minimum": 1},
        "hinh_thuc_nhan": RECEIVE,
        "nop_thay": BY_PROXY,
        "cam_doan": DECLARATION,
    },
)

LINKED_BIRTH = form(
    "3.000722",
    "to-khai-lien-thong-khai-sinh-mau-01",
    "Tờ khai điện tử liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế (Mẫu số 01)",
    ["nguoi_yeu_cau", "nguoi_duoc_khai_sinh", "me", "thuong_tru", "bao_hiem_y_te", "cam_doan"],
    {
        "nguoi_yeu_cau": requester(quan_he={**RELATION, "title": "Quan hệ với trẻ em"}),
        "nguoi_duoc_khai_sinh": CHILD,
        "me": {**PARENT, "title": "Thông tin người mẹ"},
        "cha": {**PARENT, "title": "Thông tin người cha (nếu có)"},
        "thuong_tru": obj(
            "Đăng ký thường trú cho trẻ em",
            ["noi_thuong_tru", "ho_ten_chu_ho", "so_dinh_danh_chu_ho", "quan_he_voi_chu_ho"],
            {
                "noi_thuong_tru": {**ADDRESS, "title": "Nơi đăng ký thường trú"},
                "ho_ten_chu_ho": {**NAME, "title": "Họ và tên chủ hộ"},
                "so_dinh_danh_chu_ho": {**PERSONAL_ID, "title": "Số định danh cá nhân của chủ hộ"},
                "quan_he_voi_chu_ho": text("Quan hệ của trẻ em với chủ hộ", 50),
            },
        ),
        "bao_hiem_y_te": obj(
            "Cấp thẻ bảo hiểm y tế",
            ["noi_kham_chua_benh_ban_dau"],
            {"noi_kham_chua_benh_ban_dau": text("Nơi đăng ký khám bệnh, chữa bệnh ban đầu")},
        ),
        "de_nghi_cap_the_can_cuoc": {"title": "Đề nghị cấp thẻ căn cước cho trẻ em dưới 06 tuổi", "type": "boolean"},
        "hinh_thuc_nhan": RECEIVE,
        "cam_doan": DECLARATION,
    },
)

LINKED_DEATH = form(
    "2.002913",
    "to-khai-lien-thong-khai-tu-mau-02",
    "Tờ khai điện tử liên thông đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ mai táng, tử tuất (Mẫu số 02)",
    ["nguoi_yeu_cau", "nguoi_chet", "che_do", "hinh_thuc_nhan_tien", "cam_doan"],
    {
        "nguoi_yeu_cau": requester(quan_he={**RELATION, "title": "Quan hệ với người đã chết"}),
        "nguoi_chet": DECEASED,
        "che_do": {
            "title": "Chế độ đề nghị hưởng",
            "enum": ["Mai táng phí", "Trợ cấp tuất một lần", "Trợ cấp tuất hằng tháng", "Hỗ trợ chi phí mai táng"],
        },
        "hinh_thuc_nhan_tien": PAYMENT,
        "tai_khoan": BANK_ACCOUNT,
        "cam_doan": DECLARATION,
    },
)

_CHILD_EXAMPLE = {
    "ho_ten": "Nguyễn Minh Khang",
    "ngay_sinh": "2026-03-02",
    "gioi_tinh": "Nam",
    "dan_toc": "Kinh",
    "quoc_tich": "Việt Nam",
    "noi_sinh": "Bệnh viện Phụ sản Hà Nội",
    "que_quan": "Xã Kim Anh, Thành phố Hà Nội",
    "so_giay_chung_sinh": "GCS-2026-000123",
}
_MOTHER = {
    "ho_ten": "Trần Thị Bình",
    "nam_sinh": 1990,
    "dan_toc": "Kinh",
    "quoc_tich": "Việt Nam",
    "so_dinh_danh": "099190318562",
    "noi_cu_tru": address("Số 12 phố Hàng Bài"),
}
_FATHER = {**_MOTHER, "ho_ten": "Nguyễn Văn An", "nam_sinh": 1985, "dan_toc": "Tày", "so_dinh_danh": "099085004217"}
_DECEASED_EXAMPLE = {
    "ho_ten": "Lê Văn Sáu",
    "ngay_sinh": "1940-02-11",
    "gioi_tinh": "Nam",
    "dan_toc": "Mường",
    "quoc_tich": "Việt Nam",
    "so_dinh_danh": "099040001122",
    "noi_cu_tru_cuoi_cung": address("Thôn Trung", "Xã Kim Anh"),
    "ngay_chet": "2026-01-20",
    "gio_chet": "04:30",
    "noi_chet": "Tại nhà, thôn Trung, Xã Kim Anh",
    "nguyen_nhan_chet": "Bệnh già",
    "giay_bao_tu": "Số 12/GBT ngày 20/01/2026 của Trạm Y tế Xã Kim Anh",
}
_CHILD_REQUESTER = {**REQUESTER_EXAMPLE, "quan_he": "Mẹ"}
_HEIR = {**REQUESTER_EXAMPLE, "quan_he": "Con"}

SCHEMAS: dict[str, dict[str, Any]] = {
    "1.001193": BIRTH,
    "1.000656": DEATH,
    "1.004873": MARITAL,
    "2.000635": EXTRACT_COPY,
    "3.000722": LINKED_BIRTH,
    "2.002913": LINKED_DEATH,
}
EXAMPLES: dict[str, dict[str, Any]] = {
    "1.001193": {
        "nguoi_yeu_cau": _CHILD_REQUESTER,
        "nguoi_duoc_khai_sinh": _CHILD_EXAMPLE,
        "me": _MOTHER,
        "cha": _FATHER,
        "so_ban_sao": 2,
        "cam_doan": True,
    },
    "1.000656": {"nguoi_yeu_cau": _HEIR, "nguoi_chet": _DECEASED_EXAMPLE, "so_ban_sao": 1, "cam_doan": True},
    "1.004873": {
        "nguoi_yeu_cau": {**REQUESTER_EXAMPLE, "quan_he": "Bản thân"},
        "nguoi_duoc_xac_nhan": {
            "ho_ten": "Trần Thị Bình",
            "ngay_sinh": "1990-04-18",
            "gioi_tinh": "Nữ",
            "dan_toc": "Kinh",
            "quoc_tich": "Việt Nam",
            "so_dinh_danh": "099190318562",
            "noi_cu_tru": address("Số 12 phố Hàng Bài"),
        },
        "tinh_trang_hon_nhan": "Đã ly hôn, chưa kết hôn lại",
        "muc_dich_su_dung": "Để đăng ký kết hôn",
        "so_luong": 1,
        "cam_doan": True,
    },
    "2.000635": {
        "nguoi_yeu_cau": {**REQUESTER_EXAMPLE, "quan_he": "Mẹ"},
        "loai_giay_to": "Giấy khai sinh",
        "nguoi_duoc_cap": {"ho_ten": "Nguyễn Minh Khang", "ngay_sinh": "2026-03-02"},
        "so_dang_ky": "125/2026",
        "ngay_dang_ky": "2026-03-10",
        "noi_dang_ky": "Ủy ban nhân dân Phường Hoàn Kiếm",
        "so_ban_sao": 2,
        "hinh_thuc_nhan": "Bưu chính công ích",
        "cam_doan": True,
    },
    "3.000722": {
        "nguoi_yeu_cau": _CHILD_REQUESTER,
        "nguoi_duoc_khai_sinh": _CHILD_EXAMPLE,
        "me": _MOTHER,
        "cha": _FATHER,
        "thuong_tru": {
            "noi_thuong_tru": address("Số 12 phố Hàng Bài"),
            "ho_ten_chu_ho": "Nguyễn Văn An",
            "so_dinh_danh_chu_ho": "099085004217",
            "quan_he_voi_chu_ho": "Con",
        },
        "bao_hiem_y_te": {"noi_kham_chua_benh_ban_dau": "Trạm Y tế Phường Hoàn Kiếm"},
        "de_nghi_cap_the_can_cuoc": True,
        "hinh_thuc_nhan": "Bản điện tử",
        "cam_doan": True,
    },
    "2.002913": {
        "nguoi_yeu_cau": _HEIR,
        "nguoi_chet": _DECEASED_EXAMPLE,
        "che_do": "Mai táng phí",
        "hinh_thuc_nhan_tien": "Tài khoản ngân hàng",
        "tai_khoan": {
            "so_tai_khoan": "0011004455667",
            "ngan_hang": "Ngân hàng Ví dụ",
            "chu_tai_khoan": "Trần Thị Bình",
        },
        "cam_doan": True,
    },
}
