"""What a delivery pass costs: a dossier's due events go as one run (its record once, then each
step), the bookkeeping is one UPDATE per event plus a few statements per read-ahead, the client
keeps one connection alive, and the pass's tunables are settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.integrations import backbone
from motcua.integrations.models import MessageState, OutboundMessage
from motcua.integrations.national_portal.simulator import PortalSimulator
from motcua.integrations.tests.conftest import drain

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _at(day: int, hour: int) -> datetime:
    return datetime(2026, 6, day, hour, tzinfo=VN)


def _advance(world: Any, dossier: Dossier, day: int) -> None:
    """Receive the dossier and start processing it: two more events."""
    ds.dossier_receive(dossier=world.refresh(dossier), actor=world.reception, at=_at(day, 9))
    ds.dossier_start_processing(dossier=world.refresh(dossier), actor=world.reception, at=_at(day, 10))


def _calls(simulator: PortalSimulator, service: str) -> int:
    return sum(1 for name, _ in simulator.calls if name == service)


def _received(simulator: PortalSimulator) -> dict[str, list[str]]:
    return {code: [s["NoiDungXuLy"] for s in steps] for code, steps in simulator.progress.items()}


def _expected() -> dict[str, list[str]]:
    steps: dict[str, list[str]] = {}
    for event in DossierEvent.objects.select_related("dossier").order_by("dossier_id", "seq"):
        steps.setdefault(event.dossier.code, []).append(event.action)
    return steps


def test_a_dossiers_due_events_go_as_one_run_with_its_record_sent_once(
    world: Any, simulator: PortalSimulator, connector: Any
) -> None:
    dossiers = [world.submit(at=_at(day, 8)) for day in (1, 2)]
    for day, dossier in enumerate(dossiers, start=1):
        _advance(world, dossier, day)

    drain(connector)

    assert simulator.rejected == []
    assert _received(simulator) == _expected()
    assert _calls(simulator, "DongBoHoSoMC") == 2  # one record per dossier, not one per event
    assert _calls(simulator, "CapNhatTienDoHoSoMC") == 6
    assert simulator.dossiers[dossiers[0].code]["TrangThaiHoSo"] == "4"  # as it stands after the run


def test_a_later_event_sends_the_record_again_as_it_then_stands(
    world: Any, simulator: PortalSimulator, connector: Any
) -> None:
    dossier = world.submit(at=_at(1, 8))
    drain(connector)
    assert simulator.dossiers[dossier.code]["TrangThaiHoSo"] == "1"

    _advance(world, dossier, 1)
    drain(connector)

    assert simulator.dossiers[dossier.code]["TrangThaiHoSo"] == "4"
    assert _received(simulator) == _expected()
    assert not OutboundMessage.objects.exclude(state=MessageState.SENT).exists()


def test_the_client_keeps_one_connection_alive_for_every_call(
    world: Any, simulator: PortalSimulator, connector: Any
) -> None:
    for day in (1, 2, 3):
        _advance(world, world.submit(at=_at(day, 8)), day)

    drain(connector)

    assert _calls(simulator, "CapNhatTienDoHoSoMC") == 9
    assert simulator.connections == 1


def test_a_kept_alive_connection_the_portal_dropped_is_opened_again_without_a_failed_try(
    world: Any, simulator: PortalSimulator, connector: Any
) -> None:
    dossier = world.submit(at=_at(1, 8))
    drain(connector)
    simulator.fail("DongBoHoSoMC", "drop")
    _advance(world, dossier, 1)

    drain(connector)

    assert _received(simulator) == _expected()
    assert set(OutboundMessage.objects.values_list("state", "attempts")) == {(MessageState.SENT, 1)}
    assert simulator.connections == 2


def test_a_connection_dropped_at_its_first_call_is_a_failed_try(
    world: Any, simulator: PortalSimulator, connector: Any
) -> None:
    world.submit(at=_at(1, 8))
    simulator.fail("login", "drop")

    backbone.run_pass(connector, owner="test")

    message = OutboundMessage.objects.get()
    assert (message.state, message.attempts) == (MessageState.PENDING, 1)
    assert "no answer" in message.last_error
    drain(connector)
    assert _received(simulator) == _expected()


def test_delivering_a_read_ahead_costs_one_update_per_event_and_a_few_statements_more(
    world: Any, simulator: PortalSimulator, connector: Any
) -> None:
    dossiers = [world.submit(at=_at(day, 8)) for day in range(1, 6)]
    drain(connector)  # the first sync of each dossier (its record created, indicator 1.4) is done
    for day, dossier in enumerate(dossiers, start=1):
        _advance(world, dossier, day)

    with CaptureQueriesContext(connection) as statements:
        result = backbone.run_pass(connector, owner="test")

    assert result.sent == 10
    updates = [q["sql"] for q in statements.captured_queries if q["sql"].startswith('UPDATE "integrations_outbound')]
    assert len(updates) == 10  # each message marked sent on its own, at once
    # About fourteen statements per event before runs and read-aheads; now the ten events cost the
    # ten updates, one settling statement per dossier and a fixed number per pass and read-ahead.
    assert len(statements.captured_queries) <= 10 + 5 * 3 + 25


def test_a_pass_sends_at_most_the_configured_batch(
    world: Any, simulator: PortalSimulator, connector: Any, settings: Any
) -> None:
    for day in (1, 2):
        _advance(world, world.submit(at=_at(day, 8)), day)
    settings.DELIVERY = {**settings.DELIVERY, "BATCH": 2}

    result = backbone.run_pass(connector, owner="test")

    assert (result.derived, result.sent) == (2, 2)


def test_a_read_ahead_of_one_message_still_delivers_everything_in_order(
    world: Any, simulator: PortalSimulator, connector: Any, settings: Any
) -> None:
    dossiers = [world.submit(at=_at(day, 8)) for day in (1, 2)]
    for day, dossier in enumerate(dossiers, start=1):
        _advance(world, dossier, day)
    settings.DELIVERY = {**settings.DELIVERY, "READ_AHEAD": 1}
    simulator.fail("CapNhatTienDoHoSoMC", "5xx", times=2)

    drain(connector)

    assert _received(simulator) == _expected()
    assert simulator.replays == 0
