"""Demo procedures of the economic and sector fields for the FICTIONAL province "Tỉnh Minh Hòa".

Enterprises, household businesses, construction, land, social protection and other fields. Same
conventions as :mod:`motcua.demo.data_procedures` (helpers, ``# approx`` marks, invented
publishing decisions); split from it to keep each module readable. Re-exported, together with
the procedures for people (civil status, residence, judicial records, certification), as
``PROCEDURES`` by :mod:`motcua.demo.data`.
"""

from __future__ import annotations

from .data_procedures import (
    APPROVE,
    AT_COMMUNE,
    AT_PROVINCE,
    CD,
    COMMUNE,
    EXAMINE,
    ID_DOC,
    LAND_OFFICE,
    POLICE,
    QD_CONSTRUCTION,
    QD_FINANCE,
    QD_LAND,
    QD_OTHER,
    QD_SOCIAL,
    QD_TAX,
    RECEIVE,
    RETURN,
    SGD,
    SNNMT,
    SNV,
    STC,
    SXD,
    SYT,
    TAX,
    WD,
    WH,
    Component,
    Procedure,
    chain,
    doc,
    fee,
    proc,
    std,
)

# --- Enterprises (Sở Tài chính, business registration division) -----------------------------
# 3 working days (enterprise registration decree); registration fee waived online.
_ENTERPRISE_LAW = "Luật Doanh nghiệp 2020 (sửa đổi 2025); Nghị định 168/2025/NĐ-CP; Thông tư 47/2019/TT-BTC"
_ENTERPRISE_FEES = [
    fee("Lệ phí đăng ký doanh nghiệp", "Registration fee", 50_000, "Miễn khi đăng ký qua mạng điện tử"),
    fee("Phí công bố nội dung đăng ký doanh nghiệp", "Publication fee", 100_000),
]
_CHARTER = doc("Điều lệ công ty", "Company charter")
_FOUNDER_ID = doc(
    "Bản sao giấy tờ pháp lý của cá nhân, tổ chức là chủ sở hữu / thành viên / cổ đông",
    "Copies of the owners' legal papers",
    reusable=True,
)


def _enterprise(code: str, name_vi: str, name_en: str, components: list[Component], result: str) -> Procedure:
    return proc(
        code,
        name_vi,
        name_en,
        field="DOANHNGHIEP",
        levels=AT_PROVINCE,
        agency=STC,
        limit=(3, WD),
        online="full",
        eligible=True,
        subjects=["citizen", "business"],
        fees=_ENTERPRISE_FEES,
        components=components,
        steps=std(WH, 2, 14, 6, 2),
        legal=_ENTERPRISE_LAW,
        decision=QD_FINANCE,
        result=result,
    )


ENTERPRISES: list[Procedure] = [
    _enterprise(
        "1.000956",
        "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên",
        "Registration of a single-member limited liability company",
        [
            doc("Giấy đề nghị đăng ký doanh nghiệp", "Enterprise registration application", e_form=True),
            _CHARTER,
            _FOUNDER_ID,
        ],
        "Giấy chứng nhận đăng ký doanh nghiệp",
    ),
    _enterprise(
        "2.001610",
        "Đăng ký thành lập doanh nghiệp tư nhân",
        "Registration of a sole proprietorship",
        [doc("Giấy đề nghị đăng ký doanh nghiệp", "Enterprise registration application", e_form=True), ID_DOC],
        "Giấy chứng nhận đăng ký doanh nghiệp",
    ),
    _enterprise(
        "1.019903",
        "Đăng ký thành lập công ty cổ phần",
        "Registration of a joint-stock company",
        [
            doc("Giấy đề nghị đăng ký doanh nghiệp", "Enterprise registration application", e_form=True),
            _CHARTER,
            doc("Danh sách cổ đông sáng lập", "List of founding shareholders", e_form=True),
            _FOUNDER_ID,
        ],
        "Giấy chứng nhận đăng ký doanh nghiệp",
    ),
    _enterprise(
        "1.019904",
        "Đăng ký thay đổi người đại diện theo pháp luật của công ty",
        "Change of a company's legal representative",
        [
            doc("Thông báo thay đổi nội dung đăng ký doanh nghiệp", "Notice of change", e_form=True),
            doc("Nghị quyết, quyết định về việc thay đổi", "Resolution on the change"),
            _FOUNDER_ID,
        ],
        "Giấy chứng nhận đăng ký doanh nghiệp (cập nhật)",
    ),
]

