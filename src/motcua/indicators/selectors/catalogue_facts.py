"""Catalogue facts of the indicators (1.1–1.3, 4.e, and which procedures count for 4.5a,
5.B, 5.C): procedure versions judged once per read, then counted per agency's scope."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef

from motcua.calendars import worktime
from motcua.calendars.services import calendar_for
from motcua.catalog.models import CompetentLevel, Fee, ProcedureVersion, ProcessStep, RequiredDocument, VersionStatus
from motcua.indicators import catalogue as cat
from motcua.indicators.conf import IndicatorSettings
from motcua.indicators.engine import (
    CatalogueFacts,
)
from motcua.indicators.periods import Period, local_day
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
        _catalogue_cache["versions"] = _version_facts()
    versions: list[CatalogueVersion] = _catalogue_cache["versions"]
    return versions


@dataclass(frozen=True)
class VersionShape:
    """What 1.3 looks at in a version: read in one query for the whole catalogue."""

    name: str
    has_steps: bool
    has_documents: bool
    time_limit_amount: int
    subjects: list[str]
    competent_agency_id: int | None
    competent_level: str


#: The components 1.3 requires (Decree 63/2010 Art. 8.2), each with its test.
COMPONENTS: tuple[tuple[str, Callable[[VersionShape], bool]], ...] = (
    ("name", lambda v: bool(v.name.strip())),
    ("steps", lambda v: v.has_steps),
    ("documents", lambda v: v.has_documents),
    ("time_limit", lambda v: v.time_limit_amount > 0),
    ("subjects", lambda v: bool(v.subjects)),
    ("competent_agency", lambda v: bool(v.competent_agency_id or v.competent_level == CompetentLevel.COMMUNE)),
)


def missing_components(v: ProcedureVersion | VersionShape) -> tuple[str, ...]:
    """The 1.3 components `v` lacks: a version is complete when it lacks none."""
    if isinstance(v, ProcedureVersion):
        v = VersionShape(
            v.name,
            v.steps.exists(),
            v.documents.exists(),
            v.time_limit_amount,
            v.subjects,
            v.competent_agency_id,
            v.competent_level,
        )
    return tuple(name for name, present in COMPONENTS if not present(v))


def _version_facts() -> list[CatalogueVersion]:
    """Every non-draft version, read in one query (no model instances: a province's catalogue
    has a couple of thousand versions, and a new process reads them all at its first read)."""
    fee = Fee.objects.filter(version=OuterRef("pk"), amount_vnd__gt=0)
    rows = (
        ProcedureVersion.objects.exclude(status=VersionStatus.DRAFT)
        .annotate(
            has_steps=Exists(ProcessStep.objects.filter(version=OuterRef("pk"))),
            has_documents=Exists(RequiredDocument.objects.filter(version=OuterRef("pk"))),
            has_fee=Exists(fee),
        )
        .order_by("procedure__code", "-number")  # the model's order, as the drill-down lists them
        .values_list(
            "procedure_id",
            "procedure__code",
            "number",
            "status",
            "decision_date",
            "legal_effective_date",
            "effective_date",
            "made_public_at",
            "has_fee",
            "name",
            "has_steps",
            "has_documents",
            "time_limit_amount",
            "subjects",
            "competent_agency_id",
            "competent_level",
        )
    )
    out = []
    for procedure_id, code, number, status, decision, legal, effective, public, has_fee, *rest in rows:
        shape = VersionShape(*rest)
        missing = missing_components(shape)
        facts = cat.VersionFacts(
            procedure_id=procedure_id,
            status=status,
            decision_date=decision,
            legal_effective_date=legal,
            effective_date=effective,
            made_public_at=public,
            complete=not missing,
            fee=bool(has_fee),
            citizen="citizen" in (shape.subjects or []),
        )
        out.append(
            CatalogueVersion(
                facts,
                shape.competent_level,
                shape.competent_agency_id,
                code=code,
                name=shape.name,
                number=number,
                missing=missing,
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
    # Both verdicts read only the dates and the status; a decision publishes many versions
    # at once, so versions sharing them are judged once.
    # (1.1 reads the decision and legal dates, 1.2 the decision date, the day made public and
    # the status; each instant made public is its own, but its day is shared)
    memo_1: dict[tuple[Any, ...], bool | None] = {}
    memo_2: dict[tuple[Any, ...], tuple[bool, bool]] = {}
    published: list[bool | None] = []
    public: list[tuple[bool, bool]] = []
    for v in versions:
        f = v.facts
        key_1 = (f.decision_date, f.legal_effective_date, f.effective_date)
        if key_1 not in memo_1:
            memo_1[key_1] = cat.publication_verdict(f, period, cal, cfg)
        key_2 = (f.status, f.decision_date, local_day(f.made_public_at) if f.made_public_at else None)
        found = memo_2.get(key_2)
        if found is None:
            found = memo_2[key_2] = cat.public_verdict(f, period, cal, cfg)
        published.append(memo_1[key_1])
        public.append(found)
    return JudgedVersions(versions, published, public, paths)


def communes_below(agencies: dict[int, Agency]) -> dict[int, list[Agency]]:
    """agency id -> the communes of its subtree (4.e), in code order."""
    chain = ancestors_within(agencies)
    out: dict[int, list[Agency]] = {pk: [] for pk in agencies}
    for pk, a in sorted(agencies.items(), key=lambda item: item[1].code):
        if a.kind == AgencyKind.COMMUNE:
            for target in chain[pk]:
                out[target].append(a)
    return out


class _Scope:
    """The catalogue numbers of one scope, added up version by version."""

    def __init__(self, detail: CatalogueDetail | None = None) -> None:
        self.detail = detail
        self.verdict: dict[int, bool] = {}
        self.m_on = self.m_total = self.c_ok = self.c_total = 0
        self.fee: set[int] = set()
        self.citizen: set[int] = set()

    def add(self, i: int, v: CatalogueVersion, judged: JudgedVersions) -> None:
        f, detail = v.facts, self.detail
        published, (public_counted, public_ok) = judged.published[i], judged.public[i]
        if published is not None:
            self.verdict[f.procedure_id] = self.verdict.get(f.procedure_id, True) and bool(published)
            if detail is not None:
                detail.published_versions.setdefault(f.procedure_id, []).append(i)
        self.m_total += public_counted
        self.m_on += public_ok
        if detail is not None and public_counted:
            detail.public.append(i)
        if f.status == VersionStatus.PUBLISHED:
            self.c_total += 1
            self.c_ok += f.complete
            if detail is not None:
                detail.in_force.append(i)
            if f.fee:
                self.fee.add(f.procedure_id)
            if f.citizen:
                self.citizen.add(f.procedure_id)

    def merge(self, other: _Scope) -> None:
        """Add another scope's versions (as if each had been added here)."""
        mine = {pid: self.verdict[pid] for pid in self.verdict.keys() & other.verdict.keys()}
        self.verdict.update(other.verdict)
        for pid, ok in mine.items():  # one late version makes the procedure late
            self.verdict[pid] = ok and other.verdict[pid]
        self.m_on += other.m_on
        self.m_total += other.m_total
        self.c_ok += other.c_ok
        self.c_total += other.c_total
        self.fee |= other.fee
        self.citizen |= other.citizen

    def facts(self, communes: list[Agency]) -> CatalogueFacts:
        if self.detail is not None:
            self.detail.published.update(self.verdict)
        return CatalogueFacts(
            published_on_time=sum(self.verdict.values()),
            published_total=len(self.verdict),
            public_on_time=self.m_on,
            public_total=self.m_total,
            complete=self.c_ok,
            complete_total=self.c_total,
            fee_procedures=frozenset(self.fee),
            citizen_procedures=frozenset(self.citizen),
            communes_offering=sum(c.offers_e_certified_copy for c in communes),
            communes=len(communes),
        )


