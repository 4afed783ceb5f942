"""Complaints and petitions (PAKN, indicators 6.1 and 6.2): from the PAKN facts for a
small scope, or from the monthly PAKN counters for dashboards."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from functools import partial

from django.db import connection
from django.db.models import Count, Q

from motcua.calendars import worktime
from motcua.calendars.services import calendar_for
from motcua.indicators import catalogue as cat
from motcua.indicators.conf import IndicatorSettings
from motcua.indicators.engine import PaknFacts
from motcua.indicators.models import PaknCounter, PaknFact
from motcua.indicators.periods import Period
from motcua.indicators.selectors.totals import ancestors_within, fetch_rows, marks
from motcua.indicators.services import FEEDBACK_COLUMNS
from motcua.organizations.models import Agency
from motcua.ratings.models import Feedback

_DUE_MEMO_MAX = 200_000
#: calendar id -> (calendar, {(start, n): due}): a PAKN's deadlines never change once it is
#: received, so each is computed once per calendar object (calendar_for rebuilds the object
#: when its cache expires, which starts a fresh memo). Bounded: cleared past _DUE_MEMO_MAX.
_due_memo: dict[int, tuple[object, dict[tuple[datetime, int], datetime]]] = {}


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
) -> dict[int, PaknFacts]:
    """6.1 and 6.2 judged PAKN by PAKN from the feedback table: the reference computation
    that the PAKN counters (`pakn_from_counters`, what the dashboards read) must equal.
    Deadlines run on the calendar of the agency each PAKN is addressed to."""
    chain = ancestors_within(agencies)
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
        pk: PaknFacts(
            total=len(verdicts[pk]),
            on_time=sum(ok for ok, _ in verdicts[pk]),
            satisfied=sum(sat for _, sat in verdicts[pk]),
        )
        for pk in agencies
    }


def pakn_from_counters(
    agencies: dict[int, Agency], period: Period, now: datetime, *, cfg: IndicatorSettings | None = None
) -> dict[int, PaknFacts]:
    """6.1 and 6.2 from the PAKN counters (whole months), the PAKN facts of partial months,
    and the open PAKN judged against their stored deadline at min(period end, now): three
    GROUP BY queries whose rows are O(agencies × months)."""
    ids = list(agencies)
    chain = ancestors_within(agencies)
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
            f"FROM {table} WHERE agency_id IN ({marks(ids)}) AND month IN ({marks(months)}) GROUP BY agency_id"
        )
        for agency_id, n, ok, sat, still_open in fetch_rows(
            sql, [*ids, *map(connection.ops.adapt_datefield_value, months)]
        ):
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
            f"WHERE final = %s AND handle_due >= %s AND agency_id IN ({marks(ids)}) "
            "AND receipt_day >= %s AND receipt_day <= %s GROUP BY agency_id"
        )
        days = [connection.ops.adapt_datefield_value(d) for d in (period.first, period.last)]
        for agency_id, ok, sat in fetch_rows(sql, [False, judged_at, *ids, *days]):
            add(agency_id, 0, ok, sat)
    return {pk: PaknFacts(total=n, on_time=ok, satisfied=sat) for pk, (n, ok, sat) in sums.items()}
