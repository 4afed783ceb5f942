"""Demo data for MotCua: the FICTIONAL province "Tỉnh Minh Hòa" / "Minh Hoa Province" (H99).

Nothing here is real data. The province, its agencies and communes, officers, citizens,
identity numbers, phone numbers, addresses and publishing decisions are invented so that no one
mistakes the demo for a real province. What is taken from public sources is marked: national
procedure codes and names (``VERIFIED_CODE_SOURCES``), the laws cited in ``legal_basis_vi`` and
the time limits and fees not marked ``# approx``. Placeholder codes are listed in
``UNVERIFIED_CODES`` and must be replaced by the codes of the national procedure database.

Pure data: no Django import. A loader iterates these structures (all keys always present):

- ``PROVINCE``: {code, name_vi, name_en, short_name_vi}
- ``AGENCIES``: [{code, name_vi, name_en, kind, parent_code, short_name_vi, valid_from, valid_to,
  successor_code}], parents listed before children
- ``FIELDS``: [{code, name_vi, name_en}]
- ``PROCEDURES``: [{code, name_vi, name_en, field_code, levels, competent_agency_code, time_limit,
  cutoff, fees, components, online_level, eligible_full_online, requires_paper_result,
  postal_allowed, subjects, legal_basis_vi, publishing_decision, result_vi, steps, e_form_schema,
  linked_procedure_codes}]; ``competent_agency_code`` "COMMUNE" = the commune where it is filed
- ``OFFICER_TEMPLATES``: [{username, full_name, agency_code, role}]
- ``CITIZENS``: [{username, full_name, personal_id, birth_date, gender, address, phone, email}]
- ``CALENDAR_OVERRIDES``: [{date, kind, reason_vi, reason_en}]
- ``E_FORM_EXAMPLES``: {procedure code: a valid filled-in e-form}

The data live in ``data_agencies.py`` (province, agencies, fields, people, calendar),
``data_procedures.py`` and ``data_procedures_sectors.py`` (procedures) and ``data_eforms.py``
(e-form schemas); import them from here. Run ``python src/motcua/demo/data.py`` to validate the
data and print counts.
"""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

if __name__ == "__main__" and not __package__:  # run as a script: make `motcua` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from motcua.demo.data_agencies import (
    AGENCIES,
    CALENDAR_OVERRIDES,
    CITIZENS,
    FIELDS,
    OFFICER_TEMPLATES,
    PROVINCE,
    Agency,
    CalendarOverride,
    Citizen,
    Field,
    OfficerTemplate,
    Province,
)
from motcua.demo.data_eforms import E_FORM_EXAMPLES, E_FORM_SCHEMAS
from motcua.demo.data_procedures import (
    COMMUNE,
    PEOPLE_PROCEDURES,
    Budget,
    Component,
    Fee,
    Procedure,
    PublishingDecision,
    Step,
)
from motcua.demo.data_procedures_sectors import SECTOR_PROCEDURES

PROCEDURES: list[Procedure] = PEOPLE_PROCEDURES + SECTOR_PROCEDURES

__all__ = [
    "AGENCIES",
    "CALENDAR_OVERRIDES",
    "CITIZENS",
    "COMMUNE",
    "E_FORM_EXAMPLES",
    "E_FORM_SCHEMAS",
    "FIELDS",
    "OFFICER_TEMPLATES",
    "PROCEDURES",
    "PROVINCE",
    "UNVERIFIED_CODES",
    "VERIFIED_CODE_SOURCES",
    "Agency",
    "Budget",
    "CalendarOverride",
    "Citizen",
    "Component",
    "Fee",
    "Field",
    "OfficerTemplate",
    "Procedure",
    "Province",
    "PublishingDecision",
    "Step",
    "check",
]

