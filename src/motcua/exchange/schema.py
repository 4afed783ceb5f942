"""JSON Schema of one line of "motcua-dossier/1", published as docs/exchange-format.schema.json.

The schema lives here, in code, so the importer validates with exactly what is published;
a test checks that the file in docs/ is this dict, byte for byte (`schema_text`).
Field names are the model's names (dossiers/models.py), and every reference is a natural
key (codes, usernames, personal IDs), never a row id, so two databases can exchange lines.
"""

from __future__ import annotations

import json
from typing import Any

from motcua.exchange.format import DATE_PATTERN, FORMAT, INSTANT_PATTERN

_INSTANT = {"type": "string", "pattern": INSTANT_PATTERN}
_INSTANT_OR_NULL = {"anyOf": [_INSTANT, {"type": "null"}]}
_AGENCY = {"type": "string", "minLength": 1, "maxLength": 35}
_AGENCY_OR_NULL = {"anyOf": [_AGENCY, {"type": "null"}]}
_USERNAME_OR_NULL = {"anyOf": [{"type": "string", "minLength": 1, "maxLength": 150}, {"type": "null"}]}
_STEP_OR_NULL = {"anyOf": [{"type": "string", "minLength": 1, "maxLength": 50}, {"type": "null"}]}
_PERSON_ID = {"type": "string", "minLength": 1, "maxLength": 20}
_COUNT = {"type": "integer", "minimum": 0}
_VND = {"type": "integer", "minimum": 0}
_TEXT = {"type": "string"}
_STATUS = {
    "enum": [
        "submitted",
        "received",
        "refused",
        "processing",
        "supplement_requested",
        "awaiting_payment",
        "withdrawn",
        "stopped",
        "processed",
        "returned",
        "returned_for_completion",
        "supplement_submitted",
    ]
}


def _object(properties: dict[str, Any], *, optional: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": sorted(name for name in properties if name not in optional),
        "properties": properties,
    }


APPLICANT = _object(
    {
        "kind": {"enum": ["citizen", "organisation"]},
        "id_number": _PERSON_ID,
        "full_name": {"type": "string", "minLength": 1, "maxLength": 255},
        "birth_date": {"anyOf": [{"type": "string", "pattern": DATE_PATTERN}, {"type": "null"}]},
        "gender": {"type": "string", "maxLength": 10},
        "address": {"type": "string", "maxLength": 255},
        "phone": {"type": "string", "maxLength": 30},
        "email": {"type": "string", "maxLength": 254},
        "verified_by_national_identity": {"type": "boolean"},
    }
)

COMPONENT = _object(
    {
        "name": {"type": "string", "minLength": 1, "maxLength": 500},
        "required_document": {"anyOf": [{"type": "string", "minLength": 1, "maxLength": 500}, {"type": "null"}]},
        "copies": {"type": "integer", "minimum": 0, "maximum": 32767},
        "provided": {"type": "boolean"},
        "file": {"type": "string", "maxLength": 100},
        "file_name": {"type": "string", "maxLength": 255},
        "content_type": {"type": "string", "maxLength": 100},
        "size_bytes": _COUNT,
        "sha256": {"type": "string", "pattern": "^([0-9a-f]{64})?$"},
        "digitized": {"type": "boolean"},
        "from_warehouse": {"type": "boolean"},
        "reused_data": {"type": "boolean"},
        "source_db_code": {"type": "string", "maxLength": 64},
        "added_at": _INSTANT,
    }
)

PAUSE = _object(
    {
        "kind": {"enum": ["supplement", "payment"]},
        "started_at": _INSTANT,
        "ended_at": _INSTANT_OR_NULL,
        "during_intake": {"type": "boolean"},
    }
)

HANDOVER = _object(
    {
        "at": _INSTANT,
        "from_agency": _AGENCY,
        "to_agency": _AGENCY,
        "from_step": _STEP_OR_NULL,
        "to_step": _STEP_OR_NULL,
        "given_by": _USERNAME_OR_NULL,
        "step_due_at": _INSTANT_OR_NULL,
        "result": {"enum": ["early", "on_time", "late"]},
        "note": _TEXT,
    }
)

PAYMENT = _object(
    {
        "amount_vnd": _VND,
        "status": {"enum": ["pending", "succeeded", "failed", "refunded"]},
        "online": {"type": "boolean"},
        "provider": {"type": "string", "maxLength": 40},
        "reference": {"type": "string", "maxLength": 100},
        "fee_data_synced": {"type": "boolean"},
        "requested_at": _INSTANT,
        "paid_at": _INSTANT_OR_NULL,
    }
)

RATING = _object(
    {
        "person": {"anyOf": [_PERSON_ID, {"type": "null"}]},
        "scores": {"type": "object"},
        "satisfaction": {"enum": ["unsatisfied", "satisfied", "very_satisfied"]},
        "comment": _TEXT,
        "rated_at": _INSTANT,
    }
)

