"""Kill -9 a delivering worker mid-batch: after a restart every event reached the portal
simulator exactly once and in order. Real processes, a real database file, real HTTP."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from motcua.integrations.national_portal.simulator import PortalSimulator

ROOT = Path(__file__).resolve().parents[4]
DOSSIERS = 12


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=300
    )


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_connectors", "--interval", "0.2", "--lease", "3", "--batch", "1000"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _received(simulator: PortalSimulator) -> int:
    return sum(len(steps) for steps in simulator.progress.values())


def _wait(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(tmp_path: Path) -> None:
    simulator = PortalSimulator(unit_code="000.00.31.H99", delay_seconds=0.03)
    url = simulator.start()
    env = {
        **os.environ,
        "MOTCUA_DEBUG": "1",
        "PYTHONPATH": str(ROOT / "src"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'crash.sqlite3'}",
        "MOTCUA_NATIONAL_PORTAL_URL": url,
        "MOTCUA_NATIONAL_PORTAL_USERNAME": simulator.username,
        "MOTCUA_NATIONAL_PORTAL_PASSWORD": simulator.password,
        "MOTCUA_NATIONAL_PORTAL_UNIT_CODE": simulator.unit_code,
        "MOTCUA_NATIONAL_PORTAL_TIMEOUT": "2",
        "MOTCUA_NATIONAL_PORTAL_BACKOFF_BASE": "0",
    }
    try:
        _manage(env, "migrate", "--no-input")
        _manage(
            env, "shell", "--no-imports", "-c", f"from motcua.integrations.tests.seed import seed; seed({DOSSIERS})"
        )
        expected = json.loads(
            _manage(
                env, "shell", "--no-imports", "-c", "from motcua.integrations.tests.seed import dump; dump()"
            ).stdout
        )
        total = sum(len(steps) for steps in expected.values())

        first, second = _worker(env), _worker(env)  # two workers: only one may hold the consumer
        _wait(lambda: _received(simulator) >= total // 3, 120)
        assert 0 < _received(simulator) < total, "the kill must land in the middle of the batch"
        for worker in (first, second):
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait()

        restarted = _worker(env)
        _wait(lambda: _received(simulator) >= total, 120)
        time.sleep(1)  # room for a duplicate to show up, if any
        os.kill(restarted.pid, signal.SIGKILL)
        restarted.wait()
    finally:
        simulator.stop()

    assert simulator.rejected == []
    got = {code: [[s["NoiDungXuLy"], s["ThoiDiemXuLy"]] for s in steps] for code, steps in simulator.progress.items()}
    assert got == expected
    # Each killed worker may have had one step answered by the portal but not yet committed:
    # that one is sent again and the portal side takes it as a replay. Two workers sending the
    # same messages would show here as many replays.
    assert simulator.replays <= 2
    assert set(simulator.dossiers) == set(expected)
