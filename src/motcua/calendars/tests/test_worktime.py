"""Tests for the pure deadline module ``motcua.calendars.worktime`` (no Django).

Every expected value below was worked out by hand from the rules (8 h working
day, 08:00-12:00 and 13:00-17:00, 15:00 cut-off) and the holiday dates of
docs/legal-basis.md#working-days-and-holidays, then checked against the ``holidays`` package:

* Tết 2025: 27/01-01/02 off; 2026: 16/02-20/02; 2027: 04/02-10/02.
* Hùng Kings: 07/04/2025; 26/04/2026 (Sunday) with 27/04/2026 in lieu; 16/04/2027.
* 30/4 and 1/5; in 2027 01/05 is a Saturday, 03/05 is the day in lieu.
* 2/9 with its adjacent day: 01-02/09/2025, 01-02/09/2026, 02-03/09/2027.
* 24/11 Vietnam Cultural Day from 2026 (24/11/2026 is a Tuesday).
* Swaps: 02/05/2025 off for Sat 26/04/2025 worked; 31/08/2026 off for Sat 22/08/2026.

Reference week without holidays: Monday 07/12/2026 to Sunday 13/12/2026.
"""

from __future__ import annotations

import time as wallclock
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.calendars.worktime import (
    DEFAULT_CUTOFF,
    DEFAULT_WINDOWS,
    VN_TZ,
    OpenPauseError,
    Pause,
    Unit,
    WorkCalendar,
    add_working_days,
    clock_start,
    compute_due,
    count_working_days,
    due_instant,
    national_calendar,
    next_working_day,
    subtract_working_time,
    vietnam_days_off,
    vietnam_extra_working_days,
    working_days,
    working_days_before,
    working_time_between,
)

