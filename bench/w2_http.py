"""W2, the HTTP lifecycle (issue 13, item 3): W1's lifecycle through the public API, served
by a real gunicorn process, against the engine's own rate measured in the same run.

The server is `gunicorn motcua.config.wsgi` with the production settings (debug off, a
random secret key, `WORKERS` sync workers) on a loopback port, on the bench's database. Its
configuration (`bench/w2_gunicorn.py`) only counts, per request, the SQL statements sent and
the worker's CPU time. Clients are threads of the bench process speaking plain HTTP/1.1
(`http.client`), 1 and then 4 at a time, each carrying dossiers one after another:

    POST /api/v1/dossiers                    the national portal's token files it online
    POST /api/v1/dossiers/{code}/receive     reception; every 10th is refused instead (refuse)
    POST …/start_processing                  reception
    POST …/finish                            the leader
    POST …/return_result                     reception

Every request carries an `Idempotency-Key`, and every command the version the previous answer
gave (`expected_version`). Tokens are connected-system tokens made by `api_token_create`: the
portal's under its service account, the officers' recorded under their own accounts (an
officer's desk application), so that they act with the officers' roles.

Engine (W1's `lifecycle` in this process), 1 client and 4 clients take turns in `ROUNDS`
rounds, so that a load passing on the shared machine slows them alike. Reported: dossiers/s
per client count and its ratio to the engine's, each command's p50/p95 at 1 client (as the
client sees it, and inside the server), server CPU per dossier (the workers' CPU, from the
per-request counter and from /proc), and statements per command against the engine's.

The floor: in each round, `FLOOR_REQUESTS` times `GET /healthz` from one client, the same way
(a new connection per request): the cheapest answer the same server gives through the same
middleware, with one database round trip. From it, `ratio_ceiling` is the ratio to the engine
the HTTP lifecycle would reach at 1 client if each of its requests cost the engine's work plus
one such round trip and nothing else:
engine ms per dossier ÷ (engine ms per dossier + requests per dossier × floor ms).
It says what the API layer's own cost can win at most on the machine of the run.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import w1
from common import BENCH_DATA, ROOT, SRC, StatementLog, counting

CODE = "W2"
NAME = "HTTP lifecycle"
DEFAULT_N = 200
QUICK_N = 40
ROUNDS = 2
WORKERS = 2  # one per CPU of the machine the figures in bench/README.md come from
CLIENT_COUNTS = (1, 4)
COMMANDS = ("create", "receive", "refuse", "start_processing", "finish", "return_result")
#: W1's label of the engine's command each HTTP command stands for.
ENGINE_LABEL = {"create": "submit"}
#: Health checks timed per round for the floor (see the module's docstring).
FLOOR_REQUESTS = 200
TARGETS = (
    "dossiers/s at 1 client >= 0.5 of the engine's in the same run; p95 <= 15 ms per command at 1 client; "
    "statements per command <= the engine's + 3"
)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def database_url() -> str:
    """The URL of the database this process uses (the server must use the same one)."""
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


# ---------------------------------------------------------------- the server


@dataclass
class Server:
    """A gunicorn process on a loopback port, and the log its workers write per request."""

    port: int = 0
    log: Path = field(default_factory=lambda: BENCH_DATA / f"w2-requests-{os.getpid()}.log")
    process: subprocess.Popen[bytes] | None = None

    def start(self, url: str, workers: int = WORKERS) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        BENCH_DATA.mkdir(parents=True, exist_ok=True)
        self.log.unlink(missing_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
        env.update(
            {
                "PYTHONPATH": str(SRC),
                "DJANGO_SETTINGS_MODULE": "motcua.config.settings",
                "DATABASE_URL": url,
                "MOTCUA_DEBUG": "0",
                "MOTCUA_SECRET_KEY": secrets.token_urlsafe(50),
                "MOTCUA_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "MOTCUA_SSL_REDIRECT": "0",  # plain HTTP on loopback, as behind a TLS proxy
                "MOTCUA_LOG_LEVEL": "WARNING",
                "MOTCUA_MAX_SUBMISSIONS_PER_DAY": "100000000",  # one applicant files every dossier
                "MOTCUA_BENCH_REQUEST_LOG": str(self.log),
            }
        )
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "motcua.config.wsgi",
            "-c",
            str(Path(__file__).parent / "w2_gunicorn.py"),
        ]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", str(workers), "--log-level", "warning"]
        self.process = subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603 - gunicorn from our own venv
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError("gunicorn did not listen within 60 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.log.unlink(missing_ok=True)

    def cpu_seconds(self) -> float:
        """User + system CPU of the master and its workers so far (Linux /proc; 0 elsewhere)."""
        if self.process is None or not Path("/proc").exists():
            return 0.0
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        pids = [pid, *(int(p) for p in (children.read_text().split() if children.exists() else []))]
        total = 0
        for each in pids:
            try:
                fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
        return total / os.sysconf("SC_CLK_TCK")

    def log_size(self) -> int:
        return self.log.stat().st_size if self.log.exists() else 0

    def requests(self, start: int, end: int) -> list[tuple[str, int, int, int, int]]:
        """(command, status, statements, cpu µs, wall µs) of the requests logged between two sizes."""
        if not self.log.exists():
            return []
        with self.log.open("rb") as handle:
            handle.seek(start)
            text = handle.read(end - start).decode()
        rows = []
        for line in text.splitlines():
            method, path, status, statements, cpu, wall = line.split()
            parts = path.strip("/").split("/")  # api, v1, dossiers[, code, command]
            command = "create" if len(parts) == 3 and method == "POST" else parts[-1] if len(parts) == 5 else path
            rows.append((command, int(status), int(statements), int(cpu), int(wall)))
        return rows


# ---------------------------------------------------------------- the clients


@dataclass(frozen=True)
class Tokens:
    portal: str
    reception: str
    leader: str


def make_tokens(world: Any) -> Tokens:
    from django.contrib.auth import get_user_model

    from motcua.api.services import api_token_create

    users = get_user_model().objects

    def for_user(user_id: int | None, name: str) -> str:
        user = users.get(pk=user_id) if user_id is not None else None
        return api_token_create(system="national_portal", name=name, user=user)[1]

    return Tokens(
        portal=for_user(None, "W2 national portal"),
        reception=for_user(world.reception.user_id, "W2 reception desk"),
        leader=for_user(world.leader.user_id, "W2 leader desk"),
    )


def filing(world: Any) -> dict[str, Any]:
    """The body the portal sends: W1's three components, as metadata of uploaded scans."""
    version = w1._version(world)
    return {
        "procedure": version.procedure.code,
        "channel": "online",
        "source": "national_portal",
        "applicant": {"id_number": world.citizen_person.id_number, "full_name": world.citizen_person.full_name},
        "form_data": {"purpose": "Xin việc", "copies_requested": 1},
        "components": [
            {k: getattr(c, k) for k in ("name", "required_document_id", "copies", "digitized", "file_name")}
            | {"content_type": c.content_type, "size_bytes": c.size_bytes, "sha256": c.sha256}
            for c in w1._components(version)
        ],
    }


