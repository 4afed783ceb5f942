"""Demo e-forms of enterprise, household business and individual tax registration.

The fields follow the registration forms of Circular 01/2021/TT-BKHĐT (Phụ lục I-1, I-2,
I-4 for the request to register a private enterprise, a one-member limited company and a
joint-stock company; Phụ lục II for notices of change; Phụ lục III for household
businesses) and the tax registration declaration 03-ĐK-TCT (Circular 86/2024/TT-BTC). They
are shortened for a demo; check them against the forms in force before use in production.
"""

from __future__ import annotations

from typing import Any

from motcua.codelists.formats import past_date

from .data_eforms_parts import (
    ADDRESS,
    DECLARATION,
    EMAIL,
    ETHNICITY,
    MONEY,
    NATIONALITY,
    PHONE,
    REQUESTER_EXAMPLE,
    TAX_CODE,
    address,
    form,
    obj,
    person,
    person_example,
    requester,
    rows,
    text,
)

ENTERPRISE_CODE = {"title": "Mã số doanh nghiệp", "type": "string", "pattern": "^[0-9]{10}$"}
HOUSEHOLD_CODE = text("Số Giấy chứng nhận đăng ký hộ kinh doanh (mã số hộ kinh doanh)", 20)
TRADES = rows(
    "Ngành, nghề kinh doanh",
    ["ma_nganh", "ten_nganh"],
    {
        "ma_nganh": {"title": "Mã ngành (cấp 4, VSIC 2018)", "type": "string", "pattern": "^[0-9]{4}$"},
        "ten_nganh": text("Tên ngành"),
        "nganh_chinh": {"title": "Ngành, nghề kinh doanh chính", "type": "boolean"},
    },
    minItems=1,
    maxItems=30,
)
OWNER = person(
    "Thông tin cá nhân",
    "dan_toc",
    "quoc_tich",
    dan_toc=ETHNICITY,
    quoc_tich=NATIONALITY,
    dien_thoai=PHONE,
    email=EMAIL,
)
TAX_DETAILS = obj(
    "Thông tin đăng ký thuế",
    ["ngay_bat_dau_hoat_dong", "nam_tai_chinh_tu", "so_lao_dong"],
    {
        "ngay_bat_dau_hoat_dong": {**text("Ngày bắt đầu hoạt động", 10), "format": "date"},
        "nam_tai_chinh_tu": {
            "title": "Năm tài chính bắt đầu từ ngày (dd/mm)",
            "type": "string",
            "pattern": "^(0[1-9]|[12][0-9]|3[01])/(0[1-9]|1[0-2])$",
        },
        "so_lao_dong": {"title": "Tổng số lao động dự kiến", "type": "integer", "minimum": 0},
        "phuong_phap_tinh_thue_gtgt": {"title": "Phương pháp tính thuế GTGT", "enum": ["Khấu trừ", "Trực tiếp"]},
        "ke_toan_truong": text("Họ tên kế toán trưởng / phụ trách kế toán (nếu có)", 100),
    },
)
FOUNDERS = rows(
    "Danh sách cổ đông sáng lập",
    ["ho_ten", "so_dinh_danh", "quoc_tich", "so_co_phan"],
    {
        "ho_ten": text("Tên cổ đông sáng lập", 150),
        "so_dinh_danh": text("Số định danh cá nhân / mã số doanh nghiệp", 20),
        "quoc_tich": NATIONALITY,
        "so_co_phan": {"title": "Số cổ phần", "type": "integer", "minimum": 1},
        "ty_le_phan_tram": {"title": "Tỷ lệ sở hữu (%)", "type": "number", "exclusiveMinimum": 0, "maximum": 100},
    },
    minItems=3,
    maxItems=50,
)