CAL = national_calendar(range(2024, 2030))
CAL_VI = national_calendar(range(2024, 2030), lang="vi")
PROVINCE_WINDOWS = ((time(7, 30), time(11, 30)), (time(13, 30), time(17)))
PROVINCE_CAL = national_calendar(range(2024, 2030), windows=PROVINCE_WINDOWS)


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An aware instant in Vietnam time."""
    return datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


def skip_lines(explanation: tuple[str, ...]) -> list[str]:
    return [line for line in explanation if line.startswith("Skipped ")]


# --------------------------------------------------------------------------
# The national calendar
# --------------------------------------------------------------------------

DAYS_OFF = [
    # Tết 2025, 2026, 2027
    *[(date(2025, 1, d), None) for d in range(27, 32)],
    (date(2025, 2, 1), "Fourth Day of Lunar New Year"),
    *[(date(2026, 2, d), None) for d in range(16, 21)],
    (date(2026, 2, 17), "Lunar New Year"),
    *[(date(2027, 2, d), None) for d in range(4, 11)],
    # Hùng Kings' Day
    (date(2025, 4, 7), "Hung Kings' Commemoration Day"),
    (date(2026, 4, 26), "Hung Kings' Commemoration Day"),
    (date(2026, 4, 27), "Hung Kings' Commemoration Day (observed)"),
    (date(2027, 4, 16), "Hung Kings' Commemoration Day"),
    # 30/4 and 1/5
    (date(2025, 4, 30), "Liberation Day/Reunification Day"),
    (date(2025, 5, 1), "International Labor Day"),
    (date(2026, 4, 30), "Liberation Day/Reunification Day"),
    (date(2026, 5, 1), "International Labor Day"),
    (date(2027, 4, 30), "Liberation Day/Reunification Day"),
    (date(2027, 5, 1), "International Labor Day"),  # a Saturday: the holiday name wins
    (date(2027, 5, 3), "International Labor Day (observed)"),
    # 2/9 with its adjacent day
    (date(2025, 9, 1), "National Day"),
    (date(2025, 9, 2), "National Day"),
    (date(2026, 9, 1), "National Day"),
    (date(2026, 9, 2), "National Day"),
    (date(2027, 9, 2), "National Day"),
    (date(2027, 9, 3), "National Day"),
    # 24/11 Vietnam Cultural Day from 2026
    (date(2026, 11, 24), "Vietnam Cultural Day"),
    (date(2027, 11, 24), "Vietnam Cultural Day"),
    # Substituted days of the yearly swap plans
    (date(2025, 5, 2), "Day off (substituted from 26/04/2025)"),
    (date(2026, 8, 31), "Day off (substituted from 22/08/2026)"),
]


@pytest.mark.parametrize(("day", "reason"), DAYS_OFF, ids=lambda v: str(v))
def test_the_national_calendar_knows_each_vietnamese_day_off(day: date, reason: str | None) -> None:
    assert not CAL.is_working_day(day)
    if reason is not None:
        assert CAL.day_off_reason(day) == reason


@pytest.mark.parametrize(
    "day",
    [
        date(2025, 1, 24),  # Friday before Tết 2025
        date(2025, 2, 3),  # Monday after Tết 2025
        date(2026, 2, 13),  # Friday before Tết 2026
        date(2026, 2, 23),  # Monday after Tết 2026
        date(2027, 2, 3),  # Wednesday before Tết 2027
        date(2027, 2, 11),  # Thursday after Tết 2027
        date(2026, 4, 28),  # Tuesday after the Hùng Kings' day in lieu
        date(2027, 5, 4),  # Tuesday after the 1/5 day in lieu
        date(2025, 9, 3),
        date(2026, 9, 3),
        date(2027, 9, 1),
        date(2025, 11, 24),  # Vietnam Cultural Day starts in 2026
        date(2026, 11, 25),
    ],
)
def test_days_around_the_holidays_are_working_days(day: date) -> None:
    assert CAL.is_working_day(day)
    assert CAL.day_off_reason(day) is None


@pytest.mark.parametrize(
    ("saturday", "reason"),
    [
        (date(2025, 4, 26), "Working Saturday (swapped for 02/05/2025)"),
        (date(2026, 8, 22), "Working Saturday (swapped for 31/08/2026)"),
        (date(2024, 5, 4), "Working Saturday (swapped for 29/04/2024)"),
    ],
)
def test_a_swapped_saturday_is_a_working_day_naming_its_day_off(saturday: date, reason: str) -> None:
    assert saturday.weekday() == 5
    assert CAL.is_working_day(saturday)
    assert vietnam_extra_working_days([saturday.year])[saturday] == reason


def test_swapped_saturdays_are_listed_only_for_the_requested_years() -> None:
    assert vietnam_extra_working_days([2025]) == {date(2025, 4, 26): "Working Saturday (swapped for 02/05/2025)"}
    assert vietnam_extra_working_days([2027]) == {}


def test_an_ordinary_weekend_day_is_off_and_named_after_its_weekday() -> None:
    assert CAL.day_off_reason(date(2026, 12, 12)) == "Saturday"
    assert CAL.day_off_reason(date(2026, 12, 13)) == "Sunday"
    assert CAL_VI.day_off_reason(date(2026, 12, 12)) == "Thứ Bảy"
    assert CAL_VI.day_off_reason(date(2026, 12, 13)) == "Chủ Nhật"


def test_vietnamese_holiday_names_come_from_the_package() -> None:
    days_off = vietnam_days_off([2026], lang="vi")
    assert days_off[date(2026, 11, 24)] == "Ngày Văn hóa Việt Nam"
    assert days_off[date(2026, 8, 31)] == "Ngày nghỉ (thay cho ngày 22/08/2026)"
    assert vietnam_extra_working_days([2026], lang="vi") == {
        date(2026, 8, 22): "Thứ Bảy làm việc bù (đổi cho ngày nghỉ 31/08/2026)"
    }


def test_the_days_off_of_several_years_are_merged() -> None:
    days_off = vietnam_days_off([2025, 2026, 2027])
    assert {d.year for d in days_off} == {2025, 2026, 2027}
    assert date(2025, 1, 1) in days_off
    assert date(2027, 11, 24) in days_off


def test_an_unknown_language_is_rejected() -> None:
    with pytest.raises(ValueError, match="lang"):
        vietnam_days_off([2026], lang="fr")
    with pytest.raises(ValueError, match="lang"):
        WorkCalendar(days_off={}, lang="fr")


def test_the_package_lacks_the_2026_new_year_swap() -> None:
    # Documents why the swaps are editable data (docs/legal-basis.md#working-days-and-holidays).
    assert CAL.is_working_day(date(2026, 1, 2))
    assert not CAL.is_working_day(date(2026, 1, 10))


NEW_YEAR_2026_SWAP = national_calendar(
    [2025, 2026],
    extra_days_off={date(2026, 1, 2): "Day off (swapped for Saturday 10/01/2026)"},
    extra_working_days={date(2026, 1, 10): "Working Saturday (swapped for 02/01/2026)"},
)
PACKAGE_ONLY_2026 = national_calendar([2025, 2026])


@pytest.mark.parametrize(
    ("received", "without_override", "with_override"),
    [
        # Wed 31/12 10:00 + 8 h: 6 h on Wednesday, Thursday 01/01 is New Year's Day,
        # then Friday 02/01 10:00 -- or, with 02/01 off, Monday 05/01 10:00.
        (vn(2025, 12, 31, 10), vn(2026, 1, 2, 10), vn(2026, 1, 5, 10)),
        # Fri 09/01 10:00 + 8 h: Monday 12/01 10:00 -- or the worked Saturday 10/01 10:00.
        (vn(2026, 1, 9, 10), vn(2026, 1, 12, 10), vn(2026, 1, 10, 10)),
    ],
)
def test_an_editable_override_changes_the_due(
    received: datetime, without_override: datetime, with_override: datetime
) -> None:
    assert compute_due(received, 1, Unit.WORKING_DAYS, PACKAGE_ONLY_2026).due == without_override
    assert compute_due(received, 1, Unit.WORKING_DAYS, NEW_YEAR_2026_SWAP).due == with_override


def test_an_override_working_day_removes_a_package_day_off() -> None:
    cal = national_calendar([2026], extra_working_days={date(2026, 11, 24): "Province decision"})
    assert cal.is_working_day(date(2026, 11, 24))
    assert date(2026, 11, 24) not in cal.days_off


def test_an_override_day_off_removes_a_package_working_saturday() -> None:
    cal = national_calendar([2026], extra_days_off={date(2026, 8, 22): "Swap cancelled"})
    assert cal.day_off_reason(date(2026, 8, 22)) == "Swap cancelled"
    assert date(2026, 8, 22) not in cal.extra_working_days


def test_a_date_in_both_overrides_is_rejected() -> None:
    with pytest.raises(ValueError, match="02/01/2026"):
        national_calendar(
            [2026],
            extra_days_off={date(2026, 1, 2): "off"},
            extra_working_days={date(2026, 1, 2): "on"},
        )


# --------------------------------------------------------------------------
# WorkCalendar itself
# --------------------------------------------------------------------------


def test_days_off_win_over_extra_working_days_which_win_over_the_weekend() -> None:
    saturday, sunday = date(2026, 12, 12), date(2026, 12, 13)
    cal = WorkCalendar(
        days_off={sunday: "Local festival"},
        extra_working_days={saturday: "Working Saturday", sunday: "Working Sunday"},
    )
    assert cal.is_working_day(saturday)
    assert not cal.is_working_day(sunday)
    assert cal.day_off_reason(sunday) == "Local festival"


@pytest.mark.parametrize(
    ("windows", "daily"),
    [
        (DEFAULT_WINDOWS, timedelta(hours=8)),
        (PROVINCE_WINDOWS, timedelta(hours=7, minutes=30)),
        (((time(8), time(11, 45)),), timedelta(hours=3, minutes=45)),
    ],
)
def test_the_daily_working_time_is_the_sum_of_the_windows(
    windows: tuple[tuple[time, time], ...], daily: timedelta
) -> None:
    assert WorkCalendar(days_off={}, windows=windows).daily_working_time == daily


@pytest.mark.parametrize(
    "windows",
    [
        (),
        ((time(12), time(8)),),
        ((time(8), time(12)), (time(11), time(17))),
        ((time(13), time(17)), (time(8), time(12))),
    ],
)
def test_invalid_working_windows_are_rejected(windows: tuple[tuple[time, time], ...]) -> None:
    with pytest.raises(ValueError, match="window"):
        WorkCalendar(days_off={}, windows=windows)


def test_a_calendar_cannot_be_changed_through_the_mapping_it_was_built_from() -> None:
    source = {date(2026, 12, 8): "Flood"}
    cal = WorkCalendar(days_off=source)
    source[date(2026, 12, 9)] = "Storm"
    assert cal.is_working_day(date(2026, 12, 9))
    assert not cal.is_working_day(date(2026, 12, 8))


def test_the_defaults_follow_decree_63_and_office_hours() -> None:
    assert time(15) == DEFAULT_CUTOFF
    assert ((time(8), time(12)), (time(13), time(17))) == DEFAULT_WINDOWS
    assert CAL.daily_working_time == timedelta(hours=8)
    assert CAL.tz is VN_TZ


# --------------------------------------------------------------------------
# Clock start
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "cutoff", "expected"),
    [
        pytest.param(vn(2026, 12, 7, 10), DEFAULT_CUTOFF, vn(2026, 12, 7, 10), id="in-window"),
        pytest.param(vn(2026, 12, 7, 8), DEFAULT_CUTOFF, vn(2026, 12, 7, 8), id="at-opening"),
        pytest.param(vn(2026, 12, 7, 6, 30), DEFAULT_CUTOFF, vn(2026, 12, 7, 8), id="early"),
        pytest.param(vn(2026, 12, 7, 12), DEFAULT_CUTOFF, vn(2026, 12, 7, 13), id="noon"),
        pytest.param(vn(2026, 12, 7, 12, 30), DEFAULT_CUTOFF, vn(2026, 12, 7, 13), id="lunch"),
        pytest.param(vn(2026, 12, 7, 14, 59), DEFAULT_CUTOFF, vn(2026, 12, 7, 14, 59), id="14:59"),
        pytest.param(vn(2026, 12, 7, 15), DEFAULT_CUTOFF, vn(2026, 12, 8, 8), id="at-15:00"),
        pytest.param(vn(2026, 12, 7, 16), DEFAULT_CUTOFF, vn(2026, 12, 8, 8), id="after-cutoff"),
        pytest.param(vn(2026, 12, 11, 15, 30), DEFAULT_CUTOFF, vn(2026, 12, 14, 8), id="friday"),
        pytest.param(vn(2026, 12, 12, 10), DEFAULT_CUTOFF, vn(2026, 12, 14, 8), id="saturday"),
        pytest.param(vn(2026, 11, 24, 10), DEFAULT_CUTOFF, vn(2026, 11, 25, 8), id="holiday"),
        pytest.param(vn(2026, 11, 23, 16), DEFAULT_CUTOFF, vn(2026, 11, 25, 8), id="cutoff-eve-holiday"),
        pytest.param(vn(2026, 2, 13, 15), DEFAULT_CUTOFF, vn(2026, 2, 23, 8), id="cutoff-tet"),
        pytest.param(vn(2026, 12, 7, 16), None, vn(2026, 12, 7, 16), id="no-cutoff"),
        pytest.param(vn(2026, 12, 7, 12, 15), None, vn(2026, 12, 7, 13), id="no-cutoff-lunch"),
        pytest.param(vn(2026, 12, 7, 17), None, vn(2026, 12, 8, 8), id="no-cutoff-at-close"),
        pytest.param(vn(2026, 12, 7, 18), None, vn(2026, 12, 8, 8), id="no-cutoff-evening"),
    ],
)
def test_the_clock_starts_per_the_receipt_rules(received: datetime, cutoff: time | None, expected: datetime) -> None:
    start, lines = clock_start(received, CAL, cutoff)
    assert start == expected
    assert lines


def test_a_receipt_after_the_last_window_but_before_the_cutoff_starts_the_next_morning() -> None:
    short_day = WorkCalendar(days_off={}, windows=((time(8), time(12)), (time(13), time(14))))
    start, lines = clock_start(vn(2026, 12, 7, 14, 30), short_day)
    assert start == vn(2026, 12, 8, 8)
    assert lines[-1] == "Received after working hours; the clock starts at 08:00 08/12/2026"


@pytest.mark.parametrize("unit", list(Unit))
def test_the_same_clock_start_rule_applies_to_every_unit(unit: Unit) -> None:
    result = compute_due(vn(2026, 12, 7, 16), 1, unit, CAL)
    assert result.clock_start == vn(2026, 12, 8, 8)


# --------------------------------------------------------------------------
# Working days
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "amount", "expected"),
    [
        pytest.param(vn(2026, 12, 7, 10), 1, vn(2026, 12, 8, 10), id="mon-10:00"),
        pytest.param(vn(2026, 12, 7, 14, 59), 1, vn(2026, 12, 8, 14, 59), id="just-before-cutoff"),
        pytest.param(vn(2026, 12, 7, 6, 30), 1, vn(2026, 12, 7, 17), id="early-morning"),
        pytest.param(vn(2026, 12, 7, 10), 3, vn(2026, 12, 10, 10), id="three-days"),
        pytest.param(vn(2026, 12, 10, 10), 2, vn(2026, 12, 14, 10), id="over-the-weekend"),
        pytest.param(vn(2026, 11, 27, 10), 2, vn(2026, 12, 1, 10), id="brief-example"),
        pytest.param(vn(2026, 11, 23, 10), 1, vn(2026, 11, 25, 10), id="over-24/11"),
    ],
)
def test_a_receipt_before_the_cutoff_counts_from_the_receipt_instant(
    received: datetime, amount: int, expected: datetime
) -> None:
    assert compute_due(received, amount, Unit.WORKING_DAYS, CAL).due == expected


@pytest.mark.parametrize("received", [vn(2026, 12, 7, 15), vn(2026, 12, 7, 16), vn(2026, 12, 7, 21)])
def test_a_receipt_after_the_cutoff_starts_the_next_working_morning(received: datetime) -> None:
    result = compute_due(received, 1, Unit.WORKING_DAYS, CAL)
    assert result.clock_start == vn(2026, 12, 8, 8)
    assert result.due == vn(2026, 12, 8, 17)


def test_a_due_reached_exactly_at_a_window_end_stays_at_that_instant() -> None:
    # Received at lunch -> start 13:00; 4 h on Monday + 4 h on Tuesday morning -> Tuesday 12:00.
    assert compute_due(vn(2026, 12, 7, 12, 30), 1, "working_days", CAL).due == vn(2026, 12, 8, 12)
    # Received early -> start 08:00 -> 8 h later is 17:00 the same day, not 08:00 next day.
    assert compute_due(vn(2026, 12, 7, 7), 1, "working_days", CAL).due == vn(2026, 12, 7, 17)


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        pytest.param(vn(2026, 12, 12, 10), vn(2026, 12, 15, 17), id="saturday"),
        pytest.param(vn(2026, 12, 13, 10), vn(2026, 12, 15, 17), id="sunday"),
        pytest.param(vn(2026, 11, 24, 10), vn(2026, 11, 26, 17), id="24/11/2026"),
    ],
)
def test_a_receipt_on_a_day_off_starts_the_next_working_morning(received: datetime, expected: datetime) -> None:
    assert compute_due(received, 2, Unit.WORKING_DAYS, CAL).due == expected


@pytest.mark.parametrize(
    ("received", "amount", "expected"),
    [
        # Thu 12/02 6 h, Fri 13/02 8 h; 14/02-22/02 off (weekend + Tết + weekend);
        # Mon 23, Tue 24, Wed 25 8 h each = 38 h; 2 h on Thu 26/02 -> 10:00.
        pytest.param(vn(2026, 2, 12, 10), 5, vn(2026, 2, 26, 10), id="tet-2026"),
        # Fri 24/01 6 h; 25/01-02/02 off; 2 h on Mon 03/02.
        pytest.param(vn(2025, 1, 24, 10), 1, vn(2025, 2, 3, 10), id="tet-2025"),
        # Wed 03/02/2027 16:00, after the cut-off; 04/02-10/02 is Tết -> start Thu 11/02 08:00.
        pytest.param(vn(2027, 2, 3, 16), 1, vn(2027, 2, 11, 17), id="tet-2027"),
        pytest.param(vn(2025, 4, 4, 10), 1, vn(2025, 4, 8, 10), id="hung-kings-2025"),
        pytest.param(vn(2026, 4, 24, 10), 1, vn(2026, 4, 28, 10), id="hung-kings-2026-in-lieu"),
        pytest.param(vn(2027, 4, 15, 10), 1, vn(2027, 4, 19, 10), id="hung-kings-2027"),
        # 30/04, 01/05 and the substituted 02/05/2025, then the weekend.
        pytest.param(vn(2025, 4, 29, 10), 1, vn(2025, 5, 5, 10), id="30/4-2025"),
        # Sat 26/04/2025 is worked.
        pytest.param(vn(2025, 4, 25, 10), 1, vn(2025, 4, 26, 10), id="working-saturday-2025"),
        # 30/04 Fri, 01/05 Sat, 02/05 Sun, 03/05 Mon in lieu.
        pytest.param(vn(2027, 4, 29, 10), 1, vn(2027, 5, 4, 10), id="1/5-2027-in-lieu"),
        pytest.param(vn(2025, 8, 29, 10), 1, vn(2025, 9, 3, 10), id="2/9-2025"),
        # 29-30/08 weekend, 31/08 substituted, 01-02/09 National Day.
        pytest.param(vn(2026, 8, 28, 10), 1, vn(2026, 9, 3, 10), id="2/9-2026"),
        pytest.param(vn(2026, 8, 21, 10), 1, vn(2026, 8, 22, 10), id="working-saturday-2026"),
        pytest.param(vn(2027, 9, 1, 10), 1, vn(2027, 9, 6, 10), id="2/9-2027"),
        pytest.param(vn(2027, 11, 23, 10), 1, vn(2027, 11, 25, 10), id="24/11-2027"),
        pytest.param(vn(2025, 11, 21, 10), 1, vn(2025, 11, 24, 10), id="24/11-2025-works"),
    ],
)
def test_holidays_and_swaps_push_or_pull_the_due(received: datetime, amount: int, expected: datetime) -> None:
    assert compute_due(received, amount, Unit.WORKING_DAYS, CAL).due == expected


def test_the_tet_week_is_listed_day_by_day_in_the_skipped_days() -> None:
    result = compute_due(vn(2026, 2, 12, 10), 5, Unit.WORKING_DAYS, CAL)
    assert [d for d, _ in result.skipped_days] == [date(2026, 2, d) for d in range(14, 23)]
    assert dict(result.skipped_days)[date(2026, 2, 17)] == "Lunar New Year"
    assert len(skip_lines(result.explanation)) == 9


def test_zero_working_days_are_due_at_the_clock_start() -> None:
    result = compute_due(vn(2026, 12, 7, 16), 0, Unit.WORKING_DAYS, CAL)
    assert result.due == result.clock_start == vn(2026, 12, 8, 8)


# --------------------------------------------------------------------------
# Working hours and calendar days
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "amount", "cutoff", "expected"),
    [
        pytest.param(vn(2026, 12, 7, 10), 4, DEFAULT_CUTOFF, vn(2026, 12, 7, 15), id="across-lunch"),
        pytest.param(vn(2026, 12, 7, 10), 2, DEFAULT_CUTOFF, vn(2026, 12, 7, 12), id="to-noon"),
        pytest.param(vn(2026, 12, 7, 14), 6, DEFAULT_CUTOFF, vn(2026, 12, 8, 11), id="across-days"),
        pytest.param(vn(2026, 12, 7, 16), 1, DEFAULT_CUTOFF, vn(2026, 12, 8, 9), id="after-cutoff"),
        pytest.param(vn(2026, 12, 7, 16), 2, None, vn(2026, 12, 8, 9), id="no-cutoff"),
        pytest.param(vn(2026, 12, 11, 14), 8, DEFAULT_CUTOFF, vn(2026, 12, 14, 14), id="weekend"),
        pytest.param(vn(2026, 11, 23, 14), 4, DEFAULT_CUTOFF, vn(2026, 11, 25, 9), id="holiday"),
        pytest.param(vn(2026, 12, 7, 12, 10), 1, DEFAULT_CUTOFF, vn(2026, 12, 7, 14), id="lunch"),
    ],
)
def test_working_hours_count_only_time_inside_the_windows(
    received: datetime, amount: int, cutoff: time | None, expected: datetime
) -> None:
    assert compute_due(received, amount, Unit.WORKING_HOURS, CAL, cutoff=cutoff).due == expected


@pytest.mark.parametrize(
    ("received", "amount", "expected"),
    [
        # Civil Code Art. 148.1: the limit ends at the end (the office's close) of its last day.
        pytest.param(vn(2026, 12, 7, 10), 3, vn(2026, 12, 10, 17), id="weekdays"),
        # After the cut-off on the eve of 24/11: start Wed 25/11 08:00; last day Thu 26/11.
        pytest.param(vn(2026, 11, 23, 16), 1, vn(2026, 11, 26, 17), id="after-cutoff"),
        pytest.param(vn(2026, 12, 12, 10), 2, vn(2026, 12, 16, 17), id="on-a-saturday"),
    ],
)
def test_calendar_days_count_every_day(received: datetime, amount: int, expected: datetime) -> None:
    result = compute_due(received, amount, Unit.CALENDAR_DAYS, CAL)
    assert result.due == expected
    assert result.due.date() == (result.clock_start + timedelta(days=amount)).date()
    assert result.skipped_days == ()


@pytest.mark.parametrize(
    ("received", "amount", "expected", "day_off"),
    [
        # Thu 26/11 10:00 + 3 days = Sun 29/11: the limit ends Mon 30/11 at the close of work.
        pytest.param(vn(2026, 11, 26, 10), 3, vn(2026, 11, 30, 17), "29/11/2026", id="last-day-a-sunday"),
        # Thu 12/2 10:00 + 7 days = Thu 19/2, inside the Tết break (14/2-22/2/2026): Mon 23/2 17:00.
        pytest.param(vn(2026, 2, 12, 10), 7, vn(2026, 2, 23, 17), "19/02/2026", id="last-day-in-tet"),
        # Sat 21/11 + 3 days = Tue 24/11, Vietnam Cultural Day: Wed 25/11 17:00.
        pytest.param(vn(2026, 11, 20, 9), 4, vn(2026, 11, 25, 17), "24/11/2026", id="last-day-24-11"),
    ],
)
def test_a_calendar_day_limit_whose_last_day_is_off_ends_at_the_close_of_the_next_working_day(
    received: datetime, amount: int, expected: datetime, day_off: str
) -> None:
    """Civil Code 2015 Art. 148.5."""
    result = compute_due(received, amount, Unit.CALENDAR_DAYS, CAL)
    assert result.due == expected
    assert any(day_off in line and "148.5" in line for line in result.explanation)


@pytest.mark.parametrize(
    ("received", "amount", "expected"),
    [
        pytest.param(vn(2026, 3, 10, 9), 1, vn(2026, 4, 10, 17), id="same-day-next-month"),
        # 31/01 + 1 month: February has no 31st, so its last day; Sat 28/2/2026 is off: Mon 2/3 17:00.
        pytest.param(vn(2026, 1, 30, 9), 1, vn(2026, 3, 2, 17), id="short-month-then-weekend"),
        pytest.param(vn(2026, 12, 31, 9), 2, vn(2027, 3, 1, 17), id="over-the-year-end"),
        pytest.param(vn(2026, 6, 15, 9), 12, vn(2027, 6, 15, 17), id="a-year"),
    ],
)
def test_a_limit_in_months_ends_on_the_corresponding_day(received: datetime, amount: int, expected: datetime) -> None:
    """Civil Code 2015 Art. 148.3 and 148.5."""
    assert compute_due(received, amount, Unit.MONTHS, CAL).due == expected


def test_a_pause_extends_a_calendar_day_deadline_by_its_length() -> None:
    pause = Pause(vn(2026, 12, 8, 10), vn(2026, 12, 9, 10), "payment")
    result = compute_due(vn(2026, 12, 7, 10), 3, Unit.CALENDAR_DAYS, CAL, pauses=[pause])
    assert result.due == vn(2026, 12, 11, 17)  # the last day moves from 10/12 to 11/12


# --------------------------------------------------------------------------
# Custom windows (07:30-11:30, 13:30-17:00: 7.5 h a day)
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "amount", "unit", "expected"),
    [
        pytest.param(vn(2026, 12, 7, 7), 1, Unit.WORKING_DAYS, vn(2026, 12, 7, 17), id="early"),
        # Start 13:30: 3.5 h Monday + 4 h Tuesday morning = 7.5 h -> Tuesday 11:30.
        pytest.param(vn(2026, 12, 7, 12), 1, Unit.WORKING_DAYS, vn(2026, 12, 8, 11, 30), id="lunch"),
        # 1.5 h + 3.5 h Monday = 5 h; 2.5 h from 07:30 Tuesday -> 10:00.
        pytest.param(vn(2026, 12, 7, 10), 1, Unit.WORKING_DAYS, vn(2026, 12, 8, 10), id="mid-morning"),
        pytest.param(vn(2026, 12, 7, 10), 3, Unit.WORKING_HOURS, vn(2026, 12, 7, 15), id="hours"),
        pytest.param(
            vn(2026, 12, 7, 11, 45),
            2,
            Unit.WORKING_HOURS,
            vn(2026, 12, 7, 15, 30),
            id="hours-lunch",
        ),
        pytest.param(vn(2026, 12, 7, 7, 29), 0, Unit.WORKING_DAYS, vn(2026, 12, 7, 7, 30), id="zero"),
    ],
)
def test_custom_office_hours_change_the_windows_and_the_working_day(
    received: datetime, amount: int, unit: Unit, expected: datetime
) -> None:
    assert compute_due(received, amount, unit, PROVINCE_CAL).due == expected


def test_custom_office_hours_appear_in_the_due_line() -> None:
    result = compute_due(vn(2026, 12, 7, 10), 2, Unit.WORKING_DAYS, PROVINCE_CAL)
    assert result.explanation[-1] == "Due 10:00 09/12/2026 after 2 working days (15 h of working time)"
    one = compute_due(vn(2026, 12, 7, 10), 1, Unit.WORKING_DAYS, PROVINCE_CAL)
    assert one.explanation[-1] == "Due 10:00 08/12/2026 after 1 working day (7 h 30 min of working time)"


# --------------------------------------------------------------------------
# Pauses
# --------------------------------------------------------------------------


def test_a_pause_spanning_a_holiday_stops_only_working_time() -> None:
    # 3 working days (24 h) from Mon 23/11/2026 09:00. Monday 09-10 counts (1 h);
    # paused until Wed 25/11 09:00 (Tuesday is 24/11 anyway); Wed 09-17 7 h,
    # Thu 8 h, Fri 8 h -> 24 h at Fri 27/11 17:00. Without the pause: Fri 09:00.
    pause = Pause(vn(2026, 11, 23, 10), vn(2026, 11, 25, 9), "supplement requested")
    without = compute_due(vn(2026, 11, 23, 9), 3, Unit.WORKING_DAYS, CAL)
    paused = compute_due(vn(2026, 11, 23, 9), 3, Unit.WORKING_DAYS, CAL, pauses=[pause])
    assert without.due == vn(2026, 11, 27, 9)
    assert paused.due == vn(2026, 11, 27, 17)
    assert (date(2026, 11, 24), "Vietnam Cultural Day") in paused.skipped_days


def test_a_pause_is_explained_with_its_reason() -> None:
    # 5 working days (40 h) from Fri 27/11/2026 10:00: Fri 6, Mon 8, Tue 8, Wed 08-10 2 = 24 h;
    # paused to Fri 04/12 09:00; Fri 7 h = 31 h; Mon 07/12 8 h = 39 h; Tue 08/12 09:00.
    pause = Pause(vn(2026, 12, 2, 10), vn(2026, 12, 4, 9), "supplement requested")
    result = compute_due(vn(2026, 11, 27, 10), 5, Unit.WORKING_DAYS, CAL, pauses=[pause])
    assert result.due == vn(2026, 12, 8, 9)
    assert "Clock paused 10:00 02/12/2026 – 09:00 04/12/2026: supplement requested" in (result.explanation)


def test_overlapping_pauses_are_merged() -> None:
    pauses = [
        Pause(vn(2026, 12, 3, 9), vn(2026, 12, 4, 9), "payment"),
        Pause(vn(2026, 12, 2, 10), vn(2026, 12, 3, 12), "supplement requested"),
    ]
    result = compute_due(vn(2026, 11, 27, 10), 5, Unit.WORKING_DAYS, CAL, pauses=pauses)
    assert result.due == vn(2026, 12, 8, 9)
    pause_lines = [line for line in result.explanation if line.startswith("Clock paused")]
    assert pause_lines == ["Clock paused 10:00 02/12/2026 – 09:00 04/12/2026: supplement requested; payment"]


@pytest.mark.parametrize(
    "pause",
    [
        pytest.param(Pause(vn(2026, 11, 28, 9), vn(2026, 11, 29, 18)), id="on-the-weekend"),
        pytest.param(Pause(vn(2026, 11, 20, 9), vn(2026, 11, 26, 18)), id="before-receipt"),
        pytest.param(Pause(vn(2026, 12, 1, 10), vn(2026, 12, 3, 10)), id="from-the-due"),
        pytest.param(Pause(vn(2026, 11, 30, 12), vn(2026, 11, 30, 13)), id="over-lunch"),
        pytest.param(Pause(vn(2026, 11, 30, 9), vn(2026, 11, 30, 9)), id="empty"),
    ],
)
def test_a_pause_outside_working_time_or_the_counting_span_changes_nothing(pause: Pause) -> None:
    result = compute_due(vn(2026, 11, 27, 10), 2, Unit.WORKING_DAYS, CAL, pauses=[pause])
    assert result.due == vn(2026, 12, 1, 10)


def test_only_the_part_of_a_pause_after_the_clock_start_counts() -> None:
    pause = Pause(vn(2026, 12, 7, 9), vn(2026, 12, 7, 11))
    result = compute_due(vn(2026, 12, 7, 10), 1, Unit.WORKING_DAYS, CAL, pauses=[pause])
    assert result.due == vn(2026, 12, 8, 11)


def test_an_open_pause_before_the_due_cannot_give_a_due() -> None:
    pause = Pause(vn(2026, 12, 7, 11), None, "supplement requested")
    for unit in Unit:
        with pytest.raises(OpenPauseError, match="supplement requested"):
            compute_due(vn(2026, 12, 7, 10), 2, unit, CAL, pauses=[pause])
    assert issubclass(OpenPauseError, ValueError)


def test_an_open_pause_from_the_due_onward_leaves_the_due_alone() -> None:
    pause = Pause(vn(2026, 12, 8, 10), None)
    result = compute_due(vn(2026, 12, 7, 10), 1, Unit.WORKING_DAYS, CAL, pauses=[pause])
    assert result.due == vn(2026, 12, 8, 10)


def test_a_pause_ending_before_it_starts_is_rejected() -> None:
    with pytest.raises(ValueError, match="pause"):
        compute_due(
            vn(2026, 12, 7, 10),
            1,
            Unit.WORKING_DAYS,
            CAL,
            pauses=[Pause(vn(2026, 12, 7, 12), vn(2026, 12, 7, 11))],
        )


# --------------------------------------------------------------------------
# Explanations
# --------------------------------------------------------------------------


def test_the_explanation_of_a_receipt_on_a_holiday() -> None:
    result = compute_due(vn(2026, 11, 24, 10), 2, Unit.WORKING_DAYS, CAL)
    assert result.explanation == (
        ("Received 24/11/2026 10:00 (Tuesday), a day off: Vietnam Cultural Day; the clock starts at 08:00 25/11/2026"),
        "Skipped 24/11/2026 Vietnam Cultural Day (day off)",
        "Due 17:00 26/11/2026 after 2 working days (16 h of working time)",
    )


def test_the_explanation_lists_each_skipped_day_with_its_reason() -> None:
    result = compute_due(vn(2026, 11, 23, 16), 5, Unit.WORKING_DAYS, CAL)
    # Start Wed 25/11 08:00; Wed, Thu, Fri, Mon 30/11, Tue 01/12 -> Tue 01/12 17:00.
    assert result.due == vn(2026, 12, 1, 17)
    assert result.explanation == (
        "Received 23/11/2026 16:00 (Monday)",
        "Received after the 15:00 cut-off; the clock starts at 08:00 25/11/2026",
        "Skipped 24/11/2026 Vietnam Cultural Day (day off)",
        "Skipped 28/11/2026 Saturday (day off)",
        "Skipped 29/11/2026 Sunday (day off)",
        "Due 17:00 01/12/2026 after 5 working days (40 h of working time)",
    )
    assert result.skipped_days == (
        (date(2026, 11, 24), "Vietnam Cultural Day"),
        (date(2026, 11, 28), "Saturday"),
        (date(2026, 11, 29), "Sunday"),
    )


def test_the_explanation_names_a_worked_saturday() -> None:
    result = compute_due(vn(2026, 8, 21, 16), 1, Unit.WORKING_DAYS, CAL)
    assert result.due == vn(2026, 8, 22, 17)
    assert "Worked Saturday 22/08/2026: Working Saturday (swapped for 31/08/2026)" in (result.explanation)


@pytest.mark.parametrize(
    ("received", "line"),
    [
        (vn(2026, 12, 7, 10), "The clock starts at receipt, 10:00 07/12/2026"),
        (
            vn(2026, 12, 7, 6, 30),
            "Received outside working hours; the clock starts at 08:00 07/12/2026",
        ),
        (
            vn(2026, 12, 7, 12, 30),
            "Received outside working hours; the clock starts at 13:00 07/12/2026",
        ),
        (
            vn(2026, 12, 7, 15),
            "Received after the 15:00 cut-off; the clock starts at 08:00 08/12/2026",
        ),
    ],
)
def test_the_explanation_states_the_clock_start_rule(received: datetime, line: str) -> None:
    result = compute_due(received, 1, Unit.WORKING_DAYS, CAL)
    assert result.explanation[0] == f"Received {received:%d/%m/%Y %H:%M} (Monday)"
    assert result.explanation[1] == line


@pytest.mark.parametrize(
    ("unit", "amount", "line"),
    [
        (Unit.WORKING_DAYS, 1, "Due 10:00 08/12/2026 after 1 working day (8 h of working time)"),
        (Unit.WORKING_HOURS, 1, "Due 11:00 07/12/2026 after 1 working hour"),
        (Unit.WORKING_HOURS, 3, "Due 14:00 07/12/2026 after 3 working hours"),
        (Unit.CALENDAR_DAYS, 1, "Due 17:00 08/12/2026 after 1 calendar day"),
        (Unit.CALENDAR_DAYS, 3, "Due 17:00 10/12/2026 after 3 calendar days"),
    ],
)
def test_the_due_line_names_the_unit(unit: Unit, amount: int, line: str) -> None:
    assert compute_due(vn(2026, 12, 7, 10), amount, unit, CAL).explanation[-1] == line


def test_explanations_can_be_in_vietnamese() -> None:
    result = compute_due(vn(2026, 11, 24, 10), 2, Unit.WORKING_DAYS, CAL_VI)
    assert result.explanation == (
        ("Nhận 24/11/2026 10:00 (Thứ Ba), ngày nghỉ: Ngày Văn hóa Việt Nam; bắt đầu tính thời hạn từ 08:00 25/11/2026"),
        "Bỏ qua 24/11/2026 Ngày Văn hóa Việt Nam (ngày nghỉ)",
        "Hạn giải quyết 17:00 26/11/2026 sau 2 ngày làm việc (16 giờ làm việc)",
    )
    saturday = compute_due(vn(2026, 12, 11, 16), 1, Unit.WORKING_DAYS, CAL_VI)
    assert saturday.explanation[:4] == (
        "Nhận 11/12/2026 16:00 (Thứ Sáu)",
        "Nhận sau 15:00; bắt đầu tính thời hạn từ 08:00 14/12/2026",
        "Bỏ qua 12/12/2026 Thứ Bảy (ngày nghỉ)",
        "Bỏ qua 13/12/2026 Chủ Nhật (ngày nghỉ)",
    )


# --------------------------------------------------------------------------
# Inputs, time zones and validation
# --------------------------------------------------------------------------


def test_naive_inputs_are_read_in_vietnam_time_and_aware_ones_converted() -> None:
    naive = compute_due(datetime(2026, 12, 7, 10), 1, Unit.WORKING_DAYS, CAL)
    utc = compute_due(datetime(2026, 12, 7, 3, tzinfo=UTC), 1, Unit.WORKING_DAYS, CAL)
    assert naive == utc
    assert naive.due == vn(2026, 12, 8, 10)
    assert naive.due.tzinfo is VN_TZ
    assert naive.clock_start.utcoffset() == timedelta(hours=7)


def test_a_utc_instant_after_the_cutoff_in_vietnam_is_after_the_cutoff() -> None:
    # 08:30Z is 15:30 in Hà Nội.
    result = compute_due(datetime(2026, 12, 7, 8, 30, tzinfo=UTC), 1, "working_days", CAL)
    assert result.clock_start == vn(2026, 12, 8, 8)


@pytest.mark.parametrize("amount", [-1, 1.5, "3", True, None])
def test_an_amount_that_is_not_a_whole_number_of_at_least_zero_is_rejected(amount: object) -> None:
    with pytest.raises(ValueError, match="amount"):
        compute_due(vn(2026, 12, 7, 10), amount, Unit.WORKING_DAYS, CAL)  # type: ignore[arg-type]


@pytest.mark.parametrize("unit", ["weeks", "working_day", "", "WORKING_DAYS"])
def test_an_unknown_unit_is_rejected(unit: str) -> None:
    with pytest.raises(ValueError, match="unit"):
        compute_due(vn(2026, 12, 7, 10), 1, unit, CAL)


@pytest.mark.parametrize("unit", ["working_days", "working_hours", "calendar_days"])
def test_a_unit_may_be_given_as_its_string_value(unit: str) -> None:
    assert compute_due(vn(2026, 12, 7, 10), 1, unit, CAL) == compute_due(vn(2026, 12, 7, 10), 1, Unit(unit), CAL)


# --------------------------------------------------------------------------
# working_time_between and the day helpers
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        pytest.param(vn(2026, 12, 7, 10), vn(2026, 12, 8, 10), timedelta(hours=8), id="one-day"),
        pytest.param(vn(2026, 12, 7, 12), vn(2026, 12, 7, 13), timedelta(0), id="lunch"),
        pytest.param(vn(2026, 12, 11, 16), vn(2026, 12, 14, 9), timedelta(hours=2), id="weekend"),
        pytest.param(vn(2026, 11, 23, 8), vn(2026, 11, 26, 8), timedelta(hours=16), id="24/11"),
        pytest.param(vn(2026, 12, 8, 10), vn(2026, 12, 7, 10), timedelta(0), id="reversed"),
        pytest.param(vn(2026, 12, 7, 10), vn(2026, 12, 7, 10), timedelta(0), id="empty"),
        pytest.param(vn(2026, 12, 7, 6), vn(2026, 12, 7, 20), timedelta(hours=8), id="whole-day"),
    ],
)
def test_working_time_between_counts_window_time_in_a_half_open_range(
    a: datetime, b: datetime, expected: timedelta
) -> None:
    assert working_time_between(a, b, CAL) == expected


def test_working_time_between_subtracts_pauses_and_treats_an_open_pause_as_ongoing() -> None:
    day = (vn(2026, 12, 7, 8), vn(2026, 12, 7, 17))
    # 11:00-14:00 holds 2 h of working time (11-12 and 13-14); lunch is not working time.
    closed = Pause(vn(2026, 12, 7, 11), vn(2026, 12, 7, 14))
    assert working_time_between(*day, CAL, [closed]) == timedelta(hours=6)
    still_open = Pause(vn(2026, 12, 7, 10), None)
    assert working_time_between(*day, CAL, [still_open]) == timedelta(hours=2)


def test_working_time_between_accepts_naive_and_aware_instants() -> None:
    assert working_time_between(datetime(2026, 12, 7, 10), datetime(2026, 12, 7, 8, tzinfo=UTC), CAL) == timedelta(
        hours=4
    )


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 23), date(2026, 11, 25)),
        (date(2026, 8, 21), date(2026, 8, 22)),
        (date(2026, 2, 13), date(2026, 2, 23)),
        (date(2026, 12, 12), date(2026, 12, 14)),
    ],
)
def test_next_working_day_is_strictly_after_and_skips_days_off(day: date, expected: date) -> None:
    assert next_working_day(day, CAL) == expected


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (date(2026, 11, 23), 1, date(2026, 11, 25)),
        (date(2026, 11, 25), -1, date(2026, 11, 23)),
        (date(2026, 2, 12), 5, date(2026, 2, 26)),
        (date(2026, 2, 23), -1, date(2026, 2, 13)),
        (date(2026, 12, 12), 0, date(2026, 12, 12)),
    ],
)
def test_add_working_days_moves_over_working_days_both_ways(day: date, n: int, expected: date) -> None:
    assert add_working_days(day, n, CAL) == expected


def test_working_days_lists_the_working_days_with_inclusive_bounds() -> None:
    assert working_days(date(2026, 11, 20), date(2026, 11, 30), CAL) == [
        date(2026, 11, 20),
        date(2026, 11, 23),
        date(2026, 11, 25),
        date(2026, 11, 26),
        date(2026, 11, 27),
        date(2026, 11, 30),
    ]
    assert working_days(date(2026, 11, 30), date(2026, 11, 20), CAL) == []


@pytest.mark.parametrize(
    ("due", "n", "expected"),
    [
        (vn(2026, 12, 8, 10), 1, vn(2026, 12, 7, 10)),
        (vn(2026, 11, 25, 10), 1, vn(2026, 11, 23, 10)),
        # The latest instant with 8 h left: Tuesday 08:00, not Monday 17:00.
        (vn(2026, 12, 8, 17), 1, vn(2026, 12, 8, 8)),
        (vn(2026, 12, 8, 10), 0, vn(2026, 12, 8, 10)),
    ],
)
def test_working_days_before_the_due_for_the_apology_rule(due: datetime, n: int, expected: datetime) -> None:
    assert working_days_before(due, n, CAL) == expected
    assert working_time_between(expected, due, CAL) == CAL.daily_working_time * n


# --------------------------------------------------------------------------
# Performance (called on every dossier transition)
# --------------------------------------------------------------------------


def test_thirty_working_days_are_computed_in_well_under_a_millisecond() -> None:
    runs = 200
    begin = wallclock.perf_counter()
    for _ in range(runs):
        compute_due(vn(2026, 2, 10, 16), 30, Unit.WORKING_DAYS, CAL)
    mean = (wallclock.perf_counter() - begin) / runs
    assert mean < 0.002, f"{mean * 1000:.3f} ms per call"


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

receipts = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 6, 30))
working_units = st.sampled_from([Unit.WORKING_DAYS, Unit.WORKING_HOURS])
any_unit = st.sampled_from(list(Unit))
calendars = st.sampled_from([CAL, PROVINCE_CAL])


def target(unit: Unit, amount: int, cal: WorkCalendar) -> timedelta:
    return cal.daily_working_time * amount if unit is Unit.WORKING_DAYS else timedelta(hours=amount)


@st.composite
def closed_pauses(draw: st.DrawFn) -> list[Pause]:
    count = draw(st.integers(0, 3))
    pauses = []
    for _ in range(count):
        start = draw(st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 9, 30)))
        length = draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=10)))
        pauses.append(Pause(start, start + length))
    return pauses


@given(received=receipts, a=st.integers(0, 40), b=st.integers(0, 40), unit=any_unit)
def test_property_the_due_is_monotonic_in_the_amount(received: datetime, a: int, b: int, unit: Unit) -> None:
    low, high = sorted((a, b))
    assert compute_due(received, low, unit, CAL).due <= compute_due(received, high, unit, CAL).due


@given(
    received=receipts,
    amount=st.integers(0, 40),
    unit=working_units,
    cal=calendars,
    pauses=closed_pauses(),
)
def test_property_the_working_time_from_clock_start_to_due_is_the_duration(
    received: datetime, amount: int, unit: Unit, cal: WorkCalendar, pauses: list[Pause]
) -> None:
    result = compute_due(received, amount, unit, cal, pauses=pauses)
    assert working_time_between(result.clock_start, result.due, cal, pauses) == target(unit, amount, cal)


@given(received=receipts, amount=st.integers(0, 40), unit=working_units, cal=calendars)
def test_property_the_due_is_inside_a_window_or_at_its_end_on_a_working_day(
    received: datetime, amount: int, unit: Unit, cal: WorkCalendar
) -> None:
    due = compute_due(received, amount, unit, cal).due
    assert cal.is_working_day(due.date())
    assert any(start <= due.time() <= end for start, end in cal.windows)


@given(received=receipts, amount=st.integers(1, 40), unit=working_units)
def test_property_the_due_is_the_earliest_instant_with_the_full_duration(
    received: datetime, amount: int, unit: Unit
) -> None:
    result = compute_due(received, amount, unit, CAL)
    just_before = result.due - timedelta(minutes=1)
    assert working_time_between(result.clock_start, just_before, CAL) < target(unit, amount, CAL)


@given(received=receipts, amount=st.integers(0, 60), pauses=closed_pauses())
def test_property_a_calendar_day_deadline_is_n_days_plus_the_paused_time(
    received: datetime, amount: int, pauses: list[Pause]
) -> None:
    plain = compute_due(received, amount, Unit.CALENDAR_DAYS, CAL)
    last = plain.clock_start + timedelta(days=amount)
    # Civil Code Art. 148.1 and 148.5: the close of the last day, or of the next working day.
    day = last.date() if CAL.is_working_day(last.date()) else next_working_day(last.date(), CAL)
    assert plain.due == max(last, datetime.combine(day, CAL.windows[-1][1], tzinfo=CAL.tz))
    paused = compute_due(received, amount, Unit.CALENDAR_DAYS, CAL, pauses=pauses)
    assert paused.due >= last  # the counted time never ends earlier (docs/legal-basis.md#deadlines)


@given(received=receipts, amount=st.integers(0, 40), unit=working_units, pauses=closed_pauses())
def test_property_pauses_never_bring_the_due_forward(
    received: datetime, amount: int, unit: Unit, pauses: list[Pause]
) -> None:
    plain = compute_due(received, amount, unit, CAL)
    assert compute_due(received, amount, unit, CAL, pauses=pauses).due >= plain.due


@given(received=receipts, amount=st.integers(0, 40), pauses=closed_pauses())
def test_property_pauses_never_bring_a_calendar_day_limits_last_day_forward(
    received: datetime, amount: int, pauses: list[Pause]
) -> None:
    """A pause can move the last day of a calendar-day limit from a day off onto a working
    day: the limit then ends at its instant on that day, which may be earlier than the close
    of the next working day that Civil Code Art. 148.5 gives the unpaused limit. What never
    moves forward is the end of the counted time itself (docs/legal-basis.md#deadlines)."""
    plain = compute_due(received, amount, Unit.CALENDAR_DAYS, CAL)
    paused = compute_due(received, amount, Unit.CALENDAR_DAYS, CAL, pauses=pauses)
    assert paused.due >= plain.clock_start + timedelta(days=amount)


@given(received=receipts, amount=st.integers(0, 40), unit=working_units)
def test_property_every_day_off_up_to_the_due_has_its_own_skip_line(
    received: datetime, amount: int, unit: Unit
) -> None:
    result = compute_due(received, amount, unit, CAL)
    expected = [
        (d, CAL.day_off_reason(d))
        for d in (received.date() + timedelta(days=i) for i in range((result.due.date() - received.date()).days + 1))
        if not CAL.is_working_day(d)
    ]
    assert list(result.skipped_days) == expected
    lines = skip_lines(result.explanation)
    assert lines == [f"Skipped {d:%d/%m/%Y} {reason} (day off)" for d, reason in expected]


@given(received=receipts, amount=st.integers(0, 40), unit=any_unit)
@settings(max_examples=50)
def test_property_naive_and_equivalent_aware_inputs_agree(received: datetime, amount: int, unit: Unit) -> None:
    aware = received.replace(tzinfo=VN_TZ).astimezone(UTC)
    assert compute_due(received, amount, unit, CAL) == compute_due(aware, amount, unit, CAL)


@given(day=st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)), n=st.integers(0, 60))
def test_property_adding_then_subtracting_working_days_returns_to_a_working_day(day: date, n: int) -> None:
    start = day if CAL.is_working_day(day) else next_working_day(day, CAL)
    forward = add_working_days(start, n, CAL)
    assert add_working_days(forward, -n, CAL) == start
    assert len(working_days(start, forward, CAL)) == n + 1


