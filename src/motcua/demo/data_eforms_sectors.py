"""Demo e-forms of construction, land, social assistance, education and environment.

The fields follow the construction permit requests of Decree 175/2024/NĐ-CP (Mẫu số 01 and
the requests to extend or re-issue a permit), the land change registration form 11/ĐK and
the request to exchange a land use right certificate (Decree 101/2024/NĐ-CP), the social
assistance declarations of Decree 20/2021/NĐ-CP (Mẫu số 1a, 04) and of the social pension
(Decree 176/2025/NĐ-CP), the request to recognise a foreign school-leaving diploma (Circular
13/2021/TT-BGDĐT) and the environmental registration form (Decree 08/2022/NĐ-CP, Mẫu số 47).
Shortened for a demo; check them against the forms in force before use in production.
"""

from __future__ import annotations

from typing import Any

from motcua.codelists.formats import past_date

from .data_eforms_parts import (
    ADDRESS,
    BANK_ACCOUNT,
    DECLARATION,
    ETHNICITY,
    MONEY,
    NATIONALITY,
    PARCEL,
    PAYMENT,
    REQUESTER_EXAMPLE,
    address,
    form,
    obj,
    requester,
    text,
)

BUILDING = obj(
    "Nội dung đề nghị cấp phép",
    ["loai_cong_trinh", "cap_cong_trinh", "dien_tich_xay_dung_m2", "tong_dien_tich_san_m2", "chieu_cao_m", "so_tang"],
    {
        "loai_cong_trinh": {
            "title": "Loại công trình",
            "enum": ["Nhà ở riêng lẻ", "Nhà ở riêng lẻ kết hợp kinh doanh"],
        },
        "cap_cong_trinh": {"title": "Cấp công trình", "enum": ["Cấp III", "Cấp IV"]},
        "dien_tich_xay_dung_m2": {"title": "Diện tích xây dựng tầng 1 (m²)", "type": "number", "exclusiveMinimum": 0},
        "tong_dien_tich_san_m2": {"title": "Tổng diện tích sàn (m²)", "type": "number", "exclusiveMinimum": 0},
        "chieu_cao_m": {"title": "Chiều cao công trình (m)", "type": "number", "exclusiveMinimum": 0},
        "so_tang": {"title": "Số tầng", "type": "integer", "minimum": 1, "maximum": 20},
        "don_vi_thiet_ke": text("Đơn vị hoặc cá nhân thiết kế"),
        "thoi_gian_hoan_thanh_thang": {
            "title": "Dự kiến thời gian hoàn thành (tháng)",
            "type": "integer",
            "minimum": 1,
        },
    },
)
PERMIT = obj(
    "Giấy phép xây dựng đã được cấp",
    ["so_giay_phep", "ngay_cap"],
    {"so_giay_phep": text("Số giấy phép", 30), "ngay_cap": past_date("Ngày cấp")},
)
CERTIFICATE = obj(
    "Giấy chứng nhận đã cấp",
    ["so_phat_hanh", "so_vao_so"],
    {"so_phat_hanh": text("Số phát hành (số seri)", 20), "so_vao_so": text("Số vào sổ cấp Giấy chứng nhận", 20)},
)
INVESTOR = requester("Chủ đầu tư")


def building_request(code: str, slug: str, title: str, required: list[str], fields: dict[str, Any]) -> dict[str, Any]:
    return form(
        code,
        slug,
        title,
        ["chu_dau_tu", "thua_dat", *required, "cam_doan"],
        {
            "chu_dau_tu": INVESTOR,
            "thua_dat": {**PARCEL, "title": "Địa điểm xây dựng"},
            **fields,
            "cam_doan": DECLARATION,
        },
    )


