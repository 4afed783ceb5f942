"""Imported histories keep their hash chain and say who imported them and when."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from motcua.dossiers.integrity import verify_events
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.exchange.export import export_lines
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
