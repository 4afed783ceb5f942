"""The monthly satisfaction summary (`DongBoDanhGia`), sent once per month for the month before.

One item per settling agency and procedure with ratings in the month. Keys follow the best
available evidence (docs/integrations.md); percentages are strings "NN%"."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from motcua.integrations.national_portal.interface import NationalPortal, PortalError
from motcua.integrations.national_portal.services import periodic_report_due, periodic_report_record
from motcua.ratings.models import Rating, Satisfaction

VN = ZoneInfo("Asia/Ho_Chi_Minh")
KIND = "satisfaction"


def _month_bounds(month: date) -> tuple[datetime, datetime]:
    start = datetime.combine(month.replace(day=1), time(), tzinfo=VN)
    nxt = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return start, datetime.combine(nxt, time(), tzinfo=VN)


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole) if whole else 0}%"


def monthly_items(month: date) -> list[dict[str, Any]]:
    start, end = _month_bounds(month)
    groups: dict[tuple[int, str], Counter[str]] = defaultdict(Counter)
    names: dict[tuple[int, str], tuple[str, str]] = {}
    comments: dict[tuple[int, str], list[str]] = defaultdict(list)
    rows = Rating.objects.filter(rated_at__gte=start, rated_at__lt=end).select_related(
        "dossier__settling_agency", "dossier__procedure_version__procedure"
    )
    for r in rows:
        agency = r.dossier.settling_agency
        key = (agency.pk, r.dossier.procedure_version.procedure.code)
        groups[key][r.satisfaction] += 1
        names[key] = (agency.code, agency.name)
        if r.comment:
            comments[key].append(r.comment[:500])
    items = []
    for key, counts in sorted(groups.items(), key=lambda kv: (names[kv[0]][0], kv[0][1])):
        total = sum(counts.values())
        very, ok, bad = (
            counts[Satisfaction.VERY_SATISFIED],
            counts[Satisfaction.SATISFIED],
            counts[Satisfaction.UNSATISFIED],
        )
        items.append(
            {
                "NgayTongHop": f"{month.month}-{month.year}",
                "TongSoNguoiDanhGia": str(total),
                "PhanTramDanhGiaRatHaiLong": _percent(very, total),
                "PhanTramDanhGiaHaiLong": _percent(ok, total),
                "PhanTramDanhGiaChuaHaiLong": _percent(bad, total),
                "DanhSachNoiDungYKien": comments[key][:20],
                "MaThuTuc": key[1],
                "Madonvi": names[key][0],
                "TenDonVi": names[key][1],
            }
        )
    return items


def previous_month(today: date) -> date:
    return date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)


def send_due(portal: NationalPortal, *, today: date | None = None) -> bool:
    """Send last month's summary if it has not gone yet; True if sent now. A failure is kept
    with its reason and tried again on the next call."""
    month = previous_month(today or timezone.localdate())
    report = periodic_report_due(kind=KIND, period=month)
    if report is None:
        return False
    items = monthly_items(month)
    try:
        if items:
            portal.publish_satisfaction(items)
    except PortalError as exc:
        periodic_report_record(report, error=str(exc) or type(exc).__name__)
        return False
    periodic_report_record(report)
    return True