# --- Household businesses: the commune since 1/7/2025 -------------------------------------
_HKD_LAW = "Luật Doanh nghiệp 2020 (sửa đổi 2025); Nghị định 168/2025/NĐ-CP"
_HKD_APP = doc("Giấy đề nghị đăng ký hộ kinh doanh", "Household business application", e_form=True)
_HKD_CERT = doc(
    "Giấy chứng nhận đăng ký hộ kinh doanh đã cấp", "The household business certificate", original=True, reusable=True
)
HOUSEHOLD_BUSINESS: list[Procedure] = [
    proc(
        "1.001612",
        "Đăng ký thành lập hộ kinh doanh",
        "Household business registration",
        field="HOKINHDOANH",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(3, WD),
        online="full",
        eligible=True,
        subjects=["citizen", "business"],
        fees=[
            fee(
                "Lệ phí đăng ký hộ kinh doanh",
                "Registration fee",
                100_000,  # approx
                "Theo Nghị quyết HĐND tỉnh; miễn khi nộp trực tuyến",
            )
        ],
        components=[_HKD_APP, ID_DOC],
        steps=std(WH, 2, 14, 6, 2),
        legal=_HKD_LAW,
        decision=QD_OTHER,
        result="Giấy chứng nhận đăng ký hộ kinh doanh",
    ),
    proc(
        "2.000720",
        "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
        "Change of household business registration",
        field="HOKINHDOANH",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(3, WD),
        online="full",
        eligible=True,
        subjects=["citizen", "business"],
        fees=[fee("Lệ phí đăng ký thay đổi", "Fee", 50_000, "Theo Nghị quyết HĐND tỉnh")],  # approx
        components=[
            doc("Thông báo thay đổi nội dung đăng ký hộ kinh doanh", "Notice of change", e_form=True),
            _HKD_CERT,
        ],
        steps=std(WH, 2, 14, 6, 2),
        legal=_HKD_LAW,
        decision=QD_OTHER,
        result="Giấy chứng nhận đăng ký hộ kinh doanh (cập nhật)",
    ),
    proc(
        "2.000575",
        "Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh",
        "Re-issue of the household business certificate",
        field="HOKINHDOANH",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(3, WD),
        online="full",
        eligible=True,
        subjects=["citizen", "business"],
        fees=[fee("Lệ phí cấp lại", "Fee", 50_000, "Theo Nghị quyết HĐND tỉnh")],  # approx
        components=[doc("Giấy đề nghị cấp lại", "Request", e_form=True)],
        steps=std(WH, 2, 14, 6, 2),
        legal=_HKD_LAW,
        decision=QD_OTHER,
        result="Giấy chứng nhận đăng ký hộ kinh doanh (cấp lại)",
    ),
    proc(
        "1.001570",
        "Tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn của hộ kinh doanh",
        "Suspension or early resumption of a household business",
        field="HOKINHDOANH",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(3, WD),
        online="full",
        eligible=True,
        subjects=["citizen", "business"],
        components=[doc("Thông báo tạm ngừng / tiếp tục kinh doanh", "Notice", e_form=True)],
        steps=std(WH, 2, 14, 6, 2),
        legal=_HKD_LAW,
        decision=QD_OTHER,
        result="Giấy xác nhận về việc hộ kinh doanh tạm ngừng / tiếp tục kinh doanh",
    ),
    proc(
        "1.001266",
        "Chấm dứt hoạt động hộ kinh doanh",
        "Closure of a household business",
        field="HOKINHDOANH",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(3, WD),
        online="full",
        eligible=True,
        subjects=["citizen", "business"],
        components=[doc("Thông báo chấm dứt hoạt động hộ kinh doanh", "Closure notice", e_form=True), _HKD_CERT],
        steps=chain(
            WH,
            [
                (*RECEIVE, 2),
                (*EXAMINE, 6),
                (
                    "xac_nhan_thue",
                    "Cơ quan thuế xác nhận hoàn thành nghĩa vụ thuế",
                    "Tax office confirms that taxes are settled",
                    f"other_agency:{TAX}",
                    8,
                ),
                (*APPROVE, 6),
                (*RETURN, 2),
            ],
        ),
        legal=_HKD_LAW + "; Luật Quản lý thuế 2019",
        decision=QD_OTHER,
        result="Thông báo về việc chấm dứt hoạt động hộ kinh doanh",
    ),
]

