"""Rows of Form 07, the tracking book (Sổ theo dõi hồ sơ), for the PDF and the Excel export.

Circular 03/2025/TT-VPCP Appendix I, Form 07; columns as in the form: row,
dossier code, procedure, applicant, address/phone, lead agency, received, appointment,
returned, delivery method, signature.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet

from motcua.calendars.worktime import VN_TZ
from motcua.documents.rendering import fmt_date, fmt_datetime_short
from motcua.dossiers.models import Delivery, Dossier
from motcua.lib.errors import InvalidInput
from motcua.organizations.models import Agency

#: A book longer than a year is a report, not a book; it also bounds the PDF's size.
MAX_PERIOD_DAYS = 366

#: Vietnamese wording of the delivery method (Decree 118/2025 Art. 22: in person, post, online).
DELIVERY_VI: dict[str, str] = {
    Delivery.IN_PERSON: "Trực tiếp",
    Delivery.POST: "Qua dịch vụ bưu chính công ích",
    Delivery.ONLINE: "Trực tuyến",
}


@dataclass(frozen=True)
class BookRow:
    no: int
    dossier_code: str
    procedure: str
    applicant: str
    address_phone: str
    lead_agency: str
    received_at: datetime | None
    appointment_at: datetime | None
    new_due_at: datetime | None
    returned_at: datetime | None
    delivery: str
    signature: str

    @property
    def received_text(self) -> str:
        return fmt_datetime_short(self.received_at)

    @property
    def appointment_text(self) -> str:
        text = fmt_datetime_short(self.appointment_at)
        if self.new_due_at is not None:
            text += f" (hẹn lại: {fmt_date(self.new_due_at)})"
        return text

    @property
    def returned_text(self) -> str:
        return fmt_datetime_short(self.returned_at)


def check_period(agency: Agency | None, start: date, end: date) -> None:
    """Reject a book request that cannot be answered, with a clear message."""
    if agency is None:
        raise InvalidInput("Choose the agency whose tracking book to print.", code="agency_required")
    if not isinstance(start, date) or not isinstance(end, date):
        raise InvalidInput("The period needs a start date and an end date.", code="invalid_period")
    if start > end:
        raise InvalidInput(
            f"The period starts ({start:%d/%m/%Y}) after it ends ({end:%d/%m/%Y}).", code="invalid_period"
        )
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise InvalidInput(f"The period may span at most {MAX_PERIOD_DAYS} days.", code="period_too_long")


def book_dossiers(agency: Agency, start: date, end: date) -> QuerySet[Dossier]:
    """Dossiers received from `start` to `end` (inclusive, dates in Asia/Ho_Chi_Minh) that the
    agency received at its counter or settles: the one-stop unit keeps the book of what it
    receives, a competent agency the book of what it settles (Form 07 does not say which;
    MotCua shows both so a department sees dossiers received for it elsewhere)."""
    check_period(agency, start, end)
    since = datetime.combine(start, time.min, tzinfo=VN_TZ)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=VN_TZ)
    return (
        Dossier.objects.filter(Q(receiving_agency=agency) | Q(settling_agency=agency))
        .filter(received_at__gte=since, received_at__lt=until)
        .select_related("procedure_version", "applicant", "settling_agency")
        .order_by("received_at", "id")
    )


def book_row(dossier: Dossier, no: int) -> BookRow:
    applicant = dossier.applicant
    delivery = DELIVERY_VI.get(dossier.result_delivery, "") if dossier.result_delivery else ""
    new_due = dossier.due_at if dossier.reappointment_count and dossier.due_at != dossier.appointment_at else None
    return BookRow(
        no=no,
        dossier_code=dossier.code,
        procedure=dossier.procedure_version.name,
        applicant=applicant.full_name,
        address_phone=", ".join(part for part in (applicant.address, applicant.phone) if part),
        lead_agency=dossier.settling_agency.name,
        received_at=dossier.received_at,
        appointment_at=dossier.appointment_at,
        new_due_at=new_due,
        returned_at=dossier.returned_at,
        delivery=delivery,
        # The collector signs the paper book; the system records who collected the result.
        signature=dossier.result_collected_by if dossier.returned_at else "",
    )


def book_rows(agency: Agency, start: date, end: date) -> list[BookRow]:
    return [book_row(dossier, no) for no, dossier in enumerate(book_dossiers(agency, start, end).iterator(), 1)]
