"""The tamper-evident history: every event hashed onto its dossier's chain, anchors over all.

Each forgery goes around the application the way an intruder with database access would:
raw SQL with the append-only triggers lifted.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from motcua.dossiers import chain
from motcua.dossiers.apps import histories_intact
from motcua.dossiers.integrity import event_content, verify_events
from motcua.dossiers.models import Dossier, DossierEvent, EventAnchor, Status
from motcua.dossiers.services import event_anchor_create
from motcua.dossiers.tests.states import dossier_in

SQLITE_EVENT_TRIGGERS = (
    "CREATE TRIGGER dossiers_event_no_update BEFORE UPDATE ON dossiers_dossierevent "
    "BEGIN SELECT RAISE(ABORT, 'dossier events are append-only'); END;",
    "CREATE TRIGGER dossiers_event_no_delete BEFORE DELETE ON dossiers_dossierevent "
    "BEGIN SELECT RAISE(ABORT, 'dossier events are append-only'); END;",
)


@contextmanager
def triggers_off() -> Iterator[Any]:
    """A cursor that may rewrite events: the append-only triggers lifted, then put back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Foreign key checks still pending in the test's transaction forbid ALTER TABLE: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE dossiers_dossierevent DISABLE TRIGGER dossiers_event_no_update")
        else:
            cursor.execute("DROP TRIGGER dossiers_event_no_update")
            cursor.execute("DROP TRIGGER dossiers_event_no_delete")
        yield cursor
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE dossiers_dossierevent ENABLE TRIGGER dossiers_event_no_update")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for statement in SQLITE_EVENT_TRIGGERS:
                cursor.execute(statement)


def _history(world: Any) -> Dossier:
    """A dossier with a real history: received, handed over, processed, returned."""
    dossier = dossier_in(world, Status.RETURNED)
    assert dossier is not None
    return dossier


def _events(dossier: Dossier) -> list[DossierEvent]:
    return list(DossierEvent.objects.filter(dossier_id=dossier.pk).order_by("seq"))


def _found(dossier: Dossier) -> list[tuple[str, int | None]]:
    return [(b.dossier, b.seq) for b in verify_events()]


def test_every_event_is_hashed_onto_the_previous_one_of_its_dossier(world: Any) -> None:
    dossier = _history(world)
    events = _events(dossier)
    assert len(events) >= 4
    key = chain.settings_key()
    previous = chain.GENESIS
    for event in events:
        content = event_content({**event.__dict__, "data": event.data})
        assert event.hash == chain.link(key, previous, dossier.code, content)
        previous = event.hash
    assert Dossier.objects.get(pk=dossier.pk).chain_head == events[-1].hash
    assert events[0].actor_username == "reception"
    assert verify_events() == []


def test_it_names_the_dossier_and_event_whose_field_was_edited(world: Any) -> None:
    dossier = _history(world)
    other = world.register()
    third = _events(dossier)[2]
    with triggers_off() as cursor:
        cursor.execute("UPDATE dossiers_dossierevent SET reason = 'rewritten' WHERE id = %s", [third.pk])
    assert _found(dossier) == [(dossier.code, third.seq)]
    assert other.code not in {b.dossier for b in verify_events()}


def test_it_detects_a_forged_event_whose_actor_was_swapped(world: Any) -> None:
    dossier = _history(world)
    first = _events(dossier)[0]
    with triggers_off() as cursor:
        cursor.execute(
            "UPDATE dossiers_dossierevent SET actor_id = %s, actor_username = 'leader' WHERE id = %s",
            [world.leader.user_id, first.pk],
        )
    assert _found(dossier) == [(dossier.code, first.seq)]


def test_it_detects_an_event_inserted_into_the_history(world: Any) -> None:
    dossier = _history(world)
    last = _events(dossier)[-1]
    with triggers_off() as cursor:
        cursor.execute(
            "INSERT INTO dossiers_dossierevent (dossier_id, seq, action, from_status, to_status, at, actor_name, "
            "actor_username, actor_role, reason, form, data, hash) "
            "VALUES (%s, %s, 'approve', 'returned', 'returned', %s, 'Forger', '', '', '', '', '{}', %s)",
            [dossier.pk, last.seq + 1, last.at, "0" * 64],
        )
    breaks = verify_events()
    assert (dossier.code, last.seq + 1) in [(b.dossier, b.seq) for b in breaks]
    assert all(b.dossier == dossier.code for b in breaks)


def test_it_detects_a_deleted_event_at_the_next_one(world: Any) -> None:
    dossier = _history(world)
    events = _events(dossier)
    with triggers_off() as cursor:
        cursor.execute("DELETE FROM dossiers_dossierevent WHERE id = %s", [events[1].pk])
    assert _found(dossier) == [(dossier.code, events[2].seq)]


def test_it_detects_a_truncated_history(world: Any) -> None:
    dossier = _history(world)
    events = _events(dossier)
    with triggers_off() as cursor:
        cursor.execute("DELETE FROM dossiers_dossierevent WHERE id = %s", [events[-1].pk])
    breaks = verify_events()
    assert [(b.dossier, b.seq) for b in breaks] == [(dossier.code, events[-2].seq)]
    assert "removed from the end" in breaks[0].problem