# --- Construction ------------------------------------------------------------------------------
_BUILD_LAW = "Luật Xây dựng 2014 (sửa đổi 2020); Nghị định 175/2024/NĐ-CP; Thông tư 85/2019/TT-BTC"
_BUILD_APP = doc("Đơn đề nghị cấp giấy phép xây dựng", "Building permit application", e_form=True)
_LAND_CERT = doc("Giấy chứng nhận quyền sử dụng đất", "Land use right certificate", reusable=True)
_PERMIT = doc("Giấy phép xây dựng đã cấp", "The building permit", original=True, reusable=True)
CONSTRUCTION: list[Procedure] = [
    proc(
        "1.013225",
        "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        "Building permit for a detached house",
        field="XAYDUNG",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(15, WD),
        online="full",
        eligible=True,
        fees=[
            fee(
                "Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ",
                "Permit fee",
                75_000,  # approx
                "Theo Nghị quyết HĐND tỉnh",
            )
        ],
        components=[
            _BUILD_APP,
            _LAND_CERT,
            doc("Bản vẽ thiết kế xây dựng", "Design drawings", copies=2),
            doc("Cam kết bảo đảm an toàn công trình liền kề (nếu có)", "Neighbour safety undertaking", optional=True),
        ],
        steps=chain(
            WD,
            [
                (*RECEIVE, 1),
                (
                    "kiem_tra_hien_truong",
                    "Thẩm định hồ sơ, kiểm tra thực địa",
                    "Examine the dossier, inspect the site",
                    "specialist",
                    10,
                ),
                (*APPROVE, 3),
                (*RETURN, 1),
            ],
        ),
        legal=_BUILD_LAW,
        decision=QD_CONSTRUCTION,
        result="Giấy phép xây dựng",
    ),
    proc(
        "1.013227",
        "Gia hạn giấy phép xây dựng",
        "Extension of a building permit",
        field="XAYDUNG",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(5, WD),
        online="full",
        eligible=True,  # approx
        fees=[fee("Lệ phí gia hạn giấy phép xây dựng", "Fee", 15_000)],  # approx
        components=[doc("Đơn đề nghị gia hạn", "Request", e_form=True), _PERMIT],
        steps=std(WH, 2, 28, 8, 2),
        legal=_BUILD_LAW,
        decision=QD_CONSTRUCTION,
        result="Giấy phép xây dựng được gia hạn",
    ),
    proc(
        "1.013228",
        "Cấp lại giấy phép xây dựng",
        "Re-issue of a building permit",
        field="XAYDUNG",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(5, WD),
        online="full",
        eligible=True,  # approx
        fees=[fee("Lệ phí cấp lại giấy phép xây dựng", "Fee", 15_000)],  # approx
        components=[doc("Đơn đề nghị cấp lại", "Request", e_form=True)],
        steps=std(WH, 2, 28, 8, 2),
        legal=_BUILD_LAW,
        decision=QD_CONSTRUCTION,
        result="Giấy phép xây dựng (cấp lại)",
    ),
    proc(
        "1.019905",
        "Cấp giấy phép xây dựng mới đối với công trình cấp I, cấp II",
        "Building permit for class I and II works",
        field="XAYDUNG",
        levels=AT_PROVINCE,
        agency=SXD,
        limit=(20, WD),
        subjects=["business", "organisation"],
        fees=[
            fee(
                "Lệ phí cấp giấy phép xây dựng công trình",
                "Permit fee",
                150_000,  # approx
                "Theo Nghị quyết HĐND tỉnh",
            )
        ],
        components=[
            _BUILD_APP,
            _LAND_CERT,
            doc("Hồ sơ thiết kế xây dựng", "Design dossier", copies=2),
            doc("Văn bản thẩm duyệt thiết kế phòng cháy, chữa cháy", "Fire safety design approval", reusable=True),
        ],
        steps=chain(
            WD,
            [
                (*RECEIVE, 1),
                (*EXAMINE, 8),
                (
                    "lay_y_kien_pccc",
                    "Lấy ý kiến cơ quan phòng cháy, chữa cháy",
                    "Consult the fire police",
                    f"other_agency:{POLICE}",
                    5,
                ),
                (*APPROVE, 4),
                (*RETURN, 1),
            ],
        ),
        legal=_BUILD_LAW,
        decision=QD_CONSTRUCTION,
        result="Giấy phép xây dựng",
    ),
]

