"""The schemas of the dossier API (`dossiers/api.py`): what a client sends to file a dossier
and what it reads back (a summary in lists, the detail with its timeline)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from motcua.dossiers.models import Channel, OnlineSource


class ApplicantIn(Schema):
    id_number: str = Field(description="12-digit personal ID, or an organisation's code.")
    full_name: str = Field(min_length=1, max_length=255)
    kind: str = "citizen"
    address: str = ""
    phone: str = ""
    email: str = ""


class ComponentInSchema(Schema):
    name: str = Field(min_length=1, max_length=500)
    required_document_id: int | None = None
    copies: int = Field(1, ge=1, le=50)
    provided: bool = True
    digitized: bool = False
    from_warehouse: bool = False
    reused_data: bool = False
    source_db_code: str = ""
    file_name: str = ""
    content_type: str = ""
    size_bytes: int = Field(0, ge=0)
    sha256: str = Field("", pattern=r"^([0-9a-f]{64})?$")


class DossierCreateIn(Schema):
    procedure: str = Field(description="Procedure code, d.dddddd; the version in force is used.")
    channel: Channel
    applicant: ApplicantIn | None = Field(None, description="Required unless a citizen files for themself.")
    receiving_agency: str | None = None
    settling_agency: str | None = None
    source: OnlineSource = OnlineSource.PORTAL
    external_id: str = ""
    form_data: dict[str, Any] = {}
    components: list[ComponentInSchema] = []
    authorised_person: dict[str, Any] | None = None
    sets: int = Field(1, ge=1, le=20)
    outcome: Literal["receive", "return_for_completion", "refuse"] = Field(
        "receive",
        description=(
            "Counter and post only: what the reception officer's check found. `receive` (complete: "
            "Form 01), `return_for_completion` (incomplete: Form 02 listing `items`) or `refuse` "
            "(Form 03 with `reason`, required). The last two keep the dossier but never receive it."
        ),
    )
    reason: str = Field("", max_length=4000)
    items: list[str] = []


class EventOut(Schema):
    seq: int
    action: str
    from_status: str
    to_status: str
    at: datetime
    actor: str
    actor_role: str
    actor_agency: str | None
    reason: str
    form: str
    data: dict[str, Any]


class ComponentOut(Schema):
    name: str
    copies: int
    provided: bool
    digitized: bool
    from_warehouse: bool
    reused_data: bool
    file_name: str


class DossierSummary(Schema):
    code: str
    status: str
    status_label: str
    national_status: int
    procedure: str
    procedure_name: str
    channel: str
    receiving_agency: str
    settling_agency: str
    current_agency: str
    applicant_name: str
    received_at: datetime | None
    appointment_at: datetime | None
    due_at: datetime | None


class DossierDetail(DossierSummary):
    version: int = Field(description="Changes with every action; send it back as `expected_version` or `If-Match`.")
    procedure_version: int
    online_source: str
    applicant_id_number: str
    current_step: str | None
    step_due_at: datetime | None
    submitted_at: datetime | None
    processed_at: datetime | None
    returned_at: datetime | None
    paused_since: datetime | None
    supplement_count: int
    late_by_supplement: bool
    reappointment_count: int
    fee_vnd: int
    paid_vnd: int
    form_data: dict[str, Any]
    components: list[ComponentOut]
    events: list[EventOut]
    allowed_actions: list[str]


class DossierPage(Schema):
    items: list[DossierSummary]
    next_cursor: str | None


class CommandOut(Schema):
    """What a command answers: the dossier's new state and the event it appended. The full
    detail (timeline, components, allowed actions) is `GET /api/v1/dossiers/{code}`."""

    code: str
    status: str
    status_label: str
    national_status: int
    version: int = Field(description="The dossier's new version: send it with the next command.")
    current_agency: str
    due_at: datetime | None
    appointment_at: datetime | None
    event: EventOut
