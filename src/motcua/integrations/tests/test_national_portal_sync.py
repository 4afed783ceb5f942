"""The national portal connector against its simulator, over real HTTP."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.integrations import backbone, services
from motcua.integrations.models import Consumer, DossierSync, MessageState, OutboundMessage
from motcua.integrations.national_portal.connector import NationalPortalConnector
from motcua.integrations.national_portal.simulator import PortalSimulator
from motcua.integrations.selectors import dead_letters, dossier_sync_states
from motcua.integrations.tests.conftest import drain

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


def _processed(world: Any, day: int = 1) -> Dossier:
    dossier = world.submit(at=vn(2026, 6, day, 8))
    ds.dossier_receive(dossier=world.refresh(dossier), actor=world.reception, at=vn(2026, 6, day, 9))
    ds.dossier_start_processing(dossier=world.refresh(dossier), actor=world.reception, at=vn(2026, 6, day, 9, 30))
    refreshed: Dossier = world.refresh(dossier)
    return refreshed


def _steps(dossier: Dossier) -> list[tuple[str, str]]:
    return [
        (e.action, e.at.astimezone(VN).strftime("%Y%m%d%H%M%S")) for e in DossierEvent.objects.filter(dossier=dossier)
    ]


def _received_steps(simulator: PortalSimulator, dossier: Dossier) -> list[tuple[str, str]]:
    return [(s["NoiDungXuLy"], s["ThoiDiemXuLy"]) for s in simulator.progress[dossier.code]]


def test_it_sends_the_dossier_then_every_step_in_order(world: Any, simulator: PortalSimulator, connector: Any) -> None:
    dossier = _processed(world)

    drain(connector)

    assert simulator.rejected == []
    assert _received_steps(simulator, dossier) == _steps(dossier)
    record = simulator.dossiers[dossier.code]
    assert record["TrangThaiHoSo"] == "4"
    assert record["KenhThucHien"] == "2"
    assert record["SoGiayToChuHoSo"] == world.citizen_person.id_number
    assert record["NgayTiepNhan"] == "20260601090000"
    assert record["TaiLieuNop"][0]["DuocSoHoa"] == "1"
    assert [c[0] for c in simulator.calls][:2] == ["DongBoHoSoMC", "CapNhatTienDoHoSoMC"]
    assert world.refresh(dossier).national_synced_at is not None
    assert [(v.state, v.unsent) for v in dossier_sync_states(dossier.pk)] == [("synced", 0)]


def test_it_resends_a_create_as_an_update_when_the_portal_already_has_the_dossier(
    world: Any, simulator: PortalSimulator, connector: Any
) -> None:
    dossier = world.submit(at=vn(2026, 6, 1, 8))
    simulator.fail("DongBoHoSoMC", "exists")

    drain(connector)

    assert OutboundMessage.objects.get().state == MessageState.SENT
    assert simulator.dossiers[dossier.code]["TrangThaiHoSo"] == "1"
    assert len(simulator.progress[dossier.code]) == 1


def test_every_event_arrives_once_and_in_order_through_errors_timeouts_and_garbage(
    world: Any, simulator: PortalSimulator, connector: Any
) -> None:
    dossiers = [_processed(world, day) for day in (1, 2, 3)]
    simulator.fail("DongBoHoSoMC", "5xx", times=2)
    simulator.fail("CapNhatTienDoHoSoMC", "timeout", times=1)
    simulator.fail("CapNhatTienDoHoSoMC", "garbage", times=2)
    simulator.fail("login", "5xx", times=1)

    drain(connector)

    assert simulator.rejected == []
    for dossier in dossiers:
        assert _received_steps(simulator, dossier) == _steps(dossier)
    assert not OutboundMessage.objects.exclude(state=MessageState.SENT).exists()
    assert OutboundMessage.objects.filter(attempts__gt=1).exists()
    assert simulator.replays == 0


def test_a_message_that_keeps_failing_becomes_a_dead_letter_holding_back_only_its_dossier(
    world: Any, simulator: PortalSimulator, connector: Any
) -> None:
    first = world.submit(at=vn(2026, 6, 1, 8))
    simulator.fail("DongBoHoSoMC", "5xx", times=4)  # max_attempts is 4 in the fixture
    drain(connector)
    ds.dossier_receive(dossier=world.refresh(first), actor=world.reception, at=vn(2026, 6, 1, 9))
    second = world.submit(at=vn(2026, 6, 1, 10))

    drain(connector)

    [dead] = dead_letters()
    assert (dead.dossier_id, dead.attempts) == (first.pk, 4)
    assert "503" in dead.last_error
    assert first.code not in simulator.dossiers  # its later event waits behind the dead letter
    assert second.code in simulator.dossiers
    assert [(v.state, v.unsent) for v in dossier_sync_states(first.pk)] == [("failed", 2)]
    assert "503" in dossier_sync_states(first.pk)[0].last_error

    services.dead_letter_retry(message_id=dead.pk)
    drain(connector)

    assert _received_steps(simulator, first) == _steps(first)
    assert DossierSync.objects.get(dossier=first).state == "synced"


def test_a_discarded_dead_letter_lets_the_dossier_move_on(
    world: Any, simulator: PortalSimulator, connector: Any
) -> None:
    dossier = world.submit(at=vn(2026, 6, 1, 8))
    simulator.fail("CapNhatTienDoHoSoMC", "5xx", times=4)
    drain(connector)
    ds.dossier_receive(dossier=world.refresh(dossier), actor=world.reception, at=vn(2026, 6, 1, 9))

    services.dead_letter_discard(message_id=dead_letters().get().pk)
    drain(connector)

    assert [s["TrangThai"] for s in simulator.progress[dossier.code]] == ["2"]
    assert OutboundMessage.objects.filter(state=MessageState.DISCARDED).count() == 1


def test_it_logs_in_again_when_the_session_expires(world: Any, simulator: PortalSimulator, connector: Any) -> None:
    simulator.session_calls = 1  # the record and three steps: four calls, each on a new session
    dossier = _processed(world)

    drain(connector)

    assert _received_steps(simulator, dossier) == _steps(dossier)
    assert simulator.logins == 4


def test_it_picks_up_an_event_committed_below_the_cursor(
    world: Any, simulator: PortalSimulator, connector: Any
) -> None:
    dossier = world.submit(at=vn(2026, 6, 1, 8))
    event = DossierEvent.objects.get(dossier=dossier)
    # As if a later id had been consumed before this one committed (PostgreSQL sequences).
    Consumer.objects.create(name=connector.name, cursor=event.pk + 5)

    drain(connector)

    assert len(simulator.progress[dossier.code]) == 1


def test_only_one_worker_runs_a_consumer_at_a_time(world: Any, simulator: PortalSimulator, connector: Any) -> None:
    world.submit(at=vn(2026, 6, 1, 8))
    assert services.consumer_lease(connector.name, "worker-a", timezone.now(), 60)

    result = backbone.run_pass(connector, owner="worker-b")

    assert not result.leased
    assert simulator.calls == []


@pytest.mark.parametrize("attempts", [1, 2, 5, 20])
def test_the_backoff_grows_exponentially_with_jitter_and_a_cap(attempts: int) -> None:
    ceiling = min(600.0, 10.0 * 2 ** (attempts - 1))
    low = services.backoff_delay(attempts, base=10, cap=600, rand=lambda: 0.0)
    high = services.backoff_delay(attempts, base=10, cap=600, rand=lambda: 1.0)
    assert (low, high) == (ceiling / 2, ceiling)


def test_the_simulator_refuses_a_record_that_breaks_the_contract(simulator: PortalSimulator) -> None:
    from motcua.integrations.national_portal.client import PortalClient
    from motcua.integrations.national_portal.conf import load
    from motcua.integrations.national_portal.interface import PortalError

    client = PortalClient(load())
    bad = {
        "MaHoSo": "X",
        "MaTTHC": "1.0",
        "TenTTHC": "T",
        "KenhThucHien": "9",
        "ChuHoSo": "A",
        "TrangThaiHoSo": "11",
        "NgayNopHoSo": "2026-06-01",
    }
    with pytest.raises(PortalError) as refused:
        client.publish_dossier(bad, update=False)
    message = str(refused.value)
    for field in ("KenhThucHien", "TrangThaiHoSo", "NgayNopHoSo"):
        assert field in message
    with pytest.raises(PortalError, match="never synced"):
        client.publish_progress(
            {"MaHoSo": "Y", "NguoiXuLy": "A", "ThoiDiemXuLy": "20260601080000", "NoiDungXuLy": "x", "TrangThai": "2"}
        )


def test_a_wrong_password_is_a_failed_send_not_a_crash(world: Any, simulator: PortalSimulator, settings: Any) -> None:
    from motcua.integrations.national_portal.conf import load

    settings.NATIONAL_PORTAL = {**settings.NATIONAL_PORTAL, "PASSWORD": "wrong"}
    world.submit(at=vn(2026, 6, 1, 8))

    backbone.run_pass(NationalPortalConnector(load()), owner="t")

    message = OutboundMessage.objects.get()
    assert message.state == MessageState.PENDING
    assert "login refused" in message.last_error


def test_make_run_has_its_worker_deliver_to_the_simulator_when_no_portal_is_set() -> None:
    import shutil
    import subprocess
    from pathlib import Path

    make = shutil.which("make")
    assert make is not None
    dry_run = subprocess.run(  # noqa: S603 - make from PATH, fixed arguments
        [make, "-n", "run"], cwd=Path(__file__).resolve().parents[4], capture_output=True, text=True, check=True
    ).stdout
    assert "run_connectors --simulator-only --simulator-port 8765" in dry_run
    assert "export MOTCUA_NATIONAL_PORTAL_URL=http://127.0.0.1:8765" in dry_run
    assert dry_run.index("MOTCUA_NATIONAL_PORTAL_URL=http://127.0.0.1:8765") < dry_run.index("run_worker")


def test_indicator_1_4_counts_a_dossier_once_the_portal_has_it(
    world: Any, simulator: PortalSimulator, connector: Any
) -> None:
    from motcua.indicators.periods import parse_period
    from motcua.indicators.selectors import drilldown
    from motcua.testing.tasks import run_background_tasks

    june = parse_period("2026-06")
    dossier = _processed(world)
    run_background_tasks()
    assert {row["code"] for row in drilldown(world.province, june, "received")} == {dossier.code}
    assert drilldown(world.province, june, "synced") == []

    drain(connector)
    run_background_tasks()

    assert {row["code"] for row in drilldown(world.province, june, "synced")} == {dossier.code}


def test_indicator_1_4_drills_down_to_the_dossiers_not_yet_synced_on_its_page(
    world: Any, simulator: PortalSimulator, connector: Any
) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from motcua.indicators.periods import parse_period
    from motcua.indicators.selectors import drilldown
    from motcua.testing.tasks import run_background_tasks

    june = parse_period("2026-06")
    synced = _processed(world, day=1)
    drain(connector)
    waiting = _processed(world, day=2)  # made after the pass: not on the portal yet
    run_background_tasks()
    manager = Client()
    manager.force_login(get_user_model().objects.get(username="manager"))

    dashboard = manager.get(f"/indicators/{world.province.code}/?period=2026-06").content.decode()
    page = manager.get(f"/indicators/{world.province.code}/dossiers/not_synced/?period=2026-06")

    assert [row["code"] for row in drilldown(world.province, june, "not_synced")] == [waiting.code]
    assert 'data-testid="not-synced"' in dashboard
    assert page.status_code == 200
    assert waiting.code in page.content.decode()
    assert synced.code not in page.content.decode()