# --- Land: time limits exclude the time to pay land taxes and fees --------------------------
_LAND_LAW = "Luật Đất đai 2024; Nghị định 101/2024/NĐ-CP; Nghị định 151/2025/NĐ-CP"
_TAX_STEP = (
    "nghia_vu_tai_chinh",
    "Cơ quan thuế xác định nghĩa vụ tài chính",
    "Tax office assesses land taxes",
    f"other_agency:{TAX}",
)
LAND: list[Procedure] = [
    proc(
        "1.013978",
        "Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền "
        "sở hữu tài sản gắn liền với đất lần đầu đối với hộ gia đình, cá nhân, cộng đồng dân cư, người gốc "
        "Việt Nam định cư ở nước ngoài",
        "First land registration and certificate for households and individuals",
        field="DATDAI",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(20, WD),  # approx
        fees=[
            fee(
                "Lệ phí cấp Giấy chứng nhận",
                "Certificate fee",
                100_000,  # approx
                "Theo Nghị quyết HĐND tỉnh",
            )
        ],
        components=[
            doc("Đơn đăng ký đất đai, tài sản gắn liền với đất (Mẫu số 15)", "Land registration form", e_form=True),
            doc("Giấy tờ về quyền sử dụng đất (nếu có)", "Papers on the land use right", reusable=True, optional=True),
            doc("Sơ đồ nhà ở, công trình xây dựng (nếu có)", "Sketch of the buildings", optional=True),
            ID_DOC,
        ],
        steps=chain(
            WD,
            [
                (*RECEIVE, 1),
                (*EXAMINE, 5),
                (
                    "do_dac_cap_nhat",
                    "Trích đo, kiểm tra hồ sơ địa chính",
                    "Survey and cadastral check",
                    f"other_agency:{LAND_OFFICE}",
                    6,
                ),
                (*_TAX_STEP, 3),
                (*APPROVE, 3),
                (*RETURN, 1),
            ],
        ),
        legal=_LAND_LAW,
        decision=QD_LAND,
        result="Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
    ),
    proc(
        "1.019906",
        "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do chuyển "
        "nhượng, thừa kế, tặng cho",
        "Land transfer registration (sale, inheritance, gift)",
        field="DATDAI",
        levels=AT_PROVINCE,
        agency=SNNMT,
        limit=(10, WD),
        online="full",
        eligible=True,  # approx
        fees=[
            fee(
                "Lệ phí cấp Giấy chứng nhận",
                "Certificate fee",
                50_000,  # approx
                "Theo Nghị quyết HĐND tỉnh",
            )
        ],
        components=[
            doc("Đơn đăng ký biến động đất đai, tài sản gắn liền với đất", "Land change form", e_form=True),
            doc(
                "Hợp đồng, văn bản chuyển nhượng, tặng cho, thừa kế đã công chứng / chứng thực",
                "Notarised transfer contract or inheritance paper",
                original=True,
            ),
            doc("Giấy chứng nhận đã cấp", "The land certificate", original=True, reusable=True),
            doc("Tờ khai thuế thu nhập cá nhân, lệ phí trước bạ", "Tax declarations", e_form=True),
        ],
        steps=chain(
            WD,
            [
                (*RECEIVE, 1),
                (*EXAMINE, 3),
                (*_TAX_STEP, 3),
                (
                    "chinh_ly",
                    "Chỉnh lý hồ sơ địa chính, cơ sở dữ liệu đất đai",
                    "Update the cadastral records",
                    "specialist",
                    1,
                ),
                (*APPROVE, 1),
                (*RETURN, 1),
            ],
        ),
        legal=_LAND_LAW,
        decision=QD_LAND,
        result="Giấy chứng nhận đã chỉnh lý hoặc Giấy chứng nhận mới",
    ),
    proc(
        "1.019907",
        "Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
        "Exchange of a land certificate",
        field="DATDAI",
        levels=AT_PROVINCE,
        agency=SNNMT,
        limit=(7, WD),  # approx
        online="full",
        eligible=True,
        fees=[fee("Lệ phí cấp đổi Giấy chứng nhận", "Fee", 50_000)],  # approx
        components=[
            doc("Đơn đề nghị cấp đổi", "Request", e_form=True),
            doc("Giấy chứng nhận đã cấp", "The land certificate", original=True, reusable=True),
        ],
        steps=std(WH, 4, 36, 12, 4),
        legal=_LAND_LAW,
        decision=QD_LAND,
        result="Giấy chứng nhận (cấp đổi)",
    ),
]

