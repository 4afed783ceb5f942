"""`make run` serves the demo at HOST:PORT and prints QR codes that point there."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_sets_the_public_base_url_from_the_host_and_port_it_serves_on() -> None:
    dry_run = subprocess.run(
        ["make", "-n", "run", "HOST=10.1.2.3", "PORT=9001"],  # noqa: S607 - make from PATH
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "MOTCUA_PUBLIC_BASE_URL=${MOTCUA_PUBLIC_BASE_URL:-http://10.1.2.3:9001}" in dry_run
    assert "runserver --noreload 10.1.2.3:9001" in dry_run
