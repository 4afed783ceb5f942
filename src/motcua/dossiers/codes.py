"""Dossier codes: `<agency code>-YYMMDD-NNNN` (Circular 01/2018 Art. 19, docs/legal-basis.md#identifiers).

The sequence is per receiving agency and per receipt day (Asia/Ho_Chi_Minh) and is taken
with one atomic upsert, so concurrent receipts never get the same number on either
database (PostgreSQL and SQLite ≥ 3.35 both support INSERT … ON CONFLICT … RETURNING).
Four digits at least, longer when a day passes 9,999 (Circular 04/2025 allows that).
"""

from __future__ import annotations

from datetime import date

from django.db import connection

from motcua.dossiers.models import CodeSequence


def next_sequence(agency_id: int, day: date) -> int:
    table = connection.ops.quote_name(CodeSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, day, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (agency_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [agency_id, day],
        )
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def format_code(agency_code: str, day: date, sequence: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{sequence:04d}"


def dossier_code_next(agency_id: int, agency_code: str, day: date) -> tuple[str, int]:
    sequence = next_sequence(agency_id, day)
    return format_code(agency_code, day, sequence), sequence
