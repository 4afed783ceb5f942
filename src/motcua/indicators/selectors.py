"""Reads of the indicators app: scorecards, rankings, trends, drill-down, open data.

Every read first calls `indicators_catch_up()` (through `current`), so it reflects every
committed dossier event. Dossier-based numbers come from the monthly counters (whole
months) and the fact rows (days of partial months, open dossiers judged at read time),
never from the dossiers table: the cost is O(agencies × procedures × months + open dossiers).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum

from motcua.calendars import worktime
from motcua.calendars.services import calendar_for
from motcua.catalog.models import CompetentLevel, ProcedureVersion, VersionStatus
from motcua.indicators import catalogue as cat
from motcua.indicators.conf import IndicatorSettings, indicator_settings
from motcua.indicators.engine import (
    DOSSIER_DRILLS,
    FLAGS,
    ITEM_LISTS,
    CatalogueFacts,
    DossierFacts,
    Scorecard,
    Span,
    Totals,
    judge,
    score,
)
from motcua.indicators.models import IndicatorCounter, IndicatorFact, PaknCounter, PaknFact
from motcua.indicators.periods import Period, local_day
from motcua.indicators.services import FEEDBACK_COLUMNS, indicators_catch_up
from motcua.lib.errors import InvalidInput, NotFound, PermissionDenied
from motcua.organizations.actors import Actor
from motcua.organizations.models import Agency, AgencyKind, Role
from motcua.ratings.models import Feedback

OVERSIGHT = {Role.MANAGER, Role.ADMIN}


# ---------------------------------------------------------------- access


def agencies_managed_by(actor: Actor) -> list[Agency]:
    """Agencies whose indicators `actor` may read: where they are manager or administrator
    (each with its subtree)."""
    ids = actor.agency_ids(OVERSIGHT)
    return list(Agency.objects.filter(pk__in=ids).order_by("path"))


def agency_for_manager(actor: Actor, code: str) -> Agency:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise NotFound(f"No agency has the code {code}.", code="agency_not_found")
    roots = agencies_managed_by(actor)
    if not any(agency.path.startswith(root.path) for root in roots):
        raise PermissionDenied("Only managers and administrators of this agency or above see its indicators.")
    return agency


def province_root() -> Agency:
    root = Agency.objects.filter(parent__isnull=True).order_by("path").first()
    if root is None:
        raise NotFound("No agency exists yet.", code="agency_not_found")
    return root


# ---------------------------------------------------------------- totals


def _facts_from_row(row: IndicatorFact) -> DossierFacts:
    spans = tuple(Span(datetime.fromisoformat(a), datetime.fromisoformat(b) if b else None) for a, b in row.spans or [])
    return DossierFacts(
        code=row.code,
        agency_id=row.agency_id,
        procedure_id=row.procedure_id,
        received_at=row.received_at,
        due=row.due,
        supplement_requests=row.supplement_requests,
        spans=spans,
        processed_at=row.processed_at,
        returned_at=row.returned_at,
        stopped_at=row.stopped_at,
    )


@dataclass
class SubtreeTotals:
    agencies: dict[int, Agency]
    #: agency id -> its ids and those of all its ancestors within the subtree
    chain: dict[int, list[int]]
    totals: dict[int, Totals]


def _chain(agencies: dict[int, Agency]) -> dict[int, list[int]]:
    return {
        pk: [int(part) for part in a.path.strip("/").split("/") if part and int(part) in agencies]
        for pk, a in agencies.items()
    }


_OPEN = FLAGS.index("open")


def _marks(values: Sequence[object]) -> str:
    return ", ".join(["%s"] * len(values))


def _rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """One hand-written aggregate query: the dashboard's hot reads skip the ORM's compiler,
    which costs more than the database for these tiny GROUP BYs."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def subtree_agencies(root: Agency) -> dict[int, Agency]:
    return {a.pk: a for a in Agency.objects.filter(path__startswith=root.path)}


