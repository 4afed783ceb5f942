"""The monthly satisfaction summary (DongBoDanhGia) goes to the portal simulator once a month."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from motcua.integrations.models import PeriodicReport
from motcua.integrations.national_portal import satisfaction
from motcua.integrations.national_portal.simulator import PortalSimulator
from motcua.ratings.models import Rating, Satisfaction

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _rate(world: Any, level: str, day: int) -> None:
    dossier = world.submit(at=datetime(2026, 5, day, 8, tzinfo=VN))
    Rating.objects.create(dossier=dossier, satisfaction=level, scores={}, rated_at=datetime(2026, 5, day, 9, tzinfo=VN))


def test_last_months_summary_is_sent_once_with_percentages(
    world: Any, simulator: PortalSimulator, connector: Any
) -> None:
    _rate(world, Satisfaction.VERY_SATISFIED, 4)
    _rate(world, Satisfaction.SATISFIED, 5)
    _rate(world, Satisfaction.SATISFIED, 6)
    _rate(world, Satisfaction.UNSATISFIED, 7)

    first = satisfaction.send_due(connector.portal, today=date(2026, 6, 1))
    again = satisfaction.send_due(connector.portal, today=date(2026, 6, 20))

    assert (first, again) == (True, False)
    assert simulator.rejected == []
    [item] = simulator.summaries
    assert item["NgayTongHop"] == "5-2026"
    assert item["TongSoNguoiDanhGia"] == "4"
    assert (item["PhanTramDanhGiaRatHaiLong"], item["PhanTramDanhGiaHaiLong"], item["PhanTramDanhGiaChuaHaiLong"]) == (
        "25%",
        "50%",
        "25%",
    )
    assert item["MaThuTuc"] == world.procedure.procedure.code


def test_a_failed_summary_is_tried_again_with_its_reason_kept(
    world: Any, simulator: PortalSimulator, connector: Any
) -> None:
    _rate(world, Satisfaction.SATISFIED, 4)
    simulator.fail("DongBoDanhGia", "5xx")

    assert not satisfaction.send_due(connector.portal, today=date(2026, 6, 1))
    assert "503" in PeriodicReport.objects.get().last_error
    assert satisfaction.send_due(connector.portal, today=date(2026, 6, 2))
    assert len(simulator.summaries) == 1
