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
from django.utils.translation import gettext_lazy as _

from motcua.indicators import selectors
from motcua.indicators.engine import Scorecard
from motcua.indicators.export import scorecard_workbook
from motcua.indicators.periods import current_month, last_months, parse_period
from motcua.indicators.presenters import classification_label, scorecard_dict
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
            {"message": _("Only managers and administrators see the indicators.")},
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
        children = [
            {
                "agency": r.agency,
                "card": r.card,
                "classification": classification_label(r.card.classification),
                "width": _bar(r.card.total, 100),
            }
            for r in ranked
        ]
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


#: The sub-indicators shown as headline shares: on time, online, digitised, satisfaction.
HEADLINE_KEYS = ("2.1", "3.0", "4.2", "6.3")


def _shares(card: Scorecard) -> list[dict[str, Any]]:
    """Headline shares for a manager at a glance, labelled from the definitions table."""
    out = []
    for key in HEADLINE_KEYS:
        item = card.item(key)
        pct = None if item.rate is None else round(100 * item.rate, 1)
        out.append({"key": key, "label": item.label, "pct": pct, "width": 0 if pct is None else min(100, round(pct))})
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


#: What each item-list reason means (`selectors.indicator_items`).
REASONS = {
    "decision_on_time": _("Decision dated on time"),
    "decision_late": _("Decision dated after the deadline"),
    "no_legal_basis_date": _("No legal-basis effective date"),
    "made_public_on_time": _("Made public on time"),
    "made_public_late": _("Made public late"),
    "not_made_public": _("Not made public by the due day"),
    "complete": _("All components published"),
    "missing_components": _("Components missing"),
    "paid_online": _("Has a dossier paid online"),
    "no_paid_online": _("No dossier paid online"),
    "fee_data": _("Has a dossier with fee data"),
    "no_fee_data": _("No dossier with fee data"),
    "population": _("Has a dossier using population data"),
    "no_population": _("No dossier using population data"),
    "offers": _("Offers e-certified copies"),
    "does_not_offer": _("Does not offer e-certified copies"),
    "answered_on_time": _("Answered on time"),
    "answered_late": _("Answered late"),
    "open_within_deadline": _("Open, within the deadline"),
    "open_overdue": _("Open, overdue"),
    "satisfied": _("Counted as satisfied"),
    "objected": _("More dislikes than likes, or repeated"),
    "late": _("Not handled on time"),
}

#: The 1.3 components (`selectors.COMPONENTS`).
COMPONENT_LABELS = {
    "name": _("Procedure name"),
    "steps": _("Process steps"),
    "documents": _("Required documents"),
    "time_limit": _("Time limit"),
    "subjects": _("Subjects"),
    "competent_agency": _("Competent agency"),
}


@login_required
def items(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """The procedures, communes or PAKN behind a catalogue or PAKN sub-indicator."""
    try:
        agency = selectors.agency_for_manager(actor_for(request.user), code)
        period = _period(request)
        now = timezone.now()
        body = selectors.indicator_items(agency, period, key, now=now)
        item = selectors.scorecard(agency, period, now=now).item(key)
    except DomainError as exc:
        return _error(request, exc)
    for row in body["items"]:
        row["reason_label"] = REASONS.get(row["reason"], row["reason"])
        if "missing" in row:
            row["missing_labels"] = [COMPONENT_LABELS.get(m, m) for m in row["missing"]]
    return _render(
        request,
        "indicators/items.html",
        {"agency": agency, "period": period, "key": key, "item": item, "body": body, "rows": body["items"]},
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
