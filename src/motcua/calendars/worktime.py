# long: the one pure module of deadline arithmetic (docs/architecture.md, "Time"):
# calendars, holidays, clock start, due instants and their explanations are read and tested together.
"""Working-time arithmetic for administrative deadlines (pure Python, no Django).

This module is the single, explainable source of every deadline MotCua shows.
It answers "when is this dossier due, and why?" and keeps the answer
reproducible: given the same receipt instant, duration, calendar and pauses it
always returns the same due instant together with human-readable lines that
name every rule applied and every day skipped.

Legal basis (see ``docs/legal-basis.md``, sections Working days and Deadlines):

* **Working days.** Labor Code 2019 Art. 112 lists the public holidays
  (New Year, five days of Lunar New Year, Hung Kings' Day on 10/3 lunar,
  30/4, 1/5, 2/9 plus one adjacent day); Resolution 80-NQ/TW adds 24/11
  "Vietnam Cultural Day" from 2026.  A holiday falling on the weekly rest day
  gives a day off in lieu, and the Prime Minister's yearly plan may *swap* a
  weekday off against a working Saturday.  The dates come from the PyPI
  ``holidays`` package (Vietnamese lunar calendar, UTC+7) and are merged with
  editable overrides, because the package misses some swaps (e.g. the 2026
  New Year swap) -- see :func:`national_calendar`.
* **Duration.** A duration of N working days is N x the daily working time
  (8 h with the default 08:00-12:00, 13:00-17:00 office hours); N working
  hours is N hours of working time; calendar days count every day.  Counting
  in working *time* (not whole days) is what makes "received Monday 10:00,
  1 working day" fall due on Tuesday 10:00, the reading used by the national
  portal when it scores on-time settlement (Decision 766,
  docs/indicators.md).
* **Cut-off.** Decree 63/2024/ND-CP Art. 7.2: a dossier received after 15:00
  counts from the next working day.  The cut-off is a parameter
  (``cutoff=None`` disables it) because it is verified only for the
  Decree 63 groups; elsewhere it is a per-procedure setting (docs/legal-basis.md#deadlines).
* **Pauses.** The legal restart rule after a supplement request is NOT FOUND
  (docs/legal-basis.md#deadlines); the portal *subtracts* the citizen's supplement span.
  MotCua therefore stops the clock during each :class:`Pause`.

All arithmetic is wall-clock arithmetic in the calendar's time zone
(Asia/Ho_Chi_Minh has had no daylight saving time since 1975).
"""

from __future__ import annotations

import functools
import operator
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "DEFAULT_CUTOFF",
    "DEFAULT_WINDOWS",
    "VN_TZ",
    "DueDate",
    "OpenPauseError",
    "Pause",
    "Unit",
    "WorkCalendar",
    "add_working_days",
    "clock_start",
    "compute_due",
    "count_working_days",
    "due_instant",
    "in_working_hours",
    "national_calendar",
    "next_working_day",
    "roll_off_days_off",
    "vietnam_days_off",
    "vietnam_extra_working_days",
    "working_days",
    "working_days_before",
    "working_time_between",
]

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
"""Vietnam has a single time zone, UTC+7, without daylight saving time."""

DEFAULT_WINDOWS: tuple[tuple[time, time], ...] = ((time(8), time(12)), (time(13), time(17)))
"""Office hours of state agencies: 08:00-12:00 and 13:00-17:00 (8 h a day).

Provinces may set other hours (e.g. 07:30-11:30, 13:30-17:00), so the windows
are a field of :class:`WorkCalendar`.
"""

DEFAULT_CUTOFF = time(15)
"""Decree 63/2024 Art. 7.2: received after 15:00 counts from the next working day."""

# Guard against calendars in which no working day can ever be reached
# (e.g. every weekday declared a weekend day): ten years of consecutive days off.
_MAX_CONSECUTIVE_DAYS_OFF = 3660

_ONE_DAY = timedelta(days=1)

_WEEKDAY_NAMES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        "vi": ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"),
    }
)

# Language codes of the ``holidays`` package for our two explanation languages.
_PACKAGE_LANGUAGE: Mapping[str, str] = MappingProxyType({"en": "en_US", "vi": "vi"})

# Explanation templates, one set per language.  Dates are dd/mm/yyyy, the
# Vietnamese convention, in both languages.
_TEXT: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "en": MappingProxyType(
            {
                "received": "Received {when} ({weekday})",
                "received_day_off": ("Received {when} ({weekday}), a day off: {reason}; the clock starts at {start}"),
                "after_cutoff": "Received after the {cutoff} cut-off; the clock starts at {start}",
                "at_receipt": "The clock starts at receipt, {start}",
                "outside_hours": "Received outside working hours; the clock starts at {start}",
                "after_hours": "Received after working hours; the clock starts at {start}",
                "skipped": "Skipped {day} {reason} (day off)",
                "worked": "Worked {weekday} {day}: {reason}",
                "paused": "Clock paused {start} – {end}",
                "paused_reason": "Clock paused {start} – {end}: {reason}",
                "due_working_days": "Due {due} after {amount} working {days} ({worktime} of working time)",
                "due_working_hours": "Due {due} after {amount} working {hours}",
                "due_calendar_days": "Due {due} after {amount} calendar {days}",
                "due_months": "Due {due} after {amount} {months}",
                "rolled": (
                    "The last day, {day}, is a day off ({reason}): the time limit ends at the end "
                    "of the next working day, {due} (Civil Code Art. 148.5)"
                ),
                "month": "month",
                "months": "months",
                "provisional": (
                    "Provisional: the days off of {year} are not announced yet; they are computed "
                    "from the Labour Code and may change"
                ),
                "day": "day",
                "days": "days",
                "hour": "hour",
                "hours": "hours",
                "h": "h",
                "min": "min",
                "day_off": "Day off",
                "swap_known": "Working {weekday} (swapped for {day})",
                "swap_unknown": "Working {weekday} (day swap)",
            }
        ),
        "vi": MappingProxyType(
            {
                "received": "Nhận {when} ({weekday})",
                "received_day_off": ("Nhận {when} ({weekday}), ngày nghỉ: {reason}; bắt đầu tính thời hạn từ {start}"),
                "after_cutoff": "Nhận sau {cutoff}; bắt đầu tính thời hạn từ {start}",
                "at_receipt": "Bắt đầu tính thời hạn ngay khi nhận, {start}",
                "outside_hours": "Nhận ngoài giờ làm việc; bắt đầu tính thời hạn từ {start}",
                "after_hours": "Nhận sau giờ làm việc; bắt đầu tính thời hạn từ {start}",
                "skipped": "Bỏ qua {day} {reason} (ngày nghỉ)",
                "worked": "Làm việc {weekday} {day}: {reason}",
                "paused": "Tạm dừng tính thời hạn {start} – {end}",
                "paused_reason": "Tạm dừng tính thời hạn {start} – {end}: {reason}",
                "due_working_days": "Hạn giải quyết {due} sau {amount} ngày làm việc ({worktime} làm việc)",
                "due_working_hours": "Hạn giải quyết {due} sau {amount} giờ làm việc",
                "due_calendar_days": "Hạn giải quyết {due} sau {amount} ngày theo lịch",
                "due_months": "Hạn giải quyết {due} sau {amount} {months}",
                "rolled": (
                    "Ngày cuối cùng của thời hạn, {day}, là ngày nghỉ ({reason}): thời hạn kết thúc "
                    "vào cuối ngày làm việc tiếp theo, {due} (Điều 148 khoản 5 Bộ luật Dân sự)"
                ),
                "month": "tháng",
                "months": "tháng",
                "provisional": (
                    "Tạm tính: lịch nghỉ năm {year} chưa được công bố; ngày nghỉ được tính theo "
                    "Bộ luật Lao động và có thể thay đổi"
                ),
                "day": "ngày",
                "days": "ngày",
                "hour": "giờ",
                "hours": "giờ",
                "h": "giờ",
                "min": "phút",
                "day_off": "Ngày nghỉ",
                "swap_known": "{weekday} làm việc bù (đổi cho ngày nghỉ {day})",
                "swap_unknown": "{weekday} làm việc bù (hoán đổi ngày làm việc)",
            }
        ),
    }
)


