"""MotCua's attack and fault campaign (`make audit`): the long runs the test suite keeps short.

    .venv/bin/python audit/run.py [--parts api,workers] [--requests 10000] [--kills 20]
                                  [--database postgres|sqlite]

Part `api`: a fresh database with the demo province, a real server process (gunicorn with the
production settings: debug off, a random secret key) on a loopback port, and Schemathesis
generating requests from the served OpenAPI document, authenticated in turn as each kind of
user (citizen, reception officer, specialist, leader, manager, administrator, the national
portal's connected system, and nobody). The server's own access log is the count: the run
goes on, round after round with new seeds, until the server has answered at least
`--requests` requests, and fails if any answer was a 5xx.

Part `workers`: background tasks under load while worker processes are killed with SIGKILL
(`--kills` times); every task must end exactly once (`audit/workers.py`).

Both parts only talk to 127.0.0.1 and stop by themselves. Figures are printed and saved to
`data/audit/latest.json`.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
DATA = ROOT / "data" / "audit"
PYTHON = sys.executable
PG_SERVER = os.environ.get("MOTCUA_AUDIT_PG", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = os.environ.get("MOTCUA_AUDIT_DB", "motcua_audit")

#: username in the demo province -> the kind of user it stands for.
PERSONAS = {
    "congdan.an": "citizen",
    "tiepnhan.tinh": "reception officer",
    "chuyenvien.stp": "specialist",
    "lanhdao.stp": "leader",
    "quanly.tinh": "manager",
    "admin": "administrator",
}
#: The most rounds (each identity once) the API part runs before it gives up reaching --requests.
MAX_ROUNDS = 12
#: Schemathesis examples per operation and run: each identity's run is short, and the rounds
#: go on with new seeds until the server has answered --requests.
EXAMPLES = 2


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="MotCua's attack and fault campaign.")
    parser.add_argument("--parts", default="api,workers", help="comma-separated: api, workers")
    parser.add_argument("--requests", type=int, default=10_000, help="API requests the server must answer")
    parser.add_argument("--kills", type=int, default=20, help="worker processes killed with SIGKILL")
    parser.add_argument("--database", choices=("postgres", "sqlite"), default="postgres")
    args = parser.parse_args(argv)
    args.part_list = [p.strip() for p in args.parts.split(",") if p.strip()]
    wrong = [p for p in args.part_list if p not in ("api", "workers")]
    if wrong or not args.part_list:
        parser.error(f"unknown part(s) {', '.join(wrong) or '(none)'}; choose from api, workers")
    if args.requests < 1 or args.kills < 0:
        parser.error("--requests must be at least 1 and --kills at least 0")
    return args


# ---------------------------------------------------------------- environment


def fresh_database(kind: str) -> str:
    """The DATABASE_URL of a new, empty database for the campaign."""
    DATA.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        path = DATA / "audit.sqlite3"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_DATABASE}")
    return f"{PG_SERVER}/{PG_DATABASE}"


def production_env(database_url: str) -> dict[str, str]:
    """The environment of a production process: debug off, a secret key of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    env.update(
        {
            "PYTHONPATH": str(SRC),
            "DJANGO_SETTINGS_MODULE": "motcua.config.settings",
            "DATABASE_URL": database_url,
            "MOTCUA_DEBUG": "0",
            "MOTCUA_SECRET_KEY": secrets.token_urlsafe(50),
            "MOTCUA_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "MOTCUA_LOG_LEVEL": "ERROR",  # 4xx answers are expected by the thousand
            "MOTCUA_MEDIA_ROOT": str(DATA / "media"),
        }
    )
    # The campaign is one client generating thousands of requests a second: the abuse limits
    # (per address and per citizen) would answer 429 to most of them and hide the code behind.
    for name in ("RATE_TRACKING_PER_MINUTE", "RATE_SEARCH_PER_MINUTE", "RATE_EFORM_PER_MINUTE"):
        env[f"MOTCUA_{name}"] = "1000000"
    env["MOTCUA_MAX_SUBMISSIONS_PER_DAY"] = "1000000"
    env["MOTCUA_MAX_OPEN_DRAFTS"] = "1000000"
    # Plain HTTP on loopback, as behind a TLS proxy: no redirect to https.
    env["MOTCUA_SSL_REDIRECT"] = "0"
    return env


def manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [PYTHON, str(ROOT / "manage.py"), *args], env=env, check=True, capture_output=capture, text=True
    )
    return result.stdout if capture else ""


CREDENTIALS_SCRIPT = """
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from motcua.api.services import api_token_create
users = get_user_model().objects
csrf = "c" * 32  # the CSRF cookie and header must agree
out = {}
for username in %(usernames)r:
    user = users.get(username=username)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"
    out[username] = [f"Cookie: {cookie}", f"X-CSRFToken: {csrf}"]
_, secret = api_token_create(system="national_portal", name="audit")
out["national_portal"] = [f"Authorization: Bearer {secret}"]
print(json.dumps(out))
"""


