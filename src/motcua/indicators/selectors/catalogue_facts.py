"""Catalogue facts of the indicators (1.1–1.3, 4.e, and which procedures count for 4.5a,
5.B, 5.C): procedure versions judged once per read, then counted per agency's scope."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
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
    _current()
    versions: list[CatalogueVersion] = _catalogue_cache["versions"]
    return versions


def catalogue_groups() -> CatalogueGroups:
    """The non-draft versions grouped per source by the facts the scorecards read (kept with
    the versions, under the same fingerprint)."""
    _current()
    groups: CatalogueGroups = _catalogue_cache["groups"]
    return groups


def _current() -> None:
    """Check the fingerprint (one aggregate query) and read the catalogue again when it moved."""
    table = connection.ops.quote_name(ProcedureVersion._meta.db_table)
    sql = f"SELECT {', '.join(_VERSION_FINGERPRINT)} FROM {table} WHERE status <> %s"
    fingerprint = fetch_rows(sql, [VersionStatus.PUBLISHED.value, VersionStatus.DRAFT.value])[0]
    if _catalogue_cache.get("fingerprint") != fingerprint:
        _catalogue_cache.clear()
        versions = _version_facts()
        _catalogue_cache["versions"] = versions
        _catalogue_cache["groups"] = group_versions(versions)
        _catalogue_cache["fingerprint"] = fingerprint


def preload() -> bool:
    """Read the catalogue facts before the first request (`config/wsgi.py`, beside the
    calendars): a new web worker's first dashboard call then finds them kept, and only checks
    the fingerprint. Silent when the database cannot be read yet (no tables before the first
    migration, the server down, access refused): the first read does it then. The connection
    is closed afterwards, so that a server loading the application before it forks its
    workers never shares one between them. True when the catalogue was read."""
    from django.db import connections

    try:
        _current()
        done = True
    except Exception:  # any failure leaves the read to the first call
        _catalogue_cache.clear()
        done = False
    with contextlib.suppress(Exception):  # a connection that never opened, or broke
        if not connections["default"].in_atomic_block:
            connections["default"].close()
    return done


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


#: 1.1 reads these of a version: its decision, legal-basis and effective dates.
PublicationKey = tuple[date | None, date | None, date | None]
#: 1.2 reads these: its status, decision date and the day it was made public.
PublicKey = tuple[str, date | None, date | None]


def publication_key(f: cat.VersionFacts) -> PublicationKey:
    return (f.decision_date, f.legal_effective_date, f.effective_date)


def public_key(f: cat.VersionFacts) -> PublicKey:
    return (f.status, f.decision_date, local_day(f.made_public_at) if f.made_public_at else None)


@dataclass
class SourceGroups:
    """The versions of one source (the commune-level ones, or one competent agency's) reduced
    to what the scorecard reads of them. 1.1 and 1.2 depend on the period and are judged per
    distinct key; the rest does not depend on it and is counted once."""

    #: 1.1: key -> the procedures of the versions sharing it
    publication: dict[PublicationKey, set[int]] = field(default_factory=dict)
    #: 1.2: key -> how many versions share it
    public: dict[PublicKey, int] = field(default_factory=dict)
    in_force: int = 0  # 1.3: versions in force
    complete: int = 0  # of them, complete
    fee: set[int] = field(default_factory=set)  # procedures in force that charge a fee
    citizen: set[int] = field(default_factory=set)  # procedures in force for citizens

    def add(self, f: cat.VersionFacts) -> None:
        self.publication.setdefault(publication_key(f), set()).add(f.procedure_id)
        key = public_key(f)
        self.public[key] = self.public.get(key, 0) + 1
        if f.status == VersionStatus.PUBLISHED:
            self.in_force += 1
            self.complete += f.complete
            if f.fee:
                self.fee.add(f.procedure_id)
            if f.citizen:
                self.citizen.add(f.procedure_id)


@dataclass
class CatalogueGroups:
    """The whole catalogue by source, and one version's facts for each distinct key (the
    verdicts read nothing else, so any version with the key stands for all)."""

    commune_level: SourceGroups
    by_agency: dict[int, SourceGroups]
    publication_facts: dict[PublicationKey, cat.VersionFacts]
    public_facts: dict[PublicKey, cat.VersionFacts]


def group_versions(versions: list[CatalogueVersion]) -> CatalogueGroups:
    """Group the versions by source and key (once per catalogue read). A version with neither
    a commune level nor a competent agency belongs to no scope, as in `_in_scope`."""
    groups = CatalogueGroups(SourceGroups(), {}, {}, {})
    for v in versions:
        f = v.facts
        if v.competent_level == CompetentLevel.COMMUNE:
            source = groups.commune_level
        elif v.competent_agency_id is not None:
            source = groups.by_agency.setdefault(v.competent_agency_id, SourceGroups())
        else:
            continue
        source.add(f)
        groups.publication_facts.setdefault(publication_key(f), f)
        groups.public_facts.setdefault(public_key(f), f)
    return groups


@dataclass
class _Counted:
    """One source's or scope's catalogue numbers for a period (1.1 as the procedures seen and
    those late: one late version makes its procedure late)."""

    seen: set[int] = field(default_factory=set)
    late: set[int] = field(default_factory=set)
    m_on: int = 0
    m_total: int = 0
    c_ok: int = 0
    c_total: int = 0
    fee: set[int] = field(default_factory=set)
    citizen: set[int] = field(default_factory=set)

    def merge(self, other: _Counted) -> None:
        self.seen |= other.seen
        self.late |= other.late
        self.m_on += other.m_on
        self.m_total += other.m_total
        self.c_ok += other.c_ok
        self.c_total += other.c_total
        self.fee |= other.fee
        self.citizen |= other.citizen

    def facts(self, communes: list[Agency]) -> CatalogueFacts:
        return _facts(len(self.seen - self.late), len(self.seen), self, communes)


def _count_source(
    source: SourceGroups, published: dict[PublicationKey, bool | None], public: dict[PublicKey, tuple[bool, bool]]
) -> _Counted:
    out = _Counted(c_ok=source.complete, c_total=source.in_force, fee=set(source.fee), citizen=set(source.citizen))
    for dates, procedures in source.publication.items():
        ok = published[dates]
        if ok is not None:
            out.seen |= procedures
            if not ok:
                out.late |= procedures
    for key, n in source.public.items():
        counted, on_time = public[key]
        out.m_total += counted * n
        out.m_on += on_time * n
    return out


def catalogue_of_groups(
    agencies: dict[int, Agency],
    groups: CatalogueGroups,
    period: Period,
    cal: worktime.WorkCalendar,
    cfg: IndicatorSettings,
    communes: dict[int, list[Agency]],
) -> dict[int, CatalogueFacts]:
    """Every agency's catalogue numbers from the grouped catalogue: each distinct key judged once, each
    source counted once per key, and each agency's scope merged from the sources it holds
    (the commune-level ones when a commune is below it, each competent agency at or below
    it). The same numbers as adding the versions one by one (`test_catalogue_preload`)."""
    published = {k: cat.publication_verdict(f, period, cal, cfg) for k, f in groups.publication_facts.items()}
    public = {k: cat.public_verdict(f, period, cal, cfg) for k, f in groups.public_facts.items()}
    paths = {pk: a.path for pk, a in agencies.items()}
    missing = set(groups.by_agency) - set(paths)
    if missing:
        paths.update(Agency.objects.filter(pk__in=missing).values_list("pk", "path"))
    commune_level = _count_source(groups.commune_level, published, public)
    sources: dict[int, list[_Counted]] = {pk: [commune_level] if communes[pk] else [] for pk in agencies}
    for competent_id, source in groups.by_agency.items():
        path = paths.get(competent_id)
        holders = [pk for pk, a in agencies.items() if path is not None and path.startswith(a.path)]
        if holders:
            counted = _count_source(source, published, public)
            for pk in holders:
                sources[pk].append(counted)
    out = {}
    for pk in agencies:
        merged = _Counted()
        for counted in sources[pk]:
            merged.merge(counted)
        out[pk] = merged.facts(communes[pk])
    return out


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
    """The catalogue numbers of one scope, added up version by version (the drill-down's
    lists; the scorecards count the same numbers from the grouped catalogue)."""

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
        return _facts(sum(self.verdict.values()), len(self.verdict), self, communes)


def _facts(on_time: int, total: int, n: _Counted | _Scope, communes: list[Agency]) -> CatalogueFacts:
    """The catalogue numbers of a scope: 1.1 as counted by the caller, the rest from `n`."""
    return CatalogueFacts(
        published_on_time=on_time,
        published_total=total,
        public_on_time=n.m_on,
        public_total=n.m_total,
        complete=n.c_ok,
        complete_total=n.c_total,
        fee_procedures=frozenset(n.fee),
        citizen_procedures=frozenset(n.citizen),
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


def catalogue_facts_for(
    agencies: dict[int, Agency], period: Period, cfg: IndicatorSettings
) -> dict[int, CatalogueFacts]:
    """Publicity 1.1–1.3, fee and citizen procedures and e-certified copies per agency.

    Counted from the grouped catalogue (`catalogue_of_groups`): each distinct set of dates
    is judged once per period (the verdicts do not depend on the agency), and the result is
    kept per process for the same versions, agencies, period and settings.
    """
    groups = catalogue_groups()
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

    out = catalogue_of_groups(agencies, groups, period, cal, cfg, communes_below(agencies))
    memo[key] = out
    return out
