"""A dossier filed on the national portal, in MotCua's words, and its reading from the portal's
record (field names as in docs/integrations.md, "Receiving dossiers filed on the portal"). The
push endpoint (`integrations/api.py`) and the pull job (`inbound.py`) read it the same way."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from motcua.lib.errors import InvalidInput

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class InboundAttachment:
    name: str
    url: str = ""
    component_code: str = ""


@dataclass(frozen=True)
class InboundFiling:
    external_id: str  # the portal's dossier code (MaHoSo)
    procedure_code: str
    agency_code: str  # the receiving agency's electronic code
    applicant_name: str
    applicant_id_number: str
    submitted_at: datetime | None = None
    phone: str = ""
    email: str = ""
    form_data: dict[str, Any] = field(default_factory=dict)
    attachments: list[InboundAttachment] = field(default_factory=list)


def instant(value: str, key: str = "NgayNopHoSo") -> datetime | None:
    """A portal date (`yyyyMMddHHmmss`, Vietnam time); None when empty."""
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=VN)
    except ValueError:
        raise InvalidInput(f"{key} must be yyyyMMddHHmmss, not {value!r}.", code="invalid_date") from None


def _text(record: dict[str, Any], key: str, limit: int, *, required: bool = False) -> str:
    value = record.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str) or len(value) > limit or (required and not value.strip()):
        raise InvalidInput(f"{key}: a text of at most {limit} characters is required.", code="validation_error")
    return value.strip()


def attachments_from(items: Any) -> list[InboundAttachment]:
    """`TaiLieuNop[]` as MotCua reads it."""
    if not isinstance(items, list) or len(items) > 200:
        raise InvalidInput("TaiLieuNop: a list of at most 200 files is expected.", code="validation_error")
    out = []
    for item in items:
        if not isinstance(item, dict):
            raise InvalidInput("TaiLieuNop: each file is an object.", code="validation_error")
        out.append(
            InboundAttachment(
                _text(item, "TenTepDinhKem", 4000, required=True),
                _text(item, "DuongDanTaiTepTin", 2000),
                _text(item, "MaThanhPhanHoSo", 100),
            )
        )
    return out


def filing_from_record(record: Any) -> InboundFiling:
    """A portal record as a filing; `InvalidInput` (validation_error, invalid_date) if malformed."""
    if not isinstance(record, dict):
        raise InvalidInput("A filed dossier must be a JSON object.", code="validation_error")
    form = record.get("DuLieuBieuMau") or {}
    if not isinstance(form, dict):
        raise InvalidInput("DuLieuBieuMau must be an object.", code="validation_error")
    return InboundFiling(
        external_id=_text(record, "MaHoSo", 64, required=True),
        procedure_code=_text(record, "MaTTHC", 20, required=True),
        agency_code=_text(record, "MaCoQuan", 40, required=True),
        applicant_name=_text(record, "ChuHoSo", 255, required=True),
        applicant_id_number=_text(record, "SoGiayToChuHoSo", 20),
        submitted_at=instant(_text(record, "NgayNopHoSo", 14)),
        phone=_text(record, "SoDienThoai", 30),
        email=_text(record, "Email", 254),
        form_data=form,
        attachments=attachments_from(record.get("TaiLieuNop") or []),
    )
