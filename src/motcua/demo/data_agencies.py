"""Demo organisation data for the FICTIONAL province "Tỉnh Minh Hòa" (H99).

Every name, code, person, identity number, phone number and address here is invented for
demonstrations and tests. Any resemblance to a real commune, agency or person is a
coincidence. Re-exported by :mod:`motcua.demo.data`; see its docstring for the sources.

Agency codes follow Decision 20/2020/QĐ-TTg Art. 4: a level-1 code ``MX1X2`` (a letter A–Y and
two digits) and, for each lower unit, one more dot-separated group, left to right, at most 35
characters in A–Z, 0–9 and dots. "H99" is not assigned to any real province.
"""

from __future__ import annotations

from typing import Literal, TypedDict

AgencyKind = Literal["province", "service_centre", "department", "commune", "vertical_branch", "division", "district"]
OfficerRole = Literal["reception", "specialist", "leader", "manager", "admin", "catalogue"]


class Province(TypedDict):
    code: str
    name_vi: str
    name_en: str
    short_name_vi: str


class Agency(TypedDict):
    code: str
    name_vi: str
    name_en: str
    kind: AgencyKind
    parent_code: str | None
    short_name_vi: str
    valid_from: str | None  # ISO date
    valid_to: str | None  # ISO date; None = still in force
    successor_code: str | None  # Resolution 190/2025/QH15: who continues its procedures


class Field(TypedDict):
    code: str
    name_vi: str
    name_en: str


class OfficerTemplate(TypedDict):
    username: str
    full_name: str
    agency_code: str
    role: OfficerRole


class Citizen(TypedDict):
    username: str
    full_name: str
    personal_id: str  # 12 digits, Decree 137/2015/NĐ-CP Art. 13
    birth_date: str  # ISO date
    gender: Literal["male", "female"]
    address: str
    phone: str
    email: str


class CalendarOverride(TypedDict):
    date: str  # ISO date
    kind: Literal["day_off", "working_day"]
    reason_vi: str
    reason_en: str


PROVINCE: Province = {
    "code": "H99",
    "name_vi": "Tỉnh Minh Hòa",
    "name_en": "Minh Hoa Province",
    "short_name_vi": "Minh Hòa",
}

# Dates used below. Departments were merged on 1/3/2025 (Resolution 176/2025/QH15 and the
# provincial decisions that followed); the two-tier local government runs from 1/7/2025
# (Resolution 202/2025/QH15). Fictional province, so these are only plausible.
_MERGED = "2025-03-01"
_TWO_TIER = "2025-07-01"
_DISTRICTS_END = "2025-06-30"

ROOT = "H99"
PROVINCIAL_CENTRE = "H99.01"


def _agency(
    code: str,
    name_vi: str,
    name_en: str,
    kind: AgencyKind,
    parent_code: str | None,
    short_name_vi: str,
    valid_from: str | None = _MERGED,
    valid_to: str | None = None,
    successor_code: str | None = None,
) -> Agency:
    return {
        "code": code,
        "name_vi": name_vi,
        "name_en": name_en,
        "kind": kind,
        "parent_code": parent_code,
        "short_name_vi": short_name_vi,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "successor_code": successor_code,
    }


_CORE: list[Agency] = [
    _agency(
        ROOT,
        "Ủy ban nhân dân tỉnh Minh Hòa",
        "People's Committee of Minh Hoa Province",
        "province",
        None,
        "UBND tỉnh Minh Hòa",
        None,  # the province kept its code through the 2025 merger; its districts predate 1/7/2025
    ),
    _agency(
        PROVINCIAL_CENTRE,
        "Trung tâm Phục vụ hành chính công tỉnh Minh Hòa",
        "Minh Hoa Provincial Public Administration Service Centre",
        "service_centre",
        ROOT,
        "TTPVHCC tỉnh",
        _TWO_TIER,
    ),
]

