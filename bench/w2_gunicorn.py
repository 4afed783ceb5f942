"""Gunicorn configuration of the W2 benchmark's server (`bench/w2_http.py`), used only there.

It adds nothing to what a request does but counting: each worker wraps its database connection
(`connection.execute_wrapper`, installed once per worker) to count the statements each request
sends, and reads the worker's CPU time before and after each request. One line per request is
appended to the file named by MOTCUA_BENCH_REQUEST_LOG:

    <method> <path> <status> <statements> <cpu µs> <wall µs>

Sync workers serve one request at a time in one thread, so the process CPU time between
`pre_request` and `post_request` is that request's (response writing included).
"""

from __future__ import annotations

import os
import time
from typing import Any

_LOG = os.environ.get("MOTCUA_BENCH_REQUEST_LOG", "")
_state: dict[str, Any] = {"statements": 0, "cpu": 0.0, "wall": 0.0}


def _count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    _state["statements"] += 1
    return execute(sql, params, many, context)


def post_worker_init(worker: Any) -> None:
    from django.db import connection

    connection.execute_wrappers.append(_count)


def pre_request(worker: Any, req: Any) -> None:
    _state["statements"] = 0
    _state["cpu"] = time.process_time()
    _state["wall"] = time.perf_counter()


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    cpu_us = int((time.process_time() - _state["cpu"]) * 1e6)
    wall_us = int((time.perf_counter() - _state["wall"]) * 1e6)
    status = str(resp.status).split(" ", 1)[0]
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(f"{req.method} {req.path} {status} {_state['statements']} {cpu_us} {wall_us}\n")