# --------------------------------------------------------------------------
# Counting without walking: the arithmetic agrees with a day-by-day walk
# --------------------------------------------------------------------------

spans = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2029, 12, 31))
# A calendar whose weekend is Friday and Saturday, with a working Friday that is also a
# day off (days off win) and a working Saturday: every branch of the exceptions.
ODD_CAL = WorkCalendar(
    days_off={date(2026, 1, 1): "New Year", date(2026, 1, 9): "Off Friday", date(2026, 3, 4): "Off"},
    extra_working_days={date(2026, 1, 9): "cancelled by the day off", date(2026, 1, 17): "Working Saturday"},
    weekend=frozenset({4, 5}),
)


def walked_working_time(a: datetime, b: datetime, cal: WorkCalendar) -> timedelta:
    """The reference: every day's windows clipped to [a, b), one day at a time."""
    start, end = a.replace(tzinfo=cal.tz), b.replace(tzinfo=cal.tz)
    total = timedelta()
    d = start.date()
    while d <= end.date():
        if cal.is_working_day(d):
            for ws, we in cal.windows:
                lo = max(datetime.combine(d, ws, tzinfo=cal.tz), start)
                hi = min(datetime.combine(d, we, tzinfo=cal.tz), end)
                total += max(hi - lo, timedelta())
        d += timedelta(days=1)
    return total


