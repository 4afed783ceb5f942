"""Imported histories keep their hash chain and say who imported them and when."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from typing import Any

from django.utils import timezone

from motcua.dossiers.integrity import verify_events
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.exchange.export import export_lines
from motcua.exchange.format import VN_OFFSET
from motcua.exchange.generator import generate_dossiers
from motcua.exchange.importer import import_lines
from motcua.exchange.tests.conftest import UNTIL, rolled_back


def _hashes() -> dict[tuple[str, int], str]:
    return {(code, seq): value for code, seq, value in DossierEvent.objects.values_list("dossier__code", "seq", "hash")}


def test_an_imported_history_gets_the_hashes_it_had_and_who_imported_it(world: Any) -> None:
    with rolled_back():
        generate_dossiers(count=12, seed=3, until=UNTIL)
        lines = list(export_lines())
        before = _hashes()
        heads = dict(Dossier.objects.values_list("code", "chain_head"))
    assert not Dossier.objects.exists()

    started = timezone.now()
    report = import_lines(lines, batch_size=5, imported_by="admin")

    assert report.imported == 12
    assert _hashes() == before
    assert dict(Dossier.objects.values_list("code", "chain_head")) == heads
    assert verify_events() == []
    for imported_by, imported_at in Dossier.objects.values_list("imported_by", "imported_at"):
        assert imported_by == "admin"
        assert imported_at is not None
        assert started - timedelta(seconds=1) <= imported_at <= timezone.now()
    assert list(export_lines()) == lines  # the chain is not part of the file: same bytes


def test_an_imported_history_continues_its_chain_with_new_transitions(world: Any) -> None:
    from motcua.dossiers import services as ds

    with rolled_back():
        dossier = world.register()
        lines = list(export_lines())
    import_lines(lines, imported_by="admin")
    imported = world.refresh(Dossier.objects.get(code=dossier.code))
    ds.dossier_start_processing(dossier=imported, actor=world.reception)
    assert DossierEvent.objects.filter(dossier=imported).count() == 2
    assert verify_events() == []


def test_an_account_missing_in_the_new_database_keeps_its_name_in_the_chain(world: Any) -> None:
    with rolled_back():
        world.register()
        lines = [line.replace('"actor":"reception"', '"actor":"gone.officer"') for line in export_lines()]
    assert '"actor":"gone.officer"' in lines[0]
    import_lines(lines)
    event = DossierEvent.objects.get()
    assert (event.actor_id, event.actor_username) == (None, "gone.officer")
    assert verify_events() == []


#: Local instants around the day's edge in UTC: 00:00-06:59 at +07:00 is the day before there.
EDGES = [
    (0, 0, 0, 0),
    (3, 15, 0, 1),
    (6, 59, 59, 999999),
    (7, 0, 0, 0),
    (12, 34, 56, 789012),
    (23, 59, 59, 999999),
]


def _respelt(line: str, offset: timedelta) -> str:
    """`line` with each event's instant written at `offset` (the same instants)."""
    record = json.loads(line)
    for event in record["events"]:
        event["at"] = datetime.fromisoformat(event["at"]).astimezone(dt_timezone(offset)).isoformat()
    return json.dumps(record, ensure_ascii=False)


def test_an_imported_history_at_any_hour_and_offset_verifies_with_the_hashes_of_the_live_path(world: Any) -> None:
    from motcua.dossiers import services as ds
    from motcua.testing.world import ANY_HOUR_REASON

    with rolled_back():
        for day, (hour, minute, second, micro) in enumerate(EDGES, start=1):
            received = datetime(2025, 6, day, hour, minute, second, micro, tzinfo=VN_OFFSET)
            dossier = world.register(at=received, outside_hours_reason=ANY_HOUR_REASON)
            later = EDGES[-day]
            ds.dossier_start_processing(
                dossier=dossier,
                actor=world.reception,
                at=datetime(2025, 6, day + 1, later[0], later[1], later[2], later[3], tzinfo=VN_OFFSET),
            )
        lines = list(export_lines())
        live = _hashes()
        heads = dict(Dossier.objects.values_list("code", "chain_head"))
    assert len(live) == 2 * len(EDGES)
    ats = [event["at"] for line in lines for event in json.loads(line)["events"]]
    assert any("T00:00:00.000000+07:00" in at for at in ats)
    assert any("T23:59:59.999999+07:00" in at for at in ats)

    # As exported (+07:00), then written at other offsets: the same instants, the same chain.
    for offset in (None, timedelta(0), timedelta(hours=-3, minutes=-30), timedelta(hours=14)):
        with rolled_back():
            given = lines if offset is None else [_respelt(line, offset) for line in lines]
            report = import_lines(given, imported_by="admin")
            assert report.imported == len(EDGES), offset
            assert _hashes() == live, offset
            assert dict(Dossier.objects.values_list("code", "chain_head")) == heads, offset
            assert verify_events() == [], offset
            assert list(export_lines()) == lines, offset  # the exchange spelling again, byte for byte
