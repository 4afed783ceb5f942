"""W5, pages (issue 3 item 7, issue 13 item 5): server time of the officer queue, the dossier
page, the citizen's procedure search and public tracking with N dossiers in the database.

    .venv/bin/python bench/run.py --workloads w5 [--n 100000] [--databases sqlite,postgres]

What is loaded (into the database the runner prepared, after `build_world`):

* staff that lets the generator file at more than one agency of the test province: a
  leader and a specialist at the commune H99.50 (so the commune procedure 1.001193,
  "Đăng ký khai sinh", has a route through the commune centre H99.50.01), and a building
  permit procedure settled by the Department of Construction H99.11 (its officer is the
  world's `outsider`);
* N dossiers through the W4 path (`exchange.importer.Importer`): real histories made by
  the services (`exchange.generator`) with `until` = now, exported, rolled back and cloned
  with fresh codes and applicants. The clones are spread over the settling agencies
  (Department of Justice 70 %, commune 20 %, Construction 10 %); 5 % of them are clones of
  a dossier still open now, the rest are finished, refused or returned. A tenth of the open
  ones have their whole history moved back 1 to 26 weeks: dossiers stuck past their due
  instant, shown first by a queue sorted by due instant. At N = 100,000 the specialist of
  the Department of Justice has about 3,000 open dossiers in the queue;
* a catalogue of `CATALOGUE` published procedures with Vietnamese names (many "Đăng ký …",
  a few "… khai sinh"), so that the search reads a catalogue of a province's size.

Then, in-process with `django.test.Client` (`force_login` as the persona; middleware,
session, view, template: everything but the network), each page is requested 3 times
to warm up and 50 times measured; p50, p95 and the SQL statements of one request
(`connection.execute_wrapper`, everything Django sends) are reported:

* `queue`: `portal:queue` with its default filters, as the specialist of the agency with
  the most open dossiers;
* `dossier`: `portal:office-dossier` of the dossier with the longest timeline that this
  specialist may see;
* `search "dang ky"`, `search "khai sinh"`: `portal:search?q=…` as the citizen;
* `track`: `portal:track-code` of that open dossier, not signed in (the page its QR code opens).

The per-address abuse limits of the public pages are raised in the bench process
(`common.setup_django`); their check still runs. The province is made demo-sized first
(`province.demo_sized`, 81 agencies): the commune's and Construction's shares of the
dossiers are spread over the demo's communes and departments, so that W4d (the dashboard)
can read the same load.

Target: p95 ≤ 100 ms for each page on PostgreSQL. The rows (one per page and database,
workload "W5") are merged into bench/results/latest.json by this module, because the
runner takes one row per workload; the runner itself records the load as "W5-load".
"""
# long: one workload kept whole (the province it loads, the pages it times, the table it prints),
# so that its figures can be read against one file; a benchmark, not part of the product.


from __future__ import annotations

import cProfile
import json
import os
import pstats
import random
import re
import statistics
import time
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import common
import province

CODE = "W5"
LOAD_CODE = "W5-load"
NAME = "pages: officer queue, dossier page, procedure search, public tracking"
DEFAULT_N = 100_000
QUICK_N = 5_000
RUNS = 50
WARMUPS = 3
TARGET_MS = 100.0
TARGET = f"p95_ms <= {TARGET_MS:.0f} for each page on PostgreSQL"
#: Histories made by the services per file: spread over the past year, and recent ones
#: (started in the last RECENT_DAYS) so that enough of them are still open now.
TEMPLATES = 60
RECENT_TEMPLATES = 60
RECENT_DAYS = 20
#: Share of the clones that copy a dossier still open, and how they spread over agencies.
OPEN_SHARE = 0.05
#: Share of the open clones whose whole history is moved back by 1 to STUCK_WEEKS weeks:
#: dossiers stuck past their due instant, which a queue sorted by due instant shows first.
STUCK_SHARE = 0.1
STUCK_WEEKS = 26
SPREAD = {"H99.10": 0.7, "H99.50": 0.2, "H99.11": 0.1}
CATALOGUE = 1_500
#: The clones' codes carry days of 2023, so they never collide with W4's (2025 on).
FIRST_CODE_DAY = date(2023, 1, 2)
FILE_VERSION = "w5.3"
SEARCHES = ("dang ky", "khai sinh")


