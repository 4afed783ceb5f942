"""bin/backup and bin/restore on PostgreSQL: back up, destroy, restore, and the exported
dossiers, the documents and the indicators are the same."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection

from motcua.dossiers import services as ds
from motcua.exchange.export import export_lines
from motcua.exchange.generator import generate_dossiers
from motcua.exchange.tests.conftest import UNTIL
from motcua.indicators.periods import parse_period
from motcua.indicators.selectors import scorecard
from motcua.lib.cache import clear_all
from motcua.testing import files
from motcua.testing.world import ANY_HOUR_REASON

ROOT = Path(settings.BASE_DIR)


def _admin(sql: str) -> None:
    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="postgres", autocommit=True) as c:
        c.execute(sql)


@contextmanager
def _using(name: str) -> Iterator[None]:
    """Point this process's connection at another database for a while."""
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    clear_all()
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        clear_all()


def _state(world: Any, media: Path) -> tuple[list[str], list[Any], dict[str, str]]:
    card = scorecard(world.province, parse_period("2025-01-15..2026-01-15"), now=UNTIL)
    files = {
        str(p.relative_to(media)): hashlib.sha256(p.read_bytes()).hexdigest() for p in media.rglob("*") if p.is_file()
    }
    return (
        list(export_lines()),
        [(i.key, i.numerator, i.denominator, i.points) for g in card.groups for i in g.items],
        files,
    )


def _run(script: str, *args: str, env: dict[str, str]) -> None:
    command = [str(ROOT / "bin" / script), *args]  # the project's own scripts
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_the_same_dossiers_documents_and_indicators(
    world: Any, tmp_path: Path, settings: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("The backup test runs pg_dump and pg_restore: PostgreSQL only.")
    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    generate_dossiers(count=20, seed=5, until=UNTIL)
    with_file = ds.dossier_register(
        actor=world.reception,
        version=world.procedure,
        applicant=world.citizen_person,
        receiving_agency=world.centre,
        outside_hours_reason=ANY_HOUR_REASON,
        components=[
            *world.papers(),
            ds.ComponentIn(name="Tờ khai", file=ContentFile(files.pdf_bytes(), name="to-khai.pdf")),
        ],
    )
    assert with_file.components.get(name="Tờ khai").file.name
    before = _state(world, media)
    assert len(before[2]) == 1
    assert len(before[0]) == 21

    db = connection.settings_dict
    scratch = f"{db['NAME']}_restore"
    _admin(f'DROP DATABASE IF EXISTS "{scratch}"')
    connection.close()
    _admin(f'CREATE DATABASE "{scratch}" TEMPLATE "{db["NAME"]}"')
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{scratch}",
        "MOTCUA_MEDIA_ROOT": str(media),
    }
    try:
        _run("backup", str(tmp_path / "backup"), env=env)
        assert {p.name for p in (tmp_path / "backup").iterdir()} >= {"database.dump", "documents.tar", "SHA256SUMS"}

        _admin(f'DROP DATABASE "{scratch}"')  # destroyed: the database…
        shutil.rmtree(media)  # …and the document store

        _run("restore", str(tmp_path / "backup"), env=env)
        with _using(scratch):
            after = _state(world, media)
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{scratch}"')

    assert after == before


def test_restore_refuses_a_backup_whose_checksum_differs(tmp_path: Path) -> None:
    backup = tmp_path / "backup"
    backup.mkdir()
    (backup / "database.sqlite3").write_bytes(b"not the database")
    (backup / "documents.tar").write_bytes(b"")
    (backup / "SHA256SUMS").write_text(f"{'0' * 64}  database.sqlite3\n{'0' * 64}  documents.tar\n")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'restored.sqlite3'}",
        "MOTCUA_MEDIA_ROOT": str(tmp_path),
    }
    command = [str(ROOT / "bin" / "restore"), str(backup)]
    done = subprocess.run(command, env=env, capture_output=True, check=False)  # noqa: S603
    assert done.returncode != 0
    assert not (tmp_path / "restored.sqlite3").exists()
