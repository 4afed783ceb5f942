"""`worktime.in_working_hours`: whether an instant falls in a working window of a working day
(receipts outside them need a reason, docs/legal-basis.md#receipts-outside-working-hours)."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from motcua.calendars.worktime import VN_TZ, WorkCalendar, in_working_hours

#: Thursday 30/4/2026 is a public holiday; Saturday 9/5/2026 a swapped working day here.
CAL = WorkCalendar(
    days_off={datetime(2026, 4, 30).date(): "Ngày Giải phóng miền Nam"},
    extra_working_days={datetime(2026, 5, 9).date(): "Làm bù"},
)


@pytest.mark.parametrize(
    ("instant", "inside"),
    [
        (datetime(2026, 6, 1, 8, 0, tzinfo=VN_TZ), True),  # opening: inside
        (datetime(2026, 6, 1, 11, 59, tzinfo=VN_TZ), True),
        (datetime(2026, 6, 1, 12, 0, tzinfo=VN_TZ), False),  # the morning window closes
        (datetime(2026, 6, 1, 16, 59, tzinfo=VN_TZ), True),
        (datetime(2026, 6, 1, 17, 0, tzinfo=VN_TZ), False),
        (datetime(2026, 6, 1, 7, 59, tzinfo=VN_TZ), False),
        (datetime(2026, 6, 6, 9, 0, tzinfo=VN_TZ), False),  # Saturday
        (datetime(2026, 4, 30, 9, 0, tzinfo=VN_TZ), False),  # holiday
        (datetime(2026, 5, 9, 9, 0, tzinfo=VN_TZ), True),  # swapped working Saturday
        (datetime(2026, 6, 1, 2, 0, tzinfo=UTC), True),  # 09:00 in Hà Nội
        (datetime(2026, 6, 1, 9, 0), True),  # naive: read in the calendar's zone
    ],
)
def test_an_instant_is_in_working_hours_only_inside_a_window_of_a_working_day(instant: datetime, inside: bool) -> None:
    assert in_working_hours(instant, CAL) is inside


def test_the_agencys_own_windows_decide() -> None:
    evening = WorkCalendar(days_off={}, windows=((time(7, 30), time(11, 30)), (time(13, 30), time(20, 0))))
    assert in_working_hours(datetime(2026, 6, 1, 19, 0, tzinfo=VN_TZ), evening)
    assert not in_working_hours(datetime(2026, 6, 1, 12, 0, tzinfo=VN_TZ), evening)