# ---------------------------------------------------------------- the province's extras


def extend_world(world: Any) -> None:
    """Staff and one procedure so that dossiers can be settled by three agencies (idempotent)."""
    from django.contrib.auth import get_user_model

    from motcua.catalog.models import Procedure
    from motcua.catalog.services import (
        DocumentSpec,
        FeeSpec,
        StepSpec,
        VersionSpec,
        procedure_create,
        procedure_version_publish,
    )
    from motcua.organizations.services import membership_grant

    province.demo_sized(world)
    user_model = get_user_model()
    for username, role in (("w5-commune-leader", "leader"), ("w5-commune-specialist", "specialist")):
        user, created = user_model.objects.get_or_create(username=username, defaults={"first_name": username})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        membership_grant(user=user, agency=world.commune, role=role)
    if Procedure.objects.filter(code="1.009972").exists():
        return
    spec = VersionSpec(
        name="Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        name_en="Building permit for a detached house",
        field=world.procedure.field,
        time_limit_amount=15,
        time_limit_unit="working_days",
        competent_agency=world.construction,
        online_level="full",
        eligible_full_online=True,
        fees=[FeeSpec(name="Lệ phí cấp giấy phép xây dựng", amount_vnd=75_000)],
        documents=[DocumentSpec(name="Đơn đề nghị cấp giấy phép xây dựng"), DocumentSpec(name="Bản vẽ thiết kế")],
        steps=[
            StepSpec("reception", "Tiếp nhận", "reception", 4, "working_hours", next=["review"]),
            StepSpec("review", "Thẩm định", "specialist", 10, "working_days", next=["approve"]),
            StepSpec("approve", "Phê duyệt", "leader", 3, "working_days", next=["return"]),
            StepSpec("return", "Trả kết quả", "reception", 4, "working_hours"),
        ],
    )
    version = procedure_create(code="1.009972", spec=spec)
    procedure_version_publish(
        version=version, decision_number="5/QĐ-UBND", decision_date=date(2025, 7, 1), effective_date=date(2025, 7, 1)
    )


VERBS = ["Đăng ký", "Đăng ký lại", "Đăng ký thay đổi", "Cấp", "Cấp lại", "Cấp đổi", "Gia hạn", "Điều chỉnh"]
VERBS += ["Xác nhận", "Công nhận", "Thẩm định", "Phê duyệt", "Thu hồi", "Chấm dứt", "Trích lục", "Ghi vào sổ"]
OBJECTS = ["khai sinh", "kết hôn", "khai tử", "giám hộ", "nhận cha, mẹ, con", "thay đổi hộ tịch", "thường trú"]
OBJECTS += ["tạm trú", "hộ kinh doanh", "doanh nghiệp tư nhân", "hợp tác xã", "giấy phép xây dựng"]
OBJECTS += ["giấy chứng nhận quyền sử dụng đất", "chứng chỉ hành nghề luật sư", "chứng chỉ hành nghề y"]
OBJECTS += ["giấy phép lái xe", "biển số xe", "giấy phép lao động", "con dấu", "nhãn hiệu", "giấy phép môi trường"]
OBJECTS += ["phiếu lý lịch tư pháp", "quốc tịch", "nuôi con nuôi", "cơ sở giáo dục", "giấy phép kinh doanh rượu"]
QUALIFIERS = ["", "", "có yếu tố nước ngoài", "lưu động", "cho người nước ngoài", "trực tuyến", "cấp xã"]


