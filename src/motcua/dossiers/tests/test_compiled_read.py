"""The read of a dossier by code that commands use (`selectors.dossier_for`) is compiled once
per connection (`lib.compiled.CompiledQuery`); what it gives back is what the ORM's queryset
gives: the same field values, the same related objects, the same annotation, in one statement."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext

from motcua.dossiers import selectors
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.lib.compiled import INTEGER_MARKER, CompiledQuery

RELATED = ("applicant", "receiving_agency", "settling_agency", "current_agency")


def _values(obj: Model) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


@pytest.mark.parametrize("listed", [False, True])
def test_the_compiled_read_gives_what_the_querysets_read_gives(world: Any, listed: bool) -> None:
    dossier = world.submit(actor=world.portal, source="national_portal")
    compiled = selectors._BY_CODE_LISTED if listed else selectors._BY_CODE
    expected = list(compiled.build(dossier.code))
    with CaptureQueriesContext(connection) as queries:
        found = compiled.fetch(dossier.code)
    assert len(queries.captured_queries) == 1
    assert len(found) == len(expected) == 1
    assert _values(found[0]) == _values(expected[0])
    assert found[0]._state.db == expected[0]._state.db
    assert not found[0]._state.adding
    for name in RELATED:
        with CaptureQueriesContext(connection) as queries:
            related = getattr(found[0], name)
        assert not queries.captured_queries, f"{name} was read again"
        assert _values(related) == _values(getattr(expected[0], name))
    if listed:
        assert found[0].listed_json == expected[0].listed_json  # type: ignore[attr-defined]
        assert len(json.loads(found[0].listed_json)) == dossier.components.count()  # type: ignore[attr-defined]
    assert compiled.fetch("KHONG-CO-MA") == []


def test_a_compiled_query_takes_exactly_one_looked_up_value(db: Any) -> None:
    twice = CompiledQuery(lambda code: Dossier.objects.filter(code=code, status=code))
    with pytest.raises(ValueError, match="exactly one"):
        twice.fetch("X")


def test_a_compiled_query_on_an_integer_column_gives_the_deferred_instance_the_orm_gives(world: Any) -> None:
    dossier = world.submit(actor=world.portal, source="national_portal")
    latest = CompiledQuery(
        lambda dossier_id: DossierEvent.objects.filter(dossier_id=dossier_id).order_by("-seq").only("data", "at")[:1],
        marker=INTEGER_MARKER,
    )
    expected = DossierEvent.objects.filter(dossier_id=dossier.pk).order_by("-seq").only("data", "at").first()
    (found,) = latest.fetch(dossier.pk)
    assert expected is not None
    assert (found.pk, found.data, found.at) == (expected.pk, expected.data, expected.at)
    assert found.get_deferred_fields() == expected.get_deferred_fields()
