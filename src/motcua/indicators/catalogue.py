"""Catalogue and feedback sides of the scorecard: publicity 1.1–1.3, fee and citizen
procedures, e-certified copies, and the two PAKN indicators. Pure functions over plain
records (the selectors load them), so the rules are tested without the ORM.

Sources: domain.md §6.3 A and F, §6.4 (publicity linear, PAKN 6 points when there is none).
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


def published_on_time(
    versions: Iterable[VersionFacts], period: Period, cal: worktime.WorkCalendar, cfg: IndicatorSettings
) -> tuple[int, int]:
    """1.1: (procedures on time, procedures in decisions dated in the period).

    On time for a province: decision date ≤ legal-basis effective date − 5 working days.
    A procedure counts once; one late version makes it late for the whole period.
    """
    verdict: dict[int, bool] = {}
    for v in versions:
        if v.decision_date is None or not (period.first <= v.decision_date <= period.last):
            continue
        legal = v.legal_effective_date
        if legal is None and cfg.publish_missing_legal_date == "effective_date":
            legal = v.effective_date
        if legal is None:
            ok = cfg.publish_missing_legal_date == "on_time"
        else:
            ok = v.decision_date <= worktime.add_working_days(legal, -cfg.publish_lead_working_days, cal)
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
        if v.decision_date is None:
            continue
        due = worktime.add_working_days(v.decision_date, cfg.public_within_working_days, cal)
        public_day = local_day(v.made_public_at) if v.made_public_at else None
        if public_day is not None and period.first <= public_day <= period.last:
            total += 1
            on_time += public_day <= due
        elif (public_day is None or public_day > period.last) and due <= period.last and v.decision_date <= period.last:
            if public_day is None and v.status != "published":
                continue  # superseded or abolished before being made public: nothing is due any more
            total += 1
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


def pakn_facts(
    items: Iterable[FeedbackFacts],
    period: Period,
    now: datetime,
    due: Callable[[datetime, int], datetime],
    cfg: IndicatorSettings,
) -> PaknFacts:
    """§6.4 satisfaction, PAKN on time and PAKN satisfaction, over PAKN received in the period.

    On time: handled within 15 working days, refused within 2, supplement asked within 5,
    answer published within 2 working days of handling, or still open within 15 at
    min(period end, now). `due(start, n)` is `start` + n working days on the agency calendar.
    """
    total = on_time = satisfied = 0
    for f in items:
        if not period.contains(f.received_at):
            continue
        total += 1
        if f.status == "handled" and f.handled_at:
            ok = f.handled_at <= due(f.received_at, cfg.pakn_handle_days)
        elif f.status == "refused" and f.refused_at:
            ok = f.refused_at <= due(f.received_at, cfg.pakn_refuse_days)
        elif f.status == "supplement_requested" and f.supplement_requested_at:
            ok = f.supplement_requested_at <= due(f.received_at, cfg.pakn_supplement_days)
        elif f.status == "published" and f.published_at:
            handled = f.handled_at or f.received_at
            ok = handled <= due(f.received_at, cfg.pakn_handle_days) and f.published_at <= due(
                handled, cfg.pakn_publish_days
            )
        else:
            ok = min(period.end, now) <= due(f.received_at, cfg.pakn_handle_days)
        on_time += ok
        satisfied += not (f.dislikes > f.likes or not ok or f.repeated)
    return PaknFacts(total=total, on_time=on_time, satisfied=satisfied)
