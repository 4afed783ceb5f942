"""Writes for applicants."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction

from motcua.lib.errors import InvalidInput
from motcua.lib.ids import personal_id_error
from motcua.people.models import Person, PersonKind


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
    try:
        with transaction.atomic():
            person, created = Person.objects.get_or_create(
                id_number=id_number,
                defaults={
                    "kind": kind,
                    "full_name": full_name.strip(),
                    "birth_date": birth_date,
                    "gender": gender,
                    "address": address,
                    "phone": phone,
                    "email": email,
                },
            )
    except IntegrityError:  # a concurrent first contact created it
        person, created = Person.objects.get(id_number=id_number), False
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
