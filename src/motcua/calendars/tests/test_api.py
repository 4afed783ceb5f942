"""The due-date contract over HTTP (issue 2, item 3).

`GET /api/v1/calendar/due-date` answers the due instant in Vietnam time with an explanation
naming every skipped day; `GET /api/v1/calendar/working-days` lists working days and days
off with their reasons. Expected values are worked out by hand from
docs/legal-basis.md#working-days-and-holidays (8-hour day 08:00–12:00 and 13:00–17:00, 15:00
cut-off of Decree 63/2024 Art. 7.2, Tết 2026 16–20/02, 24/11/2026 Vietnam Cultural Day, a Tuesday).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from motcua.api.tests.support import assert_error
from motcua.calendars.services import calendar_override_set, clear_cache

DUE = "/api/v1/calendar/due-date"
WORKING_DAYS = "/api/v1/calendar/working-days"


def _due(client: Client, **params: Any) -> dict[str, Any]:
    response = client.get(DUE, params)
    assert response.status_code == 200, response.content
    return response.json()  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("start", "amount", "unit", "due"),
    [
        # Monday 09:00 + 3 working days, Tuesday 24/11 off: Friday 09:00.
        ("2026-11-23T09:00:00", 3, "working_days", "2026-11-27T09:00:00+07:00"),
        # The same instant written in UTC.
        ("2026-11-23T02:00:00Z", 3, "working_days", "2026-11-27T09:00:00+07:00"),
        # After the 15:00 cut-off the clock starts next working day (25/11), 4 h later: 12:00.
        ("2026-11-23T16:00:00+07:00", 4, "working_hours", "2026-11-25T12:00:00+07:00"),
        # Calendar days skip nothing.
        ("2026-11-23T09:00:00+07:00", 2, "calendar_days", "2026-11-25T17:00:00+07:00"),
        # Friday before Tết 2026: the weekend, five Tết days and the next weekend are skipped.
        ("2026-02-13T09:00:00+07:00", 1, "working_days", "2026-02-23T09:00:00+07:00"),
        # A date alone is midnight, outside working hours: the clock starts at 08:00.
        ("2026-11-23", 2, "working_days", "2026-11-25T17:00:00+07:00"),
        # Nothing to wait for: due at the clock start.
        ("2026-11-23T09:00:00+07:00", 0, "working_days", "2026-11-23T09:00:00+07:00"),
    ],
)
def test_the_due_instant_is_in_vietnam_time(
    client: Client, db: Any, start: str, amount: int, unit: str, due: str
) -> None:
    body = _due(client, start=start, amount=amount, unit=unit)
    assert body["due"] == due
    assert body["due"].endswith("+07:00")


def test_the_explanation_names_each_skipped_day_and_why(client: Client, db: Any) -> None:
    body = _due(client, start="2026-11-23T09:00:00", amount=3, unit="working_days")
    assert body["explanation"] == [
        "Received 23/11/2026 09:00 (Monday)",
        "The clock starts at receipt, 09:00 23/11/2026",
        "Skipped 24/11/2026 Vietnam Cultural Day (day off)",
        "Due 09:00 27/11/2026 after 3 working days (24 h of working time)",
    ]
    assert body["skipped_days"] == [{"date": "2026-11-24", "reason": "Vietnam Cultural Day"}]


def test_the_explanation_lists_every_day_of_tet(client: Client, db: Any) -> None:
    body = _due(client, start="2026-02-13T09:00:00+07:00", amount=1, unit="working_days")
    skipped = [line for line in body["explanation"] if line.startswith("Skipped ")]
    assert [line.split()[1] for line in skipped] == [
        "14/02/2026",
        "15/02/2026",
        "16/02/2026",
        "17/02/2026",
        "18/02/2026",
        "19/02/2026",
        "20/02/2026",
        "21/02/2026",
        "22/02/2026",
    ]
    assert "Skipped 17/02/2026 Lunar New Year (day off)" in skipped


def test_the_explanation_speaks_vietnamese_on_request(client: Client, db: Any) -> None:
    body = _due(client, start="2026-11-23T09:00:00", amount=3, unit="working_days", lang="vi")
    assert "Bỏ qua 24/11/2026 Ngày Văn hóa Việt Nam (ngày nghỉ)" in body["explanation"]


def test_an_override_for_an_agency_changes_only_its_answer(
    client: Client, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    params = {"start": "2026-11-23T09:00:00", "amount": 3, "unit": "working_days"}
    before = _due(client, **params, agency="H99.10")
    assert before["due"] == "2026-11-27T09:00:00+07:00"
    with django_capture_on_commit_callbacks(execute=True):  # the service clears the cache on commit
        calendar_override_set(
            day=date(2026, 11, 25),
            kind="day_off",
            reason="Nghỉ theo quyết định của tỉnh",
            reason_en="Provincial day off",
            agency_id=world.justice.pk,
        )
    after = _due(client, **params, agency="H99.10")
    assert after["due"] == "2026-11-30T09:00:00+07:00"  # 24 and 25 off, then the weekend
    assert "Skipped 25/11/2026 Provincial day off (day off)" in after["explanation"]
    assert _due(client, **params, agency="H99.11")["due"] == "2026-11-27T09:00:00+07:00"
    assert _due(client, **params)["due"] == "2026-11-27T09:00:00+07:00"


def test_a_province_override_reaches_every_agency_below(
    client: Client, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        calendar_override_set(
            day=date(2026, 11, 28),
            kind="working_day",
            reason="Làm bù",
            reason_en="Swapped working Saturday",
            agency_id=world.province.pk,
        )
    body = _due(client, start="2026-11-27T09:00:00", amount=1, unit="working_days", agency="H99.50.01")
    assert body["due"] == "2026-11-28T09:00:00+07:00"


def test_an_agency_with_other_working_hours_gets_its_own_answer(client: Client, world: Any) -> None:
    from motcua.organizations.models import Agency

    Agency.objects.filter(pk=world.tax.pk).update(working_hours=[["07:30", "11:30"], ["13:30", "17:00"]])
    body = _due(client, start="2026-11-23T07:00:00", amount=4, unit="working_hours", agency="H99.30")
    assert body["due"] == "2026-11-23T11:30:00+07:00"


def test_an_unknown_agency_is_404_json(client: Client, db: Any) -> None:
    response = client.get(DUE, {"start": "2026-11-23T09:00:00", "amount": "1", "unit": "working_days", "agency": "Z99"})
    body = assert_error(response, 404, "agency_not_found")
    assert "Z99" in body["message"]


VALID = {"start": "2026-11-23T09:00:00", "amount": "3", "unit": "working_days"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start": "23/11/2026"}, "start"),
        ({"start": "2026-13-01T09:00:00"}, "start"),
        ({"start": "yesterday"}, "start"),
        ({"amount": "-1"}, "amount"),
        ({"amount": "1.5"}, "amount"),
        ({"amount": "three"}, "amount"),
        ({"amount": "3661"}, "amount"),
        ({"unit": "weeks"}, "unit"),
        ({"unit": ""}, "unit"),
        ({"lang": "fr"}, "lang"),
        ({"start": None}, "start"),
        ({"amount": None}, "amount"),
        ({"unit": None}, "unit"),
    ],
)
def test_invalid_input_is_422_naming_the_parameter(
    client: Client, db: Any, changes: dict[str, Any], field: str
) -> None:
    params = {k: v for k, v in {**VALID, **changes}.items() if v is not None}
    body = assert_error(client.get(DUE, params), 422, "validation_error")
    assert [d["field"] for d in body["details"]] == [field]
    assert field in body["message"]


def test_missing_parameters_are_all_named(client: Client, db: Any) -> None:
    body = assert_error(client.get(DUE), 422, "validation_error")
    assert {d["field"] for d in body["details"]} == {"start", "amount", "unit"}
    assert all(d["message"] == "Field required" for d in body["details"])


@pytest.mark.parametrize(
    ("start", "amount"),
    [
        ("9999-12-31T09:00:00", 3000),  # beyond any date Python can hold
        ("0001-01-01T09:00:00", 3),  # before the zone had a fixed +07:00 offset
        ("2045-01-02T09:00:00", 3),  # no holidays loaded: Tết would be silently worked
        ("2040-06-01T09:00:00", 3000),  # starts inside, ends outside the known years
    ],
)
def test_dates_outside_the_known_calendar_are_refused(client: Client, db: Any, start: str, amount: int) -> None:
    response = client.get(DUE, {"start": start, "amount": str(amount), "unit": "working_days"})
    body = assert_error(response, 422, "outside_calendar")
    assert "2018–2040" in body["message"]


# ---------------------------------------------------------------- working days


def test_working_days_lists_working_days_and_days_off_with_reasons(client: Client, db: Any) -> None:
    response = client.get(WORKING_DAYS, {"from": "2026-11-20", "to": "2026-11-25"})
    assert response.status_code == 200
    assert response.json() == {
        "working_days": ["2026-11-20", "2026-11-23", "2026-11-25"],
        "count": 3,
        "days_off": [
            {"date": "2026-11-21", "reason": "Saturday"},
            {"date": "2026-11-22", "reason": "Sunday"},
            {"date": "2026-11-24", "reason": "Vietnam Cultural Day"},
        ],
        "provisional_years": [],
    }


def test_working_days_follow_the_agency_calendar(
    client: Client, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        calendar_override_set(day=date(2026, 11, 25), kind="day_off", reason="Nghỉ", agency_id=world.justice.pk)
    body = client.get(WORKING_DAYS, {"from": "2026-11-25", "to": "2026-11-25", "agency": "H99.10"}).json()
    assert body == {
        "working_days": [],
        "count": 0,
        "days_off": [{"date": "2026-11-25", "reason": "Nghỉ"}],
        "provisional_years": [],
    }


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"from": "2026-11-25", "to": "2026-11-20"}, 422, "invalid_range"),
        ({"from": "2018-01-01", "to": "2030-01-01"}, 422, "range_too_long"),
        ({"from": "2016-11-20", "to": "2016-11-25"}, 422, "outside_calendar"),
        ({"from": "20/11/2026", "to": "2026-11-25"}, 422, "validation_error"),
        ({"to": "2026-11-25"}, 422, "validation_error"),
        ({"from": "2026-11-20", "to": "2026-11-25", "agency": "Z99"}, 404, "agency_not_found"),
    ],
)
def test_working_days_refuses_bad_ranges_clearly(
    client: Client, db: Any, params: dict[str, str], status: int, code: str
) -> None:
    assert_error(client.get(WORKING_DAYS, params), status, code)


def test_the_calendar_is_public(client: Client, db: Any) -> None:
    """No credentials needed: citizens check their appointment before filing."""
    assert client.get(DUE, VALID).status_code == 200
    assert client.get(WORKING_DAYS, {"from": "2026-11-20", "to": "2026-11-25"}).status_code == 200


def test_a_due_date_in_a_year_not_yet_announced_is_marked_provisional(client: Client, db: Any) -> None:
    body = _due(client, start="2026-12-28T09:00:00", amount=10, unit="working_days")
    assert body["due"].startswith("2027-01-")
    assert body["provisional"] is True
    assert "2027" in body["explanation"][-1]
    assert "Provisional" in body["explanation"][-1]
    assert _due(client, start="2026-12-01T09:00:00", amount=2, unit="working_days")["provisional"] is False


def test_working_days_name_the_provisional_years(client: Client, db: Any) -> None:
    response = client.get("/api/v1/calendar/working-days", {"from": "2026-12-01", "to": "2027-01-31"})
    assert response.status_code == 200
    assert response.json()["provisional_years"] == [2027]


def test_the_province_can_announce_a_year_without_code(client: Client, db: Any, settings: Any) -> None:
    settings.MOTCUA = {**settings.MOTCUA, "CALENDAR_ANNOUNCED_THROUGH": 2027}
    clear_cache()
    try:
        assert _due(client, start="2026-12-28T09:00:00", amount=10, unit="working_days")["provisional"] is False
    finally:
        clear_cache()


def test_vietnam_cultural_day_is_a_day_off_unless_the_province_turns_it_off(
    client: Client, db: Any, settings: Any
) -> None:
    # Mon 23/11/2026 09:00 + 1 working day: Tue 24/11 is off, so Wed 25/11 09:00.
    assert (
        _due(client, start="2026-11-23T09:00:00", amount=1, unit="working_days")["due"] == "2026-11-25T09:00:00+07:00"
    )
    settings.MOTCUA = {**settings.MOTCUA, "CULTURAL_DAY_OFF": False}
    clear_cache()
    try:
        body = _due(client, start="2026-11-23T09:00:00", amount=1, unit="working_days")
        assert body["due"] == "2026-11-24T09:00:00+07:00"
    finally:
        clear_cache()
