"""The schemas of the dossier API (`dossiers/api.py`): what a client sends to file a dossier
and what it reads back (a summary in lists, the detail with its timeline), and the input of
each command."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from motcua.api.types import Instant
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
    outside_hours_reason: str = Field(
        "",
        max_length=1000,
        description="Why a counter or postal dossier is received outside the agency's working hours (required then).",
    )


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
    apology_late: bool = Field(description="An apology (Form 04) was issued later than one working day before the due.")
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


# ------------------------------------------------------------------ command inputs


class CommandIn(Schema):
    expected_version: int | None = Field(
        None,
        ge=1,
        description=(
            "The dossier's `version` you read (in its detail). Required, here or as the `If-Match` "
            "header: without it the command is refused with 428 `version_required`. If the dossier "
            "changed since, the command is refused with 409 `dossier_changed`, naming who changed it and when."
        ),
    )


class ReasonIn(CommandIn):
    reason: str = Field("", max_length=4000)


class RequiredReasonIn(CommandIn):
    reason: str = Field(min_length=1, max_length=4000)


class SupplementIn(RequiredReasonIn):
    items: list[str] = []


class CompletionIn(CommandIn):
    items: list[str] = Field(description="What is missing, one item each: Form 02's numbered list.")
    reason: str = Field("", max_length=4000)


class ResubmitIn(CommandIn):
    note: str = ""
    components: list[ComponentInSchema] = []


class ReceiveIn(CommandIn):
    components: list[ComponentInSchema] | None = None
    outside_hours_reason: str = Field(
        "",
        max_length=1000,
        description="Why the dossier is received outside the agency's working hours (required then).",
    )


class ApplicantRequestIn(CommandIn):
    """The applicant's request to stop or withdraw (Circular 03/2025 Art. 7). An officer says
    how it came (`counter`, `post`) and when it was made; a citizen's or a connected system's
    request is online and made now."""

    channel: Channel | None = None
    requested_at: Instant | None = None


class RequestStopIn(ApplicantRequestIn):
    reason: str = Field(min_length=1, max_length=4000)


class StopIn(ApplicantRequestIn):
    reason: str = Field("", max_length=4000, description="Defaults to the reason of the recorded request.")


class WithdrawIn(ApplicantRequestIn):
    reason: str = Field("", max_length=4000)


class HandOverIn(CommandIn):
    to_step: str = ""
    to_agency: str | None = None
    note: str = ""


class PaymentRequestIn(CommandIn):
    amount_vnd: int | None = Field(None, gt=0)
    note: str = ""


class PaymentConfirmIn(CommandIn):
    amount_vnd: int = Field(gt=0)
    online: bool = False
    reference: str = ""


class ApologiseIn(RequiredReasonIn):
    new_due_at: Instant


class NoteIn(CommandIn):
    note: str = ""


class AcceptSupplementIn(NoteIn):
    outside_hours_reason: str = Field(
        "",
        max_length=1000,
        description="Why the supplement is received outside the agency's working hours (required then).",
    )


class FinishIn(NoteIn):
    electronic_result: bool = False


class AssignIn(NoteIn):
    assignee: str = Field("", description="Username of a specialist of the agency the dossier is at.")
    unit: str = Field("", description="Or the code of one of that agency's divisions.")


class ReturnIn(CommandIn):
    delivery: str = Field(
        "", description="in_person, post or online; empty: as the applicant chose (choose_delivery), else in_person."
    )
    collected_by: str = ""


class DeliveryChoiceIn(CommandIn):
    """How the applicant wants to receive the result, until it is returned."""

    delivery: str = Field(description="in_person, post (with `address`) or online, among the procedure's options.")
    address: str = Field("", max_length=500, description="The postal address, for `post`.")
