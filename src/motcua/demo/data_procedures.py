"""Demo procedure catalogue for the FICTIONAL province "Tỉnh Minh Hòa" (H99): types, helpers and
the procedures for people (civil status, Decree 63/2024 linked groups, residence, judicial
records, certification, justice department). Sector procedures are in
:mod:`motcua.demo.data_procedures_sectors`, which reuses the helpers below.

Procedure codes are the national procedure database codes (``d.dddddd``) where a public source
confirmed them (see ``VERIFIED_CODE_SOURCES`` in :mod:`motcua.demo.data`); the others are
placeholders in the ``1.0199xx`` range, listed in ``UNVERIFIED_CODES``, to be replaced by the
real codes. Names, time limits and fees follow the national rules where known; every value
marked ``# approx`` is an approximation (fees set by a provincial People's Council resolution
differ between provinces). Publishing decisions (QĐ công bố) are invented.

Internal process graphs (``steps``): the first step is the entry; ``next`` lists the following
steps (several = branches or parallel work at other agencies, actor ``other_agency:<code>``).
Every path's budget fits the legal time limit (a working day counts as 8 working hours); a budget
of 0 means "at once, same step". Re-exported by :mod:`motcua.demo.data`.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

from .data_eforms import E_FORM_SCHEMAS

TimeUnit = Literal["working_days", "working_hours", "calendar_days"]
OnlineLevel = Literal["none", "partial", "full"]
WD: TimeUnit = "working_days"
WH: TimeUnit = "working_hours"
CD: TimeUnit = "calendar_days"

# Agency codes used below (see data_agencies.py). "COMMUNE" = settled by the People's
# Committee of the commune where the dossier is filed.
COMMUNE = "COMMUNE"
STP, SXD, SNNMT, STC, SNV, SYT, SGD = "H99.11", "H99.12", "H99.13", "H99.14", "H99.15", "H99.16", "H99.17"
LAND_OFFICE = "H99.13.02"  # Văn phòng Đăng ký đất đai
POLICE, TAX, BHXH = "H99.31", "H99.32", "H99.33"


class Budget(TypedDict):
    amount: int
    unit: TimeUnit


class Fee(TypedDict):
    name_vi: str
    name_en: str
    amount_vnd: int
    note_vi: str


class Component(TypedDict):
    name_vi: str
    name_en: str
    copies: int
    original_required: bool
    reusable: bool  # may be taken from earlier results / the citizen's data warehouse
    e_form: bool
    requirement: Literal["mandatory", "optional", "conditional"]
    #: A conditional paper: (top-level field of the procedure's e-form, answers that make it mandatory).
    condition: tuple[str, list[Any]] | None


class Step(TypedDict):
    key: str
    name_vi: str
    name_en: str
    actor: str  # reception | specialist | leader | other_agency:<agency code>
    budget: Budget
    next: list[str]


class PublishingDecision(TypedDict):
    number: str
    date: str
    effective: str


class Procedure(TypedDict):
    code: str
    name_vi: str
    name_en: str
    field_code: str
    levels: list[str]
    competent_agency_code: str
    time_limit: Budget
    cutoff: str | None
    fees: list[Fee]
    components: list[Component]
    online_level: OnlineLevel
    eligible_full_online: bool
    requires_paper_result: bool
    postal_allowed: bool
    subjects: list[str]
    legal_basis_vi: str
    publishing_decision: PublishingDecision
    result_vi: str
    steps: list[Step]
    e_form_schema: dict[str, Any] | None
    linked_procedure_codes: list[str]  # procedures bundled by an inter-agency group


def _decision(number: str, date: str, effective: str = "2025-07-01") -> PublishingDecision:
    return {"number": number, "date": date, "effective": effective}


# Invented publishing decisions. Indicator 1.1 of Decision 766/QĐ-TTg counts a provincial
# publication on time when decided ≥5 working days before the legal basis takes effect:
# 24/6/2025 is on time for 1/7/2025, 26/6 and 30/6 are late (kept late on purpose).
QD_JUSTICE = _decision("1502/QĐ-UBND", "2025-06-24")
QD_LINKED = _decision("1490/QĐ-UBND", "2025-06-20")
QD_POLICE = _decision("4650/QĐ-BCA", "2025-06-23")
QD_FINANCE = _decision("1611/QĐ-UBND", "2025-06-30")
QD_CONSTRUCTION = _decision("1498/QĐ-UBND", "2025-06-23")
QD_LAND = _decision("1555/QĐ-UBND", "2025-06-26")
QD_SOCIAL = _decision("1580/QĐ-UBND", "2025-06-24")
QD_OTHER = _decision("1602/QĐ-UBND", "2025-06-24")
QD_TAX = _decision("2105/QĐ-BTC", "2025-06-20")


def _b(amount: int, unit: TimeUnit) -> Budget:
    return {"amount": amount, "unit": unit}


def fee(name_vi: str, name_en: str, amount_vnd: int, note_vi: str = "") -> Fee:
    return {"name_vi": name_vi, "name_en": name_en, "amount_vnd": amount_vnd, "note_vi": note_vi}


def doc(
    name_vi: str,
    name_en: str,
    *,
    copies: int = 1,
    original: bool = False,
    reusable: bool = False,
    e_form: bool = False,
    optional: bool = False,
    when: tuple[str, list[Any]] | None = None,
) -> Component:
    """A paper of a procedure: mandatory; `optional`; or, with `when` = (e-form field, answers),
    mandatory only when the applicant answers that field with one of the answers."""
    return {
        "name_vi": name_vi,
        "name_en": name_en,
        "copies": copies,
        "original_required": original,
        "reusable": reusable,
        "e_form": e_form,
        "requirement": "conditional" if when else "optional" if optional else "mandatory",
        "condition": when,
    }


def step(key: str, name_vi: str, name_en: str, actor: str, amount: int, unit: TimeUnit, nxt: list[str]) -> Step:
    return {"key": key, "name_vi": name_vi, "name_en": name_en, "actor": actor, "budget": _b(amount, unit), "next": nxt}


def chain(unit: TimeUnit, rows: list[tuple[str, str, str, str, int]]) -> list[Step]:
    """A linear process: each row is (key, name_vi, name_en, actor, budget)."""
    keys = [row[0] for row in rows]
    return [
        step(k, vi, en, actor, amount, unit, keys[i + 1 : i + 2]) for i, (k, vi, en, actor, amount) in enumerate(rows)
    ]


RECEIVE = ("tiep_nhan", "Tiếp nhận, kiểm tra, số hóa hồ sơ", "Receive, check and digitise the dossier", "reception")
EXAMINE = ("tham_dinh", "Thẩm định hồ sơ, dự thảo kết quả", "Examine the dossier, draft the result", "specialist")
APPROVE = ("phe_duyet", "Lãnh đạo xem xét, ký duyệt", "Leader reviews and signs", "leader")
RETURN = ("tra_ket_qua", "Trả kết quả, lưu hồ sơ", "Return the result, file the dossier", "reception")


def std(unit: TimeUnit, receive: int, examine: int, approve: int, ret: int) -> list[Step]:
    """The usual four steps: reception, specialist, leader, return."""
    return chain(unit, [(*RECEIVE, receive), (*EXAMINE, examine), (*APPROVE, approve), (*RETURN, ret)])


def proc(
    code: str,
    name_vi: str,
    name_en: str,
    *,
    field: str,
    levels: list[str],
    agency: str,
    limit: tuple[int, TimeUnit],
    steps: list[Step],
    components: list[Component],
    legal: str,
    result: str,
    decision: PublishingDecision,
    fees: list[Fee] | None = None,
    cutoff: str | None = None,
    online: OnlineLevel = "partial",
    eligible: bool = False,
    paper: bool = True,
    postal: bool = True,
    subjects: list[str] | None = None,
    linked: list[str] | None = None,
) -> Procedure:
    return {
        "code": code,
        "name_vi": name_vi,
        "name_en": name_en,
        "field_code": field,
        "levels": levels,
        "competent_agency_code": agency,
        "time_limit": _b(*limit),
        "cutoff": cutoff,
        "fees": fees or [],
        "components": components,
        "online_level": online,
        "eligible_full_online": eligible,
        "requires_paper_result": paper,
        "postal_allowed": postal,
        "subjects": subjects or ["citizen"],
        "legal_basis_vi": legal,
        "publishing_decision": decision,
        "result_vi": result,
        "steps": steps,
        "e_form_schema": E_FORM_SCHEMAS.get(code),
        "linked_procedure_codes": linked or [],
    }


ID_DOC = doc(
    "Giấy tờ tùy thân của người yêu cầu (thẻ Căn cước hoặc tài khoản định danh điện tử)",
    "Applicant's identity document (ID card or electronic identity account)",
    original=True,
    reusable=True,
)
#: Mandatory only when the e-form says the dossier is filed on someone's behalf (`nop_thay`).
PROXY_DOC = doc(
    "Văn bản ủy quyền (nếu nộp thay)", "Power of attorney (if filed on someone's behalf)", when=("nop_thay", [True])
)
AT_COMMUNE = ["commune"]
AT_PROVINCE = ["province"]

# --- Civil status (Hộ tịch), commune level ------------------------------------------------------
_CIVIL_LAW = "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP; Thông tư 04/2020/TT-BTP"
# Same-day civil status acts: a dossier received after 15:00 that cannot be settled at once is
# returned the next working day (Nghị định 123/2015/NĐ-CP), modelled as one working day (8 h).
CIVIL_STATUS: list[Procedure] = [
    proc(
        "1.001193",
        "Đăng ký khai sinh",
        "Birth registration",
        field="HOTICH",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(8, WH),
        cutoff="15:00",
        online="full",
        eligible=True,
        components=[
            doc("Tờ khai đăng ký khai sinh", "Birth registration declaration", e_form=True),
            doc(
                "Giấy chứng sinh (hoặc văn bản thay thế)",
                "Birth certificate issued by the hospital",
                original=True,
                reusable=True,
            ),
            ID_DOC,
            PROXY_DOC,
        ],
        steps=std(WH, 1, 4, 2, 1),
        legal=_CIVIL_LAW,
        decision=QD_JUSTICE,
        result="Giấy khai sinh (bản chính), bản sao Giấy khai sinh nếu có yêu cầu",
    ),
    proc(
        "1.000894",
        "Đăng ký kết hôn",
        "Marriage registration",
        field="HOTICH",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(8, WH),
        cutoff="15:00",
        postal=False,  # both parties sign in person; ≤5 working days if verified
        components=[
            doc("Tờ khai đăng ký kết hôn", "Marriage registration declaration", e_form=True),
            doc(
                "Giấy xác nhận tình trạng hôn nhân (khi đăng ký ở nơi không thường trú)",
                "Marital status certificate (when registering away from home)",
                original=True,
                reusable=True,
            ),
            ID_DOC,
        ],
        steps=std(WH, 1, 4, 2, 1),
        legal=_CIVIL_LAW,
        decision=QD_JUSTICE,
        result="Giấy chứng nhận kết hôn",
    ),
    proc(
        "1.000656",
        "Đăng ký khai tử",
        "Death registration",
        field="HOTICH",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(8, WH),
        cutoff="15:00",
        online="full",
        eligible=True,
        components=[
            doc("Tờ khai đăng ký khai tử", "Death registration declaration", e_form=True),
            doc("Giấy báo tử hoặc giấy tờ thay thế", "Death notice or substitute paper", original=True, reusable=True),
            ID_DOC,
            PROXY_DOC,
        ],
        steps=std(WH, 1, 4, 2, 1),
        legal=_CIVIL_LAW,
        decision=QD_JUSTICE,
        result="Trích lục khai tử",
    ),
    proc(
        "1.004873",
        "Cấp Giấy xác nhận tình trạng hôn nhân",
        "Certificate of marital status",
        field="HOTICH",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(3, WD),
        online="full",
        eligible=True,
        fees=[
            fee(
                "Lệ phí cấp Giấy xác nhận tình trạng hôn nhân",
                "Fee",
                10_000,  # approx
                "Theo Nghị quyết HĐND tỉnh",
            )
        ],
        components=[
            doc("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "Request form", e_form=True),
            ID_DOC,
            doc(
                "Giấy tờ chứng minh việc ly hôn / vợ hoặc chồng đã chết (nếu có)",
                "Proof of divorce or death of spouse (if any)",
                reusable=True,
                when=("tinh_trang_hon_nhan", ["Đã ly hôn, chưa kết hôn lại", "Vợ/chồng đã chết"]),
            ),
        ],
        steps=std(WH, 2, 14, 6, 2),
        legal=_CIVIL_LAW,
        decision=QD_JUSTICE,
        result="Giấy xác nhận tình trạng hôn nhân",
    ),
    proc(
        "2.000635",
        "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh",
        "Copy of a civil status extract or birth certificate",
        field="HOTICH",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(8, WH),
        cutoff="15:00",
        online="full",
        eligible=True,
        fees=[
            fee("Phí cấp bản sao trích lục hộ tịch", "Fee per copy", 8_000, "8.000 đồng/bản (Thông tư 281/2016/TT-BTC)")
        ],
        components=[doc("Tờ khai cấp bản sao trích lục hộ tịch", "Request form", e_form=True), ID_DOC, PROXY_DOC],
        steps=std(WH, 1, 5, 1, 1),
        legal=_CIVIL_LAW + "; Thông tư 281/2016/TT-BTC",
        decision=QD_JUSTICE,
        result="Bản sao trích lục hộ tịch / bản sao Giấy khai sinh",
    ),
    proc(
        "1.004884",
        "Đăng ký lại khai sinh",
        "Re-registration of a birth",
        field="HOTICH",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(5, WD),  # +5 working days when verification is needed
        fees=[fee("Lệ phí đăng ký lại khai sinh", "Fee", 5_000, "Theo Nghị quyết HĐND tỉnh")],  # approx
        components=[
            doc("Tờ khai đăng ký lại khai sinh", "Declaration", e_form=True),
            doc("Bản sao giấy tờ làm căn cứ (học bạ, hồ sơ cán bộ...)", "Supporting copies", copies=1),
            ID_DOC,
        ],
        steps=std(WH, 2, 28, 8, 2),
        legal=_CIVIL_LAW,
        decision=QD_JUSTICE,
        result="Giấy khai sinh (đăng ký lại)",
    ),
    proc(
        "1.000689",
        "Đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con",
        "Birth registration combined with recognition of parenthood",
        field="HOTICH",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(3, WD),
        components=[
            doc("Tờ khai đăng ký khai sinh và nhận cha, mẹ, con", "Combined declaration", e_form=True),
            doc("Giấy chứng sinh", "Birth certificate issued by the hospital", original=True, reusable=True),
            doc("Chứng cứ chứng minh quan hệ cha, mẹ, con", "Evidence of parenthood", original=True),
            ID_DOC,
        ],
        steps=std(WH, 2, 14, 6, 2),
        legal=_CIVIL_LAW,
        decision=QD_JUSTICE,
        result="Giấy khai sinh; Trích lục đăng ký nhận cha, mẹ, con",
    ),
    proc(
        "1.001022",
        "Đăng ký nhận cha, mẹ, con",
        "Recognition of parenthood",
        field="HOTICH",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(3, WD),
        postal=False,  # both parties must be present
        components=[
            doc("Tờ khai đăng ký nhận cha, mẹ, con", "Declaration", e_form=True),
            doc("Chứng cứ chứng minh quan hệ cha, mẹ, con", "Evidence of parenthood", original=True),
            ID_DOC,
        ],
        steps=std(WH, 2, 14, 6, 2),
        legal=_CIVIL_LAW,
        decision=QD_JUSTICE,
        result="Trích lục đăng ký nhận cha, mẹ, con",
    ),
    proc(
        "2.000806",
        "Đăng ký kết hôn có yếu tố nước ngoài",
        "Marriage registration with a foreign element",
        field="HOTICH",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(15, CD),  # Luật Hộ tịch 2014 Art. 38: 15 days
        fees=[
            fee(
                "Lệ phí đăng ký kết hôn có yếu tố nước ngoài",
                "Fee",
                1_000_000,  # approx
                "Theo Nghị quyết HĐND tỉnh",
            )
        ],
        postal=False,
        components=[
            doc("Tờ khai đăng ký kết hôn", "Marriage declaration", e_form=True),
            doc(
                "Giấy xác nhận tình trạng hôn nhân của người nước ngoài (hợp pháp hóa lãnh sự)",
                "Foreign party's marital status certificate (legalised)",
                original=True,
            ),
            doc("Giấy xác nhận của tổ chức y tế về khả năng nhận thức", "Medical certificate", original=True),
            doc("Bản sao hộ chiếu của người nước ngoài", "Copy of the foreign party's passport"),
            ID_DOC,
        ],
        steps=[
            step("tiep_nhan", *RECEIVE[1:], 1, CD, ["tham_dinh"]),
            step("tham_dinh", *EXAMINE[1:], 6, CD, ["xac_minh", "phe_duyet"]),
            step(
                "xac_minh",
                "Xác minh nhân thân (khi cần)",
                "Identity verification (when needed)",
                f"other_agency:{POLICE}",
                5,
                CD,
                ["phe_duyet"],
            ),
            step("phe_duyet", *APPROVE[1:], 2, CD, ["tra_ket_qua"]),
            step("tra_ket_qua", *RETURN[1:], 1, CD, []),
        ],
        legal=_CIVIL_LAW,
        decision=QD_JUSTICE,
        result="Giấy chứng nhận kết hôn",
    ),
]

# --- Decree 63/2024/NĐ-CP inter-agency groups ------------------------------------------------
_LINKED_LAW = "Nghị định 63/2024/NĐ-CP; Luật Hộ tịch 2014; Luật Cư trú 2020; Luật Bảo hiểm y tế"
LINKED: list[Procedure] = [
    # Group 1: ≤3 working days from a complete dossier (≤5 with verification); received after
    # 15:00 counts from the next working day (Decree 63/2024 Art. 7.2). Birth the same working
    # day, then residence and health insurance card in parallel, ≤2 working days each.
    proc(
        "3.000722",
        "Liên thông điện tử: đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế, "
        "cấp thẻ căn cước cho trẻ em dưới 6 tuổi",
        "Linked e-service: birth, permanent residence, health insurance card and ID card for under-6s",
        field="LIENTHONG",
        levels=["province", "commune"],
        agency=COMMUNE,
        limit=(3, WD),
        cutoff="15:00",
        online="full",
        eligible=True,
        linked=["1.001193", "1.004222"],
        components=[
            doc("Tờ khai điện tử liên thông (Mẫu số 01)", "Linked e-declaration (Form 01)", e_form=True),
            doc("Dữ liệu Giấy chứng sinh điện tử", "Electronic hospital birth certificate data", reusable=True),
            doc(
                "Giấy tờ chứng minh chỗ ở hợp pháp (nếu trẻ đăng ký thường trú khác nơi cha, mẹ)",
                "Proof of lawful residence (if the child registers elsewhere)",
                reusable=True,
            ),
        ],
        steps=[
            step(
                "tiep_nhan",
                "Tiếp nhận hồ sơ liên thông từ Cổng DVCQG",
                "Receive the linked dossier",
                "reception",
                1,
                WH,
                ["khai_sinh"],
            ),
            step(
                "khai_sinh",
                "Đăng ký khai sinh, cấp số định danh",
                "Register the birth, issue the personal ID",
                "specialist",
                7,
                WH,
                ["thuong_tru", "bhyt", "can_cuoc"],
            ),
            step(
                "thuong_tru",
                "Đăng ký thường trú",
                "Permanent residence",
                f"other_agency:{POLICE}",
                16,
                WH,
                ["tra_ket_qua"],
            ),
            step(
                "bhyt",
                "Cấp thẻ bảo hiểm y tế",
                "Health insurance card",
                f"other_agency:{BHXH}",
                16,
                WH,
                ["tra_ket_qua"],
            ),
            step(
                "can_cuoc",
                "Cấp thẻ căn cước (nếu có yêu cầu)",
                "ID card (on request)",
                f"other_agency:{POLICE}",
                16,
                WH,
                ["tra_ket_qua"],
            ),
            step(
                "tra_ket_qua",
                "Trả kết quả điện tử, gửi bản giấy",
                "Return e-results, send paper copies",
                "reception",
                0,
                WH,
                [],
            ),
        ],
        legal=_LINKED_LAW + "; Luật Căn cước 2023",
        decision=QD_LINKED,
        result="Giấy khai sinh; xác nhận thường trú; thẻ BHYT; thẻ căn cước",
    ),
    # Group 2: death the same day, residence removal the same day; total ≤9 working days for
    # social-insurance beneficiaries (≤6 social protection, 11 if ≥80 on a survivor allowance,
    # 18 people with merit). Modelled with the 9-day case; the 15:00 cut-off is assumed as in group 1.
    proc(
        "2.002913",
        "Liên thông điện tử: đăng ký khai tử, xóa đăng ký thường trú, giải quyết mai táng phí, tử tuất",
        "Linked e-service: death, removal of residence, funeral and survivor benefits",
        field="LIENTHONG",
        levels=["province", "commune"],
        agency=COMMUNE,
        limit=(9, WD),
        cutoff="15:00",
        online="full",
        eligible=True,
        linked=["1.000656", "1.003197", "1.001731"],
        components=[
            doc("Tờ khai điện tử liên thông", "Linked e-declaration", e_form=True),
            doc("Giấy báo tử hoặc giấy tờ thay thế", "Death notice", original=True, reusable=True),
            doc(
                "Giấy tờ chứng minh là thân nhân được hưởng chế độ tử tuất (nếu có)",
                "Proof of entitlement to survivor benefits (if any)",
                reusable=True,
                when=("che_do", ["Trợ cấp tuất một lần", "Trợ cấp tuất hằng tháng"]),
            ),
        ],
        steps=[
            step(
                "tiep_nhan", "Tiếp nhận hồ sơ liên thông", "Receive the linked dossier", "reception", 1, WH, ["khai_tu"]
            ),
            step(
                "khai_tu",
                "Đăng ký khai tử",
                "Register the death",
                "specialist",
                7,
                WH,
                ["xoa_thuong_tru", "mai_tang_tu_tuat"],
            ),
            step(
                "xoa_thuong_tru",
                "Xóa đăng ký thường trú",
                "Remove permanent residence",
                f"other_agency:{POLICE}",
                8,
                WH,
                ["tra_ket_qua"],
            ),
            step(
                "mai_tang_tu_tuat",
                "Giải quyết mai táng phí, trợ cấp tử tuất",
                "Funeral and survivor benefits",
                f"other_agency:{BHXH}",
                56,
                WH,
                ["tra_ket_qua"],
            ),
            step("tra_ket_qua", "Trả kết quả", "Return the results", "reception", 0, WH, []),
        ],
        legal=_LINKED_LAW + "; Luật Bảo hiểm xã hội 2024",
        decision=QD_LINKED,
        result="Trích lục khai tử; thông báo xóa thường trú; quyết định hưởng mai táng phí, tử tuất",
    ),
]

# --- Residence (Cư trú): commune police, units of the provincial police --------------------
_RESIDENCE_LAW = "Luật Cư trú 2020; Nghị định 154/2024/NĐ-CP; Thông tư 55/2021/TT-BCA; Thông tư 75/2022/TT-BTC"
_CT01 = doc("Tờ khai thay đổi thông tin cư trú (CT01)", "Residence change declaration (CT01)", e_form=True)
_HOME = doc("Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp", "Proof of a lawful place of residence", reusable=True)
RESIDENCE: list[Procedure] = [
    proc(
        "1.004222",
        "Đăng ký thường trú",
        "Permanent residence registration",
        field="CUTRU",
        levels=AT_COMMUNE,
        agency=POLICE,
        limit=(7, WD),
        online="full",
        eligible=True,
        paper=False,
        fees=[
            fee("Lệ phí đăng ký cư trú (nộp trực tiếp)", "Fee, at the counter", 20_000),
            fee(
                "Lệ phí đăng ký cư trú (nộp trực tuyến)",
                "Fee, online",
                10_000,
                "Chỉ thu một trong hai mức, theo kênh nộp",
            ),
        ],
        components=[
            _CT01,
            _HOME,
            doc(
                "Giấy tờ chứng minh quan hệ nhân thân (nếu nhập vào hộ người thân)",
                "Proof of family relationship (if joining a relative's household)",
                reusable=True,
            ),
        ],
        steps=std(WH, 2, 40, 12, 2),
        legal=_RESIDENCE_LAW,
        decision=QD_POLICE,
        result="Cập nhật thông tin thường trú vào CSDL quốc gia về dân cư; thông báo kết quả",
    ),
    proc(
        "1.004194",
        "Đăng ký tạm trú",
        "Temporary residence registration",
        field="CUTRU",
        levels=AT_COMMUNE,
        agency=POLICE,
        limit=(3, WD),
        online="full",
        eligible=True,
        paper=False,
        fees=[
            fee("Lệ phí đăng ký tạm trú (nộp trực tiếp)", "Fee, at the counter", 15_000),
            fee(
                "Lệ phí đăng ký tạm trú (nộp trực tuyến)",
                "Fee, online",
                7_000,
                "Chỉ thu một trong hai mức, theo kênh nộp",
            ),
        ],
        components=[_CT01, _HOME],
        steps=std(WH, 2, 14, 6, 2),
        legal=_RESIDENCE_LAW,
        decision=QD_POLICE,
        result="Cập nhật thông tin tạm trú vào CSDL quốc gia về dân cư; thông báo kết quả",
    ),
    proc(
        "1.002755",
        "Gia hạn tạm trú",
        "Extension of temporary residence",
        field="CUTRU",
        levels=AT_COMMUNE,
        agency=POLICE,
        limit=(3, WD),
        online="full",
        eligible=True,
        paper=False,
        fees=[
            fee("Lệ phí gia hạn tạm trú (nộp trực tiếp)", "Fee, at the counter", 15_000),  # approx
            fee(
                "Lệ phí gia hạn tạm trú (nộp trực tuyến)",
                "Fee, online",
                7_000,  # approx
                "Chỉ thu một trong hai mức, theo kênh nộp",
            ),
        ],
        components=[_CT01],
        steps=std(WH, 2, 14, 6, 2),
        legal=_RESIDENCE_LAW,
        decision=QD_POLICE,
        result="Cập nhật thời hạn tạm trú trong CSDL quốc gia về dân cư",
    ),
    proc(
        "1.003197",
        "Xóa đăng ký thường trú",
        "Removal of permanent residence",
        field="CUTRU",
        levels=AT_COMMUNE,
        agency=POLICE,
        limit=(8, WH),
        online="full",
        eligible=True,
        paper=False,  # approx: 1 working day
        components=[
            _CT01,
            doc(
                "Giấy tờ chứng minh thuộc trường hợp xóa đăng ký thường trú",
                "Proof of the ground for removal",
                reusable=True,
                # The demo's choice: a move to another permanent residence and a 12-month
                # absence are checked by the police in the residence database; the other
                # grounds are proved by the applicant.
                when=(
                    "ly_do_xoa",
                    [
                        "Ra nước ngoài để định cư",
                        "Chỗ ở đã bị phá dỡ, tịch thu hoặc không còn sử dụng",
                        "Trường hợp khác theo luật định",
                    ],
                ),
            ),
        ],
        steps=std(WH, 1, 4, 2, 1),
        legal=_RESIDENCE_LAW,
        decision=QD_POLICE,
        result="Cập nhật việc xóa đăng ký thường trú trong CSDL quốc gia về dân cư",
    ),
    proc(
        "1.010028",
        "Xóa đăng ký tạm trú",
        "Removal of temporary residence",
        field="CUTRU",
        levels=AT_COMMUNE,
        agency=POLICE,
        limit=(8, WH),
        online="full",
        eligible=True,
        paper=False,  # approx: 1 working day
        components=[_CT01],
        steps=std(WH, 1, 4, 2, 1),
        legal=_RESIDENCE_LAW,
        decision=QD_POLICE,
        result="Cập nhật việc xóa đăng ký tạm trú trong CSDL quốc gia về dân cư",
    ),
]

# --- Judicial records: provincial police since 2025 ------------------------------------------
JUDICIAL_RECORDS: list[Procedure] = [
    proc(
        "3.000333",
        "Cấp Phiếu lý lịch tư pháp cho công dân",
        "Judicial record certificate for a citizen",
        field="LLTP",
        levels=AT_PROVINCE,
        agency=POLICE,
        limit=(10, WD),  # 15 working days for complex cases
        online="full",
        eligible=True,
        fees=[
            fee(
                "Phí cung cấp thông tin lý lịch tư pháp",
                "Judicial record fee",
                200_000,
                "100.000 đồng với sinh viên, người có công; từ Phiếu thứ 3 thu thêm 5.000 đồng/Phiếu"
                " (mức theo Thông tư 244/2016/TT-BTC)",
            )
        ],
        components=[
            doc("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "Request form", e_form=True),
            ID_DOC,
            doc("Giấy tờ chứng minh nơi cư trú", "Proof of residence", reusable=True),
            PROXY_DOC,
        ],
        steps=chain(
            WH,
            [
                (*RECEIVE, 4),
                (
                    "tra_cuu",
                    "Tra cứu, xác minh thông tin lý lịch tư pháp",
                    "Search and verify the judicial record",
                    "specialist",
                    56,
                ),
                (*APPROVE, 12),
                (*RETURN, 4),
            ],
        ),
        legal="Luật Lý lịch tư pháp 2009 (sửa đổi); Thông tư 244/2016/TT-BTC",
        decision=QD_POLICE,
        result="Phiếu lý lịch tư pháp số 1 hoặc số 2 (bản giấy hoặc bản điện tử)",
    ),
]

# --- Certification (Chứng thực), commune level ---------------------------------------------
# Decree 23/2015/NĐ-CP Art. 7: settled the same day; received after 15:00, the next working day.
_CERT_LAW = "Nghị định 23/2015/NĐ-CP; Thông tư 01/2020/TT-BTP; Thông tư 226/2016/TT-BTC"
CERTIFICATION: list[Procedure] = [
    proc(
        "2.000815",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "Certified copy from an original",
        field="CHUNGTHUC",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(8, WH),
        cutoff="15:00",
        postal=False,
        fees=[
            fee(
                "Phí chứng thực bản sao từ bản chính",
                "Fee per page",
                2_000,
                "2.000 đồng/trang; từ trang thứ ba 1.000 đồng/trang; tối đa 200.000 đồng/bản",
            )
        ],
        components=[
            doc("Bản chính giấy tờ, văn bản", "The original document", copies=1, original=True),
            doc("Bản sao cần chứng thực", "The copy to certify"),
        ],
        steps=std(WH, 1, 5, 1, 1),
        legal=_CERT_LAW,
        decision=QD_JUSTICE,
        result="Bản sao có chứng thực",
    ),
    proc(
        "2.000884",
        "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "Certification of a signature",
        field="CHUNGTHUC",
        levels=["province", "commune"],
        agency=COMMUNE,
        limit=(8, WH),
        cutoff="15:00",
        online="none",
        postal=False,  # the signer signs before the officer
        fees=[fee("Phí chứng thực chữ ký", "Fee per case", 10_000, "10.000 đồng/trường hợp")],
        components=[ID_DOC, doc("Giấy tờ, văn bản cần chứng thực chữ ký", "The paper to be signed", original=True)],
        steps=std(WH, 1, 5, 1, 1),
        legal=_CERT_LAW,
        decision=QD_JUSTICE,
        result="Giấy tờ, văn bản đã chứng thực chữ ký",
    ),
    proc(
        "2.000942",
        "Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực",
        "Certified copy of a certified contract",
        field="CHUNGTHUC",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(2, WD),
        postal=False,  # approx
        fees=[fee("Phí cấp bản sao có chứng thực", "Fee per page", 2_000, "2.000 đồng/trang")],
        components=[ID_DOC, doc("Đơn đề nghị cấp bản sao", "Request", e_form=True)],
        steps=std(WH, 1, 11, 3, 1),
        legal=_CERT_LAW,
        decision=QD_JUSTICE,
        result="Bản sao có chứng thực",
    ),
    proc(
        "2.001019",
        "Chứng thực di chúc",
        "Certification of a will",
        field="CHUNGTHUC",
        levels=AT_COMMUNE,
        agency=COMMUNE,
        limit=(2, WD),
        online="none",
        postal=False,  # approx
        fees=[fee("Phí chứng thực di chúc", "Fee", 50_000, "50.000 đồng/di chúc")],
        components=[
            ID_DOC,
            doc("Dự thảo di chúc", "Draft will", original=True),
            doc(
                "Giấy tờ chứng minh quyền sở hữu, sử dụng tài sản (nếu di chúc liên quan)",
                "Proof of title to the property (if relevant)",
                reusable=True,
            ),
        ],
        steps=std(WH, 1, 11, 3, 1),
        legal=_CERT_LAW,
        decision=QD_JUSTICE,
        result="Di chúc đã được chứng thực",
    ),
]

# --- Justice department procedures (placeholder codes) ------------------------------------------
JUSTICE_DEPARTMENT: list[Procedure] = [
    proc(
        "1.019901",
        "Đăng ký hoạt động của tổ chức hành nghề luật sư",
        "Registration of a law firm",
        field="LUATSU",
        levels=AT_PROVINCE,
        agency=STP,
        limit=(10, WD),
        subjects=["organisation"],
        fees=[
            fee(
                "Phí thẩm định điều kiện hoạt động",
                "Examination fee",
                500_000,  # approx
                "Theo Thông tư của Bộ Tài chính",
            )
        ],
        components=[
            doc("Giấy đề nghị đăng ký hoạt động", "Application", e_form=True),
            doc("Dự thảo Điều lệ (đối với công ty luật)", "Draft charter (law companies)", optional=True),
            doc("Bản sao Chứng chỉ hành nghề luật sư, Thẻ luật sư", "Copies of lawyer certificates", reusable=True),
            doc("Giấy tờ chứng minh trụ sở", "Proof of the office address"),
        ],
        steps=std(WH, 4, 56, 16, 4),
        legal="Luật Luật sư 2006 (sửa đổi 2012); Nghị định 123/2013/NĐ-CP",
        decision=QD_JUSTICE,
        result="Giấy đăng ký hoạt động của tổ chức hành nghề luật sư",
    ),
    proc(
        "1.019902",
        "Đăng ký hành nghề và cấp Thẻ công chứng viên",
        "Notary practice registration and card",
        field="CONGCHUNG",
        levels=AT_PROVINCE,
        agency=STP,
        limit=(10, WD),  # approx
        fees=[fee("Phí thẩm định", "Examination fee", 100_000)],  # approx
        components=[
            doc("Giấy đề nghị đăng ký hành nghề", "Application", e_form=True),
            doc("Quyết định bổ nhiệm công chứng viên", "Notary appointment decision", reusable=True),
            doc("Ảnh chân dung 2cm x 3cm", "Portrait photo", copies=2),
        ],
        steps=std(WH, 4, 56, 16, 4),
        legal="Luật Công chứng 2024",
        decision=QD_JUSTICE,
        result="Thẻ công chứng viên",
    ),
]


PEOPLE_PROCEDURES: list[Procedure] = (
    CIVIL_STATUS + LINKED + RESIDENCE + JUDICIAL_RECORDS + CERTIFICATION + JUSTICE_DEPARTMENT
)
