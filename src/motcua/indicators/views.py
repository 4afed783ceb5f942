"""Manager dashboards (server-rendered): scorecard, ranking, trend, overdue and due-soon
dossiers, drill-down and Excel export. Managers and administrators of an agency see it and
every unit below it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.indicators import charts, selectors
from motcua.indicators.engine import Scorecard
from motcua.indicators.export import scorecard_workbook
from motcua.indicators.periods import Period, current_month, last_months, parse_period
from motcua.indicators.presenters import classification_label, flag_label, scorecard_dict
from motcua.lib.errors import DomainError
from motcua.organizations.actors import actor_for
from motcua.ratings.models import FeedbackStatus


def _base_template() -> str:
    """The portal's base template (through `indicators/_page.html`, which adds this app's
    stylesheet) when it exists, else this app's minimal one."""
    try:
        get_template("base.html")
    except TemplateDoesNotExist:
        return "indicators/_base.html"
    return "indicators/_page.html"


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {"base_template": _base_template(), **context}, status=status)


def _error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    status = exc.http_status if exc.http_status in {403, 404} else 400
    message = _period_message(request, exc) if exc.code == "invalid_period" else exc.message
    return _render(request, "indicators/error.html", {"message": message}, status=status)


def _period(request: HttpRequest) -> Any:
    raw = request.GET.get("period", "").strip()
    return parse_period(raw) if raw else current_month(timezone.now())


def _period_message(request: HttpRequest, exc: DomainError) -> str:
    """The reader's words for a period `parse_period` refused (its own message is for the API)."""
    value = request.GET.get("period", "").strip()
    if "ends before it starts" in exc.message:
        return gettext("The period “%(value)s” ends before it starts: put the earlier date first.") % {"value": value}
    if "five years" in exc.message:
        return gettext("The period “%(value)s” is longer than five years: choose a shorter one.") % {"value": value}
    return gettext(
        "“%(value)s” is not a period. Write a month (2026-03), a quarter (2026-Q1), a year (2026) "
        "or two dates joined by two dots (2026-01-05..2026-02-20)."
    ) % {"value": value}


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
    except DomainError as exc:
        return _error(request, exc)
    period_error = ""
    try:
        period = _period(request)
    except DomainError as exc:
        # The form stays on the page with the message next to the field; the figures shown are
        # those of the current month, and the heading says so.
        period_error = _period_message(request, exc)
        period = current_month(timezone.now())
    now = timezone.now()
    cards, sub = selectors.scorecards(agency, period, now=now)
    card = cards[agency.pk]
    ranked = sorted(
        (selectors.Ranked(sub.agencies[pk], c) for pk, c in cards.items() if pk != agency.pk),
        key=lambda r: (-r.card.total, r.agency.code),
    )
    trend = selectors.trend(agency, last_months(now, 12), now=now)
    ops = selectors.open_dossiers(agency, now=now)
    data = scorecard_dict(agency, period, card)
    for group in data["groups"]:
        group["bar"] = charts.bar(group["points"], group["max_points"])
        for item in group["items"]:
            item["bar"] = charts.bar(item["points"], item["max_points"])
            item["drill_labels"] = [flag_label(flag) for flag in item["drill"] or ()]
    return _render(
        request,
        "indicators/dashboard.html",
        {
            "agency": agency,
            "period": period,
            "period_input": request.GET.get("period", "").strip() if period_error else period.label,
            "period_error": period_error,
            "card": data,
            "total_bar": charts.bar(card.total, 100),
            "children": [_ranked_row(r) for r in ranked],
            "trend": [_trend_row(p, c) for p, c in trend],
            "trend_chart": charts.trend_chart(trend),
            "overdue": ops["overdue"],
            "due_soon": ops["due_soon"],
            "shares": _shares(card),
            "open_data": _open_data_links(period),
            "legend": charts.legend(),
        },
        status=400 if period_error else 200,
    )


def _ranked_row(r: selectors.Ranked) -> dict[str, Any]:
    return {
        "agency": r.agency,
        "card": r.card,
        "classification": classification_label(r.card.classification),
        "bar": charts.bar(r.card.total, 100),
    }


def _trend_row(period: Period, card: Scorecard) -> dict[str, Any]:
    return {
        "period": period,
        "card": card,
        "bar": charts.bar(card.total, 100),
        "on_time_pct": None if not card.received else round(100 * card.on_time / card.received, 1),
    }


def _open_data_links(period: Period) -> dict[str, str]:
    """The public open data of the period (aggregates only), as CSV for a spreadsheet and JSON."""
    query = urlencode({"period": period.label})
    return {
        "as_csv": f"{reverse('api-v1:indicator_open_data_csv')}?{query}",
        "as_xlsx": f"{reverse('api-v1:indicator_open_data_xlsx')}?{query}",
        "as_json": f"{reverse('api-v1:indicator_open_data')}?{query}",
    }


#: The sub-indicators shown as headline shares: on time, online, digitised, satisfaction.
HEADLINE_KEYS = ("2.1", "3.0", "4.2", "6.3")


def _shares(card: Scorecard) -> list[dict[str, Any]]:
    """Headline shares for a manager at a glance, labelled from the definitions table."""
    out = []
    for key in HEADLINE_KEYS:
        item = card.item(key)
        pct = None if item.rate is None else round(100 * item.rate, 1)
        out.append({"key": key, "label": item.label, "pct": pct, "bar": charts.bar(pct, 100)})
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
        request,
        "indicators/drilldown.html",
        {"agency": agency, "period": period, "flag": flag, "flag_label": flag_label(flag), "rows": rows},
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
    statuses = dict(FeedbackStatus.choices)
    for row in body["items"]:
        row["reason_label"] = REASONS.get(row["reason"], row["reason"])
        if "status" in row:
            row["status_label"] = statuses.get(row["status"], row["status"])
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