BUILD_NEW = building_request(
    "1.013225",
    "don-de-nghi-cap-giay-phep-xay-dung-nha-o-rieng-le",
    "Đơn đề nghị cấp giấy phép xây dựng (nhà ở riêng lẻ)",
    ["noi_dung"],
    {"noi_dung": BUILDING},
)
BUILD_EXTEND = building_request(
    "1.013227",
    "don-de-nghi-gia-han-giay-phep-xay-dung",
    "Đơn đề nghị gia hạn giấy phép xây dựng",
    ["giay_phep", "ly_do_gia_han", "gia_han_thang"],
    {
        "giay_phep": PERMIT,
        "ly_do_gia_han": text("Lý do đề nghị gia hạn", 500),
        "gia_han_thang": {"title": "Thời gian đề nghị gia hạn (tháng)", "type": "integer", "minimum": 1, "maximum": 12},
    },
)
BUILD_REISSUE = building_request(
    "1.013228",
    "don-de-nghi-cap-lai-giay-phep-xay-dung",
    "Đơn đề nghị cấp lại giấy phép xây dựng",
    ["giay_phep", "ly_do_cap_lai"],
    {"giay_phep": PERMIT, "ly_do_cap_lai": {"title": "Lý do cấp lại", "enum": ["Bị rách, nát", "Bị mất"]}},
)

LAND_CHANGE = form(
    "1.019906",
    "don-dang-ky-bien-dong-dat-dai-mau-11-dk",
    "Đơn đăng ký biến động đất đai, tài sản gắn liền với đất (Mẫu số 11/ĐK)",
    ["nguoi_su_dung_dat", "thua_dat", "giay_chung_nhan", "noi_dung_bien_dong", "ben_nhan", "cam_doan"],
    {
        "nguoi_su_dung_dat": requester("Người sử dụng đất, chủ sở hữu tài sản (bên chuyển quyền)"),
        "thua_dat": PARCEL,
        "giay_chung_nhan": CERTIFICATE,
        "noi_dung_bien_dong": {"title": "Nội dung biến động", "enum": ["Chuyển nhượng", "Thừa kế", "Tặng cho"]},
        "ben_nhan": requester("Bên nhận quyền"),
        "gia_tri_chuyen_nhuong": {**MONEY, "title": "Giá trị chuyển nhượng ghi trên hợp đồng (đồng)"},
        "mien_thue_le_phi": text(
            "Thuộc trường hợp miễn thuế thu nhập cá nhân, lệ phí trước bạ (nếu có, ghi căn cứ)", 300
        ),
        "cam_doan": DECLARATION,
    },
)
LAND_EXCHANGE = form(
    "1.019907",
    "don-de-nghi-cap-doi-giay-chung-nhan",
    "Đơn đề nghị cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
    ["nguoi_su_dung_dat", "thua_dat", "giay_chung_nhan", "ly_do_cap_doi", "cam_doan"],
    {
        "nguoi_su_dung_dat": requester("Người sử dụng đất, chủ sở hữu tài sản"),
        "thua_dat": PARCEL,
        "giay_chung_nhan": CERTIFICATE,
        "ly_do_cap_doi": {
            "title": "Lý do cấp đổi",
            "enum": [
                "Giấy chứng nhận bị ố, nhòe, rách, hư hỏng",
                "Đo đạc lại làm thay đổi kích thước thửa đất",
                "Đổi sang Giấy chứng nhận mẫu mới",
                "Dồn điền, đổi thửa",
            ],
        },
        "cam_doan": DECLARATION,
    },
)

BENEFICIARY = requester("Đối tượng đề nghị", dan_toc=ETHNICITY, quoc_tich=NATIONALITY)
SOCIAL_GROUP = {
    "title": "Thuộc đối tượng (Nghị định 20/2021/NĐ-CP, Điều 5)",
    "enum": [
        "Trẻ em dưới 16 tuổi không có nguồn nuôi dưỡng",
        "Người thuộc hộ nghèo, hộ cận nghèo không có chồng hoặc vợ đang nuôi con",
        "Người cao tuổi thuộc hộ nghèo, hộ cận nghèo",
        "Người khuyết tật nặng, đặc biệt nặng",
        "Trẻ em dưới 3 tuổi thuộc hộ nghèo, hộ cận nghèo",
        "Người nhiễm HIV/AIDS thuộc hộ nghèo",
    ],
}
DEAD_BENEFICIARY = obj(
    "Người đã chết",
    ["ho_ten", "ngay_sinh", "ngay_chet", "so_quyet_dinh_huong"],
    {
        "ho_ten": text("Họ và tên", 100),
        "ngay_sinh": past_date("Ngày, tháng, năm sinh"),
        "ngay_chet": past_date("Ngày chết"),
        "so_quyet_dinh_huong": text("Số quyết định hưởng trợ cấp", 50),
    },
)
FUNERAL_ORGANISER = requester("Người tổ chức mai táng", quan_he=text("Quan hệ với người đã chết", 50))


