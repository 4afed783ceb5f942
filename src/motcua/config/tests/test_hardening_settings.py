"""Production settings: the example secret refused, the deployment check clean with the
settings the README documents, and `.env.example` telling the truth about the defaults."""

from __future__ import annotations

import importlib
import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from motcua.config import env

ROOT = Path(__file__).resolve().parents[4]


def _example() -> dict[str, str]:
    return dict(re.findall(r"^([A-Z][A-Z0-9_]+)=(.*)$", (ROOT / ".env.example").read_text(), re.MULTILINE))


def _reload(monkeypatch: Any, **values: str) -> Any:
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    import motcua.config.settings as module

    return importlib.reload(module)


def test_it_refuses_to_start_with_the_example_secret_when_debug_is_off(monkeypatch: Any) -> None:
    placeholder = _example()["MOTCUA_SECRET_KEY"]
    with pytest.raises(env.ConfigError, match="MOTCUA_SECRET_KEY"):
        _reload(monkeypatch, MOTCUA_DEBUG="0", MOTCUA_SECRET_KEY=placeholder)
    monkeypatch.delenv("MOTCUA_SECRET_KEY")
    _reload(monkeypatch, MOTCUA_DEBUG="1")


def test_the_security_defaults_are_the_values_env_example_documents(monkeypatch: Any) -> None:
    example = _example()
    for name in (
        "MOTCUA_OFFICER_IDLE_MINUTES",
        "MOTCUA_LOGIN_FAILURE_LIMIT",
        "MOTCUA_LOGIN_COOLOFF_MINUTES",
        "MOTCUA_RATE_TRACKING_PER_MINUTE",
        "MOTCUA_MAX_OPEN_DRAFTS",
        "MOTCUA_MAX_SUBMISSIONS_PER_DAY",
        "MOTCUA_EFORM_MAX_BYTES",
    ):
        monkeypatch.delenv(name, raising=False)
    module = _reload(monkeypatch, MOTCUA_DEBUG="1")
    actual = {
        "idle": module.OFFICER_IDLE_TIMEOUT,
        "failures": module.AXES_FAILURE_LIMIT,
        "cool-off": module.AXES_COOLOFF_TIME,
        "tracking": module.RATE_LIMITS["tracking"],
        "drafts": module.CITIZEN_LIMITS["MAX_OPEN_DRAFTS"],
        "submissions": module.CITIZEN_LIMITS["MAX_SUBMISSIONS_PER_DAY"],
        "e-form bytes": module.CITIZEN_LIMITS["EFORM_MAX_BYTES"],
    }
    assert actual == {
        "idle": timedelta(minutes=int(example["MOTCUA_OFFICER_IDLE_MINUTES"])),
        "failures": int(example["MOTCUA_LOGIN_FAILURE_LIMIT"]),
        "cool-off": timedelta(minutes=int(example["MOTCUA_LOGIN_COOLOFF_MINUTES"])),
        "tracking": int(example["MOTCUA_RATE_TRACKING_PER_MINUTE"]),
        "drafts": int(example["MOTCUA_MAX_OPEN_DRAFTS"]),
        "submissions": int(example["MOTCUA_MAX_SUBMISSIONS_PER_DAY"]),
        "e-form bytes": int(example["MOTCUA_EFORM_MAX_BYTES"]),
    }
    # Sign-in is throttled per account and, separately, per address.
    assert module.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


def _production_environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The variables README's "Production" section sets, with an SQLite file standing in for PostgreSQL."""
    # Not inherited: our own variables, and what the test run sets for itself (the browser tests
    # allow synchronous ORM calls inside Playwright's event loop, never done in production).
    leave_out = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_") and k not in leave_out}
    return base | {
        "PYTHONPATH": str(ROOT / "src"),
        "MOTCUA_DEBUG": "false",
        "MOTCUA_SECRET_KEY": secrets.token_urlsafe(50),
        "MOTCUA_ALLOWED_HOSTS": "motcua.example.gov.vn",
        "MOTCUA_CSRF_TRUSTED_ORIGINS": "https://motcua.example.gov.vn",
        "MOTCUA_CACHE": "database",
        "MOTCUA_PROXY_COUNT": "1",
        "MOTCUA_DATA_DIR": str(tmp_path),
        **extra,
    }


def _check_deploy(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_the_production_settings_of_the_readme(tmp_path: Path) -> None:
    result = _check_deploy(_production_environment(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_rate_limits_are_counted_per_process(tmp_path: Path) -> None:
    result = _check_deploy(_production_environment(tmp_path, MOTCUA_CACHE="local"))
    assert result.returncode != 0
    assert "motcua.W001" in result.stdout + result.stderr