def build_catalogue(world: Any, count: int = CATALOGUE) -> int:
    """Publish `count` procedures with realistic names (idempotent); returns how many exist.

    Created after the dossier histories are generated, so the generator never files them:
    they are here for the search, which reads the whole published catalogue.
    """
    from motcua.catalog.models import Procedure
    from motcua.catalog.services import FeeSpec, VersionSpec, procedure_create, procedure_version_publish

    existing = Procedure.objects.filter(code__startswith="3.").count()
    if existing >= count:
        return existing
    agencies = [world.justice, world.construction, world.tax, None]
    rng = random.Random(5)
    for index in range(existing, count):
        verb, obj, qualifier = rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(QUALIFIERS)
        name = " ".join(part for part in (verb, obj, qualifier) if part)
        agency = agencies[index % len(agencies)]
        spec = VersionSpec(
            name=f"{name} ({index + 1})",
            field=world.procedure.field,
            time_limit_amount=rng.choice([1, 3, 5, 10, 15, 20]),
            time_limit_unit="working_days",
            levels=["province"] if agency is not None else ["commune"],
            competent_level="agency" if agency is not None else "commune",
            competent_agency=agency,
            online_level=rng.choice(["full", "partial", "none"]),
            fees=[FeeSpec(name="Lệ phí", amount_vnd=rng.choice([0, 10_000, 50_000, 100_000]))],
        )
        version = procedure_create(code=f"3.{index:06d}", spec=spec)
        procedure_version_publish(
            version=version,
            decision_number=f"{index + 10}/QĐ-UBND",
            decision_date=date(2025, 7, 1),
            effective_date=date(2025, 7, 1),
        )
    return count


# ---------------------------------------------------------------- the file


class _RecentRandom(random.Random):
    """The generator's random source, except that a dossier's start (the generator draws
    `uniform(0, 365)` days back from `until`) falls within the last RECENT_DAYS: those
    stories are often still running at `until`, so the file has open dossiers to clone."""

    def uniform(self, a: float, b: float) -> float:
        if (a, b) == (0, 365):
            b = RECENT_DAYS
        return super().uniform(a, b)


def _templates(until: datetime, seed: int) -> list[dict[str, Any]]:
    """Real histories made by the services at the test province, exported and rolled back."""
    from django.db import transaction

    from motcua.exchange.export import export_lines
    from motcua.exchange.generator import Generator

    class _Undo(Exception):
        pass

    lines: list[str] = []
    try:
        with transaction.atomic():
            year = Generator(seed=seed, until=until)
            for _ in range(TEMPLATES):
                year.one()
            recent = Generator(seed=seed + 1, until=until)
            recent.rng = _RecentRandom(seed + 1)
            recent.people = year.people
            for _ in range(RECENT_TEMPLATES):
                recent.one()
            lines = list(export_lines())
            raise _Undo
    except _Undo:
        pass
    return [json.loads(line) for line in lines]