def social_form(code: str, slug: str, title: str, required: list[str], fields: dict[str, Any]) -> dict[str, Any]:
    return form(
        code,
        slug,
        title,
        [*required, "hinh_thuc_nhan_tien", "cam_doan"],
        {**fields, "hinh_thuc_nhan_tien": PAYMENT, "tai_khoan": BANK_ACCOUNT, "cam_doan": DECLARATION},
    )


SOCIAL_ALLOWANCE = social_form(
    "1.001776",
    "to-khai-de-nghi-tro-cap-xa-hoi-mau-1a",
    "Tờ khai đề nghị trợ giúp xã hội (Mẫu số 1a)",
    ["doi_tuong", "de_nghi", "thuoc_doi_tuong"],
    {
        "doi_tuong": BENEFICIARY,
        "de_nghi": {"title": "Đề nghị", "enum": ["Thực hiện trợ cấp", "Điều chỉnh mức trợ cấp", "Thôi hưởng trợ cấp"]},
        "thuoc_doi_tuong": SOCIAL_GROUP,
        "dang_huong_che_do_khac": text(
            "Đang hưởng chế độ khác (lương hưu, trợ cấp BHXH, ưu đãi người có công...)", 300
        ),
    },
)
SOCIAL_FUNERAL = social_form(
    "1.001731",
    "to-khai-de-nghi-ho-tro-chi-phi-mai-tang",
    "Tờ khai đề nghị hỗ trợ chi phí mai táng (Mẫu số 04)",
    ["nguoi_de_nghi", "nguoi_chet"],
    {"nguoi_de_nghi": FUNERAL_ORGANISER, "nguoi_chet": DEAD_BENEFICIARY},
)
SOCIAL_PENSION = social_form(
    "1.014027",
    "to-khai-de-nghi-huong-tro-cap-huu-tri-xa-hoi",
    "Tờ khai đề nghị hưởng trợ cấp hưu trí xã hội",
    ["doi_tuong", "dang_huong_luong_huu"],
    {
        "doi_tuong": BENEFICIARY,
        "dang_huong_luong_huu": {
            "title": "Đang hưởng lương hưu hoặc trợ cấp bảo hiểm xã hội hằng tháng",
            "type": "boolean",
        },
        "thuoc_ho_ngheo_can_ngheo": {"title": "Thuộc hộ nghèo, hộ cận nghèo", "type": "boolean"},
    },
)
PENSION_FUNERAL = social_form(
    "1.014028",
    "to-khai-de-nghi-ho-tro-mai-tang-huu-tri-xa-hoi",
    "Tờ khai đề nghị hỗ trợ chi phí mai táng khi người hưởng trợ cấp hưu trí xã hội chết",
    ["nguoi_de_nghi", "nguoi_chet"],
    {"nguoi_de_nghi": FUNERAL_ORGANISER, "nguoi_chet": DEAD_BENEFICIARY},
)

DIPLOMA = form(
    "1.004889",
    "don-de-nghi-cong-nhan-van-bang-nuoc-ngoai",
    "Đơn đề nghị công nhận văn bằng, giấy chứng nhận do cơ sở giáo dục nước ngoài cấp",
    ["nguoi_de_nghi", "van_bang", "muc_dich", "cam_doan"],
    {
        "nguoi_de_nghi": requester("Người đề nghị", quoc_tich=NATIONALITY),
        "van_bang": obj(
            "Văn bằng đề nghị công nhận",
            ["trinh_do", "ten_van_bang", "co_so_cap", "quoc_gia_cap", "ngay_cap"],
            {
                "trinh_do": {
                    "title": "Trình độ",
                    "enum": ["Trung học cơ sở", "Trung học phổ thông", "Hoàn thành chương trình giáo dục phổ thông"],
                },
                "ten_van_bang": text("Tên văn bằng (ghi như trên văn bằng)"),
                "co_so_cap": text("Cơ sở giáo dục cấp"),
                "quoc_gia_cap": {**NATIONALITY, "title": "Quốc gia cấp"},
                "ngay_cap": past_date("Ngày cấp"),
            },
        ),
        "muc_dich": text("Mục đích sử dụng", 300),
        "cam_doan": DECLARATION,
    },
)

