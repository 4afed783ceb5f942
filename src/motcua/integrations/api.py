"""Endpoints connected systems call (mounted at /api/v1/integrations by config/api.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from motcua.api.auth import REQUIRED, current_actor
from motcua.integrations.national_portal import conf
from motcua.integrations.national_portal.filings import filing_from_record, request_from_record
from motcua.integrations.national_portal.inbound import receive_filing, receive_request

router = Router(tags=["connected systems"], auth=REQUIRED)


class PortalAttachmentIn(Schema):
    TenTepDinhKem: str = Field(min_length=1, max_length=4000)
    DuongDanTaiTepTin: str = Field("", max_length=2000)
    MaThanhPhanHoSo: str = Field("", max_length=100)


class PortalDossierIn(Schema):
    """A dossier filed on the national portal. Field names follow the portal's record
    (docs/integrations.md); the agency field `MaCoQuan` is MotCua's choice (not confirmed)."""

    MaHoSo: str = Field(max_length=64)
    MaTTHC: str = Field(max_length=20)
    MaCoQuan: str = Field(max_length=40, description="Electronic code of the receiving agency.")
    ChuHoSo: str = Field(min_length=1, max_length=255)
    SoGiayToChuHoSo: str = Field("", max_length=20)
    SoDienThoai: str = Field("", max_length=30)
    Email: str = Field("", max_length=254)
    NgayNopHoSo: str = Field("", max_length=14, description="yyyyMMddHHmmss, Vietnam time.")
    DuLieuBieuMau: dict[str, Any] = Field(default_factory=dict)
    TaiLieuNop: list[PortalAttachmentIn] = Field(default_factory=list, max_length=200)


class PortalDossierOut(Schema):
    error_code: int  # 0 created, 1 already received (the portal's convention)
    message: str
    code: str  # MotCua's dossier code
    external_id: str


@router.post(
    "/national-portal/dossiers",
    response={200: PortalDossierOut, 201: PortalDossierOut},
    summary="Receive a dossier filed on the national portal (idempotent by MaHoSo)",
)
def national_portal_dossier(request: HttpRequest, body: PortalDossierIn) -> Status[dict[str, Any]]:
    filing = filing_from_record(body.dict())
    dossier, created = receive_filing(actor=current_actor(request), filing=filing, conf=conf.load())
    answer = {
        "error_code": 0 if created else 1,
        "message": "received" if created else "already received",
        "code": dossier.code,
        "external_id": dossier.external_id,
    }
    return Status(201 if created else 200, answer)


class PortalRequestIn(Schema):
    """A request made on the portal for a dossier filed there. `MaYeuCau` and `NgayYeuCau` are
    MotCua's choice of names (not confirmed): with a request code, a second delivery is
    recognised by it; without one, by everything the request says."""

    MaYeuCau: str = Field("", max_length=64, description="The portal's code of this request, if any.")
    NgayYeuCau: str = Field("", max_length=14, description="When the applicant made it, yyyyMMddHHmmss.")


class PortalSupplementIn(PortalRequestIn):
    NoiDungBoSung: str = Field("", max_length=2000)
    TaiLieuNop: list[PortalAttachmentIn] = Field(default_factory=list, max_length=200)


class PortalReasonIn(PortalRequestIn):
    LyDo: str = Field("", max_length=2000)


class PortalActionOut(Schema):
    error_code: int  # 0 done, 1 already done (a repeated delivery, or the dossier was there already)
    message: str
    code: str
    status: str


def _request(request: HttpRequest, kind: str, external_id: str, body: Schema) -> dict[str, Any]:
    portal_request = request_from_record(body.dict(), kind=kind, external_id=external_id)
    dossier, done = receive_request(actor=current_actor(request), request=portal_request, conf=conf.load())
    dossier.refresh_from_db()
    return {
        "error_code": 0 if done else 1,
        "message": "done" if done else "already done",
        "code": dossier.code,
        "status": dossier.status,
    }


@router.post(
    "/national-portal/dossiers/{external_id}/supplement",
    response=PortalActionOut,
    summary="The applicant handed in, on the national portal, the supplement a dossier filed there waits for",
)
def national_portal_supplement(request: HttpRequest, external_id: str, body: PortalSupplementIn) -> dict[str, Any]:
    return _request(request, "supplement", external_id, body)


@router.post(
    "/national-portal/dossiers/{external_id}/withdrawal",
    response=PortalActionOut,
    summary="The applicant withdrew, on the national portal, a dossier it had filed there",
)
def national_portal_withdrawal(request: HttpRequest, external_id: str, body: PortalReasonIn) -> dict[str, Any]:
    return _request(request, "withdrawal", external_id, body)


@router.post(
    "/national-portal/dossiers/{external_id}/stop-request",
    response=PortalActionOut,
    summary="The applicant asked, on the national portal, to stop the settlement of a dossier filed there",
)
def national_portal_stop_request(request: HttpRequest, external_id: str, body: PortalReasonIn) -> dict[str, Any]:
    return _request(request, "stop", external_id, body)
