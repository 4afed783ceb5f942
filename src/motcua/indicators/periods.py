"""Reporting periods of Indicator set 766: month, quarter, year or a custom range.

docs/indicators.md (periods are a month, a quarter or a year; the satisfaction API takes a date
range) and the adopted rules (a dossier belongs to a period when its receipt instant falls in it, dates in
Asia/Ho_Chi_Minh, bounds inclusive). Pure Python: no ORM.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from motcua.lib.errors import InvalidInput

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Period:
    """Inclusive local dates [first, last]."""

    first: date
    last: date
    label: str

    @property
    def start(self) -> datetime:
        """First instant of the period (00:00 local on the first day)."""
        return datetime.combine(self.first, time(0), VN_TZ)

    @property
    def end(self) -> datetime:
        """Last instant of the period (the last microsecond of the last local day).

        adopted rule 2.1 judges an open dossier at min(period end, now); the end of an inclusive
        period is the end of its last day.
        """
        return datetime.combine(self.last + timedelta(days=1), time(0), VN_TZ) - timedelta(microseconds=1)

    def contains(self, instant: datetime) -> bool:
        return self.first <= local_day(instant) <= self.last

    def months(self) -> list[date]:
        """First days of the months the period touches."""
        out = []
        cursor = self.first.replace(day=1)
        while cursor <= self.last:
            out.append(cursor)
            cursor = _next_month(cursor)
        return out

    def full_months(self) -> list[date]:
        """Months entirely inside the period (served from monthly counters)."""
        return [m for m in self.months() if m >= self.first and _next_month(m) - timedelta(days=1) <= self.last]

    def partial_ranges(self) -> list[tuple[date, date]]:
        """Day ranges of the period outside full months (served from per-dossier facts)."""
        full = set(self.full_months())
        out = []
        for m in self.months():
            if m in full:
                continue
            out.append((max(m, self.first), min(_next_month(m) - timedelta(days=1), self.last)))
        return out


def local_day(instant: datetime) -> date:
    return instant.astimezone(VN_TZ).date()


def month_of(instant: datetime) -> date:
    return local_day(instant).replace(day=1)


def _next_month(d: date) -> date:
    return date(d.year + 1, 1, 1) if d.month == 12 else date(d.year, d.month + 1, 1)


def month_period(year: int, month: int) -> Period:
    first = date(year, month, 1)
    return Period(first, _next_month(first) - timedelta(days=1), f"{year}-{month:02d}")


def parse_period(text: str) -> Period:
    """`2026-03` (month), `2026-Q1` (quarter), `2026` (year) or `2026-01-05..2026-02-20`."""
    value = (text or "").strip()
    try:
        if m := _MONTH.match(value):
            return month_period(int(m[1]), int(m[2]))
        if m := _QUARTER.match(value):
            year, q = int(m[1]), int(m[2])
            first = date(year, 3 * q - 2, 1)
            last = _next_month(date(year, 3 * q, 1)) - timedelta(days=1)
            return Period(first, last, f"{year}-Q{q}")
        if m := _YEAR.match(value):
            year = int(m[1])
            return Period(date(year, 1, 1), date(year, 12, 31), str(year))
        if m := _RANGE.match(value):
            first, last = date.fromisoformat(m[1]), date.fromisoformat(m[2])
            if last < first:
                raise InvalidInput("The period ends before it starts.", code="invalid_period")
            if (last - first).days > 366 * 5:
                raise InvalidInput("A custom period is at most five years long.", code="invalid_period")
            return Period(first, last, f"{first.isoformat()}..{last.isoformat()}")
    except ValueError:
        pass
    raise InvalidInput(
        f"Unknown period {text!r}: use 2026-03, 2026-Q1, 2026 or 2026-01-05..2026-02-20.", code="invalid_period"
    )


def current_month(now: datetime) -> Period:
    d = local_day(now)
    return month_period(d.year, d.month)


def last_months(now: datetime, count: int) -> list[Period]:
    """The `count` months up to and including the current one, oldest first."""
    d = local_day(now).replace(day=1)
    out = []
    for _ in range(count):
        out.append(month_period(d.year, d.month))
        d = (d - timedelta(days=1)).replace(day=1)
    return list(reversed(out))