# Where each real procedure code was seen (public repositories in the search index, read
# 2026). They are third-party copies of the national procedure database, not the database
# itself: re-check before release.
_REGISTRY = (
    "hdtruong802/Vietnam-AI-Innovation-Challenge-2026, data/registry/procedure-family-registry.csv "
    "(commit da8362fb), code and name per row"
)
_TESTSET = (
    "a third-party chatbot test set published on GitHub, codes asserted against its copy of the "
    "procedure database"
)
_DECISIONS = (
    "third-party parser of provincial publishing decisions (GitHub index file id 70165343405): "
    "appendices of 3582/QĐ-UBND, 3879/QĐ-UBND, 1349/QĐ-UBND, 3626/QĐ-UBND"
)
_BCA = "third-party survey of the Ministry of Public Security portal (GitHub index file id 69695295956)"
VERIFIED_CODE_SOURCES: dict[str, str] = {
    **dict.fromkeys(
        ["1.001193", "1.004222", "1.001612", "2.000575", "2.000720", "1.003197", "2.000635", "1.004884", "1.000689"],
        _REGISTRY,
    ),
    **dict.fromkeys(
        [
            "1.000894",
            "1.000656",
            "1.004873",
            "1.001022",
            "2.000806",
            "1.004194",
            "1.002755",
            "1.010028",
            "2.000815",
            "2.000884",
            "2.000942",
            "2.001019",
            "1.001570",
            "1.001266",
            "1.001776",
            "1.001731",
            "1.014027",
            "1.014028",
            "1.001699",
            "1.010803",
            "2.002307",
            "2.002894",
            "1.013227",
            "1.013228",
        ],
        _TESTSET,
    ),
    **dict.fromkeys(["3.000722", "2.002913", "1.004889", "2.000181", "2.002409"], _DECISIONS),
    "3.000333": _BCA + " (matt 61555, Công an tỉnh)",
    "1.013978": "third-party portal shortcut list (GitHub index file id 51912287645), full official name",
    "1.013225": "third-party test set (GitHub index file ids 71181086616, 55619928118): GPXD nhà ở riêng lẻ",
    "2.001610": "third-party procedure list (GitHub index file id 55619928118)",
}

# Placeholders (1.0199xx) and codes seen only in one low-quality source.
UNVERIFIED_CODES: list[str] = [
    "1.000956",  # seen only in a hobby project's data for "thành lập công ty TNHH một thành viên"
    "1.019901",
    "1.019902",
    "1.019903",
    "1.019904",
    "1.019905",
    "1.019906",
    "1.019907",
    "1.019908",
    "1.019909",
    "1.019910",
    "1.019911",
]

_PROCEDURE_CODE = re.compile(r"^\d\.\d{6}$")
_AGENCY_CODE = re.compile(r"^[A-Y]\d{2}(\.[A-Z0-9]{1,4})*$")
_USERNAME = re.compile(r"^[a-z0-9]+(\.[a-z0-9]+)*$")
_HOURS_PER_DAY = 8
_LEVELS = {"province", "commune", "district"}
_SUBJECTS = {"citizen", "business", "organisation"}
_ROLES = {"reception", "specialist", "leader", "manager", "admin"}


def _to_common(budget: Budget) -> tuple[str, int]:
    """(clock, amount): working days are counted as 8 working hours; calendar days stay apart."""
    if budget["unit"] == "working_days":
        return "working", budget["amount"] * _HOURS_PER_DAY
    if budget["unit"] == "working_hours":
        return "working", budget["amount"]
    return "calendar", budget["amount"]


def _iso(value: str | None, where: str, errors: list[str]) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(f"{where}: {value!r} is not an ISO date")
        return None


def _check_agencies(errors: list[str]) -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for a in AGENCIES:
        code = a["code"]
        if code in agencies:
            errors.append(f"agency {code}: duplicate code")
        if not _AGENCY_CODE.match(code) or len(code) > 35:
            errors.append(f"agency {code}: not a Decision 20/2020 code")
        parent = a["parent_code"]
        if parent is not None and (parent not in agencies or not code.startswith(parent + ".")):
            errors.append(f"agency {code}: parent {parent} missing, listed later or not a prefix")
        if (parent is None) != (a["kind"] == "province"):
            errors.append(f"agency {code}: only the province is a root")
        start = _iso(a["valid_from"], code, errors)
        end = _iso(a["valid_to"], code, errors)
        if start and end and start > end:
            errors.append(f"agency {code}: valid_from after valid_to")
        if a["kind"] == "district" and (end is None or a["successor_code"] is None):
            errors.append(f"agency {code}: a historical district needs valid_to and a successor")
        agencies[code] = a
    for a in AGENCIES:
        successor = a["successor_code"]
        if successor is not None and (successor not in agencies or agencies[successor]["valid_to"] is not None):
            errors.append(f"agency {a['code']}: successor {successor} missing or itself ended")
    if PROVINCE["code"] not in agencies:
        errors.append("the province has no agency row")
    return agencies