# (code, name_vi, name_en, short name, divisions [(code suffix, name_vi, name_en, short)])
_DEPARTMENT_ROWS: list[tuple[str, str, str, str, list[tuple[str, str, str, str]]]] = [
    (
        "H99.11",
        "Sở Tư pháp",
        "Department of Justice",
        "STP",
        [
            ("01", "Phòng Hành chính tư pháp", "Judicial Administration Division", "P. HCTP"),
            ("02", "Phòng Bổ trợ tư pháp", "Judicial Support Services Division", "P. BTTP"),
        ],
    ),
    (
        "H99.12",
        "Sở Xây dựng",
        "Department of Construction",
        "SXD",
        [
            ("01", "Phòng Quản lý hoạt động xây dựng", "Construction Activities Division", "P. QLHĐXD"),
        ],
    ),
    (
        "H99.13",
        "Sở Nông nghiệp và Môi trường",
        "Department of Agriculture and Environment",
        "SNNMT",
        [
            ("01", "Phòng Quản lý đất đai", "Land Management Division", "P. QLĐĐ"),
            ("02", "Văn phòng Đăng ký đất đai", "Land Registration Office", "VPĐKĐĐ"),
        ],
    ),
    (
        "H99.14",
        "Sở Tài chính",
        "Department of Finance",
        "STC",
        [
            ("01", "Phòng Đăng ký kinh doanh", "Business Registration Division", "P. ĐKKD"),
        ],
    ),
    (
        "H99.15",
        "Sở Nội vụ",
        "Department of Home Affairs",
        "SNV",
        [
            ("01", "Phòng Người có công", "Division for People with Meritorious Services", "P. NCC"),
        ],
    ),
    (
        "H99.16",
        "Sở Y tế",
        "Department of Health",
        "SYT",
        [
            ("01", "Phòng Bảo trợ xã hội", "Social Protection Division", "P. BTXH"),
            ("02", "Phòng Nghiệp vụ Y", "Medical Affairs Division", "P. NVY"),
        ],
    ),
    ("H99.17", "Sở Giáo dục và Đào tạo", "Department of Education and Training", "SGDĐT", []),
    ("H99.18", "Sở Công Thương", "Department of Industry and Trade", "SCT", []),
    ("H99.19", "Sở Văn hóa, Thể thao và Du lịch", "Department of Culture, Sports and Tourism", "SVHTTDL", []),
    ("H99.20", "Sở Khoa học và Công nghệ", "Department of Science and Technology", "SKHCN", []),
    ("H99.21", "Sở Dân tộc và Tôn giáo", "Department of Ethnic Minorities and Religions", "SDTTG", []),
    ("H99.22", "Thanh tra tỉnh", "Provincial Inspectorate", "TTr", []),
    ("H99.23", "Văn phòng Ủy ban nhân dân tỉnh", "Office of the Provincial People's Committee", "VP UBND", []),
]

_DEPARTMENTS: list[Agency] = []
for _code, _vi, _en, _short, _divisions in _DEPARTMENT_ROWS:
    _full_vi = f"{_vi} Minh Hòa" if _vi.endswith(" tỉnh") else f"{_vi} tỉnh Minh Hòa"
    _DEPARTMENTS.append(_agency(_code, _full_vi, f"{_en}, Minh Hoa Province", "department", ROOT, _short))
    for _suffix, _dvi, _den, _dshort in _divisions:
        _DEPARTMENTS.append(
            _agency(f"{_code}.{_suffix}", f"{_dvi} - {_vi}", f"{_den}, {_en}", "division", _code, _dshort)
        )

# Local branches of vertically organised central agencies. They are not subordinate to the
# provincial People's Committee; they hang under the province node only so that the demo tree
# and the "within the province" reception scope (Decree 118/2025 Art. 14) have one root.
# Since 1/7/2025 residence registration is done by commune police (Công an cấp xã), units of
# the provincial police, so residence procedures name the provincial police here.
POLICE = "H99.31"
TAX = "H99.32"
SOCIAL_INSURANCE = "H99.33"
_VERTICAL: list[Agency] = [
    _agency(POLICE, "Công an tỉnh Minh Hòa", "Minh Hoa Provincial Police", "vertical_branch", ROOT, "CA tỉnh", None),
    _agency(
        f"{POLICE}.01",
        "Phòng Cảnh sát quản lý hành chính về trật tự xã hội",
        "Administrative Police Division for Social Order",
        "division",
        POLICE,
        "PC06",
    ),
    _agency(
        f"{POLICE}.02",
        "Phòng Hồ sơ nghiệp vụ (Lý lịch tư pháp)",
        "Records Division (judicial records)",
        "division",
        POLICE,
        "PV06",
    ),
    _agency(
        TAX, "Thuế tỉnh Minh Hòa", "Minh Hoa Provincial Tax Office", "vertical_branch", ROOT, "Thuế tỉnh", _TWO_TIER
    ),
    _agency(
        SOCIAL_INSURANCE,
        "Bảo hiểm xã hội tỉnh Minh Hòa",
        "Minh Hoa Provincial Social Security",
        "vertical_branch",
        ROOT,
        "BHXH tỉnh",
        _TWO_TIER,
    ),
]

