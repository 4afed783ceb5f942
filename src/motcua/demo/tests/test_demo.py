"""The demo province loads through the services and covers what the README promises."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import F

from motcua.catalog.models import ProcedureVersion
from motcua.demo.data import check
from motcua.dossiers.models import Dossier, Status
from motcua.organizations.models import Agency, AgencyKind, Membership, Role


def test_the_demo_data_passes_its_own_consistency_check() -> None:
    assert check() == []


@pytest.mark.django_db
def test_the_demo_province_has_the_promised_shape_and_dossiers_in_every_state(capsys: Any) -> None:
    call_command("load_demo", dossiers=160, seed=7)
    out = capsys.readouterr().out
    assert "password for all" in out
    assert Agency.objects.filter(kind=AgencyKind.DEPARTMENT).count() >= 10
    assert Agency.objects.filter(kind=AgencyKind.COMMUNE).count() >= 20
    assert Agency.objects.filter(kind=AgencyKind.SERVICE_CENTRE).exists()
    assert ProcedureVersion.objects.filter(status="published").count() >= 40
    for role in Role.values:
        assert Membership.objects.filter(role=role).exists(), role
    states = set(Dossier.objects.values_list("status", flat=True))
    assert states == set(Status.values)
    from django.utils import timezone

    late = Dossier.objects.filter(status=Status.PROCESSING, due_at__lt=timezone.now()).count()
    late_done = Dossier.objects.filter(processed_at__isnull=False, processed_at__gt=F("appointment_at")).count()
    assert late + late_done > 0


@pytest.mark.django_db
def test_loading_twice_is_refused_unless_asked_to_skip(capsys: Any) -> None:
    call_command("load_demo", dossiers=5)
    call_command("load_demo", if_empty=True)
    assert "already loaded" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        call_command("load_demo")