@given(a=spans, b=spans, cal=st.sampled_from([CAL, PROVINCE_CAL, ODD_CAL]))
def test_property_working_time_between_equals_the_day_by_day_walk(a: datetime, b: datetime, cal: WorkCalendar) -> None:
    assert working_time_between(a, b, cal) == (walked_working_time(a, b, cal) if a < b else timedelta())


@given(a=st.dates(date(2024, 1, 1), date(2029, 12, 31)), days=st.integers(-3, 800))
def test_property_count_working_days_equals_the_listed_days(a: date, days: int) -> None:
    b = a + timedelta(days=days)
    for cal in (CAL, ODD_CAL):
        assert count_working_days(a, b, cal) == len(working_days(a, b, cal))


def test_count_working_days_on_known_spans() -> None:
    # Tết 2026: Mon 16 – Fri 20 Feb off; February 2026 has 20 weekdays, so 15 working days.
    assert count_working_days(date(2026, 2, 1), date(2026, 2, 28), CAL) == 15
    assert count_working_days(date(2026, 1, 5), date(2026, 1, 5), CAL) == 1  # a Monday
    assert count_working_days(date(2026, 1, 3), date(2026, 1, 4), CAL) == 0  # a weekend
    assert count_working_days(date(2026, 1, 9), date(2026, 1, 17), ODD_CAL) == 6  # Sat 17 works, Fri 9 off


