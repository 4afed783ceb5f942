"""Public calendar endpoints: due instants with their explanation, and working days."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from motcua.calendars import worktime
from motcua.calendars.services import CALENDAR_YEARS, calendar_for, default_cutoff
from motcua.lib.errors import InvalidInput
from motcua.organizations.selectors import agency_get

router = Router(tags=["calendar"])


def _check_covered(day: date, what: str) -> None:
    """Holidays are loaded only for CALENDAR_YEARS; outside them an answer would silently
    skip no holiday (no Tết), so it is refused instead of being wrong."""
    if day.year not in CALENDAR_YEARS:
        raise InvalidInput(
            f"{what} {day:%d/%m/%Y} is outside the years the calendar knows "
            f"({CALENDAR_YEARS[0]}–{CALENDAR_YEARS[-1]}).",
            code="outside_calendar",
        )


MAX_AMOUNT = 3660
MAX_RANGE_DAYS = 3660


class DueDateIn(Schema):
    start: datetime = Field(description="Receipt instant, ISO 8601; without an offset it is read in Asia/Ho_Chi_Minh.")
    amount: int = Field(ge=0, le=MAX_AMOUNT, description="How many units.")
    unit: worktime.Unit = Field(description="working_days, working_hours, calendar_days or months.")
    agency: str | None = Field(None, description="Electronic code of the agency whose calendar applies.")
    lang: str = Field("en", pattern="^(en|vi)$", description="Language of the explanation.")


class DueDateOut(Schema):
    due: str
    clock_start: str
    explanation: list[str]
    skipped_days: list[dict[str, str]]
    provisional: bool = Field(description="The due lies in a year whose days off the government has not announced yet.")


@router.get("/due-date", response=DueDateOut, auth=None, summary="When is a dossier due?")
def due_date(request: HttpRequest, params: Query[DueDateIn]) -> dict[str, object]:
    _check_covered(params.start.date(), "The start")
    agency_id = agency_get(code=params.agency).pk if params.agency else None
    cal = calendar_for(agency_id, lang=params.lang)
    try:
        result = worktime.compute_due(params.start, params.amount, params.unit, cal, cutoff=default_cutoff())
    except (ValueError, OverflowError) as exc:
        raise InvalidInput(str(exc), code="invalid_due_date_request") from exc
    _check_covered(result.due.date(), "The due date")
    return {
        "due": result.due.isoformat(),
        "clock_start": result.clock_start.isoformat(),
        "explanation": list(result.explanation),
        "skipped_days": [{"date": d.isoformat(), "reason": reason} for d, reason in result.skipped_days],
        "provisional": result.provisional,
    }


class WorkingDaysIn(Schema):
    from_: date = Field(alias="from", description="First date (inclusive).")
    to: date = Field(description="Last date (inclusive).")
    agency: str | None = None


class WorkingDaysOut(Schema):
    working_days: list[date]
    count: int
    days_off: list[dict[str, str]]
    provisional_years: list[int] = Field(
        description="Years of the range whose days off the government has not announced yet: "
        "their holidays are computed from the Labour Code and may change."
    )


@router.get("/working-days", response=WorkingDaysOut, auth=None, summary="Working days in a date range")
def working_days(request: HttpRequest, params: Query[WorkingDaysIn]) -> dict[str, object]:
    if params.to < params.from_:
        raise InvalidInput("'to' must not be before 'from'.", code="invalid_range")
    if (params.to - params.from_).days > MAX_RANGE_DAYS:
        raise InvalidInput(f"Ask for at most {MAX_RANGE_DAYS} days at a time.", code="range_too_long")
    _check_covered(params.from_, "'from'")
    _check_covered(params.to, "'to'")
    agency_id = agency_get(code=params.agency).pk if params.agency else None
    cal = calendar_for(agency_id)
    days = worktime.working_days(params.from_, params.to, cal)
    off = []
    current = params.from_
    working = set(days)
    from datetime import timedelta

    while current <= params.to:
        if current not in working:
            off.append({"date": current.isoformat(), "reason": cal.day_off_reason(current) or ""})
        current += timedelta(days=1)
    years = range(params.from_.year, params.to.year + 1)
    provisional = [year for year in years if cal.is_provisional(date(year, 1, 1))]
    return {"working_days": days, "count": len(days), "days_off": off, "provisional_years": provisional}