def subtree_totals(
    root: Agency,
    period: Period,
    now: datetime,
    cfg: IndicatorSettings,
    *,
    agencies: dict[int, Agency] | None = None,
) -> SubtreeTotals:
    """Totals for `root` and every agency below it, each rolling up its own subtree.

    One GROUP BY over the monthly counters (whole months), one over the fact rows of
    partial months (custom ranges), and the open facts judged at read time: the rows read
    are O(agencies × procedures), whatever the number of dossiers.
    """
    agencies = agencies if agencies is not None else subtree_agencies(root)
    chain = _chain(agencies)
    totals = {pk: Totals() for pk in agencies}
    ids = list(agencies)

    def add(agency_id: int, procedure_id: int, sums: tuple[int | None, ...]) -> None:
        counts = {name: int(value or 0) for name, value in zip(FLAGS, sums, strict=True)}
        for target in chain.get(agency_id, []):
            totals[target].add_flags(procedure_id, counts)

    open_count = 0
    months = period.full_months()
    if months and ids:
        table = connection.ops.quote_name(IndicatorCounter._meta.db_table)
        columns = ", ".join(f"SUM({connection.ops.quote_name(n)})" for n in FLAGS)
        sql = (
            f"SELECT agency_id, procedure_id, {columns} FROM {table} "
            f"WHERE agency_id IN ({_marks(ids)}) AND month IN ({_marks(months)}) GROUP BY agency_id, procedure_id"
        )
        for agency_id, procedure_id, *sums in _rows(sql, [*ids, *map(connection.ops.adapt_datefield_value, months)]):
            add(agency_id, procedure_id, tuple(sums))
            open_count += int(sums[_OPEN] or 0)
    for first, last in period.partial_ranges():
        for agency_id, procedure_id, *sums in (
            IndicatorFact.objects.filter(agency_id__in=ids, receipt_day__range=(first, last))
            .values("agency_id", "procedure_id")
            .annotate(**{f"s_{n}": Count("pk", filter=Q(**{n: True})) for n in FLAGS})
            .values_list("agency_id", "procedure_id", *(f"s_{n}" for n in FLAGS))
        ):
            add(agency_id, procedure_id, tuple(sums))
            open_count += int(sums[_OPEN] or 0)
    # The counters count the open facts: when they hold none, nothing is judged at read time.
    for row in open_facts(root, period, agency_ids=ids) if open_count else ():
        verdict = judge(_facts_from_row(row), period.end, now, cfg)
        for target in chain.get(row.agency_id, []):
            totals[target].judged_open[row.code] = verdict.on_time
    return SubtreeTotals(agencies, chain, totals)


def open_facts(root: Agency, period: Period, *, agency_ids: list[int] | None = None) -> QuerySet[IndicatorFact]:
    """Dossiers of the period whose 2.1 verdict depends on now: the small set judged at read time."""
    scope = Q(agency_id__in=agency_ids) if agency_ids is not None else Q(agency__path__startswith=root.path)
    return IndicatorFact.objects.filter(scope, open=True, receipt_day__range=(period.first, period.last)).only(
        "code",
        "agency_id",
        "procedure_id",
        "received_at",
        "due",
        "supplement_requests",
        "spans",
        "processed_at",
        "returned_at",
        "stopped_at",
    )


# ---------------------------------------------------------------- catalogue and PAKN


@dataclass(frozen=True)
class _Version:
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