# --------------------------------------------------------------------------
# The due instant without its explanation: the same answer as compute_due
# --------------------------------------------------------------------------

SHORT_DAY_CAL = WorkCalendar(days_off={}, windows=((time(8), time(12)), (time(13), time(14))))
LATE_CAL = WorkCalendar(days_off={}, windows=((time(0, 30), time(6)), (time(18), time(23, 59, 59, 999999))))


@given(
    received=st.datetimes(min_value=datetime(2024, 6, 1), max_value=datetime(2029, 6, 30)),
    utc=st.booleans(),
    amount=st.integers(0, 60),
    unit=any_unit,
    cal=st.sampled_from([CAL, CAL_VI, PROVINCE_CAL, ODD_CAL, SHORT_DAY_CAL, LATE_CAL]),
    cutoff=st.sampled_from([DEFAULT_CUTOFF, None, time(11, 30), time(0, 45)]),
    pauses=closed_pauses(),
)
def test_property_due_instant_equals_the_explained_due(
    received: datetime,
    utc: bool,
    amount: int,
    unit: Unit,
    cal: WorkCalendar,
    cutoff: time | None,
    pauses: list[Pause],
) -> None:
    start = received.replace(tzinfo=UTC) if utc else received
    explained = compute_due(start, amount, unit, cal, cutoff=cutoff, pauses=pauses).due
    fast = due_instant(start, amount, unit, cal, cutoff=cutoff, pauses=pauses)
    assert fast == explained
    assert fast.tzinfo is explained.tzinfo


