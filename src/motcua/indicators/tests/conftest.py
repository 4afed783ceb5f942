"""Helpers for the indicator tests: a dossier walked through the services at fixed instants."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine

from motcua.catalog.models import ProcedureVersion
from motcua.catalog.services import procedure_version_publish
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier
from motcua.indicators.periods import VN_TZ
from motcua.testing.world import World


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=VN_TZ)


class Walker:
    """Moves dossiers of the `world` through the real services."""

    def __init__(self, world: World) -> None:
        self.w = world

    def counter(self, at: datetime) -> Dossier:
        return self.w.register(at=at)

    def online(self, at: datetime) -> Dossier:
        d = self.w.submit(at=at)
        ds.dossier_receive(dossier=self.w.refresh(d), actor=self.w.reception, at=at)
        return self.w.refresh(d)

    def to_processing(self, d: Dossier, at: datetime) -> Dossier:
        ds.dossier_start_processing(dossier=self.w.refresh(d), actor=self.w.reception, at=at)
        return self.w.refresh(d)

    def finish(self, d: Dossier, at: datetime, *, electronic: bool = False) -> Dossier:
        ds.dossier_finish(dossier=self.w.refresh(d), actor=self.w.leader, at=at, electronic_result=electronic)
        return self.w.refresh(d)

    def supplement(self, d: Dossier, at: datetime) -> Dossier:
        ds.dossier_request_supplement(
            items=["Tờ khai có chữ ký"], dossier=self.w.refresh(d), actor=self.w.specialist, reason="Thiếu giấy", at=at
        )
        return self.w.refresh(d)

    def resubmit(self, d: Dossier, at: datetime) -> Dossier:
        """The applicant hands the supplement in (an officer checks it: `accept`)."""
        ds.dossier_resubmit(dossier=self.w.refresh(d), actor=self.w.citizen, at=at)
        return self.w.refresh(d)

    def accept(self, d: Dossier, at: datetime) -> Dossier:
        ds.dossier_accept_supplement(dossier=self.w.refresh(d), actor=self.w.reception, at=at)
        return self.w.refresh(d)


@pytest.fixture
def walk(world: Any) -> Walker:
    return Walker(world)


def publish_at(version: ProcedureVersion, at: datetime, decision: date, legal: date | None, **kw: Any) -> None:
    """Publish `version` at the instant `at`, by a decision of the day `decision`."""
    with time_machine.travel(at, tick=False):
        procedure_version_publish(
            version=version,
            decision_number=f"{decision:%d%m}/QĐ-UBND",
            decision_date=decision,
            effective_date=legal or decision + timedelta(days=2),
            legal_effective_date=legal,
            **kw,
        )
