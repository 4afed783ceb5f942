"""The management commands: export, import (with the summary) and generate."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from motcua.dossiers.models import Dossier


def test_export_then_import_commands_carry_the_dossiers(exported: list[str], tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(exported[:10]) + "{broken\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match="1 line"):
        call_command("import_dossiers", str(source), "--batch-size", "4", stdout=out, stderr=err)

    assert "10 imported, 0 skipped (already present), 1 failed (lines 11)" in out.getvalue()
    assert "line 11: Not JSON" in err.getvalue()
    assert "[" in err.getvalue()  # the progress bar
    target = tmp_path / "out.jsonl"
    call_command("export_dossiers", "--output", str(target), "--agency", "H99", stderr=io.StringIO())
    assert target.read_text(encoding="utf-8") == "".join(sorted(exported[:10], key=lambda s: json.loads(s)["code"]))


def test_export_filters_by_agency_and_period(exported: list[str], tmp_path: Path) -> None:
    call_command("import_dossiers", _file(tmp_path, exported), "--no-progress", stdout=io.StringIO())
    target = tmp_path / "out.jsonl"
    call_command(
        "export_dossiers", "--output", str(target), "--agency", "H99.50", "--no-progress", stderr=io.StringIO()
    )
    assert target.read_text() == ""
    call_command(
        "export_dossiers",
        "--output",
        str(target),
        "--from",
        "2025-07-01",
        "--to",
        "2025-09-30",
        "--no-progress",
        stderr=io.StringIO(),
    )
    days = [json.loads(line)["submitted_at"][:10] for line in target.read_text().splitlines()]
    assert days
    assert all("2025-07-01" <= day <= "2025-09-30" for day in days)
    assert len(days) < len(exported)


def test_commands_explain_bad_arguments(world: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No file"):
        call_command("import_dossiers", str(tmp_path / "missing.jsonl"))
    with pytest.raises(CommandError, match="--workers must be 0 or more"):
        call_command("import_dossiers", _file(tmp_path, ["{}"]), "--workers", "-1")
    with pytest.raises(CommandError, match="No agency"):
        call_command("export_dossiers", "--output", str(tmp_path / "x"), "--agency", "Z00")
    with pytest.raises(CommandError, match="not a date"):
        call_command("export_dossiers", "--output", str(tmp_path / "x"), "--from", "yesterday")


def test_generate_command_makes_dossiers(world: Any) -> None:
    out = io.StringIO()
    call_command(
        "generate_dossiers",
        "--count",
        "5",
        "--seed",
        "2",
        "--until",
        "2026-01-15T16:00:00+07:00",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert Dossier.objects.count() == 5
    assert "5 dossiers generated" in out.getvalue()


def _file(tmp_path: Path, lines: list[str]) -> str:
    path = tmp_path / "all.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    return str(path)