def _check_steps(p: Procedure, agencies: dict[str, Agency], errors: list[str]) -> None:
    where = f"procedure {p['code']}"
    steps = {s["key"]: s for s in p["steps"]}
    if len(steps) != len(p["steps"]) or not steps:
        errors.append(f"{where}: step keys missing or duplicated")
        return
    clock, limit = _to_common(p["time_limit"])
    for s in p["steps"]:
        actor = s["actor"]
        if actor.startswith("other_agency:"):
            if actor.split(":", 1)[1] not in agencies:
                errors.append(f"{where}: step {s['key']} names an unknown agency")
        elif actor not in {"reception", "specialist", "leader"}:
            errors.append(f"{where}: step {s['key']} has actor {actor!r}")
        if _to_common(s["budget"])[0] != clock or s["budget"]["amount"] < 0:
            errors.append(f"{where}: step {s['key']} budget unit does not match the time limit")
        for nxt in s["next"]:
            if nxt not in steps:
                errors.append(f"{where}: step {s['key']} -> unknown step {nxt}")
    if any(e.startswith(where) for e in errors):
        return
    entry = p["steps"][0]["key"]
    reached: set[str] = set()

    def walk(key: str, spent: int, path: tuple[str, ...]) -> None:
        if key in path:
            errors.append(f"{where}: cycle through {key}")
            return
        reached.add(key)
        spent += _to_common(steps[key]["budget"])[1]
        if not steps[key]["next"] and spent > limit:
            errors.append(f"{where}: path {' > '.join((*path, key))} needs {spent} > {limit}")
        for nxt in steps[key]["next"]:
            walk(nxt, spent, (*path, key))

    walk(entry, 0, ())
    if reached != set(steps):
        errors.append(f"{where}: unreachable steps {sorted(set(steps) - reached)}")


def _check_procedures(agencies: dict[str, Agency], errors: list[str]) -> None:
    fields = {f["code"] for f in FIELDS}
    if len(fields) != len(FIELDS):
        errors.append("duplicate field codes")
    codes = [p["code"] for p in PROCEDURES]
    for p in PROCEDURES:
        where = f"procedure {p['code']}"
        if codes.count(p["code"]) > 1 or not _PROCEDURE_CODE.match(p["code"]):
            errors.append(f"{where}: duplicate or malformed code")
        if p["field_code"] not in fields:
            errors.append(f"{where}: unknown field {p['field_code']}")
        if not p["levels"] or not set(p["levels"]) <= _LEVELS or not set(p["subjects"]) <= _SUBJECTS:
            errors.append(f"{where}: bad levels or subjects")
        agency = p["competent_agency_code"]
        if agency == COMMUNE:
            if "commune" not in p["levels"]:
                errors.append(f"{where}: settled by the commune but not at commune level")
        elif agency not in agencies or agencies[agency]["kind"] not in {"department", "vertical_branch", "province"}:
            errors.append(f"{where}: competent agency {agency} is not a department or branch")
        if p["time_limit"]["amount"] <= 0:
            errors.append(f"{where}: time limit must be positive")
        if p["cutoff"] is not None and not re.match(r"^([01]\d|2[0-3]):[0-5]\d$", p["cutoff"]):
            errors.append(f"{where}: cutoff {p['cutoff']!r}")
        if any(f["amount_vnd"] < 0 for f in p["fees"]) or not p["components"]:
            errors.append(f"{where}: negative fee or no components")
        if any(c["copies"] < 0 for c in p["components"]):
            errors.append(f"{where}: negative copies")
        if p["online_level"] == "full" and not p["eligible_full_online"]:
            errors.append(f"{where}: full online but not eligible")
        for key in ("date", "effective"):
            _iso(p["publishing_decision"][key], f"{where} decision", errors)
        for linked in p["linked_procedure_codes"]:
            if linked not in codes:
                errors.append(f"{where}: linked procedure {linked} missing")
        _check_steps(p, agencies, errors)
    unknown = (set(VERIFIED_CODE_SOURCES) | set(UNVERIFIED_CODES)) - set(codes)
    if unknown or set(VERIFIED_CODE_SOURCES) & set(UNVERIFIED_CODES):
        errors.append(f"verified/unverified lists out of step: {sorted(unknown)}")
    if set(codes) - set(VERIFIED_CODE_SOURCES) - set(UNVERIFIED_CODES):
        errors.append(f"codes neither verified nor listed: {sorted(set(codes) - set(VERIFIED_CODE_SOURCES))}")