ENTERPRISE_KINDS = {
    "2.001610": ("doanh-nghiep-tu-nhan", "Doanh nghiệp tư nhân", "Vốn đầu tư của chủ doanh nghiệp (đồng)"),
    "1.000956": ("cong-ty-tnhh-mot-thanh-vien", "Công ty trách nhiệm hữu hạn một thành viên", "Vốn điều lệ (đồng)"),
    "1.019903": ("cong-ty-co-phan", "Công ty cổ phần", "Vốn điều lệ (đồng)"),
}


def enterprise(code: str) -> dict[str, Any]:
    slug, kind, capital = ENTERPRISE_KINDS[code]
    extra: dict[str, Any] = {"co_dong_sang_lap": FOUNDERS} if code == "1.019903" else {}
    return form(
        code,
        f"giay-de-nghi-dang-ky-{slug}",
        f"Giấy đề nghị đăng ký doanh nghiệp - {kind}",
        [
            "ten_tieng_viet",
            "tru_so_chinh",
            "dien_thoai",
            "nganh_nghe",
            "von",
            "nguoi_dai_dien",
            "thue",
            *extra,
            "cam_doan",
        ],
        {
            "tinh_trang_thanh_lap": {
                "title": "Tình trạng thành lập",
                "enum": [
                    "Thành lập mới",
                    "Thành lập trên cơ sở tách",
                    "Thành lập trên cơ sở chia",
                    "Thành lập trên cơ sở hợp nhất",
                    "Thành lập trên cơ sở chuyển đổi",
                ],
                "default": "Thành lập mới",
            },
            "ten_tieng_viet": text("Tên doanh nghiệp viết bằng tiếng Việt", 255),
            "ten_nuoc_ngoai": text("Tên doanh nghiệp viết bằng tiếng nước ngoài (nếu có)", 255),
            "ten_viet_tat": text("Tên doanh nghiệp viết tắt (nếu có)", 100),
            "tru_so_chinh": {**ADDRESS, "title": "Địa chỉ trụ sở chính"},
            "dien_thoai": PHONE,
            "email": EMAIL,
            "nganh_nghe": TRADES,
            "von": {**MONEY, "title": capital, "minimum": 1},
            "nguoi_dai_dien": {**OWNER, "title": "Người đại diện theo pháp luật / chủ doanh nghiệp"},
            "chuc_danh": text("Chức danh của người đại diện theo pháp luật", 100),
            "thue": TAX_DETAILS,
            **extra,
            "cam_doan": DECLARATION,
        },
    )


LEGAL_REP_CHANGE = form(
    "1.019904",
    "thong-bao-thay-doi-nguoi-dai-dien-theo-phap-luat",
    "Thông báo thay đổi người đại diện theo pháp luật",
    ["ma_so_doanh_nghiep", "ten_doanh_nghiep", "nguoi_dai_dien_cu", "nguoi_dai_dien_moi", "chuc_danh", "cam_doan"],
    {
        "ma_so_doanh_nghiep": ENTERPRISE_CODE,
        "ten_doanh_nghiep": text("Tên doanh nghiệp", 255),
        "nguoi_dai_dien_cu": text("Họ tên người đại diện theo pháp luật trước khi thay đổi", 100),
        "nguoi_dai_dien_moi": {**OWNER, "title": "Người đại diện theo pháp luật sau khi thay đổi"},
        "chuc_danh": text("Chức danh", 100),
        "cam_doan": DECLARATION,
    },
)

