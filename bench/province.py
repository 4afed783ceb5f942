"""The demo-sized province the page and dashboard workloads share (W5, W4d).

The test province of `motcua.testing.world` has seven agencies; a province a manager reads
has dozens. `demo_sized(world)` adds, under the test province H99, every agency of the demo
province (`motcua.demo.data.AGENCIES`: departments and their divisions, vertical branches,
wards and communes with their centres) whose code the test province does not use already,
so that the province holds at least `MIN_AGENCIES` agencies (81 in all). The historical
agencies of the demo (ended by the 2025 mergers) are left out, and no validity dates are
set, so that the dossiers of any period can be settled there.

`settling_pool(kind)` lists the codes a synthetic dossier of the commune procedure (the
communes: the test commune H99.50 and the demo's 24) or of a department's procedure (the
test Department of Construction H99.11, the demo's departments, divisions and vertical
branches) may be settled by.
"""

from __future__ import annotations

from typing import Any

MIN_AGENCIES = 70
POOL_KINDS = {"commune": ("commune",), "department": ("department", "division", "vertical_branch")}
WORLD_POOL = {"commune": "H99.50", "department": "H99.11"}


def _demo_rows() -> list[dict[str, Any]]:
    from motcua.demo.data import AGENCIES

    return [dict(row) for row in AGENCIES if row["valid_to"] is None and row["parent_code"] is not None]


def demo_sized(world: Any) -> int:
    """Add the demo province's agencies under the test province (idempotent); how many the
    province's subtree holds afterwards."""
    from motcua.organizations.models import Agency, AgencyKind, Level
    from motcua.organizations.services import agency_create

    known = {a.code: a for a in Agency.objects.filter(path__startswith=world.province.path)}
    for index, row in enumerate(_demo_rows(), 1):
        if row["code"] in known:
            continue
        parent = known.get(row["parent_code"])
        if parent is None:
            continue
        kind = row["kind"]
        level = Level.COMMUNE if kind == AgencyKind.COMMUNE or parent.level == Level.COMMUNE else Level.PROVINCE
        known[row["code"]] = agency_create(
            code=row["code"],
            name=row["name_vi"],
            name_en=row["name_en"],
            short_name=row["short_name_vi"],
            kind=kind,
            level=level,
            parent=parent,
            phone=f"0200 381 {index:04d}",
        )
    return Agency.objects.filter(path__startswith=world.province.path).count()


def settling_pool(kind: str) -> list[str]:
    """Codes of the agencies a dossier of this kind ("commune", "department") may be settled by."""
    codes = [WORLD_POOL[kind]]
    codes += [row["code"] for row in _demo_rows() if row["kind"] in POOL_KINDS[kind] and row["code"] not in codes]
    # H99.11 is the test province's Department of Construction; the demo's H99.11 (Justice) is not added.
    return codes