# The calendar-day path of due_instant works on wall-clock microseconds and the sorted day
# table: receipts near its edges (the days around each holiday, year ends, the cut-off and
# window bounds to the microsecond), pauses around the clock start (touching, overlapping,
# open, in another time zone), and calendars in zones with daylight saving time.
PARIS = ZoneInfo("Europe/Paris")
PARIS_CAL = WorkCalendar(
    days_off={date(2025, 12, 25): "Noël", date(2026, 1, 1): "Jour de l'an"},
    windows=((time(1, 30), time(2, 45)), (time(9), time(17, 30))),
    tz=PARIS,
)
NEW_YORK_CAL = WorkCalendar(days_off={date(2026, 7, 3): "Independence Day"}, tz=ZoneInfo("America/New_York"))
EDGE_DAYS = sorted(
    {d for d in CAL.days_off if d.year < 2030}
    | {date(year, 12, 31) for year in range(2023, 2031)}
    | {date(2025, 3, 30), date(2025, 10, 26), date(2026, 3, 29), date(2026, 10, 25)}  # Paris DST
    | {date(2025, 3, 9), date(2025, 11, 2), date(2026, 3, 8), date(2026, 11, 1)}  # New York DST
)


def shown_in(instant: datetime, zone: str | tzinfo) -> datetime:
    """``instant`` (aware, in the calendar's zone) as the calendar's zone, a naive wall-clock
    time, or another zone: the same instant (or wall-clock time) in another form."""
    if isinstance(zone, str):
        return instant if zone == "calendar" else instant.replace(tzinfo=None)
    return instant.astimezone(zone)