HOUSEHOLD_REGISTRATION = form(
    "1.001612",
    "giay-de-nghi-dang-ky-ho-kinh-doanh",
    "Giấy đề nghị đăng ký hộ kinh doanh",
    ["ten_ho_kinh_doanh", "dia_diem_kinh_doanh", "nganh_nghe", "von_kinh_doanh", "chu_ho_kinh_doanh", "cam_doan"],
    {
        "ten_ho_kinh_doanh": text("Tên hộ kinh doanh", 255),
        "dia_diem_kinh_doanh": {**ADDRESS, "title": "Địa chỉ trụ sở hộ kinh doanh"},
        "dien_thoai": PHONE,
        "email": EMAIL,
        "nganh_nghe": TRADES,
        "von_kinh_doanh": {**MONEY, "title": "Vốn kinh doanh (đồng)", "minimum": 1},
        "so_lao_dong": {"title": "Số lượng lao động", "type": "integer", "minimum": 0},
        "chu_ho_kinh_doanh": {**OWNER, "title": "Chủ hộ kinh doanh"},
        "thanh_vien_gia_dinh": rows(
            "Thành viên hộ gia đình đăng ký hộ kinh doanh (nếu có)",
            ["ho_ten", "so_dinh_danh"],
            {"ho_ten": text("Họ tên", 100), "so_dinh_danh": text("Số định danh cá nhân", 12)},
            maxItems=20,
        ),
        "cam_doan": DECLARATION,
    },
)


def household_notice(code: str, slug: str, title: str, required: list[str], fields: dict[str, Any]) -> dict[str, Any]:
    """A notice of an existing household business: who it is, who files, what changes."""
    return form(
        code,
        slug,
        title,
        ["so_giay_chung_nhan", "ten_ho_kinh_doanh", "chu_ho_kinh_doanh", *required, "cam_doan"],
        {
            "so_giay_chung_nhan": HOUSEHOLD_CODE,
            "ten_ho_kinh_doanh": text("Tên hộ kinh doanh", 255),
            "chu_ho_kinh_doanh": requester("Chủ hộ kinh doanh"),
            **fields,
            "cam_doan": DECLARATION,
        },
    )


HOUSEHOLD_CHANGE = household_notice(
    "2.000720",
    "thong-bao-thay-doi-noi-dung-dang-ky-ho-kinh-doanh",
    "Thông báo thay đổi nội dung đăng ký hộ kinh doanh",
    ["noi_dung_thay_doi", "chi_tiet_thay_doi"],
    {
        "noi_dung_thay_doi": {
            "title": "Nội dung thay đổi",
            "enum": [
                "Tên hộ kinh doanh",
                "Địa chỉ trụ sở",
                "Ngành, nghề kinh doanh",
                "Vốn kinh doanh",
                "Chủ hộ kinh doanh",
                "Thông tin cá nhân của chủ hộ",
            ],
        },
        "chi_tiet_thay_doi": text("Nội dung sau khi thay đổi", 500),
        "dia_diem_moi": {**ADDRESS, "title": "Địa chỉ trụ sở mới (nếu thay đổi)"},
    },
)
HOUSEHOLD_REISSUE = household_notice(
    "2.000575",
    "giay-de-nghi-cap-lai-giay-chung-nhan-ho-kinh-doanh",
    "Giấy đề nghị cấp lại Giấy chứng nhận đăng ký hộ kinh doanh",
    ["ly_do_cap_lai"],
    {"ly_do_cap_lai": {"title": "Lý do cấp lại", "enum": ["Bị mất", "Bị cháy", "Bị rách, nát", "Bị tiêu hủy"]}},
)
HOUSEHOLD_PAUSE = household_notice(
    "1.001570",
    "thong-bao-tam-ngung-tiep-tuc-kinh-doanh",
    "Thông báo tạm ngừng kinh doanh / tiếp tục kinh doanh trước thời hạn",
    ["loai_thong_bao", "tu_ngay"],
    {
        "loai_thong_bao": {
            "title": "Loại thông báo",
            "enum": ["Tạm ngừng kinh doanh", "Tiếp tục kinh doanh trước thời hạn"],
        },
        "tu_ngay": {**text("Từ ngày", 10), "format": "date"},
        "den_ngay": {**text("Đến ngày (khi tạm ngừng)", 10), "format": "date"},
        "ly_do": text("Lý do", 300),
    },
)
HOUSEHOLD_CLOSE = household_notice(
    "1.001266",
    "thong-bao-cham-dut-hoat-dong-ho-kinh-doanh",
    "Thông báo chấm dứt hoạt động hộ kinh doanh",
    ["ngay_cham_dut", "da_hoan_thanh_nghia_vu_thue"],
    {
        "ngay_cham_dut": past_date("Ngày chấm dứt hoạt động"),
        "ly_do": text("Lý do", 300),
        "da_hoan_thanh_nghia_vu_thue": {
            "title": "Hộ kinh doanh đã hoàn thành nghĩa vụ thuế và thanh toán các khoản nợ",
            "type": "boolean",
            "const": True,
        },
    },
)

