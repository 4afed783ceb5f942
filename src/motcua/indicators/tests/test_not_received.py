"""Dossiers checked at reception and not received (returned for completion, refused) are kept
and reported, but never "received" for Indicator set 766 (docs/legal-basis.md#checking-before-receiving)."""

from __future__ import annotations

from typing import Any

from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.workflow import Action
from motcua.indicators.models import IndicatorFact
from motcua.indicators.periods import parse_period
from motcua.indicators.selectors import scorecard
from motcua.indicators.tests.conftest import Walker, vn
from motcua.testing.tasks import run_background_tasks

MARCH = parse_period("2026-03")


def test_dossiers_returned_or_refused_at_reception_are_kept_but_never_counted_as_received(
    world: Any, walk: Walker
) -> None:
    for action, items in ((Action.RETURN_FOR_COMPLETION, ["Bản chụp CCCD"]), (Action.REFUSE, None)):
        ds.dossier_register_not_received(
            actor=world.reception,
            version=world.procedure,
            applicant=world.citizen_person,
            receiving_agency=world.centre,
            action=action,
            reason="Hồ sơ chưa hợp lệ",
            at=vn(2026, 3, 2, 9),
            items=items,
        )
    returned = world.submit(at=vn(2026, 3, 3, 9))
    ds.dossier_return_for_completion(
        dossier=world.refresh(returned), actor=world.reception, items=["Tờ khai"], at=vn(2026, 3, 3, 10)
    )
    refused = world.submit(at=vn(2026, 3, 4, 9))
    ds.dossier_refuse(
        dossier=world.refresh(refused), actor=world.reception, reason="Sai thẩm quyền", at=vn(2026, 3, 4, 10)
    )
    received = walk.counter(vn(2026, 3, 5, 9))
    run_background_tasks()

    kept = Dossier.objects.exclude(pk=received.pk)
    assert sorted(kept.values_list("status", flat=True)) == sorted(
        [Status.RETURNED_FOR_COMPLETION, Status.REFUSED, Status.RETURNED_FOR_COMPLETION, Status.REFUSED]
    )
    assert not kept.filter(received_at__isnull=False).exists()
    assert list(IndicatorFact.objects.values_list("dossier_id", flat=True)) == [received.pk]
    for agency in (world.justice, world.province):
        assert scorecard(agency, MARCH, now=vn(2026, 6, 1)).received == 1