# --- Social protection (commune; Ministry of Health since 2025) ---------------------------------
_SOCIAL_LAW = "Luật Người cao tuổi 2009; Luật Người khuyết tật 2010; Nghị định 20/2021/NĐ-CP (sửa đổi 2024)"
_SOCIAL_FORM = doc("Tờ khai đề nghị", "Application form", e_form=True)
SOCIAL: list[Procedure] = [
    proc(
        "1.001776",
        "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng",
        "Monthly social allowance (grant, change, stop)",
        field="BTXH",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(15, WD),
        online="full",
        eligible=True,  # approx
        components=[
            _SOCIAL_FORM,
            doc(
                "Giấy xác nhận khuyết tật (nếu có)",
                "Disability certificate (if any)",
                reusable=True,
                when=("thuoc_doi_tuong", ["Người khuyết tật nặng, đặc biệt nặng"]),
            ),
            ID_DOC,
        ],
        steps=chain(
            WD,
            [
                (*RECEIVE, 1),
                ("xet_duyet", "Xét duyệt, niêm yết công khai", "Review and public posting", "specialist", 9),
                (*APPROVE, 3),
                (*RETURN, 1),
            ],
        ),
        legal=_SOCIAL_LAW,
        decision=QD_SOCIAL,
        result="Quyết định trợ cấp xã hội hằng tháng",
    ),
    proc(
        "1.001731",
        "Hỗ trợ chi phí mai táng đối với đối tượng bảo trợ xã hội",
        "Funeral allowance",
        field="BTXH",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(3, WD),
        online="full",
        eligible=True,  # approx
        components=[_SOCIAL_FORM, doc("Trích lục khai tử", "Death extract", reusable=True)],
        steps=std(WH, 2, 14, 6, 2),
        legal=_SOCIAL_LAW,
        decision=QD_SOCIAL,
        result="Quyết định hỗ trợ chi phí mai táng",
    ),
    proc(
        "1.014027",
        "Hưởng trợ cấp hưu trí xã hội",
        "Social pension",
        field="BTXH",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(10, WD),
        online="full",
        eligible=True,  # approx
        components=[_SOCIAL_FORM, ID_DOC],
        steps=std(WH, 4, 56, 16, 4),
        legal="Luật Bảo hiểm xã hội 2024; Nghị định 176/2025/NĐ-CP",
        decision=QD_SOCIAL,
        result="Quyết định hưởng trợ cấp hưu trí xã hội",
    ),
    proc(
        "1.014028",
        "Hỗ trợ chi phí mai táng khi người hưởng trợ cấp hưu trí xã hội chết",
        "Funeral allowance for a social pensioner",
        field="BTXH",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(3, WD),
        online="full",
        eligible=True,  # approx
        components=[_SOCIAL_FORM, doc("Trích lục khai tử", "Death extract", reusable=True)],
        steps=std(WH, 2, 14, 6, 2),
        legal="Luật Bảo hiểm xã hội 2024; Nghị định 176/2025/NĐ-CP",
        decision=QD_SOCIAL,
        result="Quyết định hỗ trợ chi phí mai táng",
    ),
    proc(
        "1.001699",
        "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật",
        "Assessment of disability and disability certificate",
        field="BTXH",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(25, WD),  # approx
        components=[
            _SOCIAL_FORM,
            doc("Hồ sơ bệnh án, giấy tờ khám chữa bệnh (nếu có)", "Medical records", optional=True),
            ID_DOC,
        ],
        steps=chain(
            WD,
            [
                (*RECEIVE, 1),
                (
                    "hoi_dong",
                    "Hội đồng xác định mức độ khuyết tật đánh giá",
                    "Disability assessment board",
                    "specialist",
                    18,
                ),
                (*APPROVE, 3),
                (*RETURN, 1),
            ],
        ),
        legal="Luật Người khuyết tật 2010; Nghị định 28/2012/NĐ-CP",
        decision=QD_SOCIAL,
        result="Giấy xác nhận khuyết tật",
    ),
]