TAX_REGISTRATION = form(
    "1.019910",
    "to-khai-dang-ky-thue-03-dk-tct",
    "Tờ khai đăng ký thuế (mẫu 03-ĐK-TCT) - cá nhân kinh doanh",
    [
        "nguoi_nop_thue",
        "dia_chi_kinh_doanh",
        "nganh_nghe",
        "von_kinh_doanh",
        "ngay_bat_dau",
        "phuong_phap_tinh_thue",
        "cam_doan",
    ],
    {
        "nguoi_nop_thue": {**OWNER, "title": "Người nộp thuế"},
        "dia_chi_kinh_doanh": {**ADDRESS, "title": "Địa chỉ kinh doanh"},
        "nganh_nghe": TRADES,
        "von_kinh_doanh": {**MONEY, "title": "Vốn kinh doanh (đồng)"},
        "ngay_bat_dau": {**text("Ngày bắt đầu kinh doanh", 10), "format": "date"},
        "phuong_phap_tinh_thue": {"title": "Phương pháp tính thuế", "enum": ["Khoán", "Kê khai", "Từng lần phát sinh"]},
        "ma_so_thue_cu": {**TAX_CODE, "title": "Mã số thuế đã cấp (nếu có)"},
        "tai_khoan_ngan_hang": text("Số tài khoản ngân hàng (nếu có)", 30),
        "cam_doan": DECLARATION,
    },
)

_OWNER_EXAMPLE = person_example(
    "Đỗ Thị Hạnh", "1988-09-12", "Nữ", "001188004455", dan_toc="Kinh", quoc_tich="Việt Nam", dien_thoai="0900000110"
)
_TRADES = [
    {"ma_nganh": "5610", "ten_nganh": "Nhà hàng và các dịch vụ ăn uống phục vụ lưu động", "nganh_chinh": True},
    {"ma_nganh": "4722", "ten_nganh": "Bán lẻ lương thực, thực phẩm, đồ uống", "nganh_chinh": False},
]
_SHOP = address("Số 20 phố Lý Thái Tổ")
_TAX = {
    "ngay_bat_dau_hoat_dong": "2026-07-01",
    "nam_tai_chinh_tu": "01/01",
    "so_lao_dong": 8,
    "phuong_phap_tinh_thue_gtgt": "Khấu trừ",
}


def _enterprise_example(code: str) -> dict[str, Any]:
    example: dict[str, Any] = {
        "tinh_trang_thanh_lap": "Thành lập mới",
        "ten_tieng_viet": f"{ENTERPRISE_KINDS[code][1]} Hạnh Phúc",
        "tru_so_chinh": _SHOP,
        "dien_thoai": "0900000110",
        "nganh_nghe": _TRADES,
        "von": 2_000_000_000,
        "nguoi_dai_dien": _OWNER_EXAMPLE,
        "chuc_danh": "Giám đốc",
        "thue": _TAX,
        "cam_doan": True,
    }
    if code == "1.019903":
        example["co_dong_sang_lap"] = [
            {
                "ho_ten": "Đỗ Thị Hạnh",
                "so_dinh_danh": "001188004455",
                "quoc_tich": "Việt Nam",
                "so_co_phan": 100000,
                "ty_le_phan_tram": 50.0,
            },
            {
                "ho_ten": "Kim Min-jun",
                "so_dinh_danh": "M12345678",
                "quoc_tich": "Hàn Quốc",
                "so_co_phan": 60000,
                "ty_le_phan_tram": 30.0,
            },
            {
                "ho_ten": "Lương Văn Tài",
                "so_dinh_danh": "004090001234",
                "quoc_tich": "Việt Nam",
                "so_co_phan": 40000,
                "ty_le_phan_tram": 20.0,
            },
        ]
    return example


