"""The six groups of the Indicator 766 scorecard (§6.4), one function each: the sub-indicators
of a group from the totals, catalogue facts and PAKN facts (`engine.score` adds them up)."""

from __future__ import annotations

from collections.abc import Callable

from motcua.indicators.conf import IndicatorSettings

# ---------------------------------------------------------------- facts
from motcua.indicators.engine import (
    DOSSIER_DRILLS,
    CatalogueFacts,
    Group,
    PaknFacts,
    SubIndicator,
    Totals,
    linear,
    rate,
    thresholded,
)


def _sub(
    key: str,
    group: str,
    label: str,
    n: float,
    d: float,
    max_points: float,
    formula: str,
    *,
    drill: tuple[str, str] | None = None,
    threshold: float | None = None,
) -> SubIndicator:
    r = rate(n, d)
    pts = thresholded(max_points, r, threshold) if threshold else linear(max_points, r)
    return SubIndicator(key, group, label, n, d, r, pts, max_points, formula, drill)


def _publicity(totals: Totals, catalogue: CatalogueFacts, pakn: PaknFacts, cfg: IndicatorSettings) -> Group:
    c = totals.counts
    received = c["received"]
    publicity = Group(
        "publicity",
        "Công khai, minh bạch / Publicity and transparency",
        18,
        [
            _sub(
                "1.1",
                "publicity",
                "TTHC công bố đúng hạn / Procedures published on time",
                catalogue.published_on_time,
                catalogue.published_total,
                6,
                "6 × on time ÷ procedures in decisions dated in the period",
            ),
            _sub(
                "1.2",
                "publicity",
                "Công khai đúng hạn trên CSDL quốc gia / Made public on time",
                catalogue.public_on_time,
                catalogue.public_total,
                4,
                "4 × made public ≤ decision + 5 working days ÷ made public or due",
            ),
            _sub(
                "1.3",
                "publicity",
                "TTHC công khai đầy đủ / Procedures published with all components",
                catalogue.complete,
                catalogue.complete_total,
                2,
                "2 × complete ÷ published procedures (snapshot)",
            ),
            _sub(
                "1.4",
                "publicity",
                "Đồng bộ hồ sơ lên Cổng DVCQG / Dossiers synced to the national portal",
                c["synced"],
                received,
                6,
                "6 × synced ÷ received",
                drill=DOSSIER_DRILLS["1.4"],
            ),
        ],
    )
    return publicity


def _progress(totals: Totals, catalogue: CatalogueFacts, pakn: PaknFacts, cfg: IndicatorSettings) -> Group:
    c = totals.counts
    received = c["received"]
    on_time = totals.on_time
    progress = Group(
        "progress",
        "Tiến độ, kết quả giải quyết / Progress",
        20,
        [
            _sub(
                "2.1",
                "progress",
                "Hồ sơ đúng hạn / Dossiers on time",
                on_time,
                received,
                20,
                "20 × on time ÷ received",
                drill=DOSSIER_DRILLS["2.1"],
            )
        ],
    )
    return progress


def _online(totals: Totals, catalogue: CatalogueFacts, pakn: PaknFacts, cfg: IndicatorSettings) -> Group:
    c = totals.counts
    online = Group(
        "online",
        "Dịch vụ công trực tuyến / Online service",
        12,
        [
            _sub(
                "3.0",
                "online",
                "Hồ sơ trực tuyến toàn trình / Full-process online dossiers",
                c["full_online"],
                c["eligible"],
                12,
                "12 × full-process online ÷ dossiers of eligible procedures",
                drill=DOSSIER_DRILLS["3.0"],
            )
        ],
    )
    return online


def _payment(totals: Totals, catalogue: CatalogueFacts, pakn: PaknFacts, cfg: IndicatorSettings) -> Group:
    c = totals.counts
    fee_procs = catalogue.fee_procedures
    a = rate(c["paid_online"], c["fee_due"])
    b = rate(len(totals.procedures_with("paid_online") & fee_procs), len(fee_procs))
    cc = rate(len(totals.procedures_with("fee_data") & fee_procs), len(fee_procs))
    pay_a = SubIndicator(
        "5.A",
        "payment",
        "Hồ sơ thanh toán trực tuyến / Dossiers paid online",
        c["paid_online"],
        c["fee_due"],
        a,
        linear(6, a),
        6,
        "6 × paid online ÷ dossiers with a fee",
        DOSSIER_DRILLS["5.A"],
    )
    pay_b = SubIndicator(
        "5.B",
        "payment",
        "TTHC có thanh toán trực tuyến / Fee procedures with an online payment",
        len(totals.procedures_with("paid_online") & fee_procs),
        len(fee_procs),
        b,
        0.0 if b is None else min(2.0, 2.5 * b),
        2,
        "min(2, 2.5 × procedures with an online payment ÷ fee procedures)",
    )
    pay_c = SubIndicator(
        "5.C",
        "payment",
        "TTHC đồng bộ dữ liệu phí / Fee procedures with fee data",
        len(totals.procedures_with("fee_data") & fee_procs),
        len(fee_procs),
        cc,
        linear(2.5, cc),
        2.5,
        "2.5 × procedures with fee data ÷ fee procedures",
    )
    if cfg.cap_payment_at_10 and pay_a.points + pay_b.points + pay_c.points > 10:
        pay_c.points = 10 - pay_a.points - pay_b.points
    payment = Group("payment", "Thanh toán trực tuyến / Online payment", 10, [pay_a, pay_b, pay_c])

    return payment


