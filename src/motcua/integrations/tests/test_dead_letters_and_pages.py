"""What officers and administrators see of the sync: the dossier page, the dead-letter page, the command."""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from motcua.integrations.models import MessageState, OutboundMessage
from motcua.integrations.national_portal.simulator import PortalSimulator
from motcua.integrations.tests.conftest import drain


def _client(actor: Any) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(pk=actor.user_id))
    return client


def test_the_dossier_page_shows_a_failed_sync_with_its_reason(
    world: Any, simulator: PortalSimulator, connector: Any
) -> None:
    dossier = world.submit()
    simulator.fail("DongBoHoSoMC", "5xx", times=1)
    drain(connector, passes=1)

    html = _client(world.reception).get(reverse("portal:office-dossier", args=[dossier.code])).content.decode()

    assert 'data-sync-state="failed"' in html
    assert "HTTP 503" in html


def test_the_dossier_page_shows_a_synced_dossier(world: Any, simulator: PortalSimulator, connector: Any) -> None:
    dossier = world.submit()
    drain(connector)

    html = _client(world.reception).get(reverse("portal:office-dossier", args=[dossier.code])).content.decode()

    assert 'data-sync-state="synced"' in html


def test_an_administrator_retries_a_dead_letter_from_the_admin_page(
    world: Any, simulator: PortalSimulator, connector: Any
) -> None:
    dossier = world.submit()
    simulator.fail("DongBoHoSoMC", "5xx", times=4)
    drain(connector)
    dead = OutboundMessage.objects.get(state=MessageState.DEAD)
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client = Client()
    client.force_login(admin)

    listing = client.get(reverse("admin:integrations_outboundmessage_changelist") + "?state=dead")
    client.post(
        reverse("admin:integrations_outboundmessage_changelist"),
        {"action": "retry", "_selected_action": [dead.pk]},
    )
    drain(connector)

    assert dossier.code in listing.content.decode()
    assert simulator.dossiers[dossier.code]["TrangThaiHoSo"] == "1"


def test_the_dead_letters_command_lists_and_discards(world: Any, simulator: PortalSimulator, connector: Any) -> None:
    dossier = world.submit()
    simulator.fail("DongBoHoSoMC", "5xx", times=4)
    drain(connector)
    dead = OutboundMessage.objects.get(state=MessageState.DEAD)
    out = StringIO()

    call_command("dead_letters", stdout=out)
    call_command("dead_letters", "--discard", str(dead.pk), stdout=out)

    assert dossier.code in out.getvalue()
    assert OutboundMessage.objects.get(pk=dead.pk).state == MessageState.DISCARDED
