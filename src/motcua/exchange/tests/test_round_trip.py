"""Export → import into a clean database → export gives the same bytes (issue 4 item 4)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from motcua.dossiers import services as ds
from motcua.dossiers.models import ClockPause, CodeSequence, Dossier, DossierEvent, Handover
from motcua.exchange.export import export_lines
from motcua.exchange.generator import generate_dossiers
from motcua.exchange.importer import import_lines
from motcua.exchange.tests.conftest import UNTIL, rolled_back
from motcua.indicators.periods import parse_period
from motcua.indicators.selectors import scorecard
from motcua.payments.models import Payment
from motcua.ratings.models import Rating


def _card(world: Any) -> list[tuple[str, float, float, float]]:
    card = scorecard(world.province, parse_period("2025-01-15..2026-01-15"), now=UNTIL)
    return [(i.key, i.numerator, i.denominator, i.points) for g in card.groups for i in g.items]


def _rows() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of a dossier's history by natural key (no row ids)."""
    return {
        "dossiers": sorted(
            Dossier.objects.values_list(
                "code",
                "status",
                "row_version",
                "received_at",
                "due_at",
                "appointment_at",
                "supplement_count",
                "late_by_supplement",
                "reappointment_count",
                "paid_vnd",
                "paid_online",
                "has_electronic_result",
                "current_agency__code",
                "current_step__key",
                "applicant__id_number",
                "created_at",
                "updated_at",
            )
        ),
        "events": sorted(
            DossierEvent.objects.values_list(
                "dossier__code",
                "seq",
                "action",
                "from_status",
                "to_status",
                "at",
                "actor__username",
                "actor_name",
                "actor_role",
                "actor_agency__code",
                "reason",
                "form",
            )
        ),
        "pauses": sorted(
            ClockPause.objects.values_list("dossier__code", "kind", "started_at", "ended_at", "during_intake")
        ),
        "handovers": sorted(
            Handover.objects.values_list(
                "dossier__code",
                "at",
                "from_agency__code",
                "to_agency__code",
                "from_step__key",
                "to_step__key",
                "given_by__username",
                "step_due_at",
                "result",
                "note",
            )
        ),
        "payments": sorted(
            Payment.objects.values_list("dossier__code", "amount_vnd", "online", "reference", "paid_at")
        ),
        "ratings": sorted(Rating.objects.values_list("dossier__code", "satisfaction", "rated_at", "person__id_number")),
    }


def test_it_gives_back_the_same_bytes_rows_and_indicators_after_export_and_import(world: Any) -> None:
    with rolled_back():
        generate_dossiers(count=50, seed=11, until=UNTIL)
        first = list(export_lines())
        rows_before = _rows()
        card_before = _card(world)
    assert not Dossier.objects.exists()
    assert len(first) == 50

    report = import_lines(first, batch_size=16)

    assert (report.imported, report.failed, report.duplicates) == (50, [], [])
    assert list(export_lines()) == first
    assert _rows() == rows_before
    assert _card(world) == card_before


def test_the_generated_history_has_what_the_indicators_score(exported: list[str]) -> None:
    import json

    records = [json.loads(line) for line in exported]
    actions = Counter(e["action"] for r in records for e in r["events"])
    assert actions["request_supplement"] > 0
    assert actions["confirm_payment"] > 0
    assert {r["channel"] for r in records} >= {"online", "counter"}
    assert any(p["online"] for r in records for p in r["payments"])
    assert any(not p["online"] for r in records for p in r["payments"])
    assert any(r["rating"] for r in records)
    assert any(c["digitized"] for r in records for c in r["components"])
    assert any(c["reused_data"] for r in records for c in r["components"])
    assert any(r["has_electronic_result"] for r in records)
    assert any(r["processed_at"] and r["processed_at"] > r["appointment_at"] for r in records), "no late dossier"


def test_the_generator_repeats_itself_for_a_seed(world: Any) -> None:
    def story() -> list[tuple[Any, ...]]:
        with rolled_back():
            generate_dossiers(count=15, seed=5, until=UNTIL)
            events = list(
                DossierEvent.objects.order_by("dossier__code", "seq").values_list("dossier__code", "action", "at")
            )
        return events

    assert story() == story()


def test_new_receipts_never_take_an_imported_code(world: Any, exported: list[str]) -> None:
    import_lines(exported)
    highest: dict[tuple[str, str], int] = {}
    for code in Dossier.objects.values_list("code", flat=True):
        agency, day, number = code.rsplit("-", 2)
        highest[(agency, day)] = max(highest.get((agency, day), 0), int(number))
    for (agency, day), seq in highest.items():
        row = CodeSequence.objects.get(
            agency__code=agency, day__year=2000 + int(day[:2]), day__month=int(day[2:4]), day__day=int(day[4:])
        )
        assert row.last >= seq
    # a counter receipt at the provincial centre on its busiest imported day gets the next
    # number, not a taken one (the counter in `world.register` is that centre's)
    (agency, day), seq = max(
        ((key, value) for key, value in highest.items() if key[0] == world.centre.code), key=lambda item: item[1]
    )
    when = Dossier.objects.values_list("submitted_at", flat=True).get(code=f"{agency}-{day}-{seq:04d}")
    dossier = world.register(at=when)
    assert dossier.code == f"{agency}-{day}-{seq + 1:04d}"


def test_an_imported_dossier_can_go_on_through_the_services(world: Any) -> None:
    with rolled_back():
        world.register(at=UNTIL)
        lines = list(export_lines())
    import_lines(lines)
    dossier = world.refresh(Dossier.objects.get())
    seq = dossier.row_version

    event = ds.dossier_start_processing(dossier=dossier, actor=world.reception)

    assert event.seq == seq + 1
    assert DossierEvent.objects.filter(dossier=dossier).count() == seq + 1
