"""The field mapping between MotCua and the national portal, in one place.

Field names follow the best available evidence of the portal's contract (docs/integrations.md,
"National Public Service Portal"); a province corrects them here against its own integration
guide. Dates are `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from motcua.dossiers.models import CHANNEL_CODE, NATIONAL_STATUS, Channel, Dossier, DossierEvent, Status
from motcua.people.models import PersonKind

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y%m%d%H%M%S"

#: LoaiDoiTuong: 1 citizen, 2 business, 3 state agency, 4 organisation or other.
APPLICANT_KIND = {PersonKind.CITIZEN: "1", PersonKind.ORGANISATION: "4"}


def portal_date(instant: datetime | None) -> str:
    return instant.astimezone(VN).strftime(DATE_FORMAT) if instant else ""


def _flag(value: bool) -> str:
    return "1" if value else "0"


def status_code(status: str) -> str:
    return str(NATIONAL_STATUS[Status(status)][0])


def dossier_record(dossier: Dossier, *, base_url: str = "") -> dict[str, Any]:
    """The `DongBoHoSoMC` record of a dossier as it stands now."""
    version = dossier.procedure_version
    applicant = dossier.applicant
    components = list(dossier.components.all())
    fees = list(version.fees.all())
    return {
        "MaHoSo": dossier.code,
        "MaTTHC": version.procedure.code,
        "TenTTHC": version.name[:500],
        "MaLinhVuc": version.field.code,
        "TenLinhVuc": version.field.name,
        "SoBienNhan": "",
        "KenhThucHien": str(CHANNEL_CODE[Channel(dossier.channel)]),
        "ChuHoSo": applicant.full_name,
        "SoGiayToChuHoSo": applicant.id_number,
        "LoaiDoiTuong": APPLICANT_KIND.get(PersonKind(applicant.kind), "4"),
        "MaDoiTuong": "",
        "ThongTinKhac": "",
        "Email": applicant.email,
        "Fax": "",
        "SoDienThoai": applicant.phone,
        "TrichYeuHoSo": (version.name or "Dinhkem")[:1000],
        "NgayNopHoSo": portal_date(dossier.submitted_at or dossier.received_at),
        "NgayTiepNhan": portal_date(dossier.received_at),
        "NgayHenTra": portal_date(dossier.appointment_at),
        "NgayTra": portal_date(dossier.returned_at),
        "NgayKetThucXuLy": portal_date(dossier.processed_at or dossier.ended_at),
        "NgayTuChoi": portal_date(dossier.ended_at) if dossier.status == Status.REFUSED else "",
        "TrangThaiHoSo": status_code(dossier.status),
        "ThongTinTra": "",
        "HinhThuc": "1" if dossier.result_delivery == "post" else "0",
        "DonViXuLy": dossier.settling_agency.name,
        "TaiLieuNop": [
            {
                "TepDinhKemId": str(c.pk),
                "TenTepDinhKem": (c.file_name or c.name)[:4000],
                "IsDeleted": "False",
                "MaThanhPhanHoSo": str(c.required_document_id or ""),
                "DuongDanTaiTepTin": f"{base_url}/files/components/{c.pk}" if c.file else "",
                "DuocSoHoa": _flag(c.digitized),
                "DuocTaiSuDung": _flag(c.reused_data),
                "DuocLayTuKhoDMQG": _flag(c.from_warehouse),
            }
            for c in components
        ],
        "DanhSachLePhi": [
            {
                "TenPhiLePhi": f.name,
                "MaPhiLePhi": str(f.pk),
                "HinhThucThu": "1",
                "Gia": f.amount_vnd,
                "LoaiPhiLePhi": "1",
            }
            for f in fees
        ],
        "DanhSachGiayToKetQua": (
            [
                {
                    "TenGiayTo": version.result_name,
                    "MaThanhPhanHoSo": "",
                    "GiayToId": dossier.code,
                    "DuongDanTepTinKetQua": "",
                }
            ]
            if dossier.status in (Status.PROCESSED, Status.RETURNED) and version.result_name
            else []
        ),
        "HoSoCoThanhPhanSoHoa": _flag(any(c.digitized for c in components)),
        "TaiKhoanDuocXacThucVoiVNeID": _flag(applicant.verified_by_national_identity),
        "DuocThanhToanTrucTuyen": "1" if dossier.paid_online else "0",
    }


def progress_record(event: DossierEvent, dossier: Dossier) -> dict[str, Any]:
    """The `CapNhatTienDoHoSoMC` step of one dossier event."""
    return {
        "MaHoSo": dossier.code,
        "NguoiXuLy": (event.actor_name or "Chuyên viên")[:50],
        "ChucDanh": event.actor_role,
        "ThoiDiemXuLy": portal_date(event.at),
        "PhongBanXuLy": event.actor_agency.name if event.actor_agency else "",
        "NoiDungXuLy": (event.reason or event.action)[:2000],
        "TrangThai": status_code(event.to_status),
        "NgayBatDau": portal_date(event.at),
        "NgayKetThucTheoQuyDinh": portal_date(dossier.step_due_at),
    }
