"""Where a bearer-token command of W2 spends its CPU, in-process (no server, no network).

W2's lifecycle (`bench/w2_http.py`: create → receive → start_processing → finish →
return_result, every 10th refused) is sent straight to `motcua.config.wsgi.application` with
WSGI environs shaped as gunicorn builds them, each with a bearer token and a fresh
Idempotency-Key, under the production settings (debug off). It prints the CPU time per
command (without the profiler), then cProfile's cumulative figures of the layers a request
crosses, per request, and the top functions by own time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_prof .venv/bin/python bench/w2_profile.py [N]

The database is migrated and the test province built in it (use a database of its own).
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import secrets
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "src"), str(HERE)]
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "motcua.config.settings",
        "MOTCUA_DEBUG": "0",
        "MOTCUA_SECRET_KEY": secrets.token_urlsafe(50),
        "MOTCUA_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MOTCUA_SSL_REDIRECT": "0",
        "MOTCUA_LOG_LEVEL": "WARNING",
        "MOTCUA_MAX_SUBMISSIONS_PER_DAY": "100000000",
        "MOTCUA_RATE_EFORM_PER_MINUTE": "100000",
    }
)

#: Layers of a request: (label, file fragment (a path without its suffix), function names or None for the whole file,
#: file fragment and names whose time is taken out). A layer's time is the cumulative time
#: its functions got from callers outside the layer, less that of the inner layer named.
LAYERS: list[tuple[str, str, frozenset[str] | None, tuple[str, frozenset[str] | None] | None]] = [
    ("whole request (WSGI application)", "config/wsgi", frozenset({"application"}), None),
    (
        "  WSGI handler outside the chain",
        "config/wsgi",
        frozenset({"application"}),
        ("handlers/base", frozenset({"get_response"})),
    ),
    (
        "  middleware (outside the view)",
        "handlers/base",
        frozenset({"get_response"}),
        ("ninja/operation", frozenset({"_sync_view"})),
    ),
    ("    of it: URL resolution", "handlers/base", frozenset({"resolve_request"}), None),
    ("    of it: CSP headers", "csp/middleware", None, None),
    (
        "  ninja operation outside the view",
        "ninja/operation",
        frozenset({"_sync_view"}),
        ("dossiers/api", frozenset({"endpoint", "dossier_create"})),
    ),
    ("    of it: token auth", "ninja/operation", frozenset({"_run_authentication"}), None),
    ("    of it: body parse + pydantic", "ninja/operation", frozenset({"_get_values"}), None),
    ("    of it: response schema + renderer", "ninja/operation", frozenset({"_result_to_response"}), None),
    ("  view (dossiers/api.py)", "dossiers/api", frozenset({"endpoint", "dossier_create"}), None),
    (
        "    of it: idempotency (own)",
        "dossiers/idempotency",
        frozenset({"run_idempotent"}),
        ("dossiers/api", frozenset({"command"})),
    ),
    ("    of it: dossier read (dossier_for)", "dossiers/selectors", frozenset({"dossier_for"}), None),
    ("    of it: services (dossier_*)", "dossiers/services", None, None),
    ("    of it: the answer (_answer, _created)", "dossiers/api", frozenset({"_answer", "_created"}), None),
    ("  request_started/finished signals", "dispatch/dispatcher", frozenset({"send"}), None),
    ("  logging", "logging/__init__", None, None),
]


def environ(method: str, path: str, token: str, body: dict[str, Any]) -> dict[str, Any]:
    payload = json.dumps(body).encode()
    return {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "RAW_URI": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": "40000",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_ACCEPT_ENCODING": "identity",
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "HTTP_IDEMPOTENCY_KEY": uuid.uuid4().hex,
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(payload)),
        "wsgi.input": io.BytesIO(payload),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def post(app: Any, token: str, path: str, body: dict[str, Any], expect: int) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], *args: Any) -> None:
        seen["status"] = int(status.split(" ", 1)[0])

    chunks = app(environ("POST", path, token, body), start_response)
    content = b"".join(chunks)
    getattr(chunks, "close", lambda: None)()
    if seen["status"] != expect:
        raise RuntimeError(f"{path}: {seen['status']} {content[:300]!r}")
    return json.loads(content)  # type: ignore[no-any-return]


def lifecycle(app: Any, index: int, tokens: Any, body: dict[str, Any], cpu: dict[str, list[float]]) -> int:
    import w1

    started = time.process_time()
    answer = post(app, tokens.portal, "/api/v1/dossiers", body, 201)
    cpu["create"].append(time.process_time() - started)
    path = f"/api/v1/dossiers/{answer['code']}"
    if index % w1.REFUSE_EVERY == w1.REFUSE_EVERY - 1:
        steps = [("refuse", tokens.reception, {"reason": "Hồ sơ không thuộc thẩm quyền giải quyết."})]
    else:
        steps = [
            ("receive", tokens.reception, {"outside_hours_reason": w1.OUTSIDE_HOURS_REASON}),
            ("start_processing", tokens.reception, {}),
            ("finish", tokens.leader, {}),
            ("return_result", tokens.reception, {}),
        ]
    for command, token, extra in steps:
        started = time.process_time()
        answer = post(app, token, f"{path}/{command}", {"expected_version": answer["version"], **extra}, 200)
        cpu[command].append(time.process_time() - started)
    return 1 + len(steps)


def _layer_time(table: dict[Any, Any], fragment: str, names: frozenset[str] | None) -> float:
    def inside(key: tuple[str, int, str]) -> bool:
        return fragment in key[0] and (names is None or key[2] in names)

    return sum(
        edge[3]
        for key, (_cc, _nc, _tt, _ct, callers) in table.items()
        if inside(key)
        for caller, edge in callers.items()
        if not inside(caller)
    )


def layers(stats: pstats.Stats, requests: int) -> list[tuple[str, float]]:
    table = stats.stats  # type: ignore[attr-defined]
    out = []
    for label, fragment, names, inner in LAYERS:
        total = _layer_time(table, fragment, names)
        if inner is not None:
            total -= _layer_time(table, *inner)
        out.append((label, total * 1000 / requests))
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0, interactive=False)
    from motcua.testing.world import build_world

    world = build_world()
    import w2_http

    tokens, body = w2_http.make_tokens(world), w2_http.filing(world)
    from motcua.config.wsgi import application

    warm: dict[str, list[float]] = defaultdict(list)
    for index in range(10):
        lifecycle(application, index, tokens, body, warm)
    cpu: dict[str, list[float]] = defaultdict(list)
    for index in range(10, 10 + n):
        lifecycle(application, index, tokens, body, cpu)
    print(f"CPU per command, no profiler, n = {n}:")
    for command, values in cpu.items():
        print(f"  {command:18s} {sum(values) * 1000 / len(values):6.2f} ms  ({len(values)} requests)")
    everything = [v for values in cpu.values() for v in values]
    print(f"  {'all':18s} {sum(everything) * 1000 / len(everything):6.2f} ms")
    profiled: dict[str, list[float]] = defaultdict(list)
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    requests = sum(lifecycle(application, index, tokens, body, profiled) for index in range(10 + n, 10 + 2 * n))
    profiler.disable()
    stats = pstats.Stats(profiler)
    print(f"\nProfiled ({requests} requests), cumulative ms per request (profiler overhead included):")
    for label, ms in layers(stats, requests):
        print(f"  {label:42s} {ms:6.2f}")
    from common import BENCH_DATA

    out = BENCH_DATA / "w2-profile.prof"
    out.parent.mkdir(parents=True, exist_ok=True)
    stats.dump_stats(out)
    print(f"\nTop by own time (dump: {out}):")
    stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
