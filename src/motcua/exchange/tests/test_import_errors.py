"""A bad line is reported with its number and reason; nothing of it is kept; the rest goes on."""

from __future__ import annotations

import json
from typing import Any

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.exchange.importer import import_lines


def _edit(line: str, **changes: Any) -> str:
    record = json.loads(line)
    record.update(changes)
    return json.dumps(record, ensure_ascii=False)


def test_it_reports_bad_lines_by_number_and_imports_the_good_ones(exported: list[str]) -> None:
    good = exported[:4]
    unknown_procedure = _edit(exported[4], procedure={"code": "9.999999", "version": 1})
    schema_violation = _edit(exported[5], channel="fax")
    lines = [good[0], "{not json", good[1], unknown_procedure, good[2], schema_violation, good[3], good[0]]

    report = import_lines(lines, batch_size=3)

    assert report.imported == 4
    assert [(p.line, p.code) for p in report.failed] == [(2, "invalid_json"), (4, "unknown_procedure"), (6, "schema")]
    assert "9.999999" in report.failed[1].reason
    assert "channel" in report.failed[2].reason
    assert [(p.line, p.code) for p in report.duplicates] == [(8, "duplicate")]
    bad_codes = {json.loads(exported[4])["code"], json.loads(exported[5])["code"]}
    assert not Dossier.objects.filter(code__in=bad_codes).exists()
    assert not DossierEvent.objects.filter(dossier__code__in=bad_codes).exists()
    assert set(Dossier.objects.values_list("code", flat=True)) == {json.loads(line)["code"] for line in good}


def test_it_skips_a_dossier_that_already_exists(exported: list[str]) -> None:
    import_lines(exported[:3])
    events = DossierEvent.objects.count()

    report = import_lines(exported[:3])

    assert report.imported == 0
    assert [p.line for p in report.duplicates] == [1, 2, 3]
    assert DossierEvent.objects.count() == events


def test_it_refuses_a_line_naming_an_unknown_agency(exported: list[str]) -> None:
    report = import_lines([_edit(exported[0], settling_agency="Z99.77")])

    assert report.imported == 0
    assert report.failed[0].code == "unknown_agency"
    assert "Z99.77" in report.failed[0].reason


def test_it_refuses_a_line_whose_events_disagree_with_its_status(exported: list[str]) -> None:
    record = json.loads(exported[0])
    record["status"] = "withdrawn" if record["status"] != "withdrawn" else "returned"

    report = import_lines([json.dumps(record)])

    assert report.failed[0].code == "inconsistent_status"


def test_unknown_users_become_names_without_an_account(exported: list[str]) -> None:
    record = json.loads(exported[0])
    for event in record["events"]:
        event["actor"] = "nobody-here" if event["actor"] else None

    report = import_lines([json.dumps(record)])

    assert report.imported == 1
    events = DossierEvent.objects.filter(dossier__code=record["code"])
    assert not events.filter(actor__isnull=False).exists()
    assert set(events.values_list("actor_name", flat=True)) == {e["actor_name"] for e in record["events"]}


def test_it_refuses_another_format(exported: list[str]) -> None:
    report = import_lines([_edit(exported[0], format="motcua-dossier/2")])

    assert report.failed[0].code == "schema"
    assert "motcua-dossier/2" in report.failed[0].reason


def test_text_needing_escapes_comes_back_as_written(exported: list[str]) -> None:
    """Tabs, backslashes, line breaks, quotes and control characters in text: the COPY path
    escapes them (a line without any backslash skips that check)."""
    from motcua.exchange.export import export_lines
    from motcua.exchange.format import dumps

    record = json.loads(exported[0])
    record["events"][0]["reason"] = 'tab\there, back\\slash, "quoted"\nnew line \x01\x05 \\N \\x01'
    record["events"][0]["actor_name"] = "Nguyễn Văn\\A"
    record["events"][-1]["data"] = {**record["events"][-1]["data"], "note": "a\tb"}
    plain = json.loads(exported[1])
    lines = [dumps(record), dumps(plain)]
    assert "\\" in lines[0]
    assert "\\" not in lines[1]

    report = import_lines(lines)

    assert (report.imported, report.failed) == (2, [])
    assert sorted(export_lines()) == sorted(line + "\n" for line in lines)


def test_an_integer_beyond_64_bits_is_read_by_the_standard_parser(exported: list[str]) -> None:
    record = json.loads(exported[0])
    record["events"][-1]["data"] = {**record["events"][-1]["data"], "big": 2**70}

    report = import_lines([json.dumps(record, ensure_ascii=False)])

    assert (report.imported, report.failed) == (1, [])
    event = DossierEvent.objects.get(dossier__code=record["code"], seq=record["events"][-1]["seq"])
    # Stored as the number it is; reading it back through Django's JSON field may round it
    # to a double (SQLite's JSON functions, psycopg's jsonb reader), which the importer does not decide.
    assert float(event.data["big"]) == float(2**70)


def test_nan_and_infinity_are_not_json(exported: list[str]) -> None:
    line = exported[0].rstrip()[:-1] + ',"extra":NaN}'
    report = import_lines([line, exported[1].replace('"copies":1', '"copies":Infinity', 1)])
    assert [(p.line, p.code) for p in report.failed] == [(1, "invalid_json"), (2, "invalid_json")]
    assert "NaN" in report.failed[0].reason
    assert "Infinity" in report.failed[1].reason
    assert not Dossier.objects.exists()
