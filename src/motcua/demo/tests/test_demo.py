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


def test_the_demo_papers_named_as_conditional_are_not_mandatory() -> None:
    from motcua.catalog.selectors import named_as_conditional
    from motcua.demo.data import PROCEDURES

    named = [(p["code"], c) for p in PROCEDURES for c in p["components"] if named_as_conditional(c["name_vi"])]
    assert len(named) >= 10
    assert [(code, c["name_vi"]) for code, c in named if c["requirement"] == "mandatory"] == []
    assert {c["requirement"] for _, c in named} == {"optional", "conditional"}


@pytest.mark.django_db
def test_the_demo_power_of_attorney_is_mandatory_only_when_filed_on_someone_s_behalf() -> None:
    from motcua.catalog.models import RequiredDocument, Requirement

    call_command("load_demo", dossiers=0)
    proxy = RequiredDocument.objects.filter(
        version__procedure__code="1.001193", version__status="published", name__startswith="Văn bản ủy quyền"
    ).get()
    assert (proxy.requirement, proxy.condition_field, proxy.condition_values) == (
        Requirement.CONDITIONAL,
        "nop_thay",
        [True],
    )
    assert proxy.required_for({"nop_thay": True}) is True
    assert proxy.required_for({"nop_thay": False}) is False
    assert proxy.required_for({}) is False
