"""W1, engine lifecycle (issue 2, item 9): N dossiers through the dossier services, as the API
calls them, in one process and one client.

Per dossier: submit online (the citizen, three document components) → receive (the
reception officer, Form 01 with the appointment), except every 10th, refused by reception's
check before receipt (Form 03, as `workflow.TABLE` allows only before receipt); the others start processing
(reception hands over to the Department of Justice, Form 06 line) → finish (the leader)
→ return the result (reception). Events, due instants, hand-overs and components are all
written, because the services write them.

The procedure version is loaded once with its fees, documents and steps prefetched, as a
long-running API process would keep it; the dossier instance each service changed is
passed on to the next one, so no reload is measured. A short warm-up (not measured)
fills the per-process calendar cache first.
"""

from __future__ import annotations

import cProfile
import hashlib
import itertools
import pstats
import time
from typing import Any

from common import W1_TARGET, Context, StatementLog, counting, raw_transitions

CODE = "W1"
NAME = "engine lifecycle"
DEFAULT_N = 2000
QUICK_N = 200
#: The bench runs at any hour: a receipt outside the agency's working hours needs a reason
#: (kept on the event only when the receipt is outside them).
OUTSIDE_HOURS_REASON = "Đo hiệu năng ngoài giờ (bench)"
REFUSE_EVERY = 10  # every 10th dossier is refused at intake: 10 %
ORDER = ("submit", "receive", "refuse", "start_processing", "finish", "return_result")


def _version(world: Any) -> Any:
    from motcua.catalog.models import ProcedureVersion

    return (
        ProcedureVersion.objects.select_related("procedure", "field", "competent_agency")
        .prefetch_related("fees", "documents", "steps")
        .get(pk=world.procedure.pk)
    )


def _components(version: Any) -> list[Any]:
    """Three components as the portal sends them: metadata of uploaded scans, no file body."""
    from motcua.dossiers.services import ComponentIn

    documents = list(version.documents.all())
    names = [doc.name for doc in documents] + ["Giấy ủy quyền"]
    ids: list[int | None] = [doc.pk for doc in documents] + [None]
    return [
        ComponentIn(
            name=names[k],
            required_document_id=ids[k],
            copies=1,
            digitized=True,
            file_name=f"thanh-phan-{k + 1}.pdf",
            content_type="application/pdf",
            size_bytes=180_000 + 1_000 * k,
            sha256=hashlib.sha256(f"w1-component-{k}".encode()).hexdigest(),
        )
        for k in range(3)
    ]


def lifecycle(index: int, world: Any, version: Any, components: list[Any], log: StatementLog) -> tuple[Any, int]:
    """One dossier from submission to its end; returns it and how many transitions it took."""
    from motcua.dossiers import services as ds

    log.label = "submit"
    # Filed as W2 files it: delivered by the national portal's connector (the channel of online
    # filings since 1 July 2025). A citizen filing for themself would add the daily abuse-limit
    # count, which over one bench citizen's thousands of same-day dossiers measures a scan
    # that grows with N; a real citizen has at most the limit (20) that day.
    dossier = ds.dossier_submit(
        actor=world.portal,
        source="national_portal",
        version=version,
        applicant=world.citizen_person,
        form_data={"purpose": "Xin việc", "copies_requested": 1},
        components=components,
    )
    if index % REFUSE_EVERY == REFUSE_EVERY - 1:
        # Refused by the reception officer's check, before receipt (Form 03): the law lets
        # reception refuse only a dossier it has not received.
        log.label = "refuse"
        ds.dossier_refuse(dossier=dossier, actor=world.reception, reason="Hồ sơ không thuộc thẩm quyền giải quyết.")
        log.label = ""
        return dossier, 2
    log.label = "receive"
    ds.dossier_receive(dossier=dossier, actor=world.reception, outside_hours_reason=OUTSIDE_HOURS_REASON)
    log.label = "start_processing"
    ds.dossier_start_processing(dossier=dossier, actor=world.reception)
    log.label = "finish"
    ds.dossier_finish(dossier=dossier, actor=world.leader)
    log.label = "return_result"
    ds.dossier_return_result(dossier=dossier, actor=world.reception)
    log.label = ""
    return dossier, 5


#: Engine and baselines take turns in this many rounds, so a passing load slows both alike.
ROUNDS = 4


