"""`make bench` itself keeps working: the runner, run as `make bench` runs it (a child process
per database, a fresh database, the printed table), completes W1 and W4 at their smoke sizes.
No timing is asserted; speed is measured by `make bench` only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]


def test_the_bench_runner_completes_w1_and_w4_at_their_smoke_sizes_on_sqlite(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MOTCUA_MAX_SUBMISSIONS_PER_DAY"}}
    env.update(MOTCUA_DEBUG="1", PYTHONPATH=str(ROOT / "src"), MOTCUA_BENCH_RESULTS=str(tmp_path / "latest.json"))
    run = subprocess.run(
        [sys.executable, "bench/run.py", "--quick", "--databases", "sqlite", "--workloads", "w1,w4"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-3000:]
    assert "W1" in output
    assert "events/s" in output
    assert "Traceback" not in output
    assert (tmp_path / "latest.json").exists()
