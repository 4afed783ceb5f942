"""Applicants: the 12-digit personal ID and finding or creating a person without overwriting.

Personal ID (Law on Identification 2023 Art. 12; structure per Decree 137/2015 Art. 13 and
Circular 59/2021/TT-BCA Art. 7): 3 digits of the province where the birth was registered,
1 digit of century and sex (0/1 = 1900s male/female, 2/3 = 2000s, 4/5 = 2100s ...),
2 digits of the birth year, 6 random digits.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.lib.errors import InvalidInput
from motcua.lib.ids import personal_id_birth_year_and_sex, personal_id_error
from motcua.people.models import Person
from motcua.people.services import person_find_or_create

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("value", "year", "sex"),
    [
        ("001090123456", 1990, "male"),  # Hà Nội
        ("079195000111", 1995, "female"),  # Hồ Chí Minh City
        ("001203000001", 2003, "male"),
        ("048305999999", 2005, "female"),
        ("001226000001", 2026, "male"),  # born this year
        ("001100000001", 1900, "female"),
    ],
)
def test_it_accepts_personal_ids_and_reads_the_year_and_sex(value: str, year: int, sex: str) -> None:
    assert personal_id_error(value, today=TODAY) is None
    assert personal_id_birth_year_and_sex(value) == (year, sex)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("00109012345", "12 chữ số"),  # 11 digits
        ("0010901234567", "12 chữ số"),  # 13 digits
        ("00109012345A", "12 chữ số"),
        ("001 90123456", "12 chữ số"),
        ("", "12 chữ số"),
        ("００１０９０１２３４５６", "12 chữ số"),  # full-width digits are not ASCII digits
        ("001227000001", "tương lai"),  # born in 2027
        ("001400000001", "tương lai"),  # born in 2100
        ("001999999999", "tương lai"),  # born in 2399
        ("000090123456", "000"),  # no province has code 000
    ],
)
def test_it_refuses_invalid_personal_ids(value: str, why: str) -> None:
    error = personal_id_error(value, today=TODAY)
    assert error is not None
    assert why in error


def test_the_future_is_judged_against_today() -> None:
    assert personal_id_error("001227000001", today=date(2027, 1, 1)) is None


def test_it_creates_a_person_on_first_contact(db: Any) -> None:
    person = person_find_or_create(
        id_number=" 001090123456 ", full_name=" Nguyễn Văn An ", address="Phường An Bình", phone="0912345678"
    )
    assert person.pk is not None
    assert person.id_number == "001090123456"
    assert person.full_name == "Nguyễn Văn An"
    assert person.kind == "citizen"


def test_it_never_overwrites_what_is_known(db: Any) -> None:
    """Decree 45/2020 Art. 16: data given once is reused; a counter officer typing another
    spelling must not change the record."""
    first = person_find_or_create(
        id_number="001090123456", full_name="Nguyễn Văn An", address="Phường An Bình", phone="0912345678"
    )
    again = person_find_or_create(
        id_number="001090123456",
        full_name="Nguyen Van An",
        address="Xã khác",
        phone="0999999999",
        email="an@example.vn",
    )
    assert again.pk == first.pk
    stored = Person.objects.get(pk=first.pk)
    assert (stored.full_name, stored.address, stored.phone) == ("Nguyễn Văn An", "Phường An Bình", "0912345678")
    assert stored.email == "an@example.vn"  # missing contact details are filled in
    assert again.email == "an@example.vn"
    assert Person.objects.count() == 1


def test_a_known_applicant_is_found_with_one_statement_and_no_savepoint(db: Any) -> None:
    known = person_find_or_create(id_number="001090123456", full_name="Nguyễn Văn An")
    with CaptureQueriesContext(connection) as queries:
        found = person_find_or_create(id_number="001090123456", full_name="Nguyễn Văn An")
    assert found.pk == known.pk
    assert len(queries.captured_queries) == 1
    assert queries.captured_queries[0]["sql"].startswith("SELECT")


def test_it_refuses_an_invalid_personal_id_without_creating_anyone(db: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        person_find_or_create(id_number="12345", full_name="X")
    assert caught.value.code == "invalid_personal_id"
    assert caught.value.details == {"id_number": "12345"}
    assert not Person.objects.exists()


def test_it_refuses_a_person_born_in_the_future(db: Any) -> None:
    next_year = date.today().year + 1
    century_digit = 2 if next_year < 2100 else 4
    value = f"001{century_digit}{next_year % 100:02d}000001"
    with pytest.raises(InvalidInput) as caught:
        person_find_or_create(id_number=value, full_name="X")
    assert caught.value.code == "invalid_personal_id"


def test_it_refuses_a_nameless_applicant(db: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        person_find_or_create(id_number="001090123456", full_name="   ")
    assert caught.value.code == "missing_name"


@pytest.mark.parametrize("code", ["0101234567", "0101234567-001", "DN01"])
def test_an_organisation_is_known_by_its_enterprise_or_tax_code(db: Any, code: str) -> None:
    person = person_find_or_create(id_number=code, full_name="Công ty TNHH An Bình", kind="organisation")
    assert person.kind == "organisation"


@pytest.mark.parametrize("code", ["", "0101 234567", "x" * 21, "MST#1"])
def test_it_refuses_a_malformed_organisation_code(db: Any, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        person_find_or_create(id_number=code, full_name="Công ty", kind="organisation")
    assert caught.value.code == "invalid_organisation_code"


def test_an_applicant_is_linked_to_one_account(world: Any) -> None:
    from django.contrib.auth import get_user_model

    from motcua.people.services import person_link_user

    user = get_user_model().objects.create_user("an2")
    person = person_find_or_create(id_number="001090123457", full_name="Nguyễn Văn Bảo")

    person_link_user(person=person, user=user, verified_by_national_identity=True)

    stored = Person.objects.get(pk=person.pk)
    assert (stored.user_id, stored.verified_by_national_identity) == (user.pk, True)
    with pytest.raises(InvalidInput) as taken:
        person_link_user(person=world.citizen_person, user=user)
    assert taken.value.code == "user_already_linked"
    with pytest.raises(InvalidInput) as linked:
        person_link_user(person=person, user=get_user_model().objects.create_user("an3"))
    assert linked.value.code == "person_already_linked"