def catalogue_of(
    agency: Agency, judged: JudgedVersions, communes: list[Agency], detail: CatalogueDetail | None = None
) -> CatalogueFacts:
    """The catalogue numbers of one scope; `detail`, when given, records the items counted."""
    has_commune = bool(communes)
    scope = _Scope(detail)
    for i, v in enumerate(judged.versions):
        if _in_scope(v, agency, judged.paths, has_commune):
            scope.add(i, v, judged)
    return scope.facts(communes)


def catalogue_of_each(
    agencies: dict[int, Agency], judged: JudgedVersions, communes: dict[int, list[Agency]]
) -> dict[int, CatalogueFacts]:
    """`catalogue_of` for every agency at once. The versions are added up once per source (the
    commune-level ones, and those of each competent agency), and each agency's scope merges
    the sources it holds (the commune-level ones when a commune is below it, each competent
    agency at or below it), rather than every version tested against every agency (versions
    × agencies: over 120,000 tests for a province of 81 agencies and 1,500 procedures)."""
    commune_level = _Scope()
    by_agency: dict[int, _Scope] = {}
    for i, v in enumerate(judged.versions):
        if v.competent_level == CompetentLevel.COMMUNE:
            commune_level.add(i, v, judged)
        elif v.competent_agency_id is not None and v.competent_agency_id in judged.paths:
            by_agency.setdefault(v.competent_agency_id, _Scope()).add(i, v, judged)
    sources: dict[int, list[_Scope]] = {pk: [commune_level] if communes[pk] else [] for pk in agencies}
    for competent_id, scope in by_agency.items():
        path = judged.paths[competent_id]
        for pk, a in agencies.items():
            if path.startswith(a.path):
                sources[pk].append(scope)
    out = {}
    for pk in agencies:
        merged = _Scope()
        for scope in sources[pk]:
            merged.merge(scope)
        out[pk] = merged.facts(communes[pk])
    return out


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
    out = catalogue_of_each(agencies, judged, communes)
    memo[key] = out
    return out