def _clone(template: dict[str, Any], index: int, applicant: dict[str, Any]) -> dict[str, Any]:
    """A copy of `template` with a fresh code (unique per receiving agency and day) and references."""
    record: dict[str, Any] = json.loads(json.dumps(template))  # a deep copy
    day = FIRST_CODE_DAY + timedelta(days=index // 9999)
    code = f"{record['receiving_agency']}-{day:%y%m%d}-{index % 9999 + 1:04d}"
    record["code"] = code
    for event in record["events"]:
        form = event["data"].get("form")
        if isinstance(form, dict) and "dossier_code" in form:
            form["dossier_code"] = code
        if event["data"].get("reference"):
            event["data"]["reference"] = f"{event['data']['reference']}-w5-{index}"
    for payment in record["payments"]:
        payment["reference"] = f"{payment['reference']}-w5-{index}" if payment["reference"] else ""
    record["applicant"] = applicant
    if record["rating"] is not None:
        record["rating"]["person"] = applicant["id_number"]
    for feedback in record["feedback"]:
        feedback["person"] = applicant["id_number"]
    return record


INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$")


def _shift(value: Any, delta: timedelta) -> Any:
    """`value` with every instant in it (RFC 3339 strings, as the format writes them) moved by `delta`.

    Whole weeks keep every instant on the same weekday and time, so the history stays one
    that the working calendar allows (bar a public holiday landing differently).
    """
    from motcua.exchange.format import instant_in, instant_out

    if isinstance(value, dict):
        return {key: _shift(item, delta) for key, item in value.items()}
    if isinstance(value, list):
        return [_shift(item, delta) for item in value]
    if isinstance(value, str) and INSTANT.match(value):
        moved = instant_in(value)
        return instant_out(moved - delta) if moved is not None else value
    return value


def synthesise(path: Path, n: int, *, seed: int = 5) -> tuple[Path, dict[str, Any]]:
    """Write n lines spread over SPREAD, OPEN_SHARE of them open now; reuse a file of this day.

    Returns the path and facts about the file (templates per agency, open lines).
    """
    from django.utils import timezone

    from motcua.dossiers.models import END_STATUSES
    from motcua.exchange.format import VN_OFFSET, dumps
    from motcua.exchange.generator import personal_id

    now = timezone.now().astimezone(VN_OFFSET).replace(minute=0, second=0, microsecond=0)
    marker = path.with_suffix(".done")
    stamp = f"{FILE_VERSION}:{n}:{seed}:{now:%Y-%m-%d}"
    facts_path = path.with_suffix(".facts.json")
    if path.exists() and marker.exists() and marker.read_text() == stamp and facts_path.exists():
        return path, json.loads(facts_path.read_text())
    templates = _templates(now, seed)
    ends = {str(s) for s in END_STATUSES}
    pools: dict[tuple[str, bool], list[dict[str, Any]]] = defaultdict(list)
    for record in templates:
        settling = record["settling_agency"]
        if settling in SPREAD:
            pools[(settling, record["status"] not in ends)].append(record)
    agencies = [a for a in SPREAD if pools[(a, False)] or pools[(a, True)]]
    if not agencies:
        raise SystemExit("W5: the generator made no dossier at the test province's agencies.")
    weights = [SPREAD[a] for a in agencies]
    rng = random.Random(seed)
    pools_by_agency = {code: province.settling_pool(kind) for kind, code in province.WORLD_POOL.items()}
    lines: Counter[str] = Counter()
    applicant: dict[str, Any] = {}
    with path.open("w", encoding="utf-8") as out:
        for index in range(n):
            agency = rng.choices(agencies, weights)[0]
            want_open = rng.random() < OPEN_SHARE
            pool = pools[(agency, want_open)] or pools[(agency, not want_open)]
            template = rng.choice(pool)
            if index % 3 == 0 or not applicant:
                applicant = {**template["applicant"], "id_number": personal_id(rng, year=rng.randint(1950, 2005))}
            record = _clone(template, index, applicant)
            spread = pools_by_agency.get(agency)
            if spread:  # the commune's and Construction's share, spread over the demo-sized province
                target = rng.choice(spread)
                if record["current_agency"] == agency:
                    record["current_agency"] = target
                record["settling_agency"] = target
            state = "open" if record["status"] not in ends else "closed"
            if state == "open" and rng.random() < STUCK_SHARE:
                record = _shift(record, timedelta(weeks=rng.randint(1, STUCK_WEEKS)))
                state = "stuck"
            lines[f"{agency}:{state}"] += 1
            out.write(dumps(record) + "\n")
    facts = {
        "templates": len(templates),
        "templates_by_pool": {f"{a}:{'open' if o else 'closed'}": len(p) for (a, o), p in sorted(pools.items())},
        "lines_by_pool": dict(sorted(lines.items())),
        "until": now.isoformat(),
    }
    facts_path.write_text(json.dumps(facts, ensure_ascii=False))
    marker.write_text(stamp)
    return path, facts


def load(world: Any, n: int) -> dict[str, Any]:
    """Extend the province, import n dossiers (W4's importer), add the catalogue, refresh statistics."""
    from django.db import connection

    from motcua.dossiers.models import Dossier
    from motcua.exchange.importer import Importer, default_workers

    extend_world(world)
    if Dossier.objects.count() >= n:  # a database kept from an earlier run (`run.py --reuse`)
        kept = {"imported": 0, "skipped": 0, "synthesise_s": 0.0, "import_s": 0.0, "catalogue_s": 0.0}
        return {**kept, "procedures": build_catalogue(world), "reused": True}
    common.BENCH_DATA.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    path, facts = synthesise(common.BENCH_DATA / f"w5-{n}.jsonl", n)
    synth_s = time.perf_counter() - started
    started = time.perf_counter()
    with path.open("rb") as handle:
        report = Importer(workers=default_workers()).run(handle)
    import_s = time.perf_counter() - started
    if report.failed:
        raise SystemExit(f"W5: {len(report.failed)} lines failed, first: {report.failed[0].as_dict()}")
    started = time.perf_counter()
    procedures = build_catalogue(world)
    catalogue_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        # Fresh statistics after the bulk load, as autovacuum (PostgreSQL) or `PRAGMA optimize`
        # would give. On PostgreSQL also VACUUM, as after a restore: otherwise autovacuum's
        # pass over the freshly inserted rows runs during the measurement (one of 2 CPUs).
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {
        **facts,
        "imported": report.imported,
        "skipped": report.skipped,
        "synthesise_s": round(synth_s, 2),
        "import_s": round(import_s, 2),
        "catalogue_s": round(catalogue_s, 2),
        "procedures": procedures,
    }


# ---------------------------------------------------------------- the measurement


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _pager_params(request: Any) -> dict[str, str]:
    """Bench-only context processor: an empty `params` for pages that do not pass one."""
    return {"params": ""}


PAGER_WORKAROUND = (
    "portal/partials/pager.html reads `params` (as the argument of `default`), which the search view "
    "does not pass: with more than one page of results the page raised VariableDoesNotExist (a 500). "
    "Measured with a bench-only context processor adding params=''."
)


def _apply_pager_workaround() -> None:
    from django.template import engines

    engine = engines["django"].engine  # type: ignore[attr-defined]
    name = f"{__name__}._pager_params"
    if name not in engine.context_processors:
        engine.context_processors = [*engine.context_processors, name]
        engine.__dict__.pop("template_context_processors", None)  # a cached_property


def _get(client: Any, url: str) -> tuple[Any, str]:
    """GET `url`; (response, "") or (None, why it failed) when the view raised."""
    import logging

    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # the failure is reported below, without Django's traceback
    try:
        return client.get(url), ""
    except Exception as error:
        return None, f"{type(error).__name__}: {error}"[:300]
    finally:
        logger.setLevel(level)


def _workaround_applied() -> bool:
    from django.template import engines

    return f"{__name__}._pager_params" in engines["django"].engine.context_processors  # type: ignore[attr-defined]


class _TimedLog(common.StatementLog):
    """Statements of one request and the time spent waiting for them (the rest is Python)."""

    seconds: float = 0.0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return super().__call__(execute, sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.seconds += elapsed
            if self.capture:
                self.sql[-1] = (f"{elapsed * 1000:7.2f} ms", sql)


def measure(
    client: Any, url: str, *, expect: str = "", trace: bool = False, profile: Path | None = None
) -> dict[str, Any]:
    """WARMUPS then RUNS GETs of `url`: p50, p95 (ms) and statements per request.

    A page that fails (an exception or a status other than 200) is retried once with the
    known pager workaround; the row then says so in `workaround` and `error`.
    """
    extra: dict[str, Any] = {"workaround": PAGER_WORKAROUND} if _workaround_applied() else {}
    for _ in range(WARMUPS):
        response, error = _get(client, url)
        if response is None and "params" in error and not _workaround_applied():
            print(f"  ! GET {url} failed ({error.splitlines()[0][:120]}); retrying with the pager workaround")
            _apply_pager_workaround()
            extra = {"error": error, "workaround": PAGER_WORKAROUND}
            response, error = _get(client, url)
        if response is None:
            raise SystemExit(f"W5: GET {url} failed: {error}")
        if response.status_code != 200:
            raise SystemExit(f"W5: GET {url} answered {response.status_code}.")
        if expect and expect not in response.content.decode():
            raise SystemExit(f"W5: GET {url} did not show {expect!r}.")
    if trace:
        log = _TimedLog(capture=True)
        with common.counting(log):
            client.get(url)
        print(f"  GET {url}: {log.total} statements, {log.seconds * 1000:.1f} ms in the database")
        for took, sql in log.sql:
            print(f"    {took}  {sql[:400]}")
    profiler = cProfile.Profile() if profile else None
    samples: list[float] = []
    db: list[float] = []
    counts: list[int] = []
    for _ in range(RUNS):
        log = _TimedLog()
        with common.counting(log):
            if profiler:
                profiler.enable()
            started = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - started)
            if profiler:
                profiler.disable()
        counts.append(log.total)
        db.append(log.seconds)
        if response.status_code != 200:
            raise SystemExit(f"W5: GET {url} answered {response.status_code} during the measurement.")
    if profiler and profile:
        profiler.dump_stats(str(profile))
        print(f"  cProfile of {url} written to {profile}; top 25 by cumulative time:")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    p50, p95 = _ms(samples)
    return {
        "p50_ms": round(p50, 2),
        "p95_ms": round(p95, 2),
        "db_p50_ms": round(statistics.median(db) * 1000, 2),
        "queries": max(counts),
        "bytes": len(response.content),
        "wall_s": round(sum(samples), 3),
        **extra,
    }


def busiest_agency() -> tuple[Any, int]:
    """The agency holding the most open dossiers, and how many."""
    from django.db.models import Count

    from motcua.dossiers.models import END_STATUSES, Dossier
    from motcua.organizations.models import Agency

    row = (
        Dossier.objects.exclude(status__in=END_STATUSES)
        .values("current_agency_id")
        .annotate(n=Count("id"))
        .order_by("-n", "current_agency_id")
        .first()
    )
    if row is None:
        raise SystemExit("W5: no open dossier after the load.")
    return Agency.objects.get(pk=row["current_agency_id"]), row["n"]


def specialist_of(agency: Any) -> Any:
    from motcua.organizations.models import Membership

    membership = (
        Membership.objects.filter(agency=agency, role="specialist", active=True, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
        .first()
    )
    if membership is None:
        raise SystemExit(f"W5: agency {agency.code} has no specialist.")
    return membership.user


def longest_timeline(actor: Any, *, open_in: Any = None) -> tuple[str, int, str]:
    """(code, events, status) of the dossier with the most events that `actor` may see
    (with `open_in`: among the open dossiers at that agency, i.e. in the officer's queue)."""
    from django.db.models import Count

    from motcua.dossiers.models import END_STATUSES, Dossier, DossierEvent
    from motcua.dossiers.selectors import dossiers_visible_to

    visible = dossiers_visible_to(actor)
    if open_in is not None:
        visible = visible.filter(current_agency=open_in).exclude(status__in=END_STATUSES)
    ids = visible.values("pk")
    row = (
        DossierEvent.objects.filter(dossier_id__in=ids)
        .values("dossier_id")
        .annotate(n=Count("id"))
        .order_by("-n", "-dossier_id")
        .first()
    )
    if row is None:
        raise SystemExit("W5: the specialist sees no dossier.")
    code, status = Dossier.objects.filter(pk=row["dossier_id"]).values_list("code", "status").get()
    return code, row["n"], status


def run(ctx: Any, n: int) -> dict[str, Any]:
    """Load, then time the pages; merge one row per page into the results; return the load row."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import Q
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.http import urlencode

    from motcua.dossiers.models import END_STATUSES, Dossier
    from motcua.organizations.actors import actor_for

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    started = time.perf_counter()
    loaded = load(ctx.world, n)
    load_s = time.perf_counter() - started
    database = common.database_name()

    agency, open_there = busiest_agency()
    officer = specialist_of(agency)
    actor = actor_for(officer)
    code, events, status = longest_timeline(actor)
    open_code, open_events, open_status = longest_timeline(actor, open_in=agency)
    citizen = get_user_model().objects.get(pk=ctx.world.citizen.user_id)
    in_queue = Dossier.objects.exclude(status__in=END_STATUSES).filter(Q(current_agency_id__in=actor.agency_ids()))
    queue_total = in_queue.count()
    overdue = in_queue.filter(due_at__lt=timezone.now()).count()

    pages: list[tuple[str, Any, str, str]] = [
        ("queue", officer, reverse("portal:queue"), "portal:queue (default filters)"),
        ("dossier", officer, reverse("portal:office-dossier", kwargs={"code": code}), "portal:office-dossier"),
        (
            "dossier (open)",
            officer,
            reverse("portal:office-dossier", kwargs={"code": open_code}),
            "portal:office-dossier",
        ),
    ]
    for q in SEARCHES:
        pages.append((f"search {q!r}", citizen, f"{reverse('portal:search')}?{urlencode({'q': q})}", "portal:search"))
    # public tracking, not signed in, of the open dossier (its code as a QR code links it)
    pages.append(("track", None, reverse("portal:track-code", kwargs={"code": open_code}), "portal:track-code"))

    rows: list[dict[str, Any]] = []
    for page, user, url, view in pages:
        client = Client()
        if user is not None:
            client.force_login(user)
        profile = None
        if ctx.profile is not None:
            slug = page.replace(" ", "-").replace("'", "")
            profile = ctx.profile.with_name(f"{ctx.profile.stem}-{slug}.prof")
        expect = {"dossier": code, "dossier (open)": open_code, "track": open_code}.get(page, "")
        found = measure(client, url, expect=expect, trace=ctx.trace, profile=profile)
        rows.append(
            {
                "workload": CODE,
                "name": f"{view}: {page}",
                "database": database,
                "n": n,
                "page": page,
                "url": url,
                **found,
                "target": TARGET,
                "meets_target": found["p95_ms"] <= TARGET_MS,
            }
        )
        print(
            f"  {page:<18} p50 {found['p50_ms']:7.1f} ms  p95 {found['p95_ms']:7.1f} ms  "
            f"{found['queries']} queries ({found['db_p50_ms']:.1f} ms in the database, p50)"
        )
    context = {
        "busiest_agency": agency.code,
        "open_at_busiest_agency": open_there,
        "queue_dossiers": queue_total,
        "queue_overdue": overdue,
        "dossier_code": code,
        "dossier_events": events,
        "dossier_status": status,
        "open_dossier_code": open_code,
        "open_dossier_events": open_events,
        "open_dossier_status": open_status,
        # the machine is shared: the load average at the end of the measurement says how busy it was
        "loadavg_1m": round(os.getloadavg()[0], 2),
        "dossiers": Dossier.objects.count(),
    }
    for row in rows:
        row.update(context)
        row.update(common.row_facts())
    print()
    print(format_table(rows))
    if ctx.profile is None:
        common.write_results(common.merge_results(common.load_results(), rows))
    worst = max(rows, key=lambda r: r["p95_ms"])
    return {
        "workload": LOAD_CODE,
        "name": "W5 load (pages in the W5 rows)",
        "n": n,
        **loaded,
        **context,
        "load_s": round(load_s, 2),
        "wall_s": round(sum(r["wall_s"] for r in rows), 3),
        "dossiers_per_s": round(loaded["imported"] / loaded["import_s"], 1) if loaded["import_s"] else None,
        "worst_page": worst["page"],
        "worst_p95_ms": worst["p95_ms"],
        "target": TARGET,
    }


PAGE_COLUMNS = (
    ("workload", "workload", "{}"),
    ("database", "database", "{}"),
    ("n", "n", "{:,}"),
    ("page", "page", "{}"),
    ("p50_ms", "p50 ms", "{:.1f}"),
    ("p95_ms", "p95 ms", "{:.1f}"),
    ("queries", "queries", "{}"),
    ("db_p50_ms", "db p50 ms", "{:.1f}"),
    ("meets_target", "p95 <= 100", "{}"),
)


def format_table(rows: list[dict[str, Any]]) -> str:
    """The W5 rows as a plain text table."""
    cells = [[title for _, title, _ in PAGE_COLUMNS]]
    for row in rows:
        cells.append(["-" if row.get(key) is None else fmt.format(row[key]) for key, _, fmt in PAGE_COLUMNS])
    widths = [max(len(line[i]) for line in cells) for i in range(len(PAGE_COLUMNS))]
    out = []
    for index, line in enumerate(cells):
        out.append(
            "  ".join(
                cell.ljust(w) if i in (0, 1, 3) else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(line, widths, strict=True))
            )
        )
        if index == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def main() -> int:
    """Print the W5 rows already in bench/results/latest.json."""
    rows = [row for row in common.load_results() if row.get("workload") == CODE]
    print(format_table(rows) if rows else "No W5 rows yet: run `bench/run.py --workloads w5`.")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