ZONES: list[str | tzinfo] = ["calendar", "calendar", "naive", UTC, PARIS]


@st.composite
def edge_receipts(draw: st.DrawFn, cal: WorkCalendar, cutoff: time | None) -> datetime:
    """Any instant, or (three times in four) one near a day off, a year end or a daylight saving
    change, at a window bound of ``cal``, the cut-off, midnight or 02:30, give or take a minute
    or a microsecond; in the calendar's zone, naive, in UTC or Paris."""
    if draw(st.integers(0, 3)) == 0:
        wall = draw(st.datetimes(min_value=datetime(2023, 1, 1), max_value=datetime(2031, 12, 31)))
    else:
        day = draw(st.sampled_from(EDGE_DAYS)) + timedelta(days=draw(st.integers(-3, 3)))
        bounds = {t for window in cal.windows for t in window} | {time(0), time(2, 30), time(23, 59, 59, 999999)}
        at = draw(st.sampled_from(sorted(bounds | ({cutoff} if cutoff else set()))))
        nudge = draw(st.sampled_from([-60_000_000, -1, 0, 0, 0, 1, 60_000_000]))
        wall = datetime.combine(day, at) + timedelta(microseconds=nudge)
    return shown_in(wall.replace(tzinfo=cal.tz), draw(st.sampled_from(ZONES)))