ENVIRONMENT = form(
    "1.019909",
    "phieu-dang-ky-moi-truong-mau-47",
    "Phiếu đăng ký môi trường (Mẫu số 47)",
    [
        "chu_co_so",
        "ten_co_so",
        "dia_diem",
        "loai_hinh",
        "cong_suat",
        "nuoc_thai_m3_ngay",
        "chat_thai_ran_kg_ngay",
        "bien_phap_xu_ly",
        "cam_ket",
    ],
    {
        "chu_co_so": requester("Chủ dự án, cơ sở"),
        "ten_co_so": text("Tên dự án, cơ sở", 255),
        "dia_diem": {**ADDRESS, "title": "Địa điểm thực hiện"},
        "loai_hinh": text("Loại hình sản xuất, kinh doanh, dịch vụ"),
        "cong_suat": text("Quy mô, công suất"),
        "nguyen_nhien_lieu": text("Nhu cầu nguyên liệu, nhiên liệu, điện, nước", 500),
        "nuoc_thai_m3_ngay": {"title": "Nước thải phát sinh (m³/ngày)", "type": "number", "minimum": 0},
        "chat_thai_ran_kg_ngay": {"title": "Chất thải rắn sinh hoạt (kg/ngày)", "type": "number", "minimum": 0},
        "chat_thai_nguy_hai_kg_nam": {"title": "Chất thải nguy hại (kg/năm)", "type": "number", "minimum": 0},
        "bien_phap_xu_ly": text("Biện pháp thu gom, xử lý chất thải", 1000),
        "cam_ket": {"title": "Cam kết thực hiện các biện pháp bảo vệ môi trường đã nêu", "const": True},
    },
)

_PARCEL = {
    "thua_dat_so": 125,
    "to_ban_do_so": 18,
    "dien_tich_m2": 96.5,
    "dia_chi": address("Ngõ 7 phố Đội Cấn", "Phường Ba Đình"),
}
_CERTIFICATE = {"so_phat_hanh": "DA 123456", "so_vao_so": "CS 04567"}
_PERMIT = {"so_giay_phep": "45/GPXD", "ngay_cap": "2025-09-15"}
_BUYER = {
    **REQUESTER_EXAMPLE,
    "ho_ten": "Hoàng Văn Phúc",
    "ngay_sinh": "1979-12-01",
    "gioi_tinh": "Nam",
    "so_dinh_danh": "001079008899",
    "dien_thoai": "0900000120",
}
_ELDER = {
    **REQUESTER_EXAMPLE,
    "ho_ten": "Hà Thị Tám",
    "ngay_sinh": "1948-03-03",
    "so_dinh_danh": "099148000777",
    "dan_toc": "Tày",
    "quoc_tich": "Việt Nam",
}
_DEAD = {
    "ho_ten": "Hà Văn Chín",
    "ngay_sinh": "1945-05-05",
    "ngay_chet": "2026-02-10",
    "so_quyet_dinh_huong": "88/QĐ-UBND",
}
_CASH = {"hinh_thuc_nhan_tien": "Tiền mặt", "cam_doan": True}