def call(port: int, token: str, path: str, body: dict[str, Any], expect: int = 200) -> tuple[dict[str, Any], float]:
    """One POST with a fresh Idempotency-Key: (the answer, seconds as the client saw it)."""
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Idempotency-Key": uuid.uuid4().hex,
    }
    data, elapsed = _send(port, "POST", path, expect, json.dumps(body).encode(), headers)
    return json.loads(data), elapsed


def _send(
    port: int, method: str, path: str, expect: int, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[bytes, float]:
    """One request on a new connection, as every W2 client sends it: (the body, seconds)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    elapsed = time.perf_counter() - started
    if response.status != expect:
        raise RuntimeError(f"{method} {path} answered {response.status}: {data[:500]!r}")
    return data, elapsed


def floor(port: int, requests: int) -> list[float]:
    """Seconds of each of `requests` `GET /healthz`, one after another, sent as `call` sends."""
    return [_send(port, "GET", "/healthz", 200)[1] for _ in range(requests)]


def http_lifecycle(index: int, port: int, tokens: Tokens, body: dict[str, Any], seen: list[tuple[str, float]]) -> int:
    """One dossier through the API, from filing to its end; returns how many requests it took."""
    answer, seconds = call(port, tokens.portal, "/api/v1/dossiers", body, expect=201)
    seen.append(("create", seconds))
    path = f"/api/v1/dossiers/{answer['code']}"
    steps: list[tuple[str, str, dict[str, Any]]] = []
    if index % w1.REFUSE_EVERY == w1.REFUSE_EVERY - 1:
        # refused by reception's check before receipt, as in W1
        steps.append(("refuse", tokens.reception, {"reason": "Hồ sơ không thuộc thẩm quyền giải quyết."}))
    else:
        receive = {"outside_hours_reason": w1.OUTSIDE_HOURS_REASON}
        steps += [("receive", tokens.reception, receive), ("start_processing", tokens.reception, {})]
        steps.append(("finish", tokens.leader, {}))
        steps.append(("return_result", tokens.reception, {}))
    for command, token, extra in steps:
        answer, seconds = call(port, token, f"{path}/{command}", {"expected_version": answer["version"], **extra})
        seen.append((command, seconds))
    return 1 + len(steps)


def drive(
    port: int, tokens: Tokens, body: dict[str, Any], indexes: list[int], clients: int
) -> tuple[float, list[tuple[str, float]]]:
    """Carry `indexes` through the API with `clients` parallel clients: (wall s, client timings)."""
    seen: list[tuple[str, float]] = []
    failures: list[BaseException] = []

    def client(mine: list[int]) -> None:
        local: list[tuple[str, float]] = []
        try:
            for index in mine:
                http_lifecycle(index, port, tokens, body, local)
        except BaseException as exc:  # reported below, in the measuring thread
            failures.append(exc)
        seen.extend(local)

    threads = [threading.Thread(target=client, args=(indexes[k::clients],)) for k in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if failures:
        raise failures[0]
    return wall, seen


# ---------------------------------------------------------------- the run


@dataclass
class Phase:
    """What one way of carrying dossiers (engine, or HTTP at some client count) accumulated."""

    dossiers: int = 0
    wall: float = 0.0
    server_cpu: float = 0.0
    client: list[tuple[str, float]] = field(default_factory=list)
    server: list[tuple[str, int, int, int, int]] = field(default_factory=list)


def _engine_round(world: Any, version: Any, components: list[Any], indexes: list[int], log: StatementLog) -> float:
    with counting(log):
        started = time.perf_counter()
        for index in indexes:
            w1.lifecycle(index, world, version, components, log)
        return time.perf_counter() - started


def run(ctx: Any, n: int) -> dict[str, Any]:
    world = ctx.world
    version = w1._version(world)
    components = w1._components(version)
    tokens = make_tokens(world)
    body = filing(world)
    server = Server()
    server.start(database_url())
    engine, log = Phase(), StatementLog()
    http = {clients: Phase() for clients in CLIENT_COUNTS}
    health: list[float] = []
    try:
        # Warm-up, not measured: every worker loads its caches; the engine fills this process's.
        drive(server.port, tokens, body, list(range(4 * WORKERS)), WORKERS)
        _engine_round(world, version, components, list(range(10)), StatementLog())
        bounds = [n * r // ROUNDS for r in range(ROUNDS + 1)]
        for first, last in itertools.pairwise(bounds):
            indexes = list(range(first, last))
            engine.wall += _engine_round(world, version, components, indexes, log)
            engine.dossiers += len(indexes)
            for clients, phase in http.items():
                size, cpu = server.log_size(), server.cpu_seconds()
                wall, seen = drive(server.port, tokens, body, indexes, clients)
                time.sleep(0.05)  # the last request's log line is written after its answer
                phase.server_cpu += server.cpu_seconds() - cpu
                phase.server += server.requests(size, server.log_size())
                phase.wall += wall
                phase.dossiers += len(indexes)
                phase.client += seen
            health += floor(server.port, FLOOR_REQUESTS)
    finally:
        server.stop()
    return _row(n, engine, log, http, health)


def _row(n: int, engine: Phase, log: StatementLog, http: dict[int, Phase], health: list[float]) -> dict[str, Any]:
    engine_rate = engine.dossiers / engine.wall
    runs = {label: count for label, count in _engine_runs(engine.dossiers).items() if count}
    engine_statements = {label: round(log.by_label[label] / count, 2) for label, count in runs.items()}
    row: dict[str, Any] = {
        "workload": CODE,
        "name": NAME,
        "n": n,
        "wall_s": round(engine.wall + sum(p.wall for p in http.values()), 3),
        "dossiers_per_s": round(http[1].dossiers / http[1].wall, 2),
        "engine_dossiers_per_s": round(engine_rate, 2),
        "server_workers": WORKERS,
        "rounds": ROUNDS,
        "target": TARGETS,
        "engine_statements_per_command": engine_statements,
        "clients": {},
    }
    for clients, phase in http.items():
        rate = phase.dossiers / phase.wall
        by_command: dict[str, dict[str, Any]] = {}
        for command in COMMANDS:
            client = [s * 1000 for c, s in phase.client if c == command]
            served = [r for r in phase.server if r[0] == command]
            if not client:
                continue
            statements = sum(r[2] for r in served) / len(served) if served else None
            engine_count = engine_statements.get(ENGINE_LABEL.get(command, command))
            by_command[command] = {
                "client_p50_ms": round(_percentile(client, 0.50), 2),
                "client_p95_ms": round(_percentile(client, 0.95), 2),
                "server_p50_ms": round(_percentile([r[4] / 1000 for r in served], 0.50), 2),
                "server_p95_ms": round(_percentile([r[4] / 1000 for r in served], 0.95), 2),
                "server_cpu_ms": round(sum(r[3] for r in served) / 1000 / len(served), 2) if served else None,
                "statements": round(statements, 2) if statements is not None else None,
                "engine_statements": engine_count,
            }
        row["clients"][str(clients)] = {
            "dossiers_per_s": round(rate, 2),
            "ratio_to_engine": round(rate / engine_rate, 4),
            "server_cpu_ms_per_dossier": round(phase.server_cpu * 1000 / phase.dossiers, 2),
            "server_request_cpu_ms_per_dossier": round(sum(r[3] for r in phase.server) / 1000 / phase.dossiers, 2),
            "non_2xx": sum(1 for r in phase.server if r[1] >= 300),
            "commands": by_command,
        }
    row["ratio_to_engine"] = row["clients"]["1"]["ratio_to_engine"]
    if health:
        floor_ms = sum(health) * 1000 / len(health)
        engine_ms = 1000 / engine_rate
        requests = len(http[1].client) / http[1].dossiers
        row["floor"] = {
            "request": "GET /healthz",
            "requests": len(health),
            "mean_ms": round(floor_ms, 3),
            "p50_ms": round(_percentile([s * 1000 for s in health], 0.50), 3),
            "requests_per_dossier": round(requests, 2),
            "engine_ms_per_dossier": round(engine_ms, 3),
        }
        row["ratio_ceiling"] = round(engine_ms / (engine_ms + requests * floor_ms), 4)
    return row


def _engine_runs(dossiers: int) -> dict[str, int]:
    refused = sum(1 for index in range(dossiers) if index % w1.REFUSE_EVERY == w1.REFUSE_EVERY - 1)
    carried = dossiers - refused
    return {
        "submit": dossiers,
        "receive": carried,
        "refuse": refused,
        "start_processing": carried,
        "finish": carried,
        "return_result": carried,
    }