FEEDBACK = _object(
    {
        "agency": _AGENCY,
        "person": {"anyOf": [_PERSON_ID, {"type": "null"}]},
        "kind": {"enum": ["settlement", "rules", "staff"]},
        "content": {"type": "string", "minLength": 1},
        "status": {"enum": ["open", "handled", "refused", "supplement_requested", "published"]},
        "received_at": _INSTANT,
        "handled_at": _INSTANT_OR_NULL,
        "refused_at": _INSTANT_OR_NULL,
        "supplement_requested_at": _INSTANT_OR_NULL,
        "published_at": _INSTANT_OR_NULL,
        "likes": _COUNT,
        "dislikes": _COUNT,
        "repeated": {"type": "boolean"},
        "answer": _TEXT,
    }
)

EVENT = _object(
    {
        "seq": {"type": "integer", "minimum": 1},
        "action": {"type": "string", "minLength": 1, "maxLength": 32},
        "from_status": {"anyOf": [_STATUS, {"const": ""}]},
        "to_status": _STATUS,
        "at": _INSTANT,
        "actor": _USERNAME_OR_NULL,
        "actor_name": {"type": "string", "maxLength": 255},
        "actor_role": {"type": "string", "maxLength": 20},
        "actor_agency": _AGENCY_OR_NULL,
        "reason": _TEXT,
        "form": {"enum": ["", "01", "02", "03", "04", "05", "06", "07", "TC"]},
        "data": {"type": "object"},
    }
)

DOSSIER = _object(
    {
        "format": {"const": FORMAT},
        "code": {"type": "string", "minLength": 1, "maxLength": 64},
        "procedure": _object(
            {"code": {"type": "string", "pattern": r"^[0-9]\.[0-9]{6}$"}, "version": {"type": "integer", "minimum": 1}}
        ),
        "status": _STATUS,
        "channel": {"enum": ["counter", "online", "post"]},
        "online_source": {"enum": ["", "portal", "national_portal", "kiosk"]},
        "receiving_agency": _AGENCY,
        "settling_agency": _AGENCY,
        "current_agency": _AGENCY,
        "current_step": _STEP_OR_NULL,
        "applicant": APPLICANT,
        "authorised_person": {"anyOf": [{"type": "object"}, {"type": "null"}]},
        "submitted_by": _USERNAME_OR_NULL,
        "form_data": {"type": "object"},
        "external_id": {"type": "string", "maxLength": 64},
        "sets": {"type": "integer", "minimum": 1, "maximum": 32767},
        "submitted_at": _INSTANT_OR_NULL,
        "received_at": _INSTANT_OR_NULL,
        "clock_started_at": _INSTANT_OR_NULL,
        "appointment_at": _INSTANT_OR_NULL,
        "due_at": _INSTANT_OR_NULL,
        "step_due_at": _INSTANT_OR_NULL,
        "step_started_at": _INSTANT_OR_NULL,
        "paused_since": _INSTANT_OR_NULL,
        "status_before_pause": {"anyOf": [_STATUS, {"const": ""}]},
        "processed_at": _INSTANT_OR_NULL,
        "returned_at": _INSTANT_OR_NULL,
        "ended_at": _INSTANT_OR_NULL,
        "approved_at": _INSTANT_OR_NULL,
        "national_synced_at": _INSTANT_OR_NULL,
        "created_at": _INSTANT,
        "updated_at": _INSTANT,
        "supplement_count": {"type": "integer", "minimum": 0, "maximum": 32767},
        "intake_supplement_count": {"type": "integer", "minimum": 0, "maximum": 32767},
        "late_by_supplement": {"type": "boolean"},
        "reappointment_count": {"type": "integer", "minimum": 0, "maximum": 32767},
        "fee_vnd": _VND,
        "paid_vnd": _VND,
        "paid_online": {"type": "boolean"},
        "result_delivery": {"enum": ["", "in_person", "post", "online"]},
        "result_collected_by": {"type": "string", "maxLength": 255},
        "has_electronic_result": {"type": "boolean"},
        "result_pushed_to_warehouse": {"type": "boolean"},
        "components": {"type": "array", "items": COMPONENT},
        "pauses": {"type": "array", "items": PAUSE},
        "handovers": {"type": "array", "items": HANDOVER},
        "payments": {"type": "array", "items": PAYMENT},
        "rating": {"anyOf": [RATING, {"type": "null"}]},
        "feedback": {"type": "array", "items": FEEDBACK},
        "events": {"type": "array", "minItems": 1, "items": EVENT},
    }
)

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://motcua.example/schemas/motcua-dossier-1.json",
    "title": "MotCua dossier exchange line, format motcua-dossier/1",
    "description": (
        "One dossier with its complete history, one JSON object per line (JSON Lines). "
        "References are natural keys; see docs/exchange-format.md."
    ),
    **DOSSIER,
}


def schema_text() -> str:
    """The text of docs/exchange-format.schema.json."""
    return json.dumps(SCHEMA, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
