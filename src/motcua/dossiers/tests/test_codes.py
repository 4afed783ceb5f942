"""Dossier codes `<agency code>-YYMMDD-NNNN` (Circular 01/2018 Art. 19; docs/legal-basis.md#identifiers).

The sequence is per receiving agency and per receipt day in Asia/Ho_Chi_Minh, restarts
every day, and has at least four digits (Circular 04/2025: longer when a day passes 9,999).
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from django.db import connection

from motcua.dossiers import services as ds
from motcua.dossiers.codes import format_code
from motcua.dossiers.models import CodeSequence, Dossier
from motcua.dossiers.tests.states import vn
from motcua.lib.errors import InvalidInput
from motcua.organizations.actors import actor_for
from motcua.organizations.models import Agency
from motcua.people.models import Person

#: A receipt at a day's boundary is outside working hours, and says why (test_receipt_hours.py).
NIGHT = "Tiếp nhận ngoài giờ để kiểm tra mã hồ sơ qua nửa đêm"


def test_a_counter_dossier_gets_the_agency_code_the_receipt_date_and_a_daily_sequence(world: Any) -> None:
    first = world.register(at=vn(2026, 11, 23, 9))
    second = world.register(at=vn(2026, 11, 23, 16))
    online = world.submit(at=vn(2026, 11, 23, 20))

    assert first.code == "H99.01-261123-0001"
    assert second.code == "H99.01-261123-0002"
    assert online.code == "H99.01-261123-0003"  # online dossiers of the same centre share the sequence


def test_the_code_date_is_the_vietnamese_date_not_the_utc_date(world: Any) -> None:
    # 23:30 UTC on 23/11 is 06:30 on 24/11 in Hà Nội.
    with time_machine.travel(datetime(2026, 11, 23, 23, 30, tzinfo=UTC), tick=False):
        dossier = world.submit()
    assert dossier.code == "H99.01-261124-0001"
    # 16:59 UTC is still 23:59 on the same Vietnamese day.
    with time_machine.travel(datetime(2026, 11, 23, 16, 59, tzinfo=UTC), tick=False):
        late_evening = world.submit()
    assert late_evening.code == "H99.01-261123-0001"


def test_the_sequence_restarts_every_day(world: Any) -> None:
    world.register(at=vn(2026, 11, 23, 9))
    world.register(at=vn(2026, 11, 23, 10))

    next_day = world.register(at=vn(2026, 11, 24, 0, 0), outside_hours_reason=NIGHT)
    day_after = world.register(at=vn(2026, 11, 25, 8))

    assert next_day.code == "H99.01-261124-0001"
    assert day_after.code == "H99.01-261125-0001"
    assert world.register(at=vn(2026, 11, 23, 23, 59), outside_hours_reason=NIGHT).code == "H99.01-261123-0003"


def test_each_receiving_agency_has_its_own_sequence(world: Any) -> None:
    provincial = world.register(at=vn(2026, 6, 1, 9))
    commune = ds.dossier_register(
        actor=world.commune_reception,
        version=world.commune_procedure,
        applicant=world.citizen_person,
        receiving_agency=world.commune_centre,
        at=vn(2026, 6, 1, 9),
    )
    assert provincial.code == "H99.01-260601-0001"
    assert commune.code == "H99.50.01-260601-0001"


def test_the_sequence_grows_to_five_digits_after_9999(world: Any) -> None:
    # A busy day already at 9,998 receipts (seeded directly: 9,998 receipts are not the point here).
    CodeSequence.objects.create(agency=world.centre, day=date(2026, 6, 1), last=9998)

    assert world.register(at=vn(2026, 6, 1, 9)).code == "H99.01-260601-9999"
    assert world.register(at=vn(2026, 6, 1, 10)).code == "H99.01-260601-10000"
    assert world.register(at=vn(2026, 6, 1, 11)).code == "H99.01-260601-10001"


@pytest.mark.parametrize(
    ("sequence", "code"),
    [
        (1, "H99.01-261123-0001"),
        (42, "H99.01-261123-0042"),
        (9999, "H99.01-261123-9999"),
        (12345, "H99.01-261123-12345"),
    ],
)
def test_format_code_pads_to_four_digits_at_least(sequence: int, code: str) -> None:
    assert format_code("H99.01", date(2026, 11, 23), sequence) == code


def test_a_refused_registration_does_not_use_up_a_number(world: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        world.register(at=vn(2026, 6, 1, 9), channel="carrier-pigeon")
    assert caught.value.code == "invalid_channel"
    assert world.register(at=vn(2026, 6, 1, 10)).code == "H99.01-260601-0001"


THREADS = 8
RECEIPTS_PER_THREAD = 25


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Concurrent receipts need real parallel connections (PostgreSQL); SQLite serialises writers and "
    "its append-only event trigger forbids the DELETE that flushes transactional tests.",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_receipts_at_one_agency_get_distinct_consecutive_codes(world: Any) -> None:
    version_id, centre_id, person_id = world.procedure.pk, world.centre.pk, world.citizen_person.pk
    reception_user_id = world.reception.user_id
    at = vn(2026, 11, 23, 9)
    barrier = threading.Barrier(THREADS)
    codes: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def receive_many() -> None:
        try:
            from django.contrib.auth import get_user_model

            from motcua.catalog.models import ProcedureVersion

            # Each thread loads its own objects on its own connection.
            version = ProcedureVersion.objects.select_related("procedure").get(pk=version_id)
            centre = Agency.objects.get(pk=centre_id)
            person = Person.objects.get(pk=person_id)
            actor = actor_for(get_user_model().objects.get(pk=reception_user_id))
            papers = [ds.ComponentIn(name=doc.name, required_document_id=doc.pk) for doc in version.documents.all()]
            barrier.wait(timeout=60)
            for _ in range(RECEIPTS_PER_THREAD):
                dossier = ds.dossier_register(
                    actor=actor, version=version, applicant=person, receiving_agency=centre, at=at, components=papers
                )
                with lock:
                    codes.append(dossier.code)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=receive_many) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    total = THREADS * RECEIPTS_PER_THREAD
    assert len(codes) == total
    assert len(set(codes)) == total
    assert all(code.startswith("H99.01-261123-") for code in codes)
    assert sorted(int(code.rsplit("-", 1)[1]) for code in codes) == list(range(1, total + 1))
    assert CodeSequence.objects.get(agency_id=centre_id, day=date(2026, 11, 23)).last == total
    assert Dossier.objects.filter(receiving_agency_id=centre_id).count() == total