# 24 communes of the two-tier model: (code, "phường"/"xã", name). Invented names.
_COMMUNE_ROWS: list[tuple[str, str, str]] = [
    ("H99.101", "phường", "Minh Hòa"),
    ("H99.102", "phường", "Đông Thành"),
    ("H99.103", "phường", "Nam Xuyên"),
    ("H99.104", "phường", "Bắc Lĩnh"),
    ("H99.105", "phường", "Vĩnh Khang"),
    ("H99.106", "phường", "An Phú"),
    ("H99.107", "phường", "Phước Long"),
    ("H99.108", "phường", "Hưng Thịnh"),
    ("H99.109", "phường", "Tân Lập"),
    ("H99.110", "phường", "Thạch Khê"),
    ("H99.111", "xã", "An Hòa"),
    ("H99.112", "xã", "Bình Lâm"),
    ("H99.113", "xã", "Cẩm Vân"),
    ("H99.114", "xã", "Diên Phú"),
    ("H99.115", "xã", "Đồng Tâm"),
    ("H99.116", "xã", "Gia Thụy"),
    ("H99.117", "xã", "Hạ Mỹ"),
    ("H99.118", "xã", "Kim Đôi"),
    ("H99.119", "xã", "Lạc Xuân"),
    ("H99.120", "xã", "Mỹ Lợi"),
    ("H99.121", "xã", "Ngọc Lâm"),
    ("H99.122", "xã", "Phú Xuân"),
    ("H99.123", "xã", "Quỳnh Giao"),
    ("H99.124", "xã", "Sơn Thủy"),
]


def _ascii(text: str) -> str:
    table = str.maketrans(
        "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
        "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ",
        "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd"
        "AAAAAAAAAAAAAAAAAEEEEEEEEEEEIIIIIOOOOOOOOOOOOOOOOOUUUUUUUUUUUYYYYYD",
    )
    return text.translate(table)


_COMMUNES: list[Agency] = []
for _code, _type, _name in _COMMUNE_ROWS:
    _type_en = "Ward" if _type == "phường" else "Commune"
    _COMMUNES.append(
        _agency(
            _code,
            f"Ủy ban nhân dân {_type} {_name}",
            f"People's Committee of {_ascii(_name)} {_type_en}",
            "commune",
            ROOT,
            f"{_type.capitalize()} {_name}",
            _TWO_TIER,
        )
    )
    _COMMUNES.append(
        _agency(
            f"{_code}.01",
            f"Trung tâm Phục vụ hành chính công {_type} {_name}",
            f"{_ascii(_name)} {_type_en} Public Administration Service Centre",
            "service_centre",
            _code,
            f"TTPVHCC {_type} {_name}",
            _TWO_TIER,
        )
    )

COMMUNE_CODES: list[str] = [row[0] for row in _COMMUNE_ROWS]

# Two district-level units abolished on 1/7/2025, kept to show history and succession.
# Their real successors would be several communes; the model keeps one successor per agency,
# the commune that took over the seat and the archive.
_HISTORICAL: list[Agency] = [
    _agency(
        "H99.91",
        "Ủy ban nhân dân thành phố Minh Hòa (cấp huyện)",
        "People's Committee of Minh Hoa City (district level, abolished)",
        "district",
        ROOT,
        "TP. Minh Hòa (cũ)",
        "2008-01-01",
        _DISTRICTS_END,
        "H99.101",
    ),
    _agency(
        "H99.92",
        "Ủy ban nhân dân huyện Đồng Tâm",
        "People's Committee of Dong Tam District (abolished)",
        "district",
        ROOT,
        "Huyện Đồng Tâm (cũ)",
        "1997-01-01",
        _DISTRICTS_END,
        "H99.115",
    ),
]

AGENCIES: list[Agency] = _CORE + _DEPARTMENTS + _VERTICAL + _COMMUNES + _HISTORICAL

