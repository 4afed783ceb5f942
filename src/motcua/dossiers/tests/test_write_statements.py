"""What a transition sends to the database (dossiers/writes.py): on PostgreSQL the dossier row,
its event and the rows of the change in one statement; the rows stored exactly as the ORM
would store them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent, Handover, HandoverResult, Status
from motcua.dossiers.tests.states import ACT_AT, T0, snapshot
from motcua.lib.errors import Conflict

pytestmark = pytest.mark.django_db


def _writes(queries: CaptureQueriesContext) -> list[str]:
    """The statements that write (the reads of a test's unprefetched procedure left out)."""
    return [q["sql"] for q in queries.captured_queries if q["sql"].upper().startswith(("INSERT", "UPDATE", "WITH"))]


def test_a_new_dossier_its_event_and_papers_are_one_statement_after_its_code_on_postgresql(world: Any) -> None:
    with CaptureQueriesContext(connection) as queries:
        dossier = world.submit(at=T0, actor=world.portal, source="national_portal")

    sent = _writes(queries)
    if connection.vendor == "postgresql":
        assert len(sent) == 2, sent  # the code's sequence, then one statement for every row
        assert sent[1].startswith("WITH d AS (INSERT INTO")
    else:
        # SQLite has no data-modifying CTE: the code, the dossier, its event, each paper.
        assert len(sent) == 3 + len(world.papers()), sent
    stored = Dossier.objects.get(pk=dossier.pk)
    assert (stored.code, stored.status, stored.row_version) == (dossier.code, Status.SUBMITTED, 1)
    assert stored.created_at is not None
    assert stored.updated_at is not None
    event = DossierEvent.objects.get(dossier_id=dossier.pk)
    assert (event.seq, event.action, event.hash) == (1, "submit", stored.chain_head)
    papers = list(DossierComponent.objects.filter(dossier_id=dossier.pk).order_by("id"))
    assert [p.name for p in papers] == [c.name for c in world.papers()]
    # Stored as the ORM stores a paper without a file: an empty name, not NULL; a time added.
    assert all(p.file.name == "" and p.added_at is not None for p in papers)
    assert DossierComponent.objects.filter(dossier_id=dossier.pk, file="").count() == len(papers)


def test_a_hand_over_is_written_in_the_statement_of_its_transition_on_postgresql(world: Any) -> None:
    dossier = world.register(at=T0)
    with CaptureQueriesContext(connection) as queries:
        event = ds.dossier_start_processing(dossier=dossier, actor=world.reception, at=ACT_AT)

    sent = _writes(queries)
    if connection.vendor == "postgresql":
        assert len(sent) == 1, sent
        assert not any(q["sql"] in {"BEGIN", "COMMIT"} for q in queries.captured_queries)
    else:
        assert len(sent) == 3, sent  # the UPDATE, the event, the hand-over
    handover = Handover.objects.get(dossier_id=dossier.pk)
    assert (handover.at, handover.from_agency_id, handover.to_agency_id) == (ACT_AT, world.centre.pk, world.justice.pk)
    assert (handover.given_by_id, handover.result) == (world.reception.user_id, HandoverResult.ON_TIME)
    assert handover.note == ""
    assert handover.to_step is not None
    assert handover.to_step.key == "review"
    assert DossierEvent.objects.get(pk=event.pk).seq == 2


def test_a_hand_over_on_a_stale_dossier_writes_no_hand_over_row(world: Any) -> None:
    dossier = world.register(at=T0)
    stale = world.refresh(dossier)
    ds.dossier_start_processing(dossier=dossier, actor=world.reception, at=ACT_AT)
    ds.dossier_finish(dossier=dossier, actor=world.leader, at=ACT_AT)
    before = snapshot(dossier.pk)

    with pytest.raises(Conflict):
        ds.dossier_start_processing(dossier=stale, actor=world.reception, at=ACT_AT)
    assert snapshot(dossier.pk) == before
    assert Handover.objects.filter(dossier_id=dossier.pk).count() == 1


def _as_sent(value: Any) -> Any:
    """A prepared value with its type (the driver adapts by type), JSON by its content."""
    return (type(value).__name__, getattr(value, "obj", value))


def test_every_column_is_prepared_as_the_orm_prepares_it(world: Any) -> None:
    """`writes.values` takes shortcuts for plain values; each must give what the field's own
    `pre_save` and `get_db_prep_save` give, for every column of every row a transition writes."""
    from django.db import DEFAULT_DB_ALIAS, connections

    from motcua.dossiers import writes
    from motcua.dossiers.models import ClockPause

    conn = connections[DEFAULT_DB_ALIAS]
    dossier = world.register(at=T0, authorised_person={"name": "Lê Văn Bình"})
    ds.dossier_start_processing(dossier=dossier, actor=world.reception, at=ACT_AT)
    ds.dossier_request_supplement(
        dossier=dossier, actor=world.specialist, reason="Thiếu bản sao", items=["Bản sao CCCD"], at=ACT_AT
    )
    rows = [
        world.refresh(dossier),
        *DossierEvent.objects.filter(dossier_id=dossier.pk),
        *Handover.objects.filter(dossier_id=dossier.pk),
        *ClockPause.objects.filter(dossier_id=dossier.pk),
        *DossierComponent.objects.filter(dossier_id=dossier.pk),
    ]
    assert {type(row) for row in rows} == {Dossier, DossierEvent, Handover, ClockPause, DossierComponent}
    for row in rows:
        spec = writes.table(type(row), conn)
        fast = writes.values(row, spec, conn)
        orm = [c.field.get_db_prep_save(c.field.pre_save(row, True), conn) for c in spec.columns]
        for column, mine, theirs in zip(spec.columns, fast, orm, strict=True):
            if column.field.name in {"created_at", "updated_at", "added_at"}:
                continue  # auto_now: each pre_save takes the clock again
            assert _as_sent(mine) == _as_sent(theirs), (type(row).__name__, column.field.name)


def _prepared_transitions() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall() if row[0].startswith(("WITH d AS", "WITH u AS"))]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
@pytest.mark.parametrize("prepared", [True, False])
def test_a_transitions_statement_is_prepared_on_the_server_once_it_repeats(
    world: Any, settings: Any, prepared: bool
) -> None:
    from motcua.dossiers.writes import PREPARE_AFTER

    settings.MOTCUA = {**settings.MOTCUA, "DB_PREPARED_WRITES": prepared}
    for _ in range(PREPARE_AFTER + 1):
        world.submit(at=T0, actor=world.portal, source="national_portal")

    found = _prepared_transitions()
    if prepared:
        assert len(found) == 1, found  # the same statement each time: prepared once
        assert found[0].startswith("WITH d AS (INSERT INTO")
        assert "$1" in found[0]  # the values travel apart from the statement
    else:
        assert found == []
    # Prepared or not, every dossier is stored whole.
    assert Dossier.objects.count() == PREPARE_AFTER + 1
    assert DossierEvent.objects.filter(action="submit").count() == PREPARE_AFTER + 1