def _check_eforms(errors: list[str]) -> None:
    attached = {p["code"]: p["e_form_schema"] for p in PROCEDURES}
    for code, schema in E_FORM_SCHEMAS.items():
        if attached.get(code) is not schema:
            errors.append(f"e-form {code}: not attached to its procedure")
        if schema.get("$schema") != "https://json-schema.org/draft/2020-12/schema" or schema.get("type") != "object":
            errors.append(f"e-form {code}: not a draft 2020-12 object schema")
        if not set(schema.get("required", [])) <= set(schema.get("properties", {})):
            errors.append(f"e-form {code}: required field without a property")
    try:
        import jsonschema_rs  # optional: the project's validator, when installed
    except ImportError:
        return
    for code, example in E_FORM_EXAMPLES.items():
        validator = jsonschema_rs.validator_for(E_FORM_SCHEMAS[code], validate_formats=True)
        for error in validator.iter_errors(example):
            errors.append(f"e-form example {code}: {error.message}")
        if validator.is_valid({}):
            errors.append(f"e-form {code}: an empty form should not validate")


def _check_people(agencies: dict[str, Agency], errors: list[str]) -> None:
    names = [o["username"] for o in OFFICER_TEMPLATES] + [c["username"] for c in CITIZENS]
    if len(set(names)) != len(names) or not all(_USERNAME.match(n) for n in names):
        errors.append("usernames must be unique lowercase ASCII with dots")
    for o in OFFICER_TEMPLATES:
        if o["agency_code"] not in agencies or o["role"] not in _ROLES:
            errors.append(f"officer {o['username']}: unknown agency or role")
    ids = [c["personal_id"] for c in CITIZENS]
    if len(set(ids)) != len(ids):
        errors.append("duplicate personal IDs")
    for c in CITIZENS:
        born = _iso(c["birth_date"], c["username"], errors)
        pid = c["personal_id"]
        if born is None or not re.match(r"^\d{12}$", pid):
            errors.append(f"citizen {c['username']}: bad birth date or ID")
            continue
        # Decree 137/2015 Art. 13: century/sex digit, then the last two digits of the birth year.
        century = (born.year // 100) - 19
        expected = str(century * 2 + (1 if c["gender"] == "female" else 0))
        if century < 0 or pid[3] != expected or pid[4:6] != f"{born.year % 100:02d}":
            errors.append(f"citizen {c['username']}: ID {pid} does not match birth year or gender")


def _check_calendar(errors: list[str]) -> None:
    for o in CALENDAR_OVERRIDES:
        day = _iso(o["date"], "calendar override", errors)
        if day is None:
            continue
        weekend = day.weekday() >= 5
        if (o["kind"] == "day_off" and weekend) or (o["kind"] == "working_day" and not weekend):
            errors.append(f"calendar override {o['date']}: a {o['kind']} on {'a weekend' if weekend else 'a weekday'}")


def check() -> list[str]:
    """Every inconsistency found in the demo data; empty when it is sound."""
    errors: list[str] = []
    agencies = _check_agencies(errors)
    _check_procedures(agencies, errors)
    _check_eforms(errors)
    _check_people(agencies, errors)
    _check_calendar(errors)
    linked = sum(any(s["actor"].startswith("other_agency:") for s in p["steps"]) for p in PROCEDURES)
    if linked < 5 or sum(p["e_form_schema"] is not None for p in PROCEDURES) < 3:
        errors.append("need ≥5 inter-agency procedures and ≥3 e-forms")
    return errors


def _counts() -> dict[str, Any]:
    kinds: dict[str, int] = {}
    for a in AGENCIES:
        kinds[a["kind"]] = kinds.get(a["kind"], 0) + 1
    roles: dict[str, int] = {}
    for o in OFFICER_TEMPLATES:
        roles[o["role"]] = roles.get(o["role"], 0) + 1
    return {
        "agencies": len(AGENCIES),
        "agencies_by_kind": kinds,
        "fields": len(FIELDS),
        "procedures": len(PROCEDURES),
        "procedures_commune": sum(p["competent_agency_code"] == COMMUNE for p in PROCEDURES),
        "procedures_inter_agency": sum(
            any(s["actor"].startswith("other_agency:") for s in p["steps"]) for p in PROCEDURES
        ),
        "procedures_with_e_form": sum(p["e_form_schema"] is not None for p in PROCEDURES),
        "procedures_with_fees": sum(bool(p["fees"]) for p in PROCEDURES),
        "verified_codes": len(VERIFIED_CODE_SOURCES),
        "unverified_codes": len(UNVERIFIED_CODES),
        "officers": len(OFFICER_TEMPLATES),
        "officers_by_role": roles,
        "citizens": len(CITIZENS),
        "calendar_overrides": len(CALENDAR_OVERRIDES),
    }


if __name__ == "__main__":
    for name, value in _counts().items():
        print(f"{name}: {value}")
    problems = check()
    for problem in problems:
        print(f"ERROR {problem}")
    print("OK" if not problems else f"{len(problems)} problem(s)")
    sys.exit(1 if problems else 0)