def test_it_detects_two_events_swapped(world: Any) -> None:
    dossier = _history(world)
    a, b = _events(dossier)[1:3]
    with triggers_off() as cursor:
        cursor.execute("UPDATE dossiers_dossierevent SET seq = 0 WHERE id = %s", [a.pk])
        cursor.execute("UPDATE dossiers_dossierevent SET seq = %s WHERE id = %s", [a.seq, b.pk])
        cursor.execute("UPDATE dossiers_dossierevent SET seq = %s WHERE id = %s", [b.seq, a.pk])
    found = _found(dossier)
    assert found
    assert {seq for _, seq in found} <= {a.seq, b.seq, b.seq + 1}
    assert found[0] == (dossier.code, a.seq)


def test_a_chain_rewritten_without_the_key_does_not_verify(world: Any) -> None:
    dossier = _history(world)
    events = _events(dossier)
    forged = chain.history(
        b"a guessed key",
        dossier.code,
        [event_content({**e.__dict__, "data": e.data, "reason": "rewritten"}) for e in events],
    )
    with triggers_off() as cursor:
        for event, value in zip(events, forged, strict=True):
            cursor.execute(
                "UPDATE dossiers_dossierevent SET reason = 'rewritten', hash = %s WHERE id = %s", [value, event.pk]
            )
        cursor.execute("UPDATE dossiers_dossier SET chain_head = %s WHERE id = %s", [forged[-1], dossier.pk])
    assert _found(dossier) == [(dossier.code, e.seq) for e in events]


def test_an_anchor_catches_a_chain_rewritten_with_the_key(world: Any) -> None:
    dossier = _history(world)
    world.register()
    anchor = event_anchor_create()
    assert anchor is not None
    assert anchor.events == DossierEvent.objects.count()
    assert event_anchor_create() is None  # nothing new to seal
    events = _events(dossier)
    # An insider with the key recomputes the dossier's chain after the edit: the chain holds…
    rewritten = chain.history(
        chain.settings_key(),
        dossier.code,
        [event_content({**e.__dict__, "data": e.data, "reason": "rewritten"}) for e in events],
    )
    with triggers_off() as cursor:
        for event, value in zip(events, rewritten, strict=True):
            cursor.execute(
                "UPDATE dossiers_dossierevent SET reason = 'rewritten', hash = %s WHERE id = %s", [value, event.pk]
            )
        cursor.execute("UPDATE dossiers_dossier SET chain_head = %s WHERE id = %s", [rewritten[-1], dossier.pk])
    breaks = verify_events()
    # …but not the anchor that sealed the old hashes.
    assert [(b.anchor, b.dossier) for b in breaks] == [(anchor.pk, "")]


def test_anchors_are_chained_and_append_only(world: Any) -> None:
    world.register()
    first = event_anchor_create()
    world.register()
    second = event_anchor_create()
    assert first is not None
    assert second is not None
    assert second.previous == first.digest
    assert second.events == 1
    assert verify_events() == []
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM dossiers_eventanchor WHERE id = %s", [first.pk])
    assert EventAnchor.objects.count() == 2


def test_the_command_and_the_system_check_report_the_break(world: Any) -> None:
    dossier = _history(world)
    out = io.StringIO()
    call_command("verify_events", stdout=out)
    assert "matches" in out.getvalue()
    assert histories_intact(databases=["default"]) == []
    event = _events(dossier)[1]
    with triggers_off() as cursor:
        cursor.execute("UPDATE dossiers_dossierevent SET form = '07' WHERE id = %s", [event.pk])
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 break"):
        call_command("verify_events", stdout=io.StringIO(), stderr=err)
    assert f"dossier {dossier.code}, event {event.seq}:" in err.getvalue()
    messages = histories_intact(databases=["default"])
    assert [(m.id, m.obj) for m in messages] == [("dossiers.E001", dossier.code)]


class _Editor:
    """What the migration's RunPython uses of a schema editor."""

    def __init__(self) -> None:
        self.connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_the_migration_seals_histories_written_before_the_chain(world: Any) -> None:
    from importlib import import_module

    from django.apps import apps

    dossier = _history(world)
    sealed = [e.hash for e in _events(dossier)]
    with triggers_off() as cursor:
        cursor.execute("UPDATE dossiers_dossierevent SET hash = '', actor_username = ''")
        cursor.execute("UPDATE dossiers_dossier SET chain_head = ''")
    assert verify_events()

    import_module("motcua.dossiers.migrations.0007_event_hash_chain").seal_histories(apps, _Editor())

    assert [e.hash for e in _events(dossier)] == sealed
    assert verify_events() == []
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE dossiers_dossierevent SET reason = 'x'")


def test_workers_take_an_anchor_once_enough_new_events_are_written(world: Any, settings: Any) -> None:
    from motcua.background import periodic

    job = next(job for job in periodic.JOBS if job.name == "anchor_events")
    settings.MOTCUA = {**settings.MOTCUA, "EVENT_ANCHOR_EVERY": 3}
    world.register()
    world.register()
    assert job.run() is None
    world.register()
    anchor = job.run()
    assert isinstance(anchor, EventAnchor)
    assert anchor.events == 3
