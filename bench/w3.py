"""W3, deadline arithmetic: due instants per second, single process, no database in the loop.

For N random receipt instants across 2025–2027 (the same instants for every variant), the
due instant of:

* 10 working days, 16 working hours and 15 calendar days, without pauses;
* the same with one closed pause of 0–10 days (a supplement) inside the running time,

computed by `worktime.due_instant` (the engine's path: no explanation is built) and by
`worktime.compute_due` (with the explanation the calendar API shows), on the province's
calendar as `calendars.services.calendar_for` builds it.

The baseline is the same job done the simplest correct way, in the same process and minute:
a plain day-by-day walk over `holidays.country_holidays("VN")` (Saturdays, Sundays and the
package's holidays off), with the 15:00 cut-off, office hours 08:00–12:00 and 13:00–17:00,
the pause cut out of the running time and the Civil Code Art. 148.5 roll-forward for
calendar days. It ignores swapped working Saturdays and editable overrides, so on a few dates
it gives another answer; `agreement` says on how many of the instants it gives the engine's.
`ratio_to_walk` = engine rate / walk rate for the same variant and instants.
"""

from __future__ import annotations

import random
import time as clock
from datetime import date, datetime, time, timedelta
from typing import Any

from common import Context

CODE = "W3"
NAME = "deadline arithmetic"
DEFAULT_N = 20_000
QUICK_N = 2_000
TARGET = "due_instant ratio_to_walk >= 1.0 (every variant)"
ONE_DAY = timedelta(days=1)
VARIANTS = (("working_days", 10), ("working_hours", 16), ("calendar_days", 15))


CUTOFF = time(15)
WINDOWS = ((time(8), time(12)), (time(13), time(17)))


def _walk(start: datetime, amount: int, unit: str, pause: Any, off: Any) -> datetime:
    """The baseline: the same due computed by a plain day-by-day walk."""

    def working(d: date) -> bool:
        return d.weekday() < 5 and d not in off

    def next_opening(d: date) -> datetime:
        d += ONE_DAY
        while not working(d):
            d += ONE_DAY
        return datetime.combine(d, WINDOWS[0][0], tzinfo=start.tzinfo)

    # The clock start: the 15:00 cut-off, then office hours.
    d, t = start.date(), start.time()
    if not working(d) or t >= CUTOFF or t >= WINDOWS[-1][1]:
        at = next_opening(d)
    elif t < WINDOWS[0][0] or WINDOWS[0][1] <= t < WINDOWS[1][0]:
        at = datetime.combine(d, WINDOWS[0][0] if t < WINDOWS[0][0] else WINDOWS[1][0], tzinfo=start.tzinfo)
    else:
        at = start
    if unit == "calendar_days":
        due = at + timedelta(days=amount)
        if pause is not None and pause.start < due and pause.end > at:
            due += pause.end - max(pause.start, at)
        # Civil Code Art. 148.1 and 148.5: the close of the last day, or of the next working day.
        close = (
            datetime.combine(due.date(), time(17), tzinfo=start.tzinfo)
            if working(due.date())
            else next_opening(due.date()).replace(hour=17)
        )
        return max(due, close)
    remaining = timedelta(hours=8 * amount if unit == "working_days" else amount)
    if not remaining:
        return at
    d = at.date()
    while True:
        if working(d):
            for ws, we in WINDOWS:
                low, high = (
                    max(datetime.combine(d, ws, tzinfo=start.tzinfo), at),
                    datetime.combine(d, we, tzinfo=start.tzinfo),
                )
                segments = [(low, high)]
                if pause is not None and pause.start < high and pause.end > low:
                    segments = [(low, max(low, pause.start)), (min(high, pause.end), high)]
                for seg_start, seg_end in segments:
                    if seg_end > seg_start:
                        if remaining <= seg_end - seg_start:
                            return seg_start + remaining
                        remaining -= seg_end - seg_start
        d += ONE_DAY


def _rate(function: Any, cases: list[tuple[Any, ...]]) -> float:
    started = clock.perf_counter()
    for case in cases:
        function(*case)
    return len(cases) / (clock.perf_counter() - started)


def run(ctx: Context, n: int) -> dict[str, Any]:
    import holidays

    from motcua.calendars import worktime
    from motcua.calendars.services import calendar_for

    cal = calendar_for(None)
    off = holidays.country_holidays("VN", years=range(2024, 2031))
    rng = random.Random(766)
    first = datetime(2025, 1, 1, tzinfo=worktime.VN_TZ)
    minutes = int((datetime(2028, 1, 1, tzinfo=worktime.VN_TZ) - first).total_seconds() // 60)
    starts = [first + timedelta(minutes=rng.randrange(minutes)) for _ in range(n)]
    pauses = []
    for start in starts:
        begin = start + timedelta(hours=rng.randrange(1, 48))
        pauses.append(worktime.Pause(begin, begin + timedelta(days=rng.randrange(0, 10), hours=rng.randrange(24))))
    for start in starts[:200]:  # warm-up: the calendar's day table, the package's years
        worktime.due_instant(start, 10, "working_days", cal)
        _walk(start, 10, "working_days", None, off)

    variants: dict[str, dict[str, float]] = {}
    started = clock.perf_counter()
    for paused in (False, True):
        for unit, amount in VARIANTS:
            name = f"{unit}{'+pause' if paused else ''}"
            engine_cases = [(s, amount, unit, cal, p) for s, p in zip(starts, pauses, strict=True)]
            walk_cases = [(s, amount, unit, p if paused else None, off) for s, p in zip(starts, pauses, strict=True)]

            def fast(s: datetime, a: int, u: str, c: Any, p: Any, paused: bool = paused) -> datetime:
                return worktime.due_instant(s, a, u, c, pauses=(p,) if paused else ())

            def explained(s: datetime, a: int, u: str, c: Any, p: Any, paused: bool = paused) -> datetime:
                return worktime.compute_due(s, a, u, c, pauses=(p,) if paused else ()).due

            # Alternate rounds so a passing load slows both sides alike; keep the best of each.
            walk_rate = fast_rate = explained_rate = 0.0
            for _ in range(3):
                walk_rate = max(walk_rate, _rate(_walk, walk_cases))
                fast_rate = max(fast_rate, _rate(fast, engine_cases))
                explained_rate = max(explained_rate, _rate(explained, engine_cases[: max(1, n // 4)]))
            agree = sum(fast(*e) == _walk(*w) for e, w in zip(engine_cases, walk_cases, strict=True))
            variants[name] = {
                "agreement": round(agree / n, 4),
                "due_instant_per_s": round(fast_rate),
                "compute_due_per_s": round(explained_rate),
                "walk_per_s": round(walk_rate),
                "ratio_to_walk": round(fast_rate / walk_rate, 3),
                "compute_due_ratio_to_walk": round(explained_rate / walk_rate, 3),
            }
    wall = clock.perf_counter() - started
    worst = min(v["ratio_to_walk"] for v in variants.values())
    return {
        "workload": CODE,
        "name": NAME,
        "n": n,
        "wall_s": round(wall, 3),
        "dossiers_per_s": None,
        "due_instants_per_s": variants["working_days"]["due_instant_per_s"],
        "walk_per_s": variants["working_days"]["walk_per_s"],
        "ratio_to_walk": variants["working_days"]["ratio_to_walk"],
        "worst_ratio_to_walk": worst,
        "baseline": "plain day-by-day walk over holidays.country_holidays('VN'), same instants, same process",
        "target": TARGET,
        "variants": variants,
        "first_day": date(2025, 1, 1).isoformat(),
    }