# long: the group's sub-indicators as one literal, in the order of §6.4.
def _digitization(totals: Totals, catalogue: CatalogueFacts, pakn: PaknFacts, cfg: IndicatorSettings) -> Group:
    c = totals.counts
    received = c["received"]
    pop_procs = totals.procedures_with("population") & catalogue.citizen_procedures
    digitization = Group(
        "digitization",
        "Số hóa hồ sơ / Digitisation",
        22,
        [
            _sub(
                "4.1",
                "digitization",
                "Hồ sơ có kết quả điện tử / Dossiers with an e-result",
                c["e_result"],
                c["paper_required"],
                6,
                "6 × e-result ÷ dossiers of procedures with a paper result",
                drill=DOSSIER_DRILLS["4.1"],
            ),
            _sub(
                "4.2",
                "digitization",
                "Hồ sơ được số hóa / Dossiers digitised",
                c["digitized"],
                received,
                4,
                "4 × digitised ÷ received",
                drill=DOSSIER_DRILLS["4.2"],
            ),
            _sub(
                "4.e",
                "digitization",
                "Chứng thực bản sao điện tử / Communes offering e-certified copies",
                catalogue.communes_offering,
                catalogue.communes,
                2,
                "2 × communes offering ÷ communes",
            ),
            _sub(
                "4.3",
                "digitization",
                "Tái sử dụng dữ liệu số hóa / Reused digitised data",
                c["reused"],
                received,
                2,
                f"min(2, 2 × reused ÷ received ÷ {cfg.reuse_threshold:.2f})",
                drill=DOSSIER_DRILLS["4.3"],
                threshold=cfg.reuse_threshold,
            ),
            _sub(
                "4.4",
                "digitization",
                "Kết nối kho dữ liệu / Linked to the citizen's warehouse",
                c["warehouse"],
                received,
                4,
                "4 × from or to the warehouse ÷ received",
                drill=DOSSIER_DRILLS["4.4"],
            ),
            _sub(
                "4.5b",
                "digitization",
                "Hồ sơ sử dụng dữ liệu dân cư / Dossiers using population data",
                c["population"],
                received,
                2,
                "2 × using population data ÷ received",
                drill=DOSSIER_DRILLS["4.5b"],
            ),
            _sub(
                "4.5a",
                "digitization",
                "TTHC kết nối dữ liệu dân cư / Procedures using population data",
                len(pop_procs),
                len(catalogue.citizen_procedures),
                2,
                "2 × citizen procedures with such a dossier ÷ citizen procedures",
            ),
        ],
    )

    return digitization


def _satisfaction(totals: Totals, catalogue: CatalogueFacts, pakn: PaknFacts, cfg: IndicatorSettings) -> Group:
    c = totals.counts
    received = c["received"]
    on_time = totals.on_time
    late = received - on_time
    pakn_on_time = SubIndicator(
        "6.1",
        "satisfaction",
        "PAKN xử lý đúng hạn / Feedback handled on time",
        pakn.on_time,
        pakn.total,
        rate(pakn.on_time, pakn.total),
        6.0 if pakn.total == 0 else linear(6, rate(pakn.on_time, pakn.total)),
        6,
        "6 × on time ÷ PAKN (6 when there is none)",
    )
    pakn_satisfied = SubIndicator(
        "6.2",
        "satisfaction",
        "Hài lòng xử lý PAKN / Satisfaction with feedback handling",
        pakn.satisfied,
        pakn.total,
        rate(pakn.satisfied, pakn.total),
        6.0 if pakn.total == 0 else linear(6, rate(pakn.satisfied, pakn.total)),
        6,
        "6 × (PAKN − disliked, overdue or repeated) ÷ PAKN (6 when there is none)",
    )
    settle_rate = None if received == 0 else max(0.0, 1 - (late / received + c["complained"] / received))
    settlement = SubIndicator(
        "6.3",
        "satisfaction",
        "Hài lòng tiếp nhận, giải quyết / Satisfaction with settlement",
        received - late - c["complained"],
        received,
        settle_rate,
        thresholded(6, settle_rate, cfg.settlement_satisfaction_threshold),
        6,
        f"min(6, 6 × (1 − late ÷ received − complained ÷ received) ÷ {cfg.settlement_satisfaction_threshold:.2f})",
        DOSSIER_DRILLS["6.3"],
    )
    if pakn.total == 0 and cfg.pakn_empty_rule == "split":
        # Workbook reading (§6.3 F): PAKN satisfaction's 6 points go half to each neighbour.
        pakn_satisfied.points = 0.0
        pakn_on_time.points = 6.0 + 3.0
        settlement.points = settlement.points * 1.5
    satisfaction = Group(
        "satisfaction", "Mức độ hài lòng / Satisfaction", 18, [pakn_on_time, pakn_satisfied, settlement]
    )
    return satisfaction


#: The six groups of §6.4, in the order of the scorecard; each builds its sub-indicators.
GROUPS: tuple[Callable[[Totals, CatalogueFacts, PaknFacts, IndicatorSettings], Group], ...] = (
    _publicity,
    _progress,
    _online,
    _payment,
    _digitization,
    _satisfaction,
)
