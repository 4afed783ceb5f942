"""Catalogue and feedback sides of the scorecard: publicity 1.1–1.3, fee and citizen
procedures, e-certified copies, and the two PAKN indicators. Pure functions over plain
records (the selectors load them), so the rules are tested without the ORM.

Sources (docs/indicators.md): portal A and F, adopted (publicity linear, PAKN 6 points when there is none).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from motcua.calendars import worktime
from motcua.indicators.conf import IndicatorSettings
from motcua.indicators.engine import PaknFacts
from motcua.indicators.periods import Period, local_day


@dataclass(frozen=True)
class VersionFacts:
    """One procedure version that went through a publishing decision (not a draft)."""

    procedure_id: int
    status: str  # published, superseded, abolished
    decision_date: date | None
    legal_effective_date: date | None
    effective_date: date | None
    made_public_at: datetime | None
    complete: bool  # Decree 63/2010 Art. 8.2 components all present (1.3)
    fee: bool  # charges a fee > 0
    citizen: bool  # subjects include citizens


def publication_verdict(
    v: VersionFacts, period: Period, cal: worktime.WorkCalendar, cfg: IndicatorSettings
) -> bool | None:
    """1.1 for one version: None when its decision is not dated in the period, else whether
    the decision date ≤ legal-basis effective date − 5 working days (portal A, province)."""
    if v.decision_date is None or not (period.first <= v.decision_date <= period.last):
        return None
    deadline = publication_deadline(v, cal, cfg)
    if deadline is None:
        return cfg.publish_missing_legal_date == "on_time"
    return v.decision_date <= deadline


def legal_basis_date(v: VersionFacts, cfg: IndicatorSettings) -> date | None:
    """The legal-basis effective date 1.1 measures against (the version's effective date
    stands in when the setting says so)."""
    legal = v.legal_effective_date
    if legal is None and cfg.publish_missing_legal_date == "effective_date":
        legal = v.effective_date
    return legal


def publication_deadline(v: VersionFacts, cal: worktime.WorkCalendar, cfg: IndicatorSettings) -> date | None:
    """1.1: the last decision date that is on time (legal basis − 5 working days), or None."""
    legal = legal_basis_date(v, cfg)
    return None if legal is None else worktime.add_working_days(legal, -cfg.publish_lead_working_days, cal)


def public_due(v: VersionFacts, cal: worktime.WorkCalendar, cfg: IndicatorSettings) -> date | None:
    """1.2: the day by which the version must be made public (decision + 5 working days)."""
    if v.decision_date is None:
        return None
    return worktime.add_working_days(v.decision_date, cfg.public_within_working_days, cal)


def public_verdict(
    v: VersionFacts, period: Period, cal: worktime.WorkCalendar, cfg: IndicatorSettings
) -> tuple[bool, bool]:
    """1.2 for one version: (in the denominator, made public on time)."""
    due = public_due(v, cal, cfg)
    if v.decision_date is None or due is None:
        return False, False
    public_day = local_day(v.made_public_at) if v.made_public_at else None
    if public_day is not None and period.first <= public_day <= period.last:
        return True, public_day <= due
    if (public_day is None or public_day > period.last) and due <= period.last and v.decision_date <= period.last:
        # superseded or abolished before being made public: nothing is due any more
        return not (public_day is None and v.status != "published"), False
    return False, False


def published_on_time(
    versions: Iterable[VersionFacts], period: Period, cal: worktime.WorkCalendar, cfg: IndicatorSettings
) -> tuple[int, int]:
    """1.1: (procedures on time, procedures in decisions dated in the period).

    On time for a province: decision date ≤ legal-basis effective date − 5 working days.
    A procedure counts once; one late version makes it late for the whole period.
    """
    verdict: dict[int, bool] = {}
    for v in versions:
        ok = publication_verdict(v, period, cal, cfg)
        if ok is not None:
            verdict[v.procedure_id] = verdict.get(v.procedure_id, True) and ok
    return sum(verdict.values()), len(verdict)


def made_public_on_time(
    versions: Iterable[VersionFacts], period: Period, cal: worktime.WorkCalendar, cfg: IndicatorSettings
) -> tuple[int, int]:
    """1.2: (made public on time in the period, made public in the period + overdue ones).

    Due = decision date + 5 working days. Denominator: versions made public in the period,
    plus versions not made public by the period end whose due day is within the period end.
    """
    on_time = total = 0
    for v in versions:
        counted, ok = public_verdict(v, period, cal, cfg)
        total += counted
        on_time += ok
    return on_time, total


def complete_share(versions: Iterable[VersionFacts]) -> tuple[int, int]:
    """1.3: snapshot of the versions in force."""
    in_force = [v for v in versions if v.status == "published"]
    return sum(v.complete for v in in_force), len(in_force)


@dataclass(frozen=True)
class FeedbackFacts:
    """One PAKN (phản ánh, kiến nghị)."""

    status: str
    received_at: datetime
    handled_at: datetime | None = None
    refused_at: datetime | None = None
    supplement_requested_at: datetime | None = None
    published_at: datetime | None = None
    likes: int = 0
    dislikes: int = 0
    repeated: bool = False


def pakn_final_verdict(
    f: FeedbackFacts, due: Callable[[datetime, int], datetime], cfg: IndicatorSettings
) -> bool | None:
    """6.1 for a PAKN whose outcome is recorded: handled within 15 working days, refused
    within 2, supplement asked within 5, answer published within 2 working days of a handling
    done within 15 (portal F and the adopted rules). None while it is open: it is then judged at
    min(period end, now) by `pakn_open_on_time`, so its verdict depends on the read."""
    if f.status == "handled" and f.handled_at:
        return f.handled_at <= due(f.received_at, cfg.pakn_handle_days)
    if f.status == "refused" and f.refused_at:
        return f.refused_at <= due(f.received_at, cfg.pakn_refuse_days)
    if f.status == "supplement_requested" and f.supplement_requested_at:
        return f.supplement_requested_at <= due(f.received_at, cfg.pakn_supplement_days)
    if f.status == "published" and f.published_at:
        handled = f.handled_at or f.received_at
        return handled <= due(f.received_at, cfg.pakn_handle_days) and f.published_at <= due(
            handled, cfg.pakn_publish_days
        )
    return None


def pakn_open_on_time(judged_at: datetime, handle_due: datetime | None) -> bool:
    """An open PAKN is on time while min(period end, now) is within its 15 working days."""
    return handle_due is not None and judged_at <= handle_due


def pakn_objected(f: FeedbackFacts) -> bool:
    """6.2 removes PAKN with more dislikes than likes, or repeated (besides overdue ones)."""
    return f.dislikes > f.likes or f.repeated


def pakn_satisfied(f: FeedbackFacts, on_time: bool) -> bool:
    return on_time and not pakn_objected(f)


def pakn_facts(
    items: Iterable[FeedbackFacts],
    period: Period,
    now: datetime,
    due: Callable[[datetime, int], datetime],
    cfg: IndicatorSettings,
) -> PaknFacts:
    """Adopted rules for satisfaction, PAKN on time and PAKN satisfaction, over PAKN received in the period.

    On time: handled within 15 working days, refused within 2, supplement asked within 5,
    answer published within 2 working days of handling, or still open within 15 at
    min(period end, now). `due(start, n)` is `start` + n working days on the agency calendar.
    """
    total = on_time = satisfied = 0
    for f in items:
        if not period.contains(f.received_at):
            continue
        total += 1
        ok = pakn_final_verdict(f, due, cfg)
        if ok is None:
            ok = pakn_open_on_time(min(period.end, now), due(f.received_at, cfg.pakn_handle_days))
        on_time += ok
        satisfied += pakn_satisfied(f, ok)
    return PaknFacts(total=total, on_time=on_time, satisfied=satisfied)


def pakn_fact_verdict(
    final: bool, on_time: bool, satisfied: bool, objected: bool, handle_due: datetime | None, judged_at: datetime
) -> tuple[bool, bool]:
    """6.1 and 6.2 for one stored PAKN fact, as the PAKN counters count it: (on time, satisfied).

    A final verdict is the stored one; an open PAKN is on time while `judged_at`
    (min(period end, now)) is within its deadline, and satisfied when also not objected."""
    if final:
        return on_time, satisfied
    ok = pakn_open_on_time(judged_at, handle_due)
    return ok, ok and not objected
