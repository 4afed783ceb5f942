"""A change made directly inside an all-or-nothing transaction (an API command's) takes no
savepoint of its own; anywhere else a nested change keeps one; a failure inside rolls the
whole transaction back."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from motcua.lib.transactions import all_or_nothing, atomic_change
from motcua.people.models import Person


def _person(id_number: str) -> None:
    Person.objects.create(id_number=id_number, full_name="Nguyễn Văn An")


def _savepoints(queries: CaptureQueriesContext) -> int:
    return len([q for q in queries.captured_queries if q["sql"].startswith("SAVEPOINT")])


def test_a_change_directly_inside_an_all_or_nothing_transaction_takes_no_savepoint(db: Any) -> None:
    with CaptureQueriesContext(connection) as queries, all_or_nothing(), atomic_change():
        _person("001090123456")
    assert _savepoints(queries) == 1  # the all-or-nothing block's own, inside the test's transaction


def test_a_change_inside_another_atomic_block_keeps_its_savepoint(db: Any) -> None:
    with all_or_nothing(), transaction.atomic(), CaptureQueriesContext(connection) as queries, atomic_change():
        _person("001090123456")
    assert _savepoints(queries) == 1


def test_a_nested_change_outside_an_all_or_nothing_transaction_keeps_its_savepoint(db: Any) -> None:
    with CaptureQueriesContext(connection) as queries, atomic_change():
        _person("001090123456")
    assert _savepoints(queries) == 1  # inside the test's transaction


def _two_people_then_a_failure() -> None:
    with all_or_nothing():
        _person("001090123456")
        with atomic_change():
            _person("079195000111")
            raise RuntimeError("refused")


def test_a_failed_change_inside_rolls_the_whole_transaction_back(db: Any) -> None:
    with pytest.raises(RuntimeError):
        _two_people_then_a_failure()
    assert not Person.objects.exists()
    _person("001090123456")  # the connection is usable again
    assert Person.objects.count() == 1
