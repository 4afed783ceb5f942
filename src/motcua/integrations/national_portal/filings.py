"""A dossier filed on the national portal, and the later requests on it (supplement,
withdrawal, stop), in MotCua's words, and their reading from the portal's records (field names
as in docs/integrations.md, "Receiving dossiers filed on the portal"): the one place that maps
them. The push endpoints (`integrations/api.py`) and the pull job (`inbound.py`) read them the
same way."""

from __future__ import annotations

import hashlib
import json
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


# ---------------------------------------------------------------- requests on a filed dossier
# What the applicant does later on the portal for a dossier it filed there: hands in a
# supplement, withdraws it, or asks to stop its settlement. The push endpoints name the kind
# by their path; the pull listing names it in `LoaiYeuCau`. The field names and these values
# are NOT CONFIRMED (no national contract is known): a province corrects them here.

#: `LoaiYeuCau` of a listed request -> MotCua's kind (`InboundRequestKind`).
REQUEST_KINDS = {"BoSung": "supplement", "RutHoSo": "withdrawal", "DungXuLy": "stop"}
#: The request's fields: the portal's own request code, its date, its text.
REQUEST_CODE, REQUEST_DATE, REQUEST_KIND = "MaYeuCau", "NgayYeuCau", "LoaiYeuCau"
REQUEST_TEXT = {"supplement": "NoiDungBoSung", "withdrawal": "LyDo", "stop": "LyDo"}


@dataclass(frozen=True)
class PortalRequest:
    kind: str  # "supplement", "withdrawal" or "stop"
    external_id: str  # the portal's dossier code (MaHoSo)
    text: str = ""  # what the applicant wrote: the supplement's note, the reason
    request_code: str = ""  # the portal's code of the request, when it gives one
    requested_at: datetime | None = None
    attachments: list[InboundAttachment] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The delivery's identity: the portal's request code, or a digest of what the request
        says: its kind, dossier, text, date and files by name (not their addresses, which a
        portal may sign anew for each delivery), so a second delivery has the same key."""
        if self.request_code:
            return f"{self.kind}:{self.request_code}"[:100]
        content = [
            self.kind,
            self.external_id,
            self.text,
            self.requested_at.isoformat() if self.requested_at else "",
            [[a.name, a.component_code] for a in self.attachments],
        ]
        digest = hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()
        return f"{self.kind}#{digest}"


def request_from_record(record: Any, *, kind: str | None = None, external_id: str | None = None) -> PortalRequest:
    """A request as the portal sends it: pushed (its kind and dossier code from the endpoint's
    path) or listed (`LoaiYeuCau`, `MaHoSo` in the record); `InvalidInput` if malformed."""
    if not isinstance(record, dict):
        raise InvalidInput("A request must be a JSON object.", code="validation_error")
    if kind is None:
        listed = record.get(REQUEST_KIND)
        kind = REQUEST_KINDS.get(listed) if isinstance(listed, str) else None
        if kind is None:
            raise InvalidInput(
                f"{REQUEST_KIND} must be one of {', '.join(REQUEST_KINDS)}, not {listed!r}.", code="validation_error"
            )
    files = record.get("TaiLieuNop") or []
    if kind != "supplement" and files:
        raise InvalidInput("Only a supplement brings files (TaiLieuNop).", code="validation_error")
    return PortalRequest(
        kind=kind,
        external_id=external_id if external_id is not None else _text(record, "MaHoSo", 64, required=True),
        text=_text(record, REQUEST_TEXT[kind], 2000),
        request_code=_text(record, REQUEST_CODE, 64),
        requested_at=instant(_text(record, REQUEST_DATE, 14), REQUEST_DATE),
        attachments=attachments_from(files),
    )