def run(ctx: Context, n: int) -> dict[str, Any]:
    import baselines

    world = ctx.world
    version = _version(world)
    components = _components(version)
    warm = [
        lifecycle(index, world, version, components, StatementLog())[0].pk for index in range(min(20, max(1, n // 10)))
    ]
    bare = baselines.open_bare(warm, first_seq=1000)
    bare.two_statements(warm, 20)  # warm-up of the bare connection, not measured
    if bare.vendor == "postgresql":
        bare.one_statement(warm, 20)

    log = StatementLog()
    ids: list[int] = []
    transitions = 0
    wall = cpu = raw_wall = cte_wall = 0.0
    runs: dict[str, int] = dict.fromkeys(ORDER, 0)
    profiler = cProfile.Profile() if ctx.profile else None
    bounds = [n * r // ROUNDS for r in range(ROUNDS + 1)]
    for first, last in itertools.pairwise(bounds):
        round_transitions = 0
        with counting(log):
            if profiler:
                profiler.enable()
            started, cpu_started = time.perf_counter(), time.process_time()
            for index in range(first, last):
                dossier, steps = lifecycle(index, world, version, components, log)
                ids.append(dossier.pk)
                round_transitions += steps
                runs["submit"] += 1
                if steps == 2:
                    runs["refuse"] += 1
                else:
                    for label in ("receive", "start_processing", "finish", "return_result"):
                        runs[label] += 1
            wall += time.perf_counter() - started
            cpu += time.process_time() - cpu_started
            if profiler:
                profiler.disable()
        transitions += round_transitions
        # The baselines, right after, for the same number of transitions on warm dossiers.
        raw_wall += bare.two_statements(warm, round_transitions)
        if bare.vendor == "postgresql":
            cte_wall += bare.one_statement(warm, round_transitions)
    if profiler and ctx.profile:
        profiler.dump_stats(str(ctx.profile))
        print(f"\ncProfile of W1 written to {ctx.profile}; top 30 by cumulative time:")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    bare.close()
    pgbench_rate, pgbench_note = baselines.pgbench(ids, transitions, first_seq=10_000_000)
    _, django_statements = raw_transitions(ids[:10], 10)  # counts what a bare transaction sends

    rate = transitions / wall
    raw_rate = transitions / raw_wall
    row = {
        "workload": CODE,
        "name": NAME,
        "n": n,
        "wall_s": round(wall, 3),
        "dossiers_per_s": round(n / wall, 2),
        "transitions_per_s": round(rate, 2),
        "statements_per_dossier": round(log.total / n, 2),
        "raw_transitions_per_s": round(raw_rate, 2),
        "ratio_to_raw": round(rate / raw_rate, 4),
        "raw_baseline": "two statements (UPDATE + INSERT) per transaction on a bare driver connection, "
        f"alternating with the engine in {ROUNDS} rounds",
        "cte_transitions_per_s": round(transitions / cte_wall, 2) if cte_wall else None,
        "ratio_to_cte": round(rate / (transitions / cte_wall), 4) if cte_wall else None,
        "pgbench_transitions_per_s": round(pgbench_rate, 2) if pgbench_rate else None,
        "ratio_to_pgbench": round(rate / pgbench_rate, 4) if pgbench_rate else None,
        "pgbench_note": pgbench_note,
        "target": W1_TARGET,
        "transitions": transitions,
        "statements_per_transition": {
            label: round(log.by_label[label] / runs[label], 2) for label in ORDER if runs[label]
        },
        "raw_statements_per_transition": round(django_statements / 10, 2),
        "cpu_ms_per_dossier": round(cpu * 1000 / n, 2),
    }
    if ctx.trace:
        print_trace(world, version, components)
    return row


def print_trace(world: Any, version: Any, components: list[Any]) -> None:
    """The SQL each service sends, for one dossier that is returned and one that is refused."""
    for index, title in ((0, "returned"), (REFUSE_EVERY - 1, "refused at intake")):
        log = StatementLog(capture=True)
        with counting(log):
            lifecycle(index, world, version, components, log)
        print(f"\n--- W1 trace: one dossier {title} ---")
        current = None
        for label, sql in log.sql:
            if label != current:
                count = sum(1 for lab, _ in log.sql if lab == label)
                print(f"[{label}] {count} statements")
                current = label
            print(f"    {' '.join(sql.split())[:220]}")
