"""Importing a procedure from the national procedure database (`LayThuTuc`) as a draft version,
and the differences a reviewer reads before publishing it.

The result's keys follow the best available evidence (docs/integrations.md); the nesting of the
fee keys is not confirmed, so the mapping reads them defensively."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from motcua.catalog.models import CompetentLevel, Field, Procedure, ProcedureVersion, TimeUnit, VersionStatus
from motcua.catalog.selectors import named_as_conditional
from motcua.catalog.services import (
    DocumentSpec,
    FeeSpec,
    StepSpec,
    VersionSpec,
    procedure_create,
    procedure_version_draft,
)
from motcua.lib.errors import InvalidInput

#: DONVITINH as the national database writes it → MotCua's time unit.
TIME_UNITS = {
    "ngày làm việc": TimeUnit.WORKING_DAYS,
    "giờ làm việc": TimeUnit.WORKING_HOURS,
    "giờ": TimeUnit.WORKING_HOURS,
    "ngày": TimeUnit.CALENDAR_DAYS,
    "tháng": TimeUnit.MONTHS,
}


def _list(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _amount(value: Any) -> int:
    try:
        return max(int(float(str(value).replace(".", "").replace(",", "") or 0)), 0)
    except ValueError:
        return 0


def _documents(result: dict[str, Any], base: ProcedureVersion | None) -> list[DocumentSpec]:
    """The papers of the national record. The record does not say which are needed only in
    some cases: a paper the version in force already has keeps its requirement (and the
    condition set on it locally); a new paper whose name says it is conditional ("nếu có",
    "trường hợp …", "đối với …") arrives optional, for the reviewer to make conditional."""
    known = {d.name: d for d in base.documents.all()} if base is not None else {}
    documents = []
    for group in _list(result.get("THANHPHANHOSO")):
        for paper in _list(group.get("GIAYTO")):
            name = str(paper.get("TENGIAYTO", "")).strip()[:500]
            if not name:
                continue
            spec = DocumentSpec(name=name, requirement="optional" if named_as_conditional(name) else "mandatory")
            if (local := known.get(name)) is not None:
                spec.requirement = local.requirement
                spec.condition_field = local.condition_field
                spec.condition_values = list(local.condition_values)
            documents.append(spec)
    return documents


def _local_parts(base: ProcedureVersion | None) -> dict[str, Any]:
    """What the national database does not hold and a refresh keeps from the version in force:
    levels, who settles, online service, the e-form and the internal process."""
    if base is None:
        return {"competent_level": CompetentLevel.COMMUNE, "levels": ["commune"]}
    steps = list(base.steps.select_related("agency").prefetch_related("next_steps").order_by("position", "id"))
    return {
        "levels": base.levels,
        "subjects": base.subjects,
        "competent_level": base.competent_level,
        "competent_agency": base.competent_agency,
        "cutoff_time": base.cutoff_time,
        "pause_on_payment": base.pause_on_payment,
        "online_level": base.online_level,
        "eligible_full_online": base.eligible_full_online,
        "requires_paper_result": base.requires_paper_result,
        "postal_allowed": base.postal_allowed,
        "e_form_schema": base.e_form_schema,
        "name_en": base.name_en,
        "steps": [
            StepSpec(
                key=st.key,
                name=st.name,
                name_en=st.name_en,
                actor_role=st.actor_role,
                budget_amount=st.budget_amount,
                budget_unit=st.budget_unit,
                agency=st.agency,
                next=[n.key for n in st.next_steps.all()],
            )
            for st in steps
        ],
    }


def spec_from_national(result: dict[str, Any], base: ProcedureVersion | None = None) -> VersionSpec:
    """A version spec from one `LayThuTuc` result; local parts come from `base` (or defaults:
    settled at commune level) and are the reviewer's to adjust before publishing."""
    name = str(result.get("TENTTHC", "")).strip()
    sectors = _list(result.get("LINHVUCTHUCHIEN"))
    if not name or not sectors:
        raise InvalidInput("The national record has no name or no field.", code="national_record_incomplete")
    field = Field.objects.filter(code=str(sectors[0].get("MALINHVUC", ""))).first()
    if field is None:
        raise InvalidInput(
            f"Field {sectors[0].get('MALINHVUC')!r} ({sectors[0].get('TENLINHVUC', '')}) is not in the catalogue.",
            code="field_not_found",
        )
    amount, unit, fees = 0, TimeUnit.WORKING_DAYS.value, []
    for way in _list(result.get("CACHTHUCTHUCHIEN"))[:1]:
        for limit in _list(way.get("THOIGIAN"))[:1]:
            amount = _amount(limit.get("THOIGIANGIAIQUYET"))
            unit = TIME_UNITS.get(str(limit.get("DONVITINH", "")).strip().lower(), TimeUnit.WORKING_DAYS).value
            fees = [
                FeeSpec(name=str(f.get("MOTA") or "Lệ phí")[:255], amount_vnd=_amount(f.get("SOTIEN")))
                for f in _list(limit.get("PHILEPHI"))
            ]
    documents = _documents(result, base)
    legal = "\n".join(
        f"{d.get('SOVANBAN', '')} {d.get('TENVANBAN', '')}".strip() for d in _list(result.get("CANCUPHAPLY"))
    )
    results = ", ".join(str(r.get("TENKETQUA", "")) for r in _list(result.get("KETQUATHUCHIEN")))
    return VersionSpec(
        name=name[:500],
        field=field,
        time_limit_amount=amount,
        time_limit_unit=unit,
        legal_basis=legal,
        result_name=results[:500],
        description=str(result.get("MOTADOITUONGTHUCHIEN", "")),
        fees=fees,
        documents=documents,
        **_local_parts(base),
    )


@transaction.atomic
def catalogue_import(*, code: str, result: dict[str, Any]) -> ProcedureVersion:
    """A draft version of procedure `code` from its national record, for review and publication."""
    procedure = Procedure.objects.filter(code=code).first()
    if procedure is None:
        return procedure_create(code=code, spec=spec_from_national(result))
    base = procedure.versions.exclude(status=VersionStatus.DRAFT).order_by("-number").first()
    return procedure_version_draft(procedure=procedure, spec=spec_from_national(result, base))


@dataclass(frozen=True)
class Difference:
    what: str
    current: str
    draft: str


def _describe(version: ProcedureVersion) -> dict[str, str]:
    return {
        "name": version.name,
        "time limit": f"{version.time_limit_amount} {version.time_limit_unit}",
        "fees": "; ".join(f"{f.name}: {f.amount_vnd}" for f in version.fees.order_by("id")),
        "documents": "; ".join(d.name for d in version.documents.order_by("position", "id")),
        "legal basis": version.legal_basis,
        "result": version.result_name,
    }


def draft_differences(draft: ProcedureVersion) -> list[Difference]:
    """What the draft changes against the version in force (everything, if none is)."""
    current = (
        draft.procedure.versions.filter(status=VersionStatus.PUBLISHED).exclude(pk=draft.pk).order_by("-number").first()
    )
    before = _describe(current) if current else dict.fromkeys(_describe(draft), "")
    after = _describe(draft)
    return [Difference(k, before[k], after[k]) for k in after if before[k] != after[k]]