_HOUSEHOLD = {
    "so_giay_chung_nhan": "01A8012345",
    "ten_ho_kinh_doanh": "Hộ kinh doanh Quán Bình An",
    "chu_ho_kinh_doanh": {**REQUESTER_EXAMPLE},
    "cam_doan": True,
}

SCHEMAS: dict[str, dict[str, Any]] = {
    **{code: enterprise(code) for code in ENTERPRISE_KINDS},
    "1.019904": LEGAL_REP_CHANGE,
    "1.001612": HOUSEHOLD_REGISTRATION,
    "2.000720": HOUSEHOLD_CHANGE,
    "2.000575": HOUSEHOLD_REISSUE,
    "1.001570": HOUSEHOLD_PAUSE,
    "1.001266": HOUSEHOLD_CLOSE,
    "1.019910": TAX_REGISTRATION,
}
EXAMPLES: dict[str, dict[str, Any]] = {
    **{code: _enterprise_example(code) for code in ENTERPRISE_KINDS},
    "1.019904": {
        "ma_so_doanh_nghiep": "0109876543",
        "ten_doanh_nghiep": "Công ty TNHH Hạnh Phúc",
        "nguoi_dai_dien_cu": "Lương Văn Tài",
        "nguoi_dai_dien_moi": _OWNER_EXAMPLE,
        "chuc_danh": "Giám đốc",
        "cam_doan": True,
    },
    "1.001612": {
        "ten_ho_kinh_doanh": "Hộ kinh doanh Quán Bình An",
        "dia_diem_kinh_doanh": _SHOP,
        "dien_thoai": "0900000102",
        "nganh_nghe": _TRADES,
        "von_kinh_doanh": 150_000_000,
        "so_lao_dong": 3,
        "chu_ho_kinh_doanh": {
            **_OWNER_EXAMPLE,
            "ho_ten": "Trần Thị Bình",
            "ngay_sinh": "1990-04-18",
            "so_dinh_danh": "099190318562",
            "dan_toc": "Thái",
        },
        "thanh_vien_gia_dinh": [{"ho_ten": "Nguyễn Văn An", "so_dinh_danh": "099085004217"}],
        "cam_doan": True,
    },
    "2.000720": {
        **_HOUSEHOLD,
        "noi_dung_thay_doi": "Địa chỉ trụ sở",
        "chi_tiet_thay_doi": "Chuyển trụ sở về số 5 phố Đội Cấn",
        "dia_diem_moi": address("Số 5 phố Đội Cấn", "Phường Ba Đình"),
    },
    "2.000575": {**_HOUSEHOLD, "ly_do_cap_lai": "Bị mất"},
    "1.001570": {
        **_HOUSEHOLD,
        "loai_thong_bao": "Tạm ngừng kinh doanh",
        "tu_ngay": "2026-09-01",
        "den_ngay": "2026-12-31",
        "ly_do": "Sửa chữa cửa hàng",
    },
    "1.001266": {
        **_HOUSEHOLD,
        "ngay_cham_dut": "2026-01-31",
        "ly_do": "Nghỉ kinh doanh",
        "da_hoan_thanh_nghia_vu_thue": True,
    },
    "1.019910": {
        "nguoi_nop_thue": _OWNER_EXAMPLE,
        "dia_chi_kinh_doanh": _SHOP,
        "nganh_nghe": _TRADES[:1],
        "von_kinh_doanh": 100_000_000,
        "ngay_bat_dau": "2026-08-01",
        "phuong_phap_tinh_thue": "Kê khai",
        "cam_doan": True,
    },
}