def _versions() -> list[_Version]:
    """The non-draft versions: one aggregate query when nothing changed."""
    table = connection.ops.quote_name(ProcedureVersion._meta.db_table)
    sql = f"SELECT {', '.join(_VERSION_FINGERPRINT)} FROM {table} WHERE status <> %s"
    fingerprint = _rows(sql, [VersionStatus.PUBLISHED.value, VersionStatus.DRAFT.value])[0]
    if _catalogue_cache.get("fingerprint") != fingerprint:
        _catalogue_cache.clear()
        _catalogue_cache["fingerprint"] = fingerprint
        _catalogue_cache["versions"] = [
            _Version(
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
    versions: list[_Version] = _catalogue_cache["versions"]
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


def _in_scope(version: _Version, agency: Agency, paths: dict[int, str], has_commune: bool) -> bool:
    """A procedure belongs to the subtree of its competent agency; a commune-level procedure
    to every subtree that holds a commune (each commune settles it)."""
    if version.competent_level == CompetentLevel.COMMUNE:
        return has_commune
    path = paths.get(version.competent_agency_id) if version.competent_agency_id is not None else None
    return path is not None and path.startswith(agency.path)


@dataclass
class _Judged:
    """Every non-draft version with its 1.1 and 1.2 verdicts for one period (they do not
    depend on the agency), and the agency paths `_in_scope` needs."""

    versions: list[_Version]
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


def _judge_versions(
    versions: list[_Version],
    agencies: dict[int, Agency],
    period: Period,
    cal: worktime.WorkCalendar,
    cfg: IndicatorSettings,
) -> _Judged:
    paths = {pk: a.path for pk, a in agencies.items()}
    missing = {v.competent_agency_id for v in versions if v.competent_agency_id is not None} - set(paths)
    if missing:
        paths.update(Agency.objects.filter(pk__in=missing).values_list("pk", "path"))
    return _Judged(
        versions,
        [cat.publication_verdict(v.facts, period, cal, cfg) for v in versions],
        [cat.public_verdict(v.facts, period, cal, cfg) for v in versions],
        paths,
    )


def communes_below(agencies: dict[int, Agency]) -> dict[int, list[Agency]]:
    """agency id -> the communes of its subtree (4.e), in code order."""
    chain = _chain(agencies)
    out: dict[int, list[Agency]] = {pk: [] for pk in agencies}
    for pk, a in sorted(agencies.items(), key=lambda item: item[1].code):
        if a.kind == AgencyKind.COMMUNE:
            for target in chain[pk]:
                out[target].append(a)
    return out


def _catalogue_of(
    agency: Agency, judged: _Judged, communes: list[Agency], detail: CatalogueDetail | None = None
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
    versions = _versions()
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

    judged = _judge_versions(versions, agencies, period, cal, cfg)
    communes = communes_below(agencies)
    out = {pk: _catalogue_of(agency, judged, communes[pk]) for pk, agency in agencies.items()}
    memo[key] = out
    return out


#: calendar id -> (calendar, {(start, n): due}): a PAKN's deadlines never change once it is
#: received, so each is computed once per calendar object (calendar_for rebuilds the object
#: when its cache expires, which starts a fresh memo). Bounded: cleared past _DUE_MEMO_MAX.
_due_memo: dict[int, tuple[object, dict[tuple[datetime, int], datetime]]] = {}
_DUE_MEMO_MAX = 200_000


def _working_days_due(cal: worktime.WorkCalendar, start: datetime, n: int) -> datetime:
    entry = _due_memo.get(id(cal))
    if entry is None or entry[0] is not cal:
        entry = (cal, {})
        _due_memo[id(cal)] = entry
    memo = entry[1]
    key = (start, n)
    found = memo.get(key)
    if found is None:
        if len(memo) > _DUE_MEMO_MAX:
            memo.clear()
        found = memo[key] = worktime.compute_due(start, n, worktime.Unit.WORKING_DAYS, cal, cutoff=None).due
    return found


def pakn_for(
    agencies: dict[int, Agency], period: Period, now: datetime, cfg: IndicatorSettings
) -> dict[int, cat.PaknFacts]:
    """6.1 and 6.2 judged PAKN by PAKN from the feedback table: the reference computation
    that the PAKN counters (`pakn_from_counters`, what the dashboards read) must equal.
    Deadlines run on the calendar of the agency each PAKN is addressed to."""
    chain = _chain(agencies)
    start, end = period.start, period.end
    calendars: dict[int, worktime.WorkCalendar] = {}
    verdicts: dict[int, list[tuple[bool, bool]]] = defaultdict(list)
    for agency_id, *values in Feedback.objects.filter(
        agency_id__in=list(agencies), received_at__range=(start, end)
    ).values_list("agency_id", *FEEDBACK_COLUMNS):
        item = cat.FeedbackFacts(*values)
        if not period.contains(item.received_at):
            continue
        if agency_id not in calendars:
            calendars[agency_id] = calendar_for(agency_id)
        single = cat.pakn_facts([item], period, now, partial(_working_days_due, calendars[agency_id]), cfg)
        for target in chain[agency_id]:
            verdicts[target].append((bool(single.on_time), bool(single.satisfied)))
    return {
        pk: cat.PaknFacts(
            total=len(verdicts[pk]),
            on_time=sum(ok for ok, _ in verdicts[pk]),
            satisfied=sum(sat for _, sat in verdicts[pk]),
        )
        for pk in agencies
    }


def pakn_from_counters(
    agencies: dict[int, Agency], period: Period, now: datetime, *, cfg: IndicatorSettings | None = None
) -> dict[int, cat.PaknFacts]:
    """6.1 and 6.2 from the PAKN counters (whole months), the PAKN facts of partial months,
    and the open PAKN judged against their stored deadline at min(period end, now): three
    GROUP BY queries whose rows are O(agencies × months)."""
    ids = list(agencies)
    chain = _chain(agencies)
    sums: dict[int, list[int]] = {pk: [0, 0, 0] for pk in agencies}

    def add(agency_id: int, total: int | None, on_time: int | None, satisfied: int | None) -> None:
        for target in chain.get(agency_id, []):
            acc = sums[target]
            acc[0] += total or 0
            acc[1] += on_time or 0
            acc[2] += satisfied or 0

    open_count = 0
    months = period.full_months()
    if months and ids:
        table = connection.ops.quote_name(PaknCounter._meta.db_table)
        sql = (
            f"SELECT agency_id, SUM(received), SUM(on_time), SUM(satisfied), SUM({connection.ops.quote_name('open')}) "
            f"FROM {table} WHERE agency_id IN ({_marks(ids)}) AND month IN ({_marks(months)}) GROUP BY agency_id"
        )
        for agency_id, n, ok, sat, still_open in _rows(sql, [*ids, *map(connection.ops.adapt_datefield_value, months)]):
            add(agency_id, n, ok, sat)
            open_count += int(still_open or 0)
    final_ok = Q(final=True, on_time=True)
    final_sat = Q(final=True, satisfied=True)
    for first, last in period.partial_ranges():
        for row in (
            PaknFact.objects.filter(agency_id__in=ids, receipt_day__range=(first, last))
            .values("agency_id")
            .annotate(
                n=Count("pk"),
                ok=Count("pk", filter=final_ok),
                sat=Count("pk", filter=final_sat),
                still_open=Count("pk", filter=Q(final=False)),
            )
            .values_list("agency_id", "n", "ok", "sat", "still_open")
        ):
            add(*row[:4])
            open_count += row[4]
    if open_count:
        # The counters count the open PAKN; only those still within their deadline at
        # min(period end, now) are on time, and an index on (final, handle_due) finds just
        # them: the PAKN received in the last three weeks or so, however many are overdue.
        table = connection.ops.quote_name(PaknFact._meta.db_table)
        judged_at = connection.ops.adapt_datetimefield_value(min(period.end, now))
        sql = (
            f"SELECT agency_id, COUNT(*), SUM(CASE WHEN objected THEN 0 ELSE 1 END) FROM {table} "
            f"WHERE final = %s AND handle_due >= %s AND agency_id IN ({_marks(ids)}) "
            "AND receipt_day >= %s AND receipt_day <= %s GROUP BY agency_id"
        )
        days = [connection.ops.adapt_datefield_value(d) for d in (period.first, period.last)]
        for agency_id, ok, sat in _rows(sql, [False, judged_at, *ids, *days]):
            add(agency_id, 0, ok, sat)
    return {pk: cat.PaknFacts(total=n, on_time=ok, satisfied=sat) for pk, (n, ok, sat) in sums.items()}


# ---------------------------------------------------------------- scorecards


@dataclass
class Ranked:
    agency: Agency
    card: Scorecard


def scorecards(
    root: Agency, period: Period, *, now: datetime | None = None, cfg: IndicatorSettings | None = None
) -> tuple[dict[int, Scorecard], SubtreeTotals]:
    """The scorecard of `root` and of every agency below it (after catching up)."""
    from django.utils import timezone

    cfg = cfg or indicator_settings()
    now = now or timezone.now()
    indicators_catch_up()
    sub = subtree_totals(root, period, now, cfg)
    catalogue = catalogue_facts_for(sub.agencies, period, cfg)
    pakn = pakn_from_counters(sub.agencies, period, now, cfg=cfg)
    cards = {pk: score(sub.totals[pk], catalogue[pk], pakn[pk], cfg) for pk in sub.agencies}
    for pk, card in cards.items():
        annotate_notes(card, sub.totals[pk])
    return cards, sub


def scorecard(agency: Agency, period: Period, *, now: datetime | None = None) -> Scorecard:
    cards, _ = scorecards(agency, period, now=now)
    return cards[agency.pk]


def ranking(root: Agency, period: Period, *, now: datetime | None = None) -> list[Ranked]:
    """The agencies directly below `root` (and, for the province, every department and
    commune) ordered by total points."""
    cards, sub = scorecards(root, period, now=now)
    rows = [Ranked(sub.agencies[pk], card) for pk, card in cards.items() if pk != root.pk]
    rows.sort(key=lambda r: (-r.card.total, r.agency.code))
    return rows


#: Why a sub-indicator reads zero while the capability that produces its data is not live.
SOURCE_NOTES = {
    "1.2": "Needs the date each procedure was made public in the national database (catalogue).",
    "1.4": "Counts dossiers the national portal has acknowledged; reads 0 while no portal connector runs.",
    "5.A": "Online payments are recorded by the payments capability; until it records any, this reads 0.",
    "5.B": "Online payments are recorded by the payments capability; until it records any, this reads 0.",
    "5.C": "Fee data synced to the national portal is recorded with payments; until then, this reads 0.",
    "4.1": "Electronic results are flagged when a result is finished electronically; none yet reads 0.",
    "4.3": "Reused digitised data comes from the warehouse and reuse capability; until it exists, 0.",
    "4.4": "Warehouse links (components taken from it, results pushed to it) are not produced yet: 0.",
    "4.5b": "Population-database use (VNeID-verified applicants, components from national databases) "
    "is not produced yet: 0.",
    "4.5a": "Depends on 4.5b dossiers; reads 0 until population-database use is recorded.",
    "4.e": "Catalogue data: communes flagged as offering electronic certified copies.",
    "6.1": "Feedback (PAKN) is recorded by the feedback capability; with no PAKN the indicator scores 6.",
    "6.2": "Feedback (PAKN) is recorded by the feedback capability; with no PAKN the indicator scores 6.",
}


def annotate_notes(card: Scorecard, totals: Totals) -> None:
    for group in card.groups:
        for item in group.items:
            if item.denominator == 0:
                item.note = "N/A: nothing to count in this period (scores 0 unless stated). " + SOURCE_NOTES.get(
                    item.key, ""
                )
            elif item.numerator == 0 and item.key in SOURCE_NOTES:
                item.note = SOURCE_NOTES[item.key]


# ---------------------------------------------------------------- drill-down


DRILL_FLAGS = (*FLAGS, "judged_on_time", "judged_late")


def drilldown(
    agency: Agency, period: Period, flag: str, *, now: datetime | None = None, limit: int | None = None
) -> list[dict[str, object]]:
    """The dossiers behind a number: those of R in `agency`'s subtree with `flag` set.

    `on_time` and `late` include the open dossiers judged at read time.
    """
    from django.utils import timezone

    cfg = indicator_settings()
    if flag not in FLAGS:
        raise InvalidInput(f"Unknown indicator flag {flag!r}.", code="invalid_flag", details={"flags": list(FLAGS)})
    now = now or timezone.now()
    indicators_catch_up()
    limit = min(limit or cfg.drilldown_max, cfg.drilldown_max)
    base = IndicatorFact.objects.filter(
        agency__path__startswith=agency.path, receipt_day__range=(period.first, period.last)
    ).select_related("agency", "procedure")
    rows: list[IndicatorFact] = []
    if flag in {"on_time", "late"}:
        rows = list(base.filter(**{flag: True}).order_by("received_at")[:limit])
        for row in base.filter(open=True).order_by("received_at"):
            if len(rows) >= limit:
                break
            verdict = judge(_facts_from_row(row), period.end, now, cfg)
            if verdict.on_time == (flag == "on_time"):
                rows.append(row)
    else:
        rows = list(base.filter(**{flag: True}).order_by("received_at")[:limit])
    return [
        {
            "code": r.code,
            "agency": r.agency.code,
            "procedure": r.procedure.code,
            "received_at": r.received_at,
            "due": r.due,
            "open": r.open,
            "late": r.late,
        }
        for r in rows
    ]


# ---------------------------------------------------------------- item lists


#: The per-procedure dossier flag behind 5.B, 5.C and 4.5a.
_PROCEDURE_FLAG = {"5.B": "paid_online", "5.C": "fee_data", "4.5a": "population"}
#: The Feedback instant that records each outcome.
_ANSWERED = {
    "handled": "handled_at",
    "refused": "refused_at",
    "supplement_requested": "supplement_requested_at",
    "published": "published_at",
}


def indicator_items(
    agency: Agency, period: Period, key: str, *, now: datetime | None = None, limit: int | None = None
) -> dict[str, Any]:
    """The items behind a catalogue or PAKN sub-indicator (`engine.ITEM_LISTS`): every item
    of its denominator, each marked `in_numerator` with the reason.

    The lists come out of the computation that gives the scorecard its numbers (the same
    loop over the catalogue, the same dossier totals, the same PAKN facts), so `denominator`
    is the length of the full list and `numerator` the items marked. Items not counted come
    first; at most `limit` (≤ DRILLDOWN_MAX) are returned, `truncated` says when more exist.
    """
    from django.utils import timezone

    cfg = indicator_settings()
    kind = ITEM_LISTS.get(key)
    if kind is None:
        if key in DOSSIER_DRILLS:
            raise InvalidInput(
                f"Sub-indicator {key} counts dossiers: list them with the dossier drill-down.",
                code="dossier_indicator",
                details={"flags": list(DOSSIER_DRILLS[key])},
            )
        raise InvalidInput(
            f"Unknown sub-indicator {key!r}.", code="invalid_indicator", details={"keys": list(ITEM_LISTS)}
        )
    now = now or timezone.now()
    indicators_catch_up()
    limit = min(limit or cfg.drilldown_max, cfg.drilldown_max)
    if kind == "feedback":
        rows = _feedback_items(agency, period, now, key)
    elif kind == "communes":
        rows = _commune_items(agency)
    else:
        rows = _procedure_items(agency, period, now, cfg, key)
    rows.sort(key=lambda pair: (bool(pair[1]["in_numerator"]), pair[0]))
    items = [row for _, row in rows]
    return {
        "key": key,
        "kind": kind,
        "numerator": sum(1 for row in items if row["in_numerator"]),
        "denominator": len(items),
        "truncated": len(items) > limit,
        "items": items[:limit],
    }


def _commune_items(agency: Agency) -> list[tuple[Any, dict[str, Any]]]:
    """4.e: the communes of the subtree, as `catalogue_facts_for` counts them."""
    communes = communes_below(subtree_agencies(agency))[agency.pk]
    return [
        (
            c.code,
            {
                "code": c.code,
                "name": c.name,
                "in_numerator": c.offers_e_certified_copy,
                "reason": "offers" if c.offers_e_certified_copy else "does_not_offer",
            },
        )
        for c in communes
    ]


def _procedure_items(
    agency: Agency, period: Period, now: datetime, cfg: IndicatorSettings, key: str
) -> list[tuple[Any, dict[str, Any]]]:
    """1.1, 1.2, 1.3, 5.B, 5.C and 4.5a: `_catalogue_of` for the scope, with its detail."""
    agencies = subtree_agencies(agency)
    cal = calendar_for(None)
    judged = _judge_versions(_versions(), agencies, period, cal, cfg)
    detail = CatalogueDetail({}, {}, [], [])
    facts = _catalogue_of(agency, judged, communes_below(agencies)[agency.pk], detail)

    def base(v: _Version) -> dict[str, Any]:
        return {"code": v.code, "name": v.name, "version": v.number}

    out: list[tuple[Any, dict[str, Any]]] = []
    if key == "1.1":
        for pid, ok in detail.published.items():
            judged_versions: list[dict[str, Any]] = []
            for i in detail.published_versions[pid]:
                f = judged.versions[i].facts
                deadline = cat.publication_deadline(f, cal, cfg)
                judged_versions.append(
                    {
                        "version": judged.versions[i].number,
                        "decision_date": f.decision_date,
                        "legal_basis_date": cat.legal_basis_date(f, cfg),
                        "deadline": deadline,
                        "on_time": bool(judged.published[i]),
                    }
                )
            judged_versions.sort(key=lambda v: v["version"])
            last = max((judged.versions[i] for i in detail.published_versions[pid]), key=lambda v: v.number)
            if not all(v["on_time"] for v in judged_versions if v["deadline"] is not None):
                reason = "decision_late"
            elif any(v["deadline"] is None for v in judged_versions):
                reason = "no_legal_basis_date"
            else:
                reason = "decision_on_time"
            out.append((last.code, {**base(last), "in_numerator": ok, "reason": reason, "versions": judged_versions}))
    elif key == "1.2":
        for i in detail.public:
            v = judged.versions[i]
            ok = judged.public[i][1]
            public_day = local_day(v.facts.made_public_at) if v.facts.made_public_at else None
            if ok:
                reason = "made_public_on_time"
            elif public_day is not None and period.first <= public_day <= period.last:
                reason = "made_public_late"
            else:
                reason = "not_made_public"
            row = {
                **base(v),
                "in_numerator": ok,
                "reason": reason,
                "decision_date": v.facts.decision_date,
                "due": cat.public_due(v.facts, cal, cfg),
                "made_public_on": public_day,
            }
            out.append(((v.code, v.number), row))
    elif key == "1.3":
        for i in detail.in_force:
            v = judged.versions[i]
            row = {
                **base(v),
                "in_numerator": v.facts.complete,
                "reason": "complete" if v.facts.complete else "missing_components",
                "missing": list(v.missing),
            }
            out.append((v.code, row))
    else:
        flag = _PROCEDURE_FLAG[key]
        procedures = facts.citizen_procedures if key == "4.5a" else facts.fee_procedures
        totals = subtree_totals(agency, period, now, cfg, agencies=agencies).totals[agency.pk]
        with_flag = totals.procedures_with(flag)
        in_force = {judged.versions[i].facts.procedure_id: judged.versions[i] for i in detail.in_force}
        for pid in procedures:
            v = in_force[pid]
            counted = pid in with_flag
            row = {
                **base(v),
                "in_numerator": counted,
                "reason": flag if counted else f"no_{flag}",
                "dossiers": totals.per_procedure.get(pid, Counter())[flag],
            }
            out.append((v.code, row))
    return out


def _feedback_items(agency: Agency, period: Period, now: datetime, key: str) -> list[tuple[Any, dict[str, Any]]]:
    """6.1 and 6.2: the PAKN facts of the period in the subtree, judged as the PAKN counters
    count them (`pakn_from_counters`) at min(period end, now). No content, no person."""
    judged_at = min(period.end, now)
    rows = (
        PaknFact.objects.filter(agency__path__startswith=agency.path, receipt_day__range=(period.first, period.last))
        .select_related("agency", "feedback")
        .only(
            "feedback_id",
            "received_at",
            "handle_due",
            "final",
            "on_time",
            "satisfied",
            "objected",
            "agency__code",
            "feedback__kind",
            "feedback__status",
            *(f"feedback__{name}" for name in _ANSWERED.values()),
        )
    )
    out: list[tuple[Any, dict[str, Any]]] = []
    for row in rows:
        ok, sat = cat.pakn_fact_verdict(row.final, row.on_time, row.satisfied, row.objected, row.handle_due, judged_at)
        status = row.feedback.status
        answered = getattr(row.feedback, _ANSWERED[status]) if status in _ANSWERED else None
        if key == "6.1":
            if row.final:
                reason = "answered_on_time" if ok else "answered_late"
            else:
                reason = "open_within_deadline" if ok else "open_overdue"
        else:
            reason = "satisfied" if sat else ("objected" if ok else "late")
        item = {
            "reference": row.feedback_id,
            "agency": row.agency.code,
            "kind": row.feedback.kind,
            "status": status,
            "received_at": row.received_at,
            "due": row.handle_due,
            "answered_at": answered,
            "on_time": ok,
            "satisfied": sat,
            "in_numerator": ok if key == "6.1" else sat,
            "reason": reason,
        }
        out.append(((row.received_at, row.feedback_id), item))
    return out


# ---------------------------------------------------------------- operations


def open_dossiers(root: Agency, *, now: datetime | None = None) -> dict[str, list[IndicatorFact]]:
    """Open dossiers of the subtree that are overdue, or due within the due-soon window
    (against their current due instant, which Form 04 and pauses move)."""
    from django.utils import timezone

    cfg = indicator_settings()
    now = now or timezone.now()
    indicators_catch_up()
    rows = IndicatorFact.objects.filter(
        agency__path__startswith=root.path, processed_at__isnull=True, returned_at__isnull=True, stopped_at__isnull=True
    ).select_related("agency", "procedure")
    soon = now + timedelta(hours=cfg.due_soon_hours)
    return {
        "overdue": list(rows.filter(current_due__lt=now).order_by("current_due")[: cfg.drilldown_max]),
        "due_soon": list(
            rows.filter(current_due__gte=now, current_due__lte=soon).order_by("current_due")[: cfg.drilldown_max]
        ),
    }


def trend(root: Agency, periods: list[Period], *, now: datetime | None = None) -> list[tuple[Period, Scorecard]]:
    """The scorecard of `root` month by month."""
    return [(p, scorecard(root, p, now=now)) for p in periods]


def open_data(*, period: Period) -> list[dict[str, object]]:
    """Aggregate counts per settling agency, procedure and receipt month: no personal data."""
    indicators_catch_up()
    rows = (
        IndicatorCounter.objects.filter(month__range=(period.first.replace(day=1), period.last))
        .values("agency__code", "agency__name", "procedure__code", "month")
        .annotate(**{f"s_{n}": Sum(n) for n in FLAGS})
        .order_by("month", "agency__code", "procedure__code")
        .values_list("month", "agency__code", "agency__name", "procedure__code", *(f"s_{n}" for n in FLAGS))
    )
    out: list[dict[str, object]] = []
    for month, agency_code, agency_name, procedure_code, *sums in rows:
        counts = dict(zip(FLAGS, sums, strict=True))
        if counts["received"]:
            out.append(
                {
                    "month": month.strftime("%Y-%m"),
                    "agency_code": agency_code,
                    "agency_name": agency_name,
                    "procedure_code": procedure_code,
                    **counts,
                }
            )
    return out
