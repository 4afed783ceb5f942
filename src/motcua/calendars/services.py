"""Builds the working-time calendar of an agency from national holidays and editable data.

The arithmetic lives in the pure module `worktime`; this module only gathers its inputs.
Calendars are cached per process for `CACHE_SECONDS`, and the cache is cleared in this
process whenever an override is written through `calendar_override_set`.
"""

from __future__ import annotations

import time as _time
from datetime import date, datetime, time

from django.db import transaction

from motcua.calendars import worktime
from motcua.calendars.models import CalendarOverride, OverrideKind
from motcua.lib.cache import also_clear
from motcua.lib.errors import InvalidInput
from motcua.lib.hours import parse_windows

CACHE_SECONDS = 60.0
#: Years whose holidays the calendars load; instants outside them are refused (no silent gaps).
CALENDAR_YEARS = range(2018, 2041)
_cache: dict[tuple[int | None, str], tuple[float, worktime.WorkCalendar]] = {}


def calendar_for(agency_id: int | None = None, *, lang: str = "en") -> worktime.WorkCalendar:
    """The calendar an agency works by (province-wide when `agency_id` is None)."""
    key = (agency_id, lang)
    hit = _cache.get(key)
    now = _time.monotonic()
    if hit and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    cal = _build(agency_id, lang)
    _cache[key] = (now, cal)
    return cal


def preload() -> None:
    """Compute the national holidays of CALENDAR_YEARS in both languages (no database).

    A web worker calls it when it starts (`config/wsgi.py`), so that its first request that
    needs a calendar does not import the `holidays` package's country modules and compute
    twenty-odd years of lunar holidays (seconds on a busy host); the results are cached per
    process (`worktime`'s per-year caches), and the overrides are still read per cache period.
    """
    for lang in ("en", "vi"):
        worktime.vietnam_days_off(CALENDAR_YEARS, lang)
        worktime.vietnam_extra_working_days(CALENDAR_YEARS, lang)


def clear_cache() -> None:
    _cache.clear()


also_clear(clear_cache)


def _build(agency_id: int | None, lang: str) -> worktime.WorkCalendar:
    from motcua.organizations.models import Agency

    windows = worktime.DEFAULT_WINDOWS
    scope_ids: list[int] = []
    if agency_id is not None:
        agency = Agency.objects.only("path", "working_hours").get(pk=agency_id)
        windows = parse_windows(agency.working_hours)
        scope_ids = [int(part) for part in agency.path.strip("/").split("/") if part]
    extra_off: dict[date, str] = {}
    extra_work: dict[date, str] = {}
    # Province-wide rows first, then from the root agency down, so the nearest one wins.
    rank = {aid: i for i, aid in enumerate(scope_ids)}
    rows = sorted(
        CalendarOverride.objects.filter(agency__isnull=True) | CalendarOverride.objects.filter(agency_id__in=scope_ids),
        key=lambda row: -1 if row.agency_id is None else rank[row.agency_id],
    )
    for row in rows:
        reason = row.reason_en if lang == "en" and row.reason_en else row.reason
        target, other = (extra_off, extra_work) if row.kind == OverrideKind.DAY_OFF else (extra_work, extra_off)
        target[row.date] = reason
        other.pop(row.date, None)
    from django.conf import settings

    return worktime.national_calendar(
        CALENDAR_YEARS,
        lang=lang,
        extra_days_off=extra_off,
        extra_working_days=extra_work,
        windows=windows,
        cultural_day_off=bool(settings.MOTCUA["CULTURAL_DAY_OFF"]),
        announced_through=int(settings.MOTCUA["CALENDAR_ANNOUNCED_THROUGH"]),
    )


@transaction.atomic
def calendar_override_set(
    *, day: date, kind: str, reason: str, reason_en: str = "", agency_id: int | None = None, legal_basis: str = ""
) -> CalendarOverride:
    if kind not in OverrideKind.values:
        raise InvalidInput(f"Unknown override kind {kind!r}; use day_off or working_day.", code="invalid_override")
    if not reason.strip():
        raise InvalidInput("Say why the day changes (e.g. the Prime Minister's notice).", code="missing_reason")
    row, _ = CalendarOverride.objects.update_or_create(
        # None = the whole province; Django turns `agency_id=None` into IS NULL, but django-stubs
        # types `<fk>_id` lookups as non-null even on a nullable foreign key.
        agency_id=agency_id,  # type: ignore[misc]
        date=day,
        defaults={"kind": kind, "reason": reason, "reason_en": reason_en, "legal_basis": legal_basis},
    )
    transaction.on_commit(clear_cache)
    return row


@transaction.atomic
def calendar_override_delete(*, override: CalendarOverride) -> None:
    """Drop a day swap; the day is again what the national calendar says."""
    override.delete()
    transaction.on_commit(clear_cache)


def default_cutoff() -> time:
    from django.conf import settings

    return time.fromisoformat(str(settings.MOTCUA["DEFAULT_CUTOFF"]))


def due_for(
    *,
    start: datetime,
    amount: int,
    unit: str,
    agency_id: int | None,
    cutoff: time | None,
    pauses: tuple[worktime.Pause, ...] = (),
    lang: str = "en",
) -> worktime.DueDate:
    return worktime.compute_due(start, amount, unit, calendar_for(agency_id, lang=lang), cutoff=cutoff, pauses=pauses)
