"""Catalogue facts of the indicators (1.1–1.3, 4.e, and which procedures count for 4.5a,
5.B, 5.C): procedure versions judged once per read, then counted per agency's scope."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection

from motcua.calendars import worktime
from motcua.calendars.services import calendar_for
from motcua.catalog.models import CompetentLevel, ProcedureVersion, VersionStatus
from motcua.indicators import catalogue as cat
from motcua.indicators.conf import IndicatorSettings
from motcua.indicators.engine import (
    CatalogueFacts,
)
from motcua.indicators.periods import Period
from motcua.indicators.selectors.totals import ancestors_within, fetch_rows
from motcua.organizations.models import Agency, AgencyKind

# ---------------------------------------------------------------- catalogue and PAKN


@dataclass(frozen=True)
class CatalogueVersion:
    """A non-draft procedure version as the catalogue indicators see it (facts + scope)."""

    facts: cat.VersionFacts
    competent_level: str
    competent_agency_id: int | None
    code: str = ""
    name: str = ""
    number: int = 0
    #: Decree 63/2010 Art. 8.2 components it lacks (1.3); empty when `facts.complete`
    missing: tuple[str, ...] = ()


#: Catalogue facts change only when a version is published, superseded, abolished or made
#: public (a published version's content never changes: catalog.services), so they are kept
#: per process and reloaded when this fingerprint of the non-draft versions moves.
_VERSION_FINGERPRINT = (
    "COUNT(*)",
    "MAX(id)",
    "MAX(created_at)",
    "SUM(CASE WHEN status = %s THEN 1 ELSE 0 END)",
    "COUNT(ended_at)",
    "MAX(ended_at)",
    "COUNT(made_public_at)",
    "MAX(made_public_at)",
    "MIN(made_public_at)",
    "MAX(decision_date)",
    "MIN(decision_date)",
    "MAX(legal_effective_date)",
    "MAX(effective_date)",
    "MAX(published_at)",
)
_catalogue_cache: dict[str, Any] = {}


def catalogue_versions() -> list[CatalogueVersion]:
    """The non-draft versions: one aggregate query when nothing changed."""
    table = connection.ops.quote_name(ProcedureVersion._meta.db_table)
    sql = f"SELECT {', '.join(_VERSION_FINGERPRINT)} FROM {table} WHERE status <> %s"
    fingerprint = fetch_rows(sql, [VersionStatus.PUBLISHED.value, VersionStatus.DRAFT.value])[0]
    if _catalogue_cache.get("fingerprint") != fingerprint:
        _catalogue_cache.clear()
        _catalogue_cache["fingerprint"] = fingerprint
        _catalogue_cache["versions"] = [
            CatalogueVersion(
                facts,
                v.competent_level,
                v.competent_agency_id,
                code=v.procedure.code,
                name=v.name,
                number=v.number,
                missing=missing_components(v),
            )
            for v, facts in _version_facts()
        ]
    versions: list[CatalogueVersion] = _catalogue_cache["versions"]
    return versions


#: The components 1.3 requires (Decree 63/2010 Art. 8.2), each with its test.
COMPONENTS: tuple[tuple[str, Callable[[ProcedureVersion], bool]], ...] = (
    ("name", lambda v: bool(v.name.strip())),
    ("steps", lambda v: bool(list(v.steps.all()))),
    ("documents", lambda v: bool(list(v.documents.all()))),
    ("time_limit", lambda v: v.time_limit_amount > 0),
    ("subjects", lambda v: bool(v.subjects)),
    ("competent_agency", lambda v: bool(v.competent_agency_id or v.competent_level == CompetentLevel.COMMUNE)),
)


def missing_components(v: ProcedureVersion) -> tuple[str, ...]:
    """The 1.3 components `v` lacks: a version is complete when it lacks none."""
    return tuple(name for name, present in COMPONENTS if not present(v))


def _version_facts() -> list[tuple[ProcedureVersion, cat.VersionFacts]]:
    out = []
    for v in (
        ProcedureVersion.objects.exclude(status=VersionStatus.DRAFT)
        .select_related("procedure")
        .prefetch_related("fees", "documents", "steps")
    ):
        complete = not missing_components(v)
        out.append(
            (
                v,
                cat.VersionFacts(
                    procedure_id=v.procedure_id,
                    status=v.status,
                    decision_date=v.decision_date,
                    legal_effective_date=v.legal_effective_date,
                    effective_date=v.effective_date,
                    made_public_at=v.made_public_at,
                    complete=complete,
                    fee=any(f.amount_vnd > 0 for f in v.fees.all()),
                    citizen="citizen" in (v.subjects or []),
                ),
            )
        )
    return out


def _in_scope(version: CatalogueVersion, agency: Agency, paths: dict[int, str], has_commune: bool) -> bool:
    """A procedure belongs to the subtree of its competent agency; a commune-level procedure
    to every subtree that holds a commune (each commune settles it)."""
    if version.competent_level == CompetentLevel.COMMUNE:
        return has_commune
    path = paths.get(version.competent_agency_id) if version.competent_agency_id is not None else None
    return path is not None and path.startswith(agency.path)


@dataclass
class JudgedVersions:
    """Every non-draft version with its 1.1 and 1.2 verdicts for one period (they do not
    depend on the agency), and the agency paths `_in_scope` needs."""

    versions: list[CatalogueVersion]
    published: list[bool | None]  # 1.1: None when its decision is not dated in the period
    public: list[tuple[bool, bool]]  # 1.2: (in the denominator, made public on time)
    paths: dict[int, str]


@dataclass
class CatalogueDetail:
    """What a scope's catalogue numbers are made of (the drill-down of 1.1–1.3, 5.B, 5.C,
    4.5a): filled by the very loop that counts them, so the lists and the numbers agree."""

    #: 1.1: procedure id -> on time, and the versions judged for it
    published: dict[int, bool]
    published_versions: dict[int, list[int]]
    #: 1.2: versions in the denominator
    public: list[int]
    #: versions in force (1.3 and the fee and citizen procedures)
    in_force: list[int]


def judge_versions(
    versions: list[CatalogueVersion],
    agencies: dict[int, Agency],
    period: Period,
    cal: worktime.WorkCalendar,
    cfg: IndicatorSettings,
) -> JudgedVersions:
    paths = {pk: a.path for pk, a in agencies.items()}
    missing = {v.competent_agency_id for v in versions if v.competent_agency_id is not None} - set(paths)
    if missing:
        paths.update(Agency.objects.filter(pk__in=missing).values_list("pk", "path"))
    return JudgedVersions(
        versions,
        [cat.publication_verdict(v.facts, period, cal, cfg) for v in versions],
        [cat.public_verdict(v.facts, period, cal, cfg) for v in versions],
        paths,
    )


def communes_below(agencies: dict[int, Agency]) -> dict[int, list[Agency]]:
    """agency id -> the communes of its subtree (4.e), in code order."""
    chain = ancestors_within(agencies)
    out: dict[int, list[Agency]] = {pk: [] for pk in agencies}
    for pk, a in sorted(agencies.items(), key=lambda item: item[1].code):
        if a.kind == AgencyKind.COMMUNE:
            for target in chain[pk]:
                out[target].append(a)
    return out


def catalogue_of(
    agency: Agency, judged: JudgedVersions, communes: list[Agency], detail: CatalogueDetail | None = None
) -> CatalogueFacts:
    """The catalogue numbers of one scope; `detail`, when given, records the items counted."""
    has_commune = bool(communes)
    verdict: dict[int, bool] = {}
    m_on = m_total = c_ok = c_total = 0
    fee: set[int] = set()
    citizen: set[int] = set()
    for i, v in enumerate(judged.versions):
        if not _in_scope(v, agency, judged.paths, has_commune):
            continue
        f = v.facts
        published, (public_counted, public_ok) = judged.published[i], judged.public[i]
        if published is not None:
            verdict[f.procedure_id] = verdict.get(f.procedure_id, True) and bool(published)
            if detail is not None:
                detail.published_versions.setdefault(f.procedure_id, []).append(i)
        m_total += public_counted
        m_on += public_ok
        if detail is not None and public_counted:
            detail.public.append(i)
        if f.status == VersionStatus.PUBLISHED:
            c_total += 1
            c_ok += f.complete
            if detail is not None:
                detail.in_force.append(i)
            if f.fee:
                fee.add(f.procedure_id)
            if f.citizen:
                citizen.add(f.procedure_id)
    if detail is not None:
        detail.published.update(verdict)
    return CatalogueFacts(
        published_on_time=sum(verdict.values()),
        published_total=len(verdict),
        public_on_time=m_on,
        public_total=m_total,
        complete=c_ok,
        complete_total=c_total,
        fee_procedures=frozenset(fee),
        citizen_procedures=frozenset(citizen),
        communes_offering=sum(c.offers_e_certified_copy for c in communes),
        communes=len(communes),
    )


def catalogue_facts_for(
    agencies: dict[int, Agency], period: Period, cfg: IndicatorSettings
) -> dict[int, CatalogueFacts]:
    """Publicity 1.1–1.3, fee and citizen procedures and e-certified copies per agency.

    Each version is judged once per period (its verdicts do not depend on the agency), and
    the result is kept per process for the same versions, agencies, period and settings.
    """
    versions = catalogue_versions()
    cal = calendar_for(None)
    key = (
        period,
        id(cal),
        cfg.publish_lead_working_days,
        cfg.public_within_working_days,
        cfg.publish_missing_legal_date,
        tuple(sorted((pk, a.path, a.kind, a.offers_e_certified_copy) for pk, a in agencies.items())),
    )
    memo: dict[Any, dict[int, CatalogueFacts]] = _catalogue_cache.setdefault("results", {})
    found = memo.get(key)
    if found is not None and _catalogue_cache.get("calendar") is cal:
        return found
    if _catalogue_cache.get("calendar") is not cal:
        memo.clear()
        _catalogue_cache["calendar"] = cal
    if len(memo) > 256:
        memo.clear()

    judged = judge_versions(versions, agencies, period, cal, cfg)
    communes = communes_below(agencies)
    out = {pk: catalogue_of(agency, judged, communes[pk]) for pk, agency in agencies.items()}
    memo[key] = out
    return out
