"""Writes for applicants."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from motcua.lib.compiled import CompiledQuery
from motcua.lib.errors import InvalidInput
from motcua.lib.ids import personal_id_error
from motcua.people.models import Person, PersonKind

if TYPE_CHECKING:
    from django.contrib.auth.models import User  # AUTH_USER_MODEL is the default auth.User


#: `Person.objects.filter(id_number=…).first()`, compiled once per connection (every filing reads it).
_BY_ID_NUMBER: CompiledQuery[Person] = CompiledQuery(
    lambda id_number: Person.objects.filter(id_number=id_number).order_by("pk")[:1]
)


def person_find_or_create(
    *,
    id_number: str,
    full_name: str,
    kind: str = PersonKind.CITIZEN,
    birth_date: date | None = None,
    gender: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
) -> Person:
    """Return the applicant with this ID, creating them on first contact.

    Existing data is kept: data given once is reused (Decree 45/2020 Art. 16), and a
    counter officer typing a different spelling must not overwrite the record.
    Missing contact details are filled in.
    """
    id_number = id_number.strip()
    if kind == PersonKind.CITIZEN:
        if error := personal_id_error(id_number):
            raise InvalidInput(error, code="invalid_personal_id", details={"id_number": id_number})
    elif not id_number or len(id_number) > 20 or not id_number.replace("-", "").isalnum():
        raise InvalidInput(
            "An organisation's code has 1 to 20 letters, digits or dashes.", code="invalid_organisation_code"
        )
    if not full_name.strip():
        raise InvalidInput("The applicant's name is required.", code="missing_name")
    # Most applicants are known: one plain read finds them. Only a first contact takes the
    # savepoint that lets a concurrent first contact's insert win without failing the caller.
    found = _BY_ID_NUMBER.fetch(id_number)
    person = found[0] if found else None
    created = False
    if person is None:
        person, created = _person_create(
            id_number,
            {
                "kind": kind,
                "full_name": full_name.strip(),
                "birth_date": birth_date,
                "gender": gender,
                "address": address,
                "phone": phone,
                "email": email,
            },
        )
    if not created:
        updates = {
            name: value
            for name, value in {"address": address, "phone": phone, "email": email}.items()
            if value and not getattr(person, name)
        }
        if updates:
            Person.objects.filter(pk=person.pk).update(**updates)
            for name, value in updates.items():
                setattr(person, name, value)
    return person


def _person_create(id_number: str, defaults: dict[str, object]) -> tuple[Person, bool]:
    try:
        with transaction.atomic():
            return Person.objects.get_or_create(id_number=id_number, defaults=defaults)
    except IntegrityError:  # a concurrent first contact created it
        return Person.objects.get(id_number=id_number), False


@transaction.atomic
def person_link_user(*, person: Person, user: User, verified_by_national_identity: bool | None = None) -> Person:
    """Link the applicant `person` to the account `user` (one account per person), so that the
    citizen signed in acts as that applicant. `verified_by_national_identity` records that the
    account was checked against the national identity (left as it is when None)."""
    taken = Person.objects.filter(user=user).exclude(pk=person.pk).first()
    if taken is not None:
        raise InvalidInput("This account is already linked to another applicant.", code="user_already_linked")
    if person.user_id is not None and person.user_id != user.pk:
        raise InvalidInput("This applicant is already linked to another account.", code="person_already_linked")
    person.user = user
    fields = ["user"]
    if verified_by_national_identity is not None:
        person.verified_by_national_identity = verified_by_national_identity
        fields.append("verified_by_national_identity")
    person.save(update_fields=fields)
    return person


def person_mark_verified(*, person: Person) -> Person:
    """Record that the applicant's identity was checked against the national identity."""
    Person.objects.filter(pk=person.pk).update(verified_by_national_identity=True)
    person.verified_by_national_identity = True
    return person


@transaction.atomic
def person_update_contact(
    *, person: Person, address: str, phone: str, email: str, birth_date: date | None = None
) -> Person:
    """The applicant's own contact details, as they keep them on the portal. The name and the
    personal ID never change here; the birth date only while the identity is not verified
    against the national identity (which then is the source)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if birth_date is not None and birth_date > date.today():
        raise InvalidInput("A birth date cannot be in the future.", code="invalid_birth_date")
    person.address, person.phone, person.email = address.strip(), phone.strip(), email.strip()
    fields = ["address", "phone", "email"]
    if not person.verified_by_national_identity:
        person.birth_date = birth_date
        fields.append("birth_date")
    person.save(update_fields=fields)
    return person