FIELDS: list[Field] = [
    {"code": "HOTICH", "name_vi": "Hộ tịch", "name_en": "Civil status"},
    {"code": "CUTRU", "name_vi": "Đăng ký, quản lý cư trú", "name_en": "Residence registration"},
    {"code": "LLTP", "name_vi": "Lý lịch tư pháp", "name_en": "Judicial records"},
    {"code": "CHUNGTHUC", "name_vi": "Chứng thực", "name_en": "Certification"},
    {"code": "LUATSU", "name_vi": "Luật sư", "name_en": "Lawyers"},
    {"code": "CONGCHUNG", "name_vi": "Công chứng", "name_en": "Notarisation"},
    {
        "code": "DOANHNGHIEP",
        "name_vi": "Thành lập và hoạt động doanh nghiệp",
        "name_en": "Enterprise formation and operation",
    },
    {
        "code": "HOKINHDOANH",
        "name_vi": "Thành lập và hoạt động của hộ kinh doanh",
        "name_en": "Household business registration",
    },
    {"code": "XAYDUNG", "name_vi": "Hoạt động xây dựng", "name_en": "Construction activities"},
    {"code": "DATDAI", "name_vi": "Đất đai", "name_en": "Land"},
    {"code": "BTXH", "name_vi": "Bảo trợ xã hội", "name_en": "Social protection"},
    {"code": "NGUOICOCONG", "name_vi": "Người có công", "name_en": "People with meritorious services"},
    {"code": "GIAODUC", "name_vi": "Giáo dục và Đào tạo", "name_en": "Education and training"},
    {"code": "YTE", "name_vi": "Khám bệnh, chữa bệnh", "name_en": "Medical examination and treatment"},
    {"code": "MOITRUONG", "name_vi": "Môi trường", "name_en": "Environment"},
    {"code": "THUE", "name_vi": "Thuế", "name_en": "Taxation"},
    {"code": "THUONGMAI", "name_vi": "Lưu thông hàng hóa trong nước", "name_en": "Domestic trade"},
    {"code": "TONGIAO", "name_vi": "Tín ngưỡng, tôn giáo", "name_en": "Beliefs and religions"},
    {"code": "KHIEUNAI", "name_vi": "Giải quyết khiếu nại", "name_en": "Complaints"},
    {
        "code": "LIENTHONG",
        "name_vi": "Liên thông thủ tục hành chính (Nghị định 63/2024/NĐ-CP)",
        "name_en": "Linked procedures (Decree 63/2024)",
    },
]

# Demo officers: the provincial centre, three departments (Justice, Finance, Agriculture and
# Environment), three communes (Minh Hòa ward, An Hòa commune, Đồng Tâm commune), one
# province-wide manager and one administrator. Specialists and leaders of a commune belong to
# the commune People's Committee; its reception officers to the commune's service centre.
OFFICER_TEMPLATES: list[OfficerTemplate] = [
    {
        "username": "tiepnhan.tinh",
        "full_name": "Nguyễn Thị Thu Hà",
        "agency_code": PROVINCIAL_CENTRE,
        "role": "reception",
    },
    {"username": "tiepnhan2.tinh", "full_name": "Trần Văn Khoa", "agency_code": PROVINCIAL_CENTRE, "role": "reception"},
    {"username": "lanhdao.ttpvhcc", "full_name": "Phạm Minh Đức", "agency_code": PROVINCIAL_CENTRE, "role": "leader"},
    {"username": "chuyenvien.stp", "full_name": "Lê Thị Hồng Nhung", "agency_code": "H99.11.01", "role": "specialist"},
    {"username": "lanhdao.stp", "full_name": "Đỗ Quang Vinh", "agency_code": "H99.11", "role": "leader"},
    {"username": "chuyenvien.stc", "full_name": "Hoàng Thị Mai Anh", "agency_code": "H99.14.01", "role": "specialist"},
    {"username": "lanhdao.stc", "full_name": "Vũ Đình Long", "agency_code": "H99.14", "role": "leader"},
    {"username": "chuyenvien.snnmt", "full_name": "Bùi Thị Lan", "agency_code": "H99.13.02", "role": "specialist"},
    {"username": "chuyenvien2.snnmt", "full_name": "Đặng Văn Tùng", "agency_code": "H99.13.01", "role": "specialist"},
    {"username": "lanhdao.snnmt", "full_name": "Ngô Thanh Sơn", "agency_code": "H99.13", "role": "leader"},
    {
        "username": "tiepnhan.minhhoa",
        "full_name": "Phan Thị Ngọc Ánh",
        "agency_code": "H99.101.01",
        "role": "reception",
    },
    {"username": "chuyenvien.minhhoa", "full_name": "Lý Văn Hậu", "agency_code": "H99.101", "role": "specialist"},
    {"username": "lanhdao.minhhoa", "full_name": "Tạ Thị Kim Oanh", "agency_code": "H99.101", "role": "leader"},
    {"username": "tiepnhan.anhoa", "full_name": "Dương Thị Hạnh", "agency_code": "H99.111.01", "role": "reception"},
    {"username": "chuyenvien.anhoa", "full_name": "Mai Xuân Trường", "agency_code": "H99.111", "role": "specialist"},
    {"username": "lanhdao.anhoa", "full_name": "Châu Văn Phúc", "agency_code": "H99.111", "role": "leader"},
    {"username": "tiepnhan.dongtam", "full_name": "Kiều Thị Thảo", "agency_code": "H99.115.01", "role": "reception"},
    {"username": "chuyenvien.dongtam", "full_name": "Hà Minh Quân", "agency_code": "H99.115", "role": "specialist"},
    {"username": "lanhdao.dongtam", "full_name": "Lương Thị Bích Ngọc", "agency_code": "H99.115", "role": "leader"},
    {"username": "quanly.tinh", "full_name": "Trịnh Công Thành", "agency_code": ROOT, "role": "manager"},
    {"username": "danhmuc.tinh", "full_name": "Trịnh Thu Trang", "agency_code": ROOT, "role": "catalogue"},
    {"username": "admin", "full_name": "Quản trị hệ thống", "agency_code": ROOT, "role": "admin"},
]