SCHEMAS: dict[str, dict[str, Any]] = {
    "1.013225": BUILD_NEW,
    "1.013227": BUILD_EXTEND,
    "1.013228": BUILD_REISSUE,
    "1.019906": LAND_CHANGE,
    "1.019907": LAND_EXCHANGE,
    "1.001776": SOCIAL_ALLOWANCE,
    "1.001731": SOCIAL_FUNERAL,
    "1.014027": SOCIAL_PENSION,
    "1.014028": PENSION_FUNERAL,
    "1.004889": DIPLOMA,
    "1.019909": ENVIRONMENT,
}
EXAMPLES: dict[str, dict[str, Any]] = {
    "1.013225": {
        "chu_dau_tu": REQUESTER_EXAMPLE,
        "thua_dat": _PARCEL,
        "noi_dung": {
            "loai_cong_trinh": "Nhà ở riêng lẻ",
            "cap_cong_trinh": "Cấp III",
            "dien_tich_xay_dung_m2": 80.0,
            "tong_dien_tich_san_m2": 320.0,
            "chieu_cao_m": 15.5,
            "so_tang": 4,
            "don_vi_thiet_ke": "Công ty Tư vấn thiết kế Ví dụ",
            "thoi_gian_hoan_thanh_thang": 10,
        },
        "cam_doan": True,
    },
    "1.013227": {
        "chu_dau_tu": REQUESTER_EXAMPLE,
        "thua_dat": _PARCEL,
        "giay_phep": _PERMIT,
        "ly_do_gia_han": "Chậm khởi công do thời tiết",
        "gia_han_thang": 6,
        "cam_doan": True,
    },
    "1.013228": {
        "chu_dau_tu": REQUESTER_EXAMPLE,
        "thua_dat": _PARCEL,
        "giay_phep": _PERMIT,
        "ly_do_cap_lai": "Bị mất",
        "cam_doan": True,
    },
    "1.019906": {
        "nguoi_su_dung_dat": REQUESTER_EXAMPLE,
        "thua_dat": _PARCEL,
        "giay_chung_nhan": _CERTIFICATE,
        "noi_dung_bien_dong": "Chuyển nhượng",
        "ben_nhan": _BUYER,
        "gia_tri_chuyen_nhuong": 4_500_000_000,
        "cam_doan": True,
    },
    "1.019907": {
        "nguoi_su_dung_dat": REQUESTER_EXAMPLE,
        "thua_dat": _PARCEL,
        "giay_chung_nhan": _CERTIFICATE,
        "ly_do_cap_doi": "Đổi sang Giấy chứng nhận mẫu mới",
        "cam_doan": True,
    },
    "1.001776": {
        "doi_tuong": _ELDER,
        "de_nghi": "Thực hiện trợ cấp",
        "thuoc_doi_tuong": "Người cao tuổi thuộc hộ nghèo, hộ cận nghèo",
        **_CASH,
    },
    "1.001731": {"nguoi_de_nghi": {**REQUESTER_EXAMPLE, "quan_he": "Con"}, "nguoi_chet": _DEAD, **_CASH},
    "1.014027": {
        "doi_tuong": {**_ELDER, "ngay_sinh": "1950-01-15"},
        "dang_huong_luong_huu": False,
        "thuoc_ho_ngheo_can_ngheo": False,
        "hinh_thuc_nhan_tien": "Tài khoản ngân hàng",
        "tai_khoan": {"so_tai_khoan": "0011002233", "ngan_hang": "Ngân hàng Ví dụ", "chu_tai_khoan": "Hà Thị Tám"},
        "cam_doan": True,
    },
    "1.014028": {"nguoi_de_nghi": {**REQUESTER_EXAMPLE, "quan_he": "Con dâu"}, "nguoi_chet": _DEAD, **_CASH},
    "1.004889": {
        "nguoi_de_nghi": {
            **REQUESTER_EXAMPLE,
            "ho_ten": "Nguyễn An Nhiên",
            "ngay_sinh": "2007-06-20",
            "so_dinh_danh": "001307001234",
            "quoc_tich": "Việt Nam",
        },
        "van_bang": {
            "trinh_do": "Trung học phổ thông",
            "ten_van_bang": "High School Diploma",
            "co_so_cap": "Springfield High School",
            "quoc_gia_cap": "Úc",
            "ngay_cap": "2025-06-30",
        },
        "muc_dich": "Xét tuyển đại học",
        "cam_doan": True,
    },
    "1.019909": {
        "chu_co_so": REQUESTER_EXAMPLE,
        "ten_co_so": "Xưởng may Bình An",
        "dia_diem": address("Cụm công nghiệp Kim Anh", "Xã Kim Anh"),
        "loai_hinh": "May mặc",
        "cong_suat": "50.000 sản phẩm/năm",
        "nuoc_thai_m3_ngay": 4.5,
        "chat_thai_ran_kg_ngay": 30.0,
        "bien_phap_xu_ly": "Bể tự hoại ba ngăn; hợp đồng thu gom chất thải rắn với đơn vị có chức năng",
        "cam_ket": True,
    },
}
