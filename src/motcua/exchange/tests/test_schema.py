"""The JSON Schema published in docs/ is the one the importer uses, and every exported line meets it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema_rs

from motcua.exchange.format import FORMAT, instant_in, instant_out
from motcua.exchange.schema import schema_text

DOCS = Path(__file__).resolve().parents[4] / "docs"


def test_the_published_schema_is_the_one_in_the_code() -> None:
    assert (DOCS / "exchange-format.schema.json").read_text(encoding="utf-8") == schema_text()


def test_every_exported_line_meets_the_published_schema(exported: list[str]) -> None:
    validator = jsonschema_rs.validator_for(json.loads((DOCS / "exchange-format.schema.json").read_text()))
    for line in exported:
        record = json.loads(line)
        assert record["format"] == FORMAT
        errors = [e.message for e in validator.iter_errors(record)]
        assert errors == [], record["code"]


def test_lines_are_canonical_sorted_compact_and_local_time(exported: list[str]) -> None:
    for line in exported[:5]:
        record = json.loads(line)
        assert line == json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
        assert record["events"][0]["at"].endswith("+07:00")


def test_instants_from_other_systems_read_the_same_in_utc() -> None:
    assert instant_out(instant_in("2025-03-04T01:15:00Z")) == "2025-03-04T08:15:00.000000+07:00"