class OpenPauseError(ValueError):
    """Raised when an open pause (``end=None``) stops the clock before the due.

    A pure function cannot know when a pending supplement will be returned, so
    the due instant of a dossier whose clock is still stopped is undefined.
    Callers close the pause (or compute "due if resumed now" by passing
    ``end=now``) before asking for the due.
    """


class Unit(StrEnum):
    """Unit of a procedure's statutory deadline (``ProcedureVersion.time_limit_unit``)."""

    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    CALENDAR_DAYS = "calendar_days"
    MONTHS = "months"


@dataclass(frozen=True)
class Pause:
    """A clock stop, e.g. a supplement request (Form 02) or a wait for payment.

    Working time inside ``[start, end)`` does not count towards the deadline;
    this mirrors the portal, which subtracts the citizen's supplement span
    (docs/legal-basis.md#deadlines).  ``end=None`` means the pause is still open.
    """

    start: datetime
    end: datetime | None
    reason: str = ""


def _empty_mapping() -> Mapping[date, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class WorkCalendar:
    """The working calendar of an agency.

    ``days_off`` holds public holidays, days in lieu, swapped days off and any
    extra day off (date -> reason); ``extra_working_days`` holds swapped
    working Saturdays (date -> reason).  Precedence, most specific first:
    a date in ``days_off`` is never a working day; a date in
    ``extra_working_days`` is a working day even on the weekend; otherwise the
    weekend (``weekend``, Monday = 0) is off and every other day works.

    The mappings are copied into read-only views, so a calendar cannot change
    after it was used to compute a deadline.
    """

    days_off: Mapping[date, str]
    extra_working_days: Mapping[date, str] = field(default_factory=_empty_mapping)
    windows: tuple[tuple[time, time], ...] = DEFAULT_WINDOWS
    weekend: frozenset[int] = frozenset({5, 6})
    tz: ZoneInfo = VN_TZ
    lang: str = "en"
    #: The last year whose days off the government has announced (Labour Code 2019 Art. 112.3:
    #: the Prime Minister fixes the Tết days and the swaps each year). Later years are computed
    #: from the Labour Code and the lunar calendar, and are *provisional*. ``None``: no mark.
    announced_through: int | None = None

    def __post_init__(self) -> None:
        if self.lang not in _TEXT:
            raise ValueError(f"lang must be one of {sorted(_TEXT)}, got {self.lang!r}")
        windows = tuple((start, end) for start, end in self.windows)
        if not windows:
            raise ValueError("a work calendar needs at least one working window")
        for (start, end), following in zip(windows, (*windows[1:], None), strict=True):
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("working windows are wall-clock times without tzinfo")
            if not start < end:
                raise ValueError(f"working window {start:%H:%M}-{end:%H:%M} must start before it ends")
            if following is not None and following[0] < end:
                raise ValueError("working windows must be sorted and must not overlap")
        weekend = frozenset(self.weekend)
        if any(not 0 <= day <= 6 for day in weekend):
            raise ValueError("weekend days are weekday numbers 0 (Monday) to 6 (Sunday)")
        object.__setattr__(self, "windows", windows)
        object.__setattr__(self, "weekend", weekend)
        object.__setattr__(self, "days_off", MappingProxyType(dict(self.days_off)))
        object.__setattr__(self, "extra_working_days", MappingProxyType(dict(self.extra_working_days)))
        # Sorted exceptions to the weekly pattern, for counting working days without a
        # day-by-day walk (`count_working_days`): days off that fall on a weekday, and
        # working days that fall on the weekend. Not fields: equality ignores them.
        object.__setattr__(
            self, "_weekday_days_off", tuple(sorted(d for d in self.days_off if d.weekday() not in weekend))
        )
        object.__setattr__(
            self,
            "_weekend_working_days",
            tuple(sorted(d for d in self.extra_working_days if d.weekday() in weekend and d not in self.days_off)),
        )

    def day_off_reason(self, d: date) -> str | None:
        """Why ``d`` is not a working day, or ``None`` when it is one.

        Returns the holiday / day-off text for dates in ``days_off`` and the
        weekday name ("Saturday" / "Thứ Bảy") for ordinary weekend days.
        """
        reason = self.days_off.get(d)
        if reason is not None:
            return reason or _TEXT[self.lang]["day_off"]
        if d in self.extra_working_days:
            return None
        if d.weekday() in self.weekend:
            return _WEEKDAY_NAMES[self.lang][d.weekday()]
        return None

    def is_provisional(self, d: date) -> bool:
        """True when ``d`` lies in a year whose days off are not announced yet."""
        return self.announced_through is not None and d.year > self.announced_through

    def is_working_day(self, d: date) -> bool:
        """True when ``d`` is a working day (``days_off`` > ``extra_working_days`` > weekend)."""
        return self.day_off_reason(d) is None

    @property
    def daily_working_time(self) -> timedelta:
        """Working time of one working day: the sum of the windows (8 h by default)."""
        return sum(
            (
                _combine(date(2000, 1, 3), end, None) - _combine(date(2000, 1, 3), start, None)
                for start, end in self.windows
            ),
            timedelta(),
        )


@dataclass(frozen=True)
class DueDate:
    """A computed deadline and the reasons behind it.

    ``due`` and ``clock_start`` are aware datetimes in the calendar's time
    zone.  ``explanation`` is a tuple of human-readable lines in the
    calendar's language; ``skipped_days`` lists every non-working day between
    the receipt date and the due date (inclusive) with its reason.
    """

    due: datetime
    clock_start: datetime
    explanation: tuple[str, ...]
    skipped_days: tuple[tuple[date, str], ...]
    #: The due lies in a year whose days off are not announced yet (see ``WorkCalendar``).
    provisional: bool = False


# --------------------------------------------------------------------------
# Vietnamese public holidays (PyPI ``holidays``) and editable overrides
# --------------------------------------------------------------------------


def _check_lang(lang: str) -> None:
    if lang not in _TEXT:
        raise ValueError(f"lang must be one of {sorted(_TEXT)}, got {lang!r}")


@functools.lru_cache(maxsize=256)
def _package_year(year: int, lang: str) -> tuple[tuple[tuple[date, str], ...], frozenset[date]]:
    """Days off and swapped working days of one year as the package knows them (cached)."""
    entity = holidays.country_holidays("VN", years=year, language=_PACKAGE_LANGUAGE[lang])
    days_off = tuple(sorted((d, str(name)) for d, name in entity.items() if d.year == year))
    return days_off, frozenset(entity.weekend_workdays)


def _names_date(name: str, d: date) -> bool:
    """True when a package holiday name refers to ``d`` (dd/mm/yyyy or the en_US mm/dd/yyyy)."""
    return f"{d:%d/%m/%Y}" in name or f"{d:%m/%d/%Y}" in name


@functools.lru_cache(maxsize=256)
def _swaps_of_year(year: int, lang: str) -> tuple[tuple[date, date | None], ...]:
    """Working days of ``year`` swapped against a day off, with that day off when derivable.

    The package keeps the swapped working days in ``weekend_workdays`` and
    labels the matching day off "Day off (substituted from <working day>)";
    the pair is recovered from that label.  Swaps may cross a year boundary
    (e.g. Sat 27/12/2014 worked for Fri 02/01/2015), hence the three years.
    """
    workdays: set[date] = set()
    days_off: list[tuple[date, str]] = []
    for y in (year - 1, year, year + 1):
        year_off, year_workdays = _package_year(y, lang)
        workdays.update(year_workdays)
        days_off.extend(year_off)
    pairs: list[tuple[date, date | None]] = []
    for workday in sorted(w for w in workdays if w.year == year):
        swapped = next((d for d, name in days_off if d != workday and _names_date(name, workday)), None)
        pairs.append((workday, swapped))
    return tuple(pairs)


@functools.lru_cache(maxsize=256)
def _days_off_of_year(year: int, lang: str) -> tuple[tuple[date, str], ...]:
    days_off, _ = _package_year(year, lang)
    # The English labels of substituted days carry the working day in the
    # US format ("substituted from 04/26/2025"); rewrite it as dd/mm/yyyy so
    # every date a citizen reads has the same format.
    rewrites = {
        swapped: (f"{workday:%m/%d/%Y}", f"{workday:%d/%m/%Y}")
        for y in (year - 1, year, year + 1)
        for workday, swapped in _swaps_of_year(y, lang)
        if swapped is not None
    }
    fixed: list[tuple[date, str]] = []
    for d, name in days_off:
        if d in rewrites:
            us_format, vn_format = rewrites[d]
            name = name.replace(us_format, vn_format)
        fixed.append((d, name))
    return tuple(fixed)


def vietnam_days_off(years: Iterable[int], lang: str = "en") -> dict[date, str]:
    """Public holidays and days off in Vietnam for ``years`` (date -> name).

    From ``holidays.country_holidays("VN", ...)``: Labor Code 2019 Art. 112
    holidays on the Vietnamese lunar calendar (Lunar New Year, Hung Kings'
    Day), days in lieu of holidays falling on a weekend, 24/11 Vietnam
    Cultural Day from 2026 (Resolution 80-NQ/TW) and the substituted days off
    of the yearly swap plans the package knows.  Per-year results are cached.
    """
    _check_lang(lang)
    result: dict[date, str] = {}
    for year in sorted(set(years)):
        result.update(_days_off_of_year(year, lang))
    return result


def vietnam_extra_working_days(years: Iterable[int], lang: str = "en") -> dict[date, str]:
    """Swapped working Saturdays in ``years`` known to the ``holidays`` package.

    The reason names the day off the Saturday was swapped for when the
    package label allows it ("Working Saturday (swapped for 02/05/2025)"),
    else "Working Saturday (day swap)".
    """
    _check_lang(lang)
    text = _TEXT[lang]
    result: dict[date, str] = {}
    for year in sorted(set(years)):
        for workday, swapped in _swaps_of_year(year, lang):
            weekday = _WEEKDAY_NAMES[lang][workday.weekday()]
            if swapped is None:
                result[workday] = text["swap_unknown"].format(weekday=weekday)
            else:
                result[workday] = text["swap_known"].format(weekday=weekday, day=_fmt_date(swapped))
    return result


#: How the ``holidays`` package names 24/11 (and its day in lieu, "... (observed)" /
#: "... (nghỉ bù)") in the two explanation languages.
CULTURAL_DAY_NAMES = ("Vietnam Cultural Day", "Ngày Văn hóa Việt Nam")


def national_calendar(
    years: Iterable[int],
    *,
    lang: str = "en",
    extra_days_off: Mapping[date, str] = MappingProxyType({}),
    extra_working_days: Mapping[date, str] = MappingProxyType({}),
    windows: tuple[tuple[time, time], ...] = DEFAULT_WINDOWS,
    cultural_day_off: bool = True,
    announced_through: int | None = None,
) -> WorkCalendar:
    """The national civil-service calendar for ``years`` with editable overrides.

    ``cultural_day_off=False`` drops 24/11 Vietnam Cultural Day (and its day in lieu) that the
    package adds from 2026 after Resolution 80-NQ/TW, for as long as the Labour Code is not
    amended to list it (``docs/legal-basis.md``); an explicit override day off still wins.
    ``announced_through`` marks later years as provisional (see ``WorkCalendar``).

    The yearly day swaps are decided by the Prime Minister each year and the
    package misses some (e.g. 02/01/2026 off against Sat 10/01/2026), so they
    must stay editable data (docs/legal-basis.md#working-days-and-holidays).  Overrides win over the package:
    an override working day removes a package day off, and an override day
    off removes a package working Saturday.  A date in both overrides is
    ambiguous and rejected.

    Load every year a deadline may reach (e.g. the current and the next
    year): dates outside ``years`` have no holidays.
    """
    conflict = sorted(set(extra_days_off) & set(extra_working_days))
    if conflict:
        dates = ", ".join(_fmt_date(d) for d in conflict)
        raise ValueError(f"dates both in extra_days_off and extra_working_days: {dates}")
    year_list = sorted(set(years))
    days_off = vietnam_days_off(year_list, lang)
    if not cultural_day_off:
        days_off = {d: name for d, name in days_off.items() if not name.startswith(CULTURAL_DAY_NAMES)}
    working = vietnam_extra_working_days(year_list, lang)
    days_off.update(extra_days_off)
    working.update(extra_working_days)
    for d in extra_working_days:
        days_off.pop(d, None)
    for d in extra_days_off:
        working.pop(d, None)
    return WorkCalendar(
        days_off=days_off,
        extra_working_days=working,
        windows=windows,
        lang=lang,
        announced_through=announced_through,
    )


# --------------------------------------------------------------------------
# Day-level helpers
# --------------------------------------------------------------------------


def next_working_day(d: date, cal: WorkCalendar) -> date:
    """The first working day strictly after ``d``."""
    return _step_working_day(d, 1, cal)


def _step_working_day(d: date, step: int, cal: WorkCalendar) -> date:
    for _ in range(_MAX_CONSECUTIVE_DAYS_OFF):
        d += timedelta(days=step)
        if cal.is_working_day(d):
            return d
    raise ValueError(f"no working day within {_MAX_CONSECUTIVE_DAYS_OFF} days of {_fmt_date(d)}")


def add_working_days(d: date, n: int, cal: WorkCalendar) -> date:
    """The ``n``-th working day after ``d`` (``n < 0``: the ``|n|``-th before; ``n == 0``: ``d``).

    Used for whole-day rules such as "notify at least 1 working day before
    the due date" (apology letter, Form 04; docs/legal-basis.md#late-results-and-the-new-date).
    """
    step = 1 if n > 0 else -1
    for _ in range(abs(n)):
        d = _step_working_day(d, step, cal)
    return d


def count_working_days(from_date: date, to_date: date, cal: WorkCalendar) -> int:
    """How many working days ``[from_date, to_date]`` holds (both inclusive; 0 when empty).

    Arithmetic on the weekly pattern, corrected by the calendar's sorted exceptions with
    two binary searches each: O(log holidays) whatever the span, so a queue of dossiers
    overdue by months costs no more than one due today.
    """
    if to_date < from_date:
        return 0
    span = (to_date - from_date).days + 1
    weeks, rest = divmod(span, 7)
    per_week = 7 - len(cal.weekend)
    first = from_date.weekday()
    count = weeks * per_week + sum(1 for i in range(rest) if (first + i) % 7 not in cal.weekend)
    off: tuple[date, ...] = cal._weekday_days_off  # type: ignore[attr-defined]
    extra: tuple[date, ...] = cal._weekend_working_days  # type: ignore[attr-defined]
    count -= bisect_right(off, to_date) - bisect_left(off, from_date)
    count += bisect_right(extra, to_date) - bisect_left(extra, from_date)
    return count


def working_days(from_date: date, to_date: date, cal: WorkCalendar) -> list[date]:
    """Working days in ``[from_date, to_date]`` (both bounds inclusive), in order."""
    days: list[date] = []
    d = from_date
    while d <= to_date:
        if cal.is_working_day(d):
            days.append(d)
        d += _ONE_DAY
    return days


# --------------------------------------------------------------------------
# Instants, windows and pauses
# --------------------------------------------------------------------------


def _combine(d: date, t: time, tz: ZoneInfo | None) -> datetime:
    return datetime.combine(d, t, tzinfo=tz)


def _localize(dt: datetime, cal: WorkCalendar) -> datetime:
    """Naive datetimes are read in ``cal.tz``; aware ones are converted to it."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        return dt.replace(tzinfo=cal.tz)
    return dt.astimezone(cal.tz)


def _windows_on(d: date, cal: WorkCalendar) -> list[tuple[datetime, datetime]]:
    if not cal.is_working_day(d):
        return []
    return [(_combine(d, start, cal.tz), _combine(d, end, cal.tz)) for start, end in cal.windows]


def in_working_hours(instant: datetime, cal: WorkCalendar) -> bool:
    """True when ``instant`` falls inside one of the working windows of a working day.

    A window is half-open: 08:00 is inside, 12:00 (the close of the morning window)
    is not.  Receiving a dossier outside these hours needs a stated reason
    (docs/legal-basis.md, receipts outside working hours).
    """
    local_instant = _localize(instant, cal)
    return any(start <= local_instant < end for start, end in _windows_on(local_instant.date(), cal))


def _opening(d: date, cal: WorkCalendar) -> datetime:
    return _combine(d, cal.windows[0][0], cal.tz)


@dataclass(frozen=True)
class _Stop:
    """A merged clock stop in ``cal.tz``; ``end`` is ``None`` while still open."""

    start: datetime
    end: datetime | None
    reasons: tuple[str, ...]


def _merge_pauses(pauses: Sequence[Pause], cal: WorkCalendar) -> list[_Stop]:
    """Localise, sort and merge overlapping or touching pauses; drop empty ones."""
    stops: list[tuple[datetime, datetime | None, str]] = []
    for pause in pauses:
        start = _localize(pause.start, cal)
        end = None if pause.end is None else _localize(pause.end, cal)
        if end is not None and end < start:
            raise ValueError(f"pause ends before it starts: {_fmt_instant(start)} – {_fmt_instant(end)}")
        if end is not None and end == start:
            continue
        stops.append((start, end, pause.reason))
    stops.sort(key=lambda stop: stop[0])
    merged: list[_Stop] = []
    for start, end, reason in stops:
        if merged:
            last = merged[-1]
            if last.end is None or start <= last.end:
                new_end = None if last.end is None or end is None else max(last.end, end)
                reasons = last.reasons if not reason or reason in last.reasons else (*last.reasons, reason)
                merged[-1] = _Stop(last.start, new_end, reasons)
                continue
        merged.append(_Stop(start, end, (reason,) if reason else ()))
    return merged


def _free_segments(
    seg_start: datetime, seg_end: datetime, stops: Sequence[_Stop]
) -> Iterator[tuple[datetime, datetime]]:
    """Parts of ``[seg_start, seg_end)`` outside every stop (stops sorted, disjoint)."""
    cursor = seg_start
    for stop in stops:
        if stop.end is not None and stop.end <= cursor:
            continue
        if stop.start >= seg_end:
            break
        if stop.start > cursor:
            yield cursor, stop.start
        if stop.end is None or stop.end >= seg_end:
            return
        cursor = stop.end
    if cursor < seg_end:
        yield cursor, seg_end


def working_time_between(a: datetime, b: datetime, cal: WorkCalendar, pauses: Sequence[Pause] = ()) -> timedelta:
    """Working time in ``[a, b)`` minus the pauses; ``timedelta(0)`` when ``b <= a``.

    An open pause (``end=None``) stops the clock from its start onwards, so it
    answers "how much working time has elapsed so far" during a pending
    supplement.
    """
    start = _localize(a, cal)
    end = _localize(b, cal)
    if end <= start:
        return timedelta()
    stops = _merge_pauses(pauses, cal)
    total = timedelta()
    d = start.date()
    last = end.date()
    if not stops and (last - d).days > 1:
        # Whole days between the first and the last count a full working day each
        # (windows are wall-clock times, so a day's working time is always
        # `daily_working_time`); only the two ends are walked window by window.
        inner = count_working_days(d + _ONE_DAY, last - _ONE_DAY, cal)
        return (
            inner * cal.daily_working_time
            + working_time_between(start, _combine(d + _ONE_DAY, time(0), cal.tz), cal)
            + working_time_between(_combine(last, time(0), cal.tz), end, cal)
        )
    while d <= last:
        for ws, we in _windows_on(d, cal):
            seg_start = max(ws, start)
            seg_end = min(we, end)
            if seg_start < seg_end:
                for fs, fe in _free_segments(seg_start, seg_end, stops):
                    total += fe - fs
        d += _ONE_DAY
    return total


# --------------------------------------------------------------------------
# Clock start and due
# --------------------------------------------------------------------------


def clock_start(
    received: datetime, cal: WorkCalendar, cutoff: time | None = DEFAULT_CUTOFF
) -> tuple[datetime, list[str]]:
    """The instant the clock starts for a dossier received at ``received``.

    * On a day off: the opening of the next working day.
    * On a working day at or after ``cutoff`` (Decree 63/2024 Art. 7.2,
      "received after 15:00 counts from the next working day"): the opening
      of the next working day.  ``cutoff=None`` disables the rule.
    * Otherwise at the receipt instant when it falls inside a working window,
      else at the next opening that day (early morning -> 08:00, lunch ->
      13:00), else (no window left that day) the next working day's opening.

    Returns the start (aware, in ``cal.tz``) and the explanation lines.
    """
    text = _TEXT[cal.lang]
    r = _localize(received, cal)
    d = r.date()
    when = f"{_fmt_date(d)} {r:%H:%M}"
    weekday = _WEEKDAY_NAMES[cal.lang][d.weekday()]
    reason = cal.day_off_reason(d)
    if reason is not None:
        start = _opening(next_working_day(d, cal), cal)
        line = text["received_day_off"].format(when=when, weekday=weekday, reason=reason, start=_fmt_instant(start))
        return start, [line]
    lines = [text["received"].format(when=when, weekday=weekday)]
    if cutoff is not None and r.time() >= cutoff:
        start = _opening(next_working_day(d, cal), cal)
        lines.append(text["after_cutoff"].format(cutoff=f"{cutoff:%H:%M}", start=_fmt_instant(start)))
        return start, lines
    for ws, we in _windows_on(d, cal):
        if r < we:
            if r >= ws:
                lines.append(text["at_receipt"].format(start=_fmt_instant(r)))
                return r, lines
            lines.append(text["outside_hours"].format(start=_fmt_instant(ws)))
            return ws, lines
    start = _opening(next_working_day(d, cal), cal)
    lines.append(text["after_hours"].format(start=_fmt_instant(start)))
    return start, lines


def _parse_amount(amount: int) -> int:
    """Validate a deadline amount: a whole number >= 0 (``bool`` is rejected as a likely slip)."""
    message = f"amount must be a whole number (int) >= 0, got {amount!r}"
    if amount is True or amount is False:
        raise ValueError(message)
    try:
        value = operator.index(amount)
    except TypeError:
        raise ValueError(message) from None
    if value < 0:
        raise ValueError(message)
    return value


def _parse_unit(unit: Unit | str) -> Unit:
    try:
        return Unit(unit)
    except ValueError:
        valid = ", ".join(member.value for member in Unit)
        raise ValueError(f"unknown deadline unit {unit!r}; expected one of: {valid}") from None


def _open_pause_error(stop: _Stop) -> OpenPauseError:
    return OpenPauseError(
        f"the clock is stopped by an open pause since {_fmt_instant(stop.start)}"
        f"{' (' + '; '.join(stop.reasons) + ')' if stop.reasons else ''}, so the due cannot be "
        "reached; close the pause (set its end) before computing the due"
    )


def _walk_working_time(start: datetime, target: timedelta, cal: WorkCalendar, stops: Sequence[_Stop]) -> datetime:
    """The earliest instant at which ``target`` working time has elapsed after ``start``.

    Walks day by day and window by window (not minute by minute).  Because
    the comparison is ``remaining <= segment``, a due reached exactly at the
    end of a window (e.g. 17:00) is that instant, not the next opening.
    """
    if target <= timedelta():
        return start
    open_from = stops[-1].start if stops and stops[-1].end is None else None
    # Calendar dates touched by each stop, for the whole-day fast path.
    stop_days = [(s.start.date(), date.max if s.end is None else s.end.date()) for s in stops]
    next_stop = 0
    daily = cal.daily_working_time
    remaining = target
    first_day = d = start.date()
    days_off_in_a_row = 0
    while True:
        if open_from is not None and _combine(d, time(0), cal.tz) >= open_from:
            raise _open_pause_error(stops[-1])
        if not cal.is_working_day(d):
            days_off_in_a_row += 1
            if days_off_in_a_row > _MAX_CONSECUTIVE_DAYS_OFF:
                raise ValueError(f"no working day within {_MAX_CONSECUTIVE_DAYS_OFF} days of {_fmt_date(d)}")
            d += _ONE_DAY
            continue
        days_off_in_a_row = 0
        while next_stop < len(stop_days) and stop_days[next_stop][1] < d:
            next_stop += 1
        touched = next_stop < len(stop_days) and stop_days[next_stop][0] <= d
        if d != first_day and not touched and remaining > daily:
            # Fast path: a whole, unpaused working day that does not hold the due.
            remaining -= daily
            d += _ONE_DAY
            continue
        for ws, we in _windows_on(d, cal):
            seg_start = max(ws, start)
            if seg_start >= we:
                continue
            for fs, fe in _free_segments(seg_start, we, stops):
                length = fe - fs
                if remaining <= length:
                    return fs + remaining
                remaining -= length
        d += _ONE_DAY


def _walk_calendar_time(start: datetime, target: timedelta, stops: Sequence[_Stop]) -> datetime:
    """``start + target``, extended by every stop that begins before the running due."""
    due = start + target
    for stop in stops:
        if stop.end is not None and stop.end <= start:
            continue
        if stop.start >= due:
            break
        if stop.end is None:
            raise _open_pause_error(stop)
        due += stop.end - max(stop.start, start)
    return due


def _add_months(start: datetime, months: int) -> datetime:
    """The same wall-clock instant ``months`` later; a day the month lacks becomes its last day.

    Civil Code 2015 Art. 148.3: a time limit in months ends on the corresponding day of the
    last month, or on that month's last day when it has no such day (31/01 + 1 month = 28/02).
    """
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    day = min(start.day, (following - _ONE_DAY).day)
    return start.replace(year=year, month=month, day=day)


def roll_off_days_off(due: datetime, cal: WorkCalendar) -> tuple[datetime, str | None]:
    """Civil Code 2015 Art. 148: a time limit counted in days (or months) ends at the end of
    its last day (148.1), and when that day is a weekend day or a holiday, at the end of the
    next working day (148.5). For an office, the end of a day is the close of its last window.

    ``due`` is the instant the counted time runs out. Returns the end of the limit (never
    earlier than ``due``) and the reason of the day off it skipped, or ``None``.
    """
    reason = cal.day_off_reason(due.date())
    day = due.date() if reason is None else next_working_day(due.date(), cal)
    return max(due, _combine(day, cal.windows[-1][1], cal.tz)), reason


# --------------------------------------------------------------------------
# The due instant alone (no explanation): the path the engine and the queues take
# --------------------------------------------------------------------------

_MICRO = 1_000_000


@dataclass(frozen=True)
class _DayTable:
    """Every working day of a calendar between two dates, as sorted ordinals, and the
    working windows as offsets (microseconds) into the day's working time."""

    first: int  # ordinal of the first date the table covers
    last: int  # ordinal of the last date the table covers
    days: list[int]  # ordinals of the working days in [first, last], sorted
    windows: tuple[tuple[int, int, int], ...]  # (wall start µs, wall end µs, working offset at start µs)
    daily: int  # working time of one day, µs
    day_set: frozenset[int]  # the same ordinals, for membership
    origin: datetime  # 00:00 of the day ``first`` in the calendar's time zone


def _micros(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * _MICRO + t.microsecond


def _day_table(cal: WorkCalendar) -> _DayTable:
    """Built once per calendar (calendars are immutable) and kept on it."""
    table: _DayTable | None = cal.__dict__.get("_day_table")
    if table is not None:
        return table
    exceptions = [*cal.days_off, *cal.extra_working_days]
    # The years the calendar knows holidays for, with a year of margin either side; dates
    # outside take the day-by-day walk, which gives the same answer for any date.
    low = date(min(exceptions, default=date(2020, 1, 1)).year - 1, 1, 1)
    high = date(max(exceptions, default=date(2030, 1, 1)).year + 1, 12, 31)
    days = [o for o in range(low.toordinal(), high.toordinal() + 1) if cal.is_working_day(date.fromordinal(o))]
    windows: list[tuple[int, int, int]] = []
    offset = 0
    for start, end in cal.windows:
        windows.append((_micros(start), _micros(end), offset))
        offset += _micros(end) - _micros(start)
    table = _DayTable(
        low.toordinal(), high.toordinal(), days, tuple(windows), offset, frozenset(days), _combine(low, time(0), cal.tz)
    )
    object.__setattr__(cal, "_day_table", table)
    return table


def _clock_start_instant(r: datetime, cal: WorkCalendar, cutoff: time | None) -> datetime:
    """:func:`clock_start` without its explanation (``r`` already in ``cal.tz``)."""
    d = r.date()
    if not cal.is_working_day(d) or (cutoff is not None and r.time() >= cutoff):
        return _opening(next_working_day(d, cal), cal)
    for ws, we in _windows_on(d, cal):
        if r < we:
            return r if r >= ws else ws
    return _opening(next_working_day(d, cal), cal)


def _table_start(r: datetime, cutoff: time | None, table: _DayTable) -> tuple[int, int] | None:
    """The clock start of :func:`clock_start` as (index into ``table.days``, working offset µs),
    or ``None`` outside the table."""
    ordinal = r.toordinal()
    if not table.first <= ordinal < table.last:
        return None
    days = table.days
    i = bisect_left(days, ordinal)
    if i == len(days):
        return None
    if days[i] != ordinal:  # a day off: the next working day's opening
        return i, 0
    wall = _micros(r.time())
    if cutoff is None or wall < _micros(cutoff):
        for ws, we, base in table.windows:
            if wall < we:
                return i, base + max(wall - ws, 0)
    return (i + 1, 0) if i + 1 < len(days) else None


def _table_instant(i: int, offset: int, table: _DayTable, tz: ZoneInfo, *, at_close: bool) -> datetime:
    """The wall-clock instant ``offset`` µs of working time into working day ``days[i]``.

    An offset at a window's end is that window's close when ``at_close`` (a due reached
    exactly at 12:00 is 12:00), else the next window's opening (a clock start at 13:00).
    """
    wall = table.windows[-1][1]
    for ws, we, base in table.windows:
        if offset < base + we - ws or (at_close and offset == base + we - ws):
            wall = ws + offset - base
            break
    seconds, micro = divmod(wall, _MICRO)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    day = date.fromordinal(table.days[i])
    return datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=tz)


_UNITS: Mapping[str, Unit] = MappingProxyType({member.value: member for member in Unit})


def _table_position(r: datetime, table: _DayTable) -> int | None:
    """Working time (µs) from the table's first working day to ``r``, or to the next working
    moment when ``r`` falls outside working time; ``None`` outside the table."""
    start = _table_start(r, None, table)
    return None if start is None else start[0] * table.daily + start[1]


def _fast_working_due(
    r: datetime, target: int, cal: WorkCalendar, cutoff: time | None, pauses: Sequence[Pause]
) -> datetime | None:
    """:func:`_walk_working_time` from the clock start, by arithmetic on working-time positions.

    Every instant maps to its position in the calendar's working time (µs since the table's
    first working day), so the working time between two instants is a subtraction, and the
    due is the instant at position clock start + target, pushed on by the working time inside
    each pause that begins before it. ``None`` where the table does not reach.
    """
    table = _day_table(cal)
    begin = _table_start(r, cutoff, table)
    if begin is None:
        return None
    i, offset = begin
    if target == 0:
        return _table_instant(i, offset, table, cal.tz, at_close=False)
    start_position = i * table.daily + offset
    goal = start_position + target
    if pauses:
        begin_at = _table_instant(i, offset, table, cal.tz, at_close=False)
        for stop in _merge_pauses(pauses, cal):
            if stop.end is not None and stop.end <= begin_at:
                continue
            paused_from = _table_position(max(stop.start, begin_at), table)
            if paused_from is None:
                return None
            if paused_from >= goal:
                break
            if stop.end is None:
                raise _open_pause_error(stop)
            paused_to = _table_position(stop.end, table)
            if paused_to is None:
                return None
            goal += paused_to - paused_from
    day, rest = divmod(goal, table.daily)
    if rest == 0:  # due exactly at the close of a day's last window (17:00, not 08:00 next day)
        day, rest = day - 1, table.daily
    if day >= len(table.days):
        return None
    return _table_instant(day, rest, table, cal.tz, at_close=True)


def due_instant(
    start: datetime,
    amount: int,
    unit: Unit | str,
    cal: WorkCalendar,
    *,
    cutoff: time | None = DEFAULT_CUTOFF,
    pauses: Sequence[Pause] = (),
) -> datetime:
    """``compute_due(...).due`` without building the explanation.

    Same rules and the same answer (a property test holds the two equal). A working-time due
    is found by arithmetic on the calendar's sorted table of working days (binary searches)
    instead of a walk over the days; a calendar-time due needs no walk either.
    """
    kind = _UNITS.get(unit) if isinstance(unit, str) else None
    if kind is None:
        kind = _parse_unit(unit)
    if type(amount) is not int or amount < 0:
        amount = _parse_amount(amount)
    r = start if start.tzinfo is cal.tz else _localize(start, cal)
    if kind is Unit.WORKING_DAYS or kind is Unit.WORKING_HOURS:
        micros = amount * (_day_table(cal).daily if kind is Unit.WORKING_DAYS else 3600 * _MICRO)
        fast = _fast_working_due(r, micros, cal, cutoff, pauses)
        if fast is not None:
            return fast
        stops = _merge_pauses(pauses, cal)
        return _walk_working_time(_clock_start_instant(r, cal, cutoff), timedelta(microseconds=micros), cal, stops)
    if kind is Unit.CALENDAR_DAYS:
        fast = _fast_calendar_due(r, amount, cal, cutoff, pauses)
        if fast is not None:
            return fast
    begin_at = _clock_start_instant(r, cal, cutoff)
    span = timedelta(days=amount) if kind is Unit.CALENDAR_DAYS else _add_months(begin_at, amount) - begin_at
    last = _walk_calendar_time(begin_at, span, _merge_pauses(pauses, cal)) if pauses else begin_at + span
    return roll_off_days_off(last, cal)[0]


_DAY = 86_400 * _MICRO
_ONE_MICRO = timedelta(microseconds=1)


def _calendar_start(position: int, cutoff: time | None, table: _DayTable) -> int | None:
    """The clock start of :func:`clock_start` for the receipt at ``position`` (wall-clock µs
    since ``table.origin``), as such a position; ``None`` outside the table."""
    day, wall = divmod(position, _DAY)
    first = table.first
    if not 0 <= day < table.last - first:
        return None
    if first + day in table.day_set and (cutoff is None or wall < _cutoff_micros(cutoff)):
        for ws, we, _base in table.windows:
            if wall < we:
                return position if wall > ws else position - wall + ws
    days = table.days
    i = bisect_right(days, first + day)  # a day off, past the cut-off or the last window: next opening
    return None if i == len(days) else (days[i] - first) * _DAY + table.windows[0][0]


def _calendar_stops(pauses: Sequence[Pause], cal: WorkCalendar, origin: datetime) -> list[tuple[int, int]] | None:
    """:func:`_merge_pauses` as sorted, disjoint [start, end) wall-clock µs since ``origin``;
    ``None`` for an open pause or one that ends before it starts (the general path decides)."""
    stops: list[tuple[int, int]] = []
    tz = cal.tz
    for pause in pauses:
        start, end = pause.start, pause.end
        if end is None:
            return None
        low = ((start if start.tzinfo is tz else _localize(start, cal)) - origin) // _ONE_MICRO
        high = ((end if end.tzinfo is tz else _localize(end, cal)) - origin) // _ONE_MICRO
        if high < low:
            return None
        if high > low:
            stops.append((low, high))
    if len(stops) < 2:
        return stops
    stops.sort()
    merged = [stops[0]]
    for low, high in stops[1:]:
        if low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def _fast_calendar_due(
    r: datetime, amount: int, cal: WorkCalendar, cutoff: time | None, pauses: Sequence[Pause]
) -> datetime | None:
    """The calendar-day due of :func:`compute_due` by integer arithmetic on wall-clock µs and
    the sorted table of working days; ``None`` where the table does not reach or a pause is
    open or reversed (the general path answers those).

    Wall-clock µs are exact in any time zone: instants in the same ``tzinfo`` (``r`` is in
    ``cal.tz``) are added, subtracted and compared on their wall clocks, as the general path does.
    """
    table = cal.__dict__.get("_day_table") or _day_table(cal)
    origin = table.origin
    begin = _calendar_start((r - origin) // _ONE_MICRO, cutoff, table)
    if begin is None:
        return None
    due = begin + amount * _DAY
    if pauses:
        stops = _calendar_stops(pauses, cal, origin)
        if stops is None:
            return None
        for low, high in stops:  # _walk_calendar_time
            if high <= begin:
                continue
            if low >= due:
                break
            due += high - (low if low > begin else begin)
    # roll_off_days_off: the close of the last day, or of the next working day when it is off.
    days = table.days
    i = bisect_left(days, table.first + due // _DAY)
    if i == len(days):
        return None
    close = (days[i] - table.first) * _DAY + table.windows[-1][1]
    return origin + _ONE_MICRO * (close if close > due else due)


@functools.lru_cache(maxsize=16)
def _cutoff_micros(cutoff: time) -> int:
    return _micros(cutoff)


# long: one rule per unit, each with the explanation lines it adds, reads best in one place
def compute_due(
    start: datetime,
    amount: int,
    unit: Unit | str,
    cal: WorkCalendar,
    *,
    cutoff: time | None = DEFAULT_CUTOFF,
    pauses: Sequence[Pause] = (),
) -> DueDate:
    """The due instant of a dossier received at ``start`` with a deadline of ``amount`` ``unit``.

    * The clock starts per :func:`clock_start` (same rule for every unit).
    * ``WORKING_DAYS``: ``amount`` x ``cal.daily_working_time`` of working
      time; ``WORKING_HOURS``: ``amount`` hours of working time;
      ``CALENDAR_DAYS``: ``amount`` x 24 h of elapsed time; ``MONTHS``: the
      same instant ``amount`` months later (the month's last day when it has no
      such day, Civil Code Art. 148.3).  For both, the limit ends at the close
      of its last day, or of the next working day when that day is off (Civil
      Code Art. 148.1 and 148.5; see ``docs/legal-basis.md``).
    * The due is the earliest instant at which that much (working) time has
      elapsed after the clock start, not counting time inside pauses
      (overlapping pauses are merged).  A due reached exactly at a window end
      stays at that instant (Tuesday 17:00, not Wednesday 08:00).
    * An open pause that stops the clock before the due raises
      :class:`OpenPauseError`; an open pause starting at or after the due
      does not change it.

    Raises ``ValueError`` for a negative or non-integer ``amount`` or an
    unknown ``unit``.
    """
    amount = _parse_amount(amount)
    kind = _parse_unit(unit)
    text = _TEXT[cal.lang]
    received = _localize(start, cal)
    begin, lines = clock_start(received, cal, cutoff)
    stops = _merge_pauses(pauses, cal)

    if kind in (Unit.CALENDAR_DAYS, Unit.MONTHS):
        span = timedelta(days=amount) if kind is Unit.CALENDAR_DAYS else _add_months(begin, amount) - begin
        last = _walk_calendar_time(begin, span, stops)
        due, day_off = roll_off_days_off(last, cal)
        if kind is Unit.CALENDAR_DAYS:
            due_line = text["due_calendar_days"].format(
                due=_fmt_instant(due), amount=amount, days=text["day" if amount == 1 else "days"]
            )
        else:
            due_line = text["due_months"].format(
                due=_fmt_instant(due), amount=amount, months=text["month" if amount == 1 else "months"]
            )
        skipped: list[tuple[date, str]] = []
        events: list[tuple[datetime, str]] = []
        if day_off is not None:
            rolled = text["rolled"].format(day=_fmt_date(last.date()), reason=day_off, due=_fmt_instant(due))
            events.append((last, rolled))
    else:
        if kind is Unit.WORKING_DAYS:
            target = cal.daily_working_time * amount
            due_line_template = text["due_working_days"]
        else:
            target = timedelta(hours=amount)
            due_line_template = text["due_working_hours"]
        due = _walk_working_time(begin, target, cal, stops)
        due_line = due_line_template.format(
            due=_fmt_instant(due),
            amount=amount,
            days=text["day" if amount == 1 else "days"],
            hours=text["hour" if amount == 1 else "hours"],
            worktime=_fmt_duration(target, cal.lang),
        )
        skipped, events = _day_events(received.date(), due.date(), cal)

    for stop in stops:
        if stop.end is None or stop.end <= begin or stop.start >= due:
            continue
        template = "paused_reason" if stop.reasons else "paused"
        line = text[template].format(
            start=_fmt_instant(stop.start),
            end=_fmt_instant(stop.end),
            reason="; ".join(stop.reasons),
        )
        events.append((stop.start, line))
    events.sort(key=lambda event: event[0])
    provisional = cal.is_provisional(due.date())
    notes = (text["provisional"].format(year=due.year),) if provisional else ()
    explanation = (*lines, *(line for _, line in events), due_line, *notes)
    return DueDate(
        due=due, clock_start=begin, explanation=explanation, skipped_days=tuple(skipped), provisional=provisional
    )


def _day_events(
    first: date, last: date, cal: WorkCalendar
) -> tuple[list[tuple[date, str]], list[tuple[datetime, str]]]:
    """Skipped days off and worked extra working days in ``[first, last]``."""
    text = _TEXT[cal.lang]
    skipped: list[tuple[date, str]] = []
    events: list[tuple[datetime, str]] = []
    d = first
    while d <= last:
        reason = cal.day_off_reason(d)
        if reason is not None:
            skipped.append((d, reason))
            events.append(
                (
                    _combine(d, time(0), cal.tz),
                    text["skipped"].format(day=_fmt_date(d), reason=reason),
                )
            )
        elif d in cal.extra_working_days:
            line = text["worked"].format(
                weekday=_WEEKDAY_NAMES[cal.lang][d.weekday()],
                day=_fmt_date(d),
                reason=cal.extra_working_days[d],
            )
            events.append((_combine(d, time(0), cal.tz), line))
        d += _ONE_DAY
    return skipped, events


def working_days_before(due: datetime, n: int, cal: WorkCalendar) -> datetime:
    """The latest instant with ``n`` working days of working time left before ``due``.

    For the rule "at least 1 working day before the deadline, send the
    apology letter and propose a new date" (docs/legal-basis.md#late-results-and-the-new-date): an
    apology sent at or before ``working_days_before(due, 1, cal)`` is on
    time.  Due Tuesday 10:00 -> Monday 10:00.  Pauses are not considered.
    """
    n = _parse_amount(n)
    return subtract_working_time(due, cal.daily_working_time * n, cal)


def subtract_working_time(end: datetime, duration: timedelta, cal: WorkCalendar) -> datetime:
    """The latest instant with ``duration`` of working time between it and ``end``.

    The reverse of :func:`add_working_time`, no pauses: an instant at or before it is
    ``duration`` of working time or more before ``end``, one after it less (used to find,
    in one comparison per agency, the online dossiers waiting past a limit).
    """
    end = _localize(end, cal)
    remaining = duration
    if remaining <= timedelta():
        return end
    d = end.date()
    days_off_in_a_row = 0
    while True:
        windows = _windows_on(d, cal)
        days_off_in_a_row = 0 if windows else days_off_in_a_row + 1
        if days_off_in_a_row > _MAX_CONSECUTIVE_DAYS_OFF:
            raise ValueError(f"no working day within {_MAX_CONSECUTIVE_DAYS_OFF} days of {_fmt_date(d)}")
        for ws, we in reversed(windows):
            seg_end = min(we, end)
            if seg_end <= ws:
                continue
            length = seg_end - ws
            if remaining <= length:
                return seg_end - remaining
            remaining -= length
        d -= _ONE_DAY


# --------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------


def _fmt_date(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def _fmt_instant(dt: datetime) -> str:
    return f"{dt.hour:02d}:{dt.minute:02d} {dt.day:02d}/{dt.month:02d}/{dt.year:04d}"


def _fmt_duration(value: timedelta, lang: str) -> str:
    text = _TEXT[lang]
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if minutes == 0:
        return f"{hours} {text['h']}"
    if hours == 0:
        return f"{minutes} {text['min']}"
    return f"{hours} {text['h']} {minutes} {text['min']}"


def add_working_time(start: datetime, duration: timedelta, cal: WorkCalendar) -> datetime:
    """The instant at which ``duration`` of working time has elapsed after ``start``.

    No cut-off and no pauses: used to push a due instant later by the working time a
    clock pause consumed (a supplement period, a payment wait).
    """
    if duration < timedelta():
        raise ValueError("duration must not be negative")
    return _walk_working_time(_localize(start, cal), duration, cal, ())
