"""Manager dashboards (server-rendered): scorecard, ranking, trend, overdue and due-soon
dossiers, drill-down and Excel export. Managers and administrators of an agency see it and
every unit below it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone

from motcua.indicators import selectors
from motcua.indicators.export import scorecard_workbook
from motcua.indicators.periods import current_month, last_months, parse_period
from motcua.indicators.presenters import scorecard_dict
from motcua.lib.errors import DomainError
from motcua.organizations.actors import actor_for


def _base_template() -> str:
    """The portal's base template when it exists, else this app's minimal one."""
    try:
        get_template("base.html")
    except TemplateDoesNotExist:
        return "indicators/_base.html"
    return "base.html"


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {"base_template": _base_template(), **context}, status=status)


def _error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    status = exc.http_status if exc.http_status in {403, 404} else 400
    return _render(request, "indicators/error.html", {"message": exc.message}, status=status)


def _period(request: HttpRequest) -> Any:
    raw = request.GET.get("period", "").strip()
    return parse_period(raw) if raw else current_month(timezone.now())


def _bar(value: float, maximum: float) -> int:
    """Width (0–100) of an inline SVG bar."""
    if maximum <= 0:
        return 0
    return max(0, min(100, round(100 * value / maximum)))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    roots = selectors.agencies_managed_by(actor_for(request.user))
    if not roots:
        return _render(
            request,
            "indicators/error.html",
            {"message": "Only managers and administrators see the indicators."},
            status=403,
        )
    if len(roots) == 1:
        return redirect("indicators:agency", code=roots[0].code)
    return _render(request, "indicators/home.html", {"agencies": roots})


@login_required
def agency_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    try:
        agency = selectors.agency_for_manager(actor_for(request.user), code)
        period = _period(request)
        now = timezone.now()
        cards, sub = selectors.scorecards(agency, period, now=now)
        card = cards[agency.pk]
        ranked = sorted(
            (selectors.Ranked(sub.agencies[pk], c) for pk, c in cards.items() if pk != agency.pk),
            key=lambda r: (-r.card.total, r.agency.code),
        )
        children = [{"agency": r.agency, "card": r.card, "width": _bar(r.card.total, 100)} for r in ranked]
        months = last_months(now, 12)
        trend = [
            {
                "period": p,
                "card": c,
                "width": _bar(c.total, 100),
                "on_time_pct": None if not c.received else round(100 * c.on_time / c.received, 1),
            }
            for p, c in selectors.trend(agency, months, now=now)
        ]
        ops = selectors.open_dossiers(agency, now=now)
    except DomainError as exc:
        return _error(request, exc)
    data = scorecard_dict(agency, period, card)
    for group in data["groups"]:
        group["width"] = _bar(group["points"], group["max_points"])
        for item in group["items"]:
            item["width"] = _bar(item["points"], item["max_points"])
    return _render(
        request,
        "indicators/dashboard.html",
        {
            "agency": agency,
            "period": period,
            "card": data,
            "children": children,
            "trend": trend,
            "overdue": ops["overdue"],
            "due_soon": ops["due_soon"],
            "shares": _shares(card),
        },
    )


def _shares(card: Any) -> list[dict[str, Any]]:
    """Headline shares for a manager at a glance: on time, online, digitised, satisfaction."""
    out = []
    for key, label in (
        ("2.1", "Đúng hạn / On time"),
        ("3.0", "Trực tuyến toàn trình / Full online"),
        ("4.2", "Số hóa / Digitised"),
        ("6.3", "Hài lòng / Satisfaction"),
    ):
        item = card.item(key)
        pct = None if item.rate is None else round(100 * item.rate, 1)
        out.append({"key": key, "label": label, "pct": pct, "width": 0 if pct is None else min(100, round(pct))})
    return out


@login_required
def drilldown(request: HttpRequest, code: str, flag: str) -> HttpResponse:
    try:
        agency = selectors.agency_for_manager(actor_for(request.user), code)
        period = _period(request)
        rows = selectors.drilldown(agency, period, flag)
    except DomainError as exc:
        return _error(request, exc)
    return _render(
        request, "indicators/drilldown.html", {"agency": agency, "period": period, "flag": flag, "rows": rows}
    )


@login_required
def export_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    try:
        agency = selectors.agency_for_manager(actor_for(request.user), code)
        period = _period(request)
        cards, sub = selectors.scorecards(agency, period)
        ranking = sorted(
            (selectors.Ranked(sub.agencies[pk], c) for pk, c in cards.items() if pk != agency.pk),
            key=lambda r: (-r.card.total, r.agency.code),
        )
    except DomainError as exc:
        return _error(request, exc)
    body = scorecard_workbook(agency, period, cards[agency.pk], ranking)
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="chi-so-766-{agency.code}-{period.label}.xlsx"'
    return response