# --- Other fields ----------------------------------------------------------------------------
OTHERS: list[Procedure] = [
    proc(
        "1.010803",
        "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ",
        "Allowance for worshipping a martyr",
        field="NGUOICOCONG",
        levels=["province", "commune"],
        agency=SNV,
        limit=(12, WD),  # approx
        components=[
            doc("Đơn đề nghị", "Application", e_form=True),
            doc("Bằng Tổ quốc ghi công", "Martyr certificate", reusable=True),
            ID_DOC,
        ],
        steps=std(WD, 1, 7, 3, 1),
        legal="Pháp lệnh Ưu đãi người có công 2020; Nghị định 131/2021/NĐ-CP",
        decision=QD_SOCIAL,
        result="Quyết định trợ cấp thờ cúng liệt sĩ",
    ),
    proc(
        "2.002307",
        "Giải quyết mai táng phí đối với cựu chiến binh",
        "Funeral allowance for a veteran",
        field="NGUOICOCONG",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(5, WD),  # approx
        components=[
            doc("Đơn đề nghị", "Application", e_form=True),
            doc("Trích lục khai tử", "Death extract", reusable=True),
        ],
        steps=std(WH, 2, 28, 8, 2),
        legal="Nghị định 157/2016/NĐ-CP",  # approx: the legal basis is not confirmed
        decision=QD_SOCIAL,
        result="Quyết định hưởng mai táng phí",
    ),
    proc(
        "1.004889",
        "Công nhận bằng tốt nghiệp trung học cơ sở, trung học phổ thông, giấy chứng nhận hoàn "
        "thành chương trình giáo dục phổ thông do cơ sở giáo dục nước ngoài cấp để sử dụng tại Việt Nam",
        "Recognition of foreign secondary school diplomas",
        field="GIAODUC",
        levels=AT_PROVINCE,
        agency=SGD,
        limit=(20, WD),
        online="full",
        eligible=True,  # approx
        components=[
            doc("Đơn đề nghị công nhận văn bằng", "Application", e_form=True),
            doc("Bản sao văn bằng, kết quả học tập (hợp pháp hóa lãnh sự)", "Copies of diploma"),
            ID_DOC,
        ],
        steps=std(WD, 1, 14, 4, 1),
        legal="Luật Giáo dục 2019",
        decision=QD_OTHER,
        result="Văn bản công nhận văn bằng",
    ),
    proc(
        "2.002894",
        "Cho phép trường mầm non hoạt động giáo dục",
        "Licence for a preschool to operate",
        field="GIAODUC",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(20, WD),
        subjects=["organisation"],  # approx
        components=[
            doc("Tờ trình đề nghị cho phép hoạt động giáo dục", "Application", e_form=True),
            doc("Quyết định thành lập hoặc cho phép thành lập", "Establishment decision", reusable=True),
            doc("Danh sách đội ngũ giáo viên", "Staff list"),
        ],
        steps=chain(
            WD,
            [
                (*RECEIVE, 1),
                (
                    "kiem_tra_thuc_te",
                    "Thẩm định hồ sơ, kiểm tra thực tế",
                    "Examine the dossier, inspect the school",
                    "specialist",
                    14,
                ),
                (*APPROVE, 4),
                (*RETURN, 1),
            ],
        ),
        legal="Luật Giáo dục 2019; Nghị định 125/2024/NĐ-CP",
        decision=QD_OTHER,
        result="Quyết định cho phép hoạt động giáo dục",
    ),
    proc(
        "1.019908",
        "Cấp giấy phép hành nghề khám bệnh, chữa bệnh đối với chức danh bác sĩ",
        "Practising licence for a physician",
        field="YTE",
        levels=AT_PROVINCE,
        agency=SYT,
        limit=(20, WD),  # approx
        fees=[
            fee(
                "Phí thẩm định cấp giấy phép hành nghề",
                "Examination fee",
                430_000,  # approx
                "Theo Thông tư của Bộ Tài chính",
            )
        ],
        components=[
            doc("Đơn đề nghị cấp giấy phép hành nghề", "Application", e_form=True),
            doc("Văn bằng chuyên môn", "Medical degree", reusable=True),
            doc("Giấy chứng nhận đủ sức khỏe hành nghề", "Health certificate"),
            ID_DOC,
        ],
        steps=std(WD, 1, 14, 4, 1),
        legal="Luật Khám bệnh, chữa bệnh 2023; Nghị định 96/2023/NĐ-CP",
        decision=QD_OTHER,
        result="Giấy phép hành nghề khám bệnh, chữa bệnh",
    ),
    proc(
        "1.019909",
        "Đăng ký môi trường",
        "Environmental registration",
        field="MOITRUONG",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(5, WD),
        online="full",
        eligible=True,
        paper=False,  # approx
        subjects=["business", "organisation", "citizen"],
        components=[doc("Phiếu đăng ký môi trường", "Environmental registration form", e_form=True)],
        steps=std(WH, 2, 28, 8, 2),
        legal="Luật Bảo vệ môi trường 2020; Nghị định 08/2022/NĐ-CP",
        decision=QD_LAND,
        result="Xác nhận tiếp nhận đăng ký môi trường",
    ),
    proc(
        "1.019910",
        "Đăng ký thuế lần đầu đối với cá nhân kinh doanh",
        "First tax registration of a trader",
        field="THUE",
        levels=AT_PROVINCE,
        agency=TAX,
        limit=(3, WD),
        online="full",
        eligible=True,
        paper=False,
        subjects=["citizen", "business"],
        components=[doc("Tờ khai đăng ký thuế", "Tax registration form", e_form=True), ID_DOC],
        steps=std(WH, 2, 14, 6, 2),
        legal="Luật Quản lý thuế 2019; Thông tư 86/2024/TT-BTC",
        decision=QD_TAX,
        result="Thông báo mã số thuế / xác nhận đăng ký thuế",
    ),
    proc(
        "2.000181",
        "Cấp Giấy phép bán lẻ sản phẩm thuốc lá",
        "Tobacco retail licence",
        field="THUONGMAI",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(15, WD),
        subjects=["citizen", "business"],  # approx
        fees=[
            fee(
                "Phí thẩm định cấp giấy phép bán lẻ sản phẩm thuốc lá",
                "Examination fee",
                200_000,  # approx
                "Khu vực khác; 400.000 đồng tại thành phố (Thông tư 168/2016/TT-BTC, cần kiểm tra)",
            )
        ],
        components=[
            doc("Đơn đề nghị cấp Giấy phép", "Application", e_form=True),
            doc("Giấy chứng nhận đăng ký hộ kinh doanh / doanh nghiệp", "Business certificate", reusable=True),
            doc("Văn bản giới thiệu của thương nhân cung cấp", "Supplier's letter"),
        ],
        steps=std(WD, 1, 10, 3, 1),
        legal="Luật Phòng, chống tác hại của thuốc lá 2012; Nghị định 67/2013/NĐ-CP",
        decision=QD_OTHER,
        result="Giấy phép bán lẻ sản phẩm thuốc lá",
    ),
    proc(
        "1.019911",
        "Đăng ký hoạt động tín ngưỡng",
        "Registration of belief activities",
        field="TONGIAO",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(15, CD),
        subjects=["organisation", "citizen"],
        components=[doc("Văn bản đăng ký hoạt động tín ngưỡng", "Registration letter", e_form=True)],
        steps=std(CD, 1, 9, 4, 1),
        legal="Luật Tín ngưỡng, tôn giáo 2016",
        decision=QD_OTHER,
        result="Văn bản trả lời của Ủy ban nhân dân xã",
    ),
    proc(
        "2.002409",
        "Giải quyết khiếu nại lần đầu tại cấp xã",
        "First-instance complaint at commune level",
        field="KHIEUNAI",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(30, CD),  # Luật Khiếu nại 2011 Art. 28: ≤30 days from acceptance, 45 if complex
        subjects=["citizen", "business", "organisation"],
        components=[
            doc("Đơn khiếu nại", "Complaint", e_form=True),
            doc("Tài liệu, chứng cứ kèm theo (nếu có)", "Supporting evidence", optional=True),
        ],
        steps=chain(
            CD,
            [
                (*RECEIVE, 1),
                (
                    "xac_minh",
                    "Xác minh nội dung khiếu nại, đối thoại",
                    "Verify the complaint, hold a dialogue",
                    "specialist",
                    20,
                ),
                ("quyet_dinh", "Ban hành quyết định giải quyết khiếu nại", "Issue the decision", "leader", 7),
                (*RETURN, 2),
            ],
        ),
        legal="Luật Khiếu nại 2011; Nghị định 124/2020/NĐ-CP",
        decision=QD_OTHER,
        result="Quyết định giải quyết khiếu nại lần đầu",
    ),
]


SECTOR_PROCEDURES: list[Procedure] = ENTERPRISES + HOUSEHOLD_BUSINESS + CONSTRUCTION + LAND + SOCIAL + OTHERS
