"""The manager's dashboard page as a manager reads it (item 8 of issue 12): reachable from the
menu, bars coloured by class, names in drill-downs, a wrong period explained, open data linked."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client

from motcua.indicators import charts
from motcua.indicators.tests.conftest import Walker, vn
from motcua.testing.tasks import run_background_tasks


def _client(username: str, language: str = "vi") -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    client.cookies["django_language"] = language
    return client


def test_the_menu_offers_the_indicators_to_managers_and_administrators_only(world: Any) -> None:
    assert 'href="/indicators/"' in _client("manager").get("/").content.decode()
    assert 'href="/indicators/"' in _client("admin").get("/").content.decode()
    for other in ("specialist", "reception", "citizen"):
        assert 'href="/indicators/"' not in _client(other).get("/").content.decode()


def test_each_bar_takes_the_colour_of_its_class() -> None:
    assert [charts.bar(v, 100)["tone"] for v in (95, 85, 75, 55, 10)] == [
        "excellent",
        "good",
        "fair",
        "average",
        "weak",
    ]
    assert charts.bar(3, 6) == {"width": 50, "tone": "average", "percent": 50.0}
    assert charts.bar(None, 6)["tone"] == "none"
    assert charts.bar(7, 6)["width"] == 100


def test_the_dashboard_draws_coloured_bars_the_trend_and_the_ranking(world: Any, walk: Walker) -> None:
    walk.counter(vn(2026, 3, 2, 9))
    run_background_tasks()
    html = _client("manager").get("/indicators/H99/?period=2026-03").content.decode()
    tones = set(re.findall(r'<rect class="fill tone-(\w+)"', html))
    assert {"weak", "excellent"} <= tones, tones
    assert 'style="' not in html  # the Content-Security-Policy refuses inline styles
    assert html.count('class="fill tone-') > 30
    assert len(re.findall(r'<rect class="fill tone-\w+" x="[\d.]+" y="[\d.]+"', html)) == 12  # one column a month
    assert '<ol class="ranking">' in html
    assert "Sở Tư pháp" in html
    assert "/api/v1/indicators/open-data.csv?period=2026-03" in html
    assert "/api/v1/indicators/open-data.xlsx?period=2026-03" in html
    assert "Xu hướng theo tháng" in html
    assert "indicators/indicators.css" in html


def test_a_wrong_period_is_explained_in_vietnamese_next_to_the_field(world: Any) -> None:
    page = _client("manager").get("/indicators/H99/?period=2026-13")
    assert page.status_code == 400
    html = page.content.decode()
    assert "“2026-13” không phải là một kỳ hợp lệ" in html
    assert 'aria-invalid="true"' in html
    assert 'value="2026-13"' in html
    assert "Unknown period" not in html
    reversed_range = _client("manager").get("/indicators/H99/dossiers/received/?period=2026-03-05..2026-03-01")
    assert "có ngày kết thúc trước ngày bắt đầu" in reversed_range.content.decode()
    english = _client("manager", "en").get("/indicators/H99/?period=soon").content.decode()
    assert "“soon” is not a period" in english


def test_the_drilldown_names_the_flag_the_agency_and_the_procedure(world: Any, walk: Walker) -> None:
    d = walk.counter(vn(2026, 3, 2, 9))
    run_background_tasks()
    html = _client("manager").get("/indicators/H99/dossiers/received/?period=2026-03").content.decode()
    assert "<h1>Hồ sơ đã tiếp nhận</h1>" in html
    assert d.code in html
    assert "Sở Tư pháp" in html
    assert "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam" in html
    dashboard = _client("manager").get("/indicators/H99/?period=2026-03").content.decode()
    assert "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam" in dashboard  # the overdue list names procedures


def test_the_dashboard_speaks_english_when_english_is_chosen(world: Any) -> None:
    html = _client("manager", "en").get("/indicators/H99/?period=2026-03").content.decode()
    for words in ("Trend by month", "Scorecard", "Ranking", "Open data of the period", "Excellent (≥ 90%)"):
        assert words in html
    for vietnamese in ("Xu hướng", "Bảng điểm", "Xếp hạng", "Xuất sắc"):
        assert vietnamese not in html