def api_credentials(env: dict[str, str]) -> dict[str, list[str]]:
    """The headers each identity sends: people a logged-in session (as the pages do), the
    national portal a token of its connected system (people have no tokens)."""
    script = CREDENTIALS_SCRIPT % {"usernames": list(PERSONAS)}
    return json.loads(manage(env, "shell", "-c", script, capture=True).strip().splitlines()[-1])  # type: ignore[no-any-return]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"the server did not listen on 127.0.0.1:{port} within {seconds:.0f} s")


# ---------------------------------------------------------------- part: api


def count_log(path: Path) -> tuple[int, collections.Counter[int], list[str]]:
    """(requests answered, answers by status, the lines of the 5xx answers) from the access log."""
    statuses: collections.Counter[int] = collections.Counter()
    errors: list[str] = []
    if not path.exists():
        return 0, statuses, errors
    for line in path.read_text(errors="replace").splitlines():
        status = line.partition(" ")[0]
        if not status.isdigit():
            continue
        statuses[int(status)] += 1
        if int(status) >= 500:
            errors.append(line)
    return sum(statuses.values()), statuses, errors


def run_api(args: argparse.Namespace) -> dict[str, Any]:
    env = production_env(fresh_database(args.database))
    print(f"== api: migrate and load the demo province ({args.database})", flush=True)
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "load_demo", "-v", "0")
    manage(env, "collectstatic", "--no-input", "-v", "0")
    credentials = api_credentials(env)
    port = free_port()
    log = DATA / "access.log"
    log.unlink(missing_ok=True)
    server = subprocess.Popen(  # noqa: S603 - gunicorn from our own venv
        [
            PYTHON, "-m", "gunicorn", "motcua.config.wsgi", "--bind", f"127.0.0.1:{port}",
            "--workers", "2", "--threads", "2", "--timeout", "60",
            "--access-logfile", str(log), "--access-logformat", "%(s)s %(m)s %(U)s",
        ],
        env=env, cwd=ROOT,
    )  # fmt: skip
    per_persona: dict[str, int] = collections.defaultdict(int)
    rounds = 0
    try:
        wait_for_port(port)
        schema = f"http://127.0.0.1:{port}/api/v1/openapi.json"
        # `audit/hooks.py`: commands carry a version, so they reach the dossier look-up.
        hooks_env = {**env, "PYTHONPATH": f"{SRC}{os.pathsep}{Path(__file__).resolve().parent}"}
        hooks_env["SCHEMATHESIS_HOOKS"] = "hooks"
        identities = [*((name, credentials[name]) for name in [*PERSONAS, "national_portal"]), ("anonymous", [])]
        answered = 0
        while rounds < MAX_ROUNDS and (rounds == 0 or answered < args.requests):
            rounds += 1
            for name, headers in identities:
                before = count_log(log)[0]
                command = [
                    str(Path(PYTHON).parent / "schemathesis"), "run", schema, "--checks", "not_a_server_error",
                    "--max-examples", str(EXAMPLES), "--seed", str(1000 * rounds + len(name)), "--workers", "2",
                    "--no-color", "--request-timeout", "30", "--suppress-health-check", "all",
                    "--generation-database", "none",
                ]  # fmt: skip
                for header in headers:
                    command += ["--header", header]
                subprocess.run(command, env=hooks_env, cwd=ROOT, check=False, stdout=subprocess.DEVNULL)  # noqa: S603
                answered = count_log(log)[0]
                per_persona[name] += answered - before
                print(f"   round {rounds}, {name}: {answered} requests answered so far", flush=True)
                if answered >= args.requests and rounds > 1:  # the first round runs every identity
                    break
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    total, statuses, errors = count_log(log)
    return {
        "part": "api",
        "database": args.database,
        "requests": total,
        "target_requests": args.requests,
        "rounds": rounds,
        "by_identity": dict(per_persona),
        "by_status": {str(k): v for k, v in sorted(statuses.items())},
        "server_errors": len(errors),
        "server_error_lines": errors[:50],
        "ok": total >= args.requests and not errors,
    }


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    results: list[dict[str, Any]] = []
    if "api" in args.part_list:
        results.append(run_api(args))
    if "workers" in args.part_list:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import workers

        results.append(workers.run(args, production_env(fresh_database(args.database)), manage))
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "latest.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print("\n== audit results")
    for row in results:
        shown = {k: v for k, v in row.items() if k != "server_error_lines"}
        print(json.dumps(shown, ensure_ascii=False))
        for line in row.get("server_error_lines", []):
            print(f"   5xx: {line}")
    failed = [row["part"] for row in results if not row["ok"]]
    print("audit: " + ("FAILED: " + ", ".join(failed) if failed else "every part passed"))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
