"""Seeds a database for the crash test (run in a child process with `manage.py shell`)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from motcua.dossiers import services as ds
from motcua.dossiers.models import DossierEvent
from motcua.testing.world import build_world

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def seed(count: int) -> None:
    world = build_world()
    start = datetime(2026, 6, 1, 8, tzinfo=VN)
    for n in range(count):
        at = start + timedelta(days=n // 5, minutes=n)
        dossier = world.submit(at=at)
        ds.dossier_receive(dossier=world.refresh(dossier), actor=world.reception, at=at + timedelta(minutes=30))
        ds.dossier_start_processing(dossier=world.refresh(dossier), actor=world.reception, at=at + timedelta(hours=1))


def dump() -> None:
    """Print each dossier's steps as the portal should have received them, as JSON."""
    steps: dict[str, list[list[str]]] = {}
    for event in DossierEvent.objects.select_related("dossier").order_by("dossier_id", "seq"):
        steps.setdefault(event.dossier.code, []).append(
            [event.action, event.at.astimezone(VN).strftime("%Y%m%d%H%M%S")]
        )
    print(json.dumps(steps))
