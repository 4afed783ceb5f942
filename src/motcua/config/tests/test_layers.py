"""The layer map of docs/architecture.md is the code's: import-linter checks the contracts of
pyproject.toml (`[tool.importlinter]`), here as in `make lint`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
LINT_IMPORTS = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def _lint_imports(src: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` with the project's contracts over the package found in `src`."""
    return subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "-c", LINT_IMPORTS, "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_every_import_keeps_the_layer_map_and_its_contracts() -> None:
    run = _lint_imports(ROOT / "src")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_an_import_against_the_map_breaks_the_contract(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "src" / "motcua", tmp_path / "motcua", ignore=shutil.ignore_patterns("__pycache__"))
    admin = tmp_path / "motcua" / "catalog" / "admin.py"
    admin.write_text(admin.read_text() + "\nfrom motcua.dossiers.admin import DossierAdmin  # noqa\n")
    run = _lint_imports(tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "motcua.catalog is not allowed to import motcua.dossiers" in run.stdout