@st.composite
def pauses_near(draw: st.DrawFn, begin: datetime, amount: int) -> list[Pause]:
    """Up to three pauses around the clock start ``begin``: starting at the unpaused due to the
    microsecond, touching or overlapping the previous one, or anywhere from 3 days before to
    30 days after; one in ten is open; in the calendar's zone, naive, in UTC or Paris."""
    pauses: list[tuple[datetime, datetime | None]] = []
    for _ in range(draw(st.integers(0, 3))):
        how = draw(st.sampled_from(["around", "at-due", "touching"]))
        if how == "touching" and pauses:
            start = (pauses[-1][1] or begin) - draw(st.sampled_from([timedelta(0), timedelta(hours=5)]))
        elif how == "at-due":
            start = begin + timedelta(days=amount, microseconds=draw(st.sampled_from([-1, 0, 0, 1])))
        else:
            start = begin + draw(st.timedeltas(min_value=timedelta(days=-3), max_value=timedelta(days=30)))
        length = draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=10)))
        pauses.append((start, None if draw(st.integers(0, 9)) == 0 else start + length))
    zone = draw(st.sampled_from(ZONES))
    return [Pause(shown_in(start, zone), None if end is None else shown_in(end, zone)) for start, end in pauses]


@settings(max_examples=1000)
@given(
    data=st.data(),
    amount=st.one_of(st.integers(0, 60), st.sampled_from([365, 366, 400, 800])),
    cal=st.sampled_from([CAL, CAL_VI, PROVINCE_CAL, ODD_CAL, SHORT_DAY_CAL, LATE_CAL, PARIS_CAL, NEW_YORK_CAL]),
    cutoff=st.sampled_from([DEFAULT_CUTOFF, None, time(11, 30), time(0, 45), time(12), time(17, 30)]),
)
def test_property_the_calendar_day_due_instant_equals_the_explained_due_at_the_edges(
    data: st.DataObject, amount: int, cal: WorkCalendar, cutoff: time | None
) -> None:
    start = data.draw(edge_receipts(cal, cutoff))
    pauses = data.draw(pauses_near(clock_start(start, cal, cutoff)[0], amount))
    try:
        explained = compute_due(start, amount, Unit.CALENDAR_DAYS, cal, cutoff=cutoff, pauses=pauses).due
    except OpenPauseError:
        with pytest.raises(OpenPauseError):
            due_instant(start, amount, Unit.CALENDAR_DAYS, cal, cutoff=cutoff, pauses=pauses)
        return
    fast = due_instant(start, amount, Unit.CALENDAR_DAYS, cal, cutoff=cutoff, pauses=pauses)
    assert fast == explained
    assert fast.tzinfo is explained.tzinfo
    assert (fast.year, fast.month, fast.day, fast.time()) == (
        explained.year,
        explained.month,
        explained.day,
        explained.time(),
    )


def test_a_pause_across_a_daylight_saving_change_stops_the_calendar_day_clock_for_its_wall_clock_span() -> None:
    # Paris, received Mon 16/03/2026 10:00; 15 days is Tue 31/03 10:00. The pause runs from
    # Fri 27/03 12:00 (CET) to Mon 30/03 20:00 (CEST), given in UTC: 3 days 8 h on the wall
    # clock (one hour more than elapsed), so the due is Fri 03/04 18:00, after that day's
    # 17:30 close. The elapsed span (3 days 7 h) would give 17:00, rolled to the close, 17:30.
    received = datetime(2026, 3, 16, 10, tzinfo=PARIS)
    pause = Pause(datetime(2026, 3, 27, 11, tzinfo=UTC), datetime(2026, 3, 30, 18, tzinfo=UTC))
    expected = datetime(2026, 4, 3, 18, tzinfo=PARIS)
    assert compute_due(received, 15, Unit.CALENDAR_DAYS, PARIS_CAL, pauses=[pause]).due == expected
    assert due_instant(received, 15, Unit.CALENDAR_DAYS, PARIS_CAL, pauses=[pause]) == expected


@pytest.mark.parametrize(
    ("received", "amount", "pauses", "expected"),
    [
        # Received 14:59:59.999999, before the cut-off: 15 days later is Tue 22/12, due at its close.
        pytest.param(
            vn(2026, 12, 7, 14, 59) + timedelta(seconds=59, microseconds=999999),
            15,
            [],
            vn(2026, 12, 22, 17),
            id="just-before-cutoff",
        ),
        # At 15:00 the clock starts Tue 08/12 08:00; + 15 days is Wed 23/12.
        pytest.param(vn(2026, 12, 7, 15), 15, [], vn(2026, 12, 23, 17), id="at-cutoff"),
        # Over the year end: Thu 17/12/2026 + 15 days is Fri 01/01/2027 (New Year): Mon 04/01.
        pytest.param(vn(2026, 12, 17, 10), 15, [], vn(2027, 1, 4, 17), id="year-end-holiday"),
        # A pause of 2 days 9 h pushes 10:00 Tue 22/12 to 19:00 Thu 24/12, after its close.
        pytest.param(
            vn(2026, 12, 7, 10),
            15,
            [Pause(vn(2026, 12, 8, 10), vn(2026, 12, 10, 19))],
            vn(2026, 12, 24, 19),
            id="paused-past-the-close",
        ),
        # Two overlapping pauses count once: 08/12 10:00 to 11/12 10:00 is 3 days.
        pytest.param(
            vn(2026, 12, 7, 10),
            15,
            [Pause(vn(2026, 12, 8, 10), vn(2026, 12, 10, 10)), Pause(vn(2026, 12, 9, 10), vn(2026, 12, 11, 10))],
            vn(2026, 12, 25, 17),
            id="overlapping-pauses",
        ),
    ],
)
def test_calendar_day_dues_at_the_edges(
    received: datetime, amount: int, pauses: list[Pause], expected: datetime
) -> None:
    assert due_instant(received, amount, Unit.CALENDAR_DAYS, CAL, pauses=pauses) == expected
    assert compute_due(received, amount, Unit.CALENDAR_DAYS, CAL, pauses=pauses).due == expected


def test_due_instant_refuses_what_compute_due_refuses() -> None:
    with pytest.raises(ValueError, match="unit"):
        due_instant(vn(2026, 12, 7, 10), 1, "weeks", CAL)
    with pytest.raises(ValueError, match="amount"):
        due_instant(vn(2026, 12, 7, 10), -1, Unit.WORKING_DAYS, CAL)
    with pytest.raises(ValueError, match="amount"):
        due_instant(vn(2026, 12, 7, 10), True, Unit.WORKING_DAYS, CAL)


@given(end=receipts, minutes=st.integers(0, 5 * 8 * 60), cal=calendars)
def test_property_subtracting_working_time_finds_the_latest_instant_that_far_before(
    end: datetime, minutes: int, cal: WorkCalendar
) -> None:
    span = timedelta(minutes=minutes)
    start = subtract_working_time(end, span, cal)
    assert working_time_between(start, end, cal) == span
    if minutes:
        assert working_time_between(start + timedelta(minutes=1), end, cal) < span


def test_subtracting_eight_working_hours_on_a_monday_morning_reaches_back_over_the_weekend() -> None:
    # Monday 07/12/2026 10:00: 2 h that morning, 6 h of Friday 04/12 (13:00-17:00, 10:00-12:00).
    assert subtract_working_time(vn(2026, 12, 7, 10), timedelta(hours=8), CAL) == vn(2026, 12, 4, 10)
    assert subtract_working_time(vn(2026, 12, 7, 10), timedelta(0), CAL) == vn(2026, 12, 7, 10)


@pytest.mark.parametrize("cutoff", [None, time(17, 30)])
def test_a_calendar_day_clock_received_at_the_close_starts_the_next_working_morning(cutoff: time | None) -> None:
    # Fri 11/12/2026 17:00 sharp, before the cut-off: no window is left that day, so the clock
    # starts Mon 14/12 08:00 and 15 days later is Tue 29/12 (from Friday it would be Sat 26/12,
    # rolled to Mon 28/12).
    received, expected = vn(2026, 12, 11, 17), vn(2026, 12, 29, 17)
    assert compute_due(received, 15, Unit.CALENDAR_DAYS, CAL, cutoff=cutoff).due == expected
    assert due_instant(received, 15, Unit.CALENDAR_DAYS, CAL, cutoff=cutoff) == expected