# Personal ID numbers: 3-digit code of the province where the birth was registered, one
# century/sex digit (1900s: 0 male, 1 female; 2000s: 2 male, 3 female), two digits of the
# birth year, six random digits (Decree 137/2015/NĐ-CP Art. 13; Circular 07/2016/TT-BCA).
# "099" is used for Minh Hòa because no real province has it; 001 (Hà Nội), 079 (Hồ Chí Minh
# City) and 038 (Thanh Hóa) show citizens born elsewhere. Phones and e-mails are fictional
# (example.com is reserved by RFC 2606).
CITIZENS: list[Citizen] = [
    {
        "username": "congdan.an",
        "full_name": "Nguyễn Văn An",
        "personal_id": "099085004217",
        "birth_date": "1985-03-14",
        "gender": "male",
        "address": "Số 12, đường Lê Lợi, phường Minh Hòa, tỉnh Minh Hòa",
        "phone": "0900000101",
        "email": "nguyen.van.an@example.com",
    },
    {
        "username": "congdan.binh",
        "full_name": "Trần Thị Bình",
        "personal_id": "099190318562",
        "birth_date": "1990-11-02",
        "gender": "female",
        "address": "Thôn Đông, xã An Hòa, tỉnh Minh Hòa",
        "phone": "0900000102",
        "email": "tran.thi.binh@example.com",
    },
    {
        "username": "congdan.cuong",
        "full_name": "Lê Quốc Cường",
        "personal_id": "001078912345",
        "birth_date": "1978-07-21",
        "gender": "male",
        "address": "Tổ 5, phường Đông Thành, tỉnh Minh Hòa",
        "phone": "0900000103",
        "email": "le.quoc.cuong@example.com",
    },
    {
        "username": "congdan.dung",
        "full_name": "Phạm Thị Thùy Dung",
        "personal_id": "099302457801",
        "birth_date": "2002-05-09",
        "gender": "female",
        "address": "Xóm Giữa, xã Đồng Tâm, tỉnh Minh Hòa",
        "phone": "0900000104",
        "email": "pham.thuy.dung@example.com",
    },
    {
        "username": "congdan.em",
        "full_name": "Võ Minh Em",
        "personal_id": "079201664420",
        "birth_date": "2001-01-30",
        "gender": "male",
        "address": "Số 8, ngõ 3, phường Nam Xuyên, tỉnh Minh Hòa",
        "phone": "0900000105",
        "email": "vo.minh.em@example.com",
    },
    {
        "username": "congdan.giang",
        "full_name": "Hoàng Thị Giang",
        "personal_id": "038165230918",
        "birth_date": "1965-09-12",
        "gender": "female",
        "address": "Thôn Bãi, xã Sơn Thủy, tỉnh Minh Hòa",
        "phone": "0900000106",
        "email": "hoang.thi.giang@example.com",
    },
]

# Yearly day swaps that the `holidays` package (0.108/0.109) does not know. The package already
# has Tết, Hùng Kings' Day (with the 27/4/2026 day in lieu), 24/11 from 2026, and the swaps
# 2/5/2025 (Sat 26/4 worked) and 31/8/2026 (Sat 22/8 worked). Add each new year's plan here.
CALENDAR_OVERRIDES: list[CalendarOverride] = [
    {
        "date": "2026-01-02",
        "kind": "day_off",
        "reason_vi": "Nghỉ bù Tết Dương lịch 2026 (hoán đổi với thứ Bảy 10/01/2026)",
        "reason_en": "New Year 2026 bridge day (swapped with Saturday 10 January 2026)",
    },
    {
        "date": "2026-01-10",
        "kind": "working_day",
        "reason_vi": "Làm bù cho ngày nghỉ thứ Sáu 02/01/2026",
        "reason_en": "Make-up working Saturday for Friday 2 January 2026",
    },
]
