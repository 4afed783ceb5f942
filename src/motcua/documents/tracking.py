"""Rows of Form 07, the tracking book (Sổ theo dõi hồ sơ), for the PDF and the Excel export.

One book per one-stop unit and year; entries numbered in order of receipt, never twice in a
book; a field (lĩnh vực) or a shorter period selects rows and keeps their numbers.

Circular 03/2025/TT-VPCP Appendix I, Form 07; columns as in the form: row,
dossier code, procedure, applicant, address/phone, lead agency, received, appointment,
returned, delivery method, signature.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet

from motcua.calendars.worktime import VN_TZ
from motcua.catalog.models import Field
from motcua.documents.rendering import fmt_date, fmt_datetime_short, local
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


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=VN_TZ), datetime(year + 1, 1, 1, tzinfo=VN_TZ)


def entry_numbers(agency: Agency, year: int) -> dict[int, int]:
    """The book of a one-stop unit for a year: dossier id -> entry number. Entries are numbered
    from 1 in the order the unit received the dossiers (time of receipt, then id), so within
    one book (unit, year) a number is never given twice."""
    since, until = _year_bounds(year)
    ids = (
        Dossier.objects.filter(receiving_agency=agency, received_at__gte=since, received_at__lt=until)
        .order_by("received_at", "id")
        .values_list("pk", flat=True)
    )
    return {pk: number for number, pk in enumerate(ids.iterator(), 1)}


def entry_number(dossier: Dossier) -> int | None:
    """The dossier's entry number in its receiving unit's book of the year it was received."""
    if dossier.received_at is None:
        return None
    return entry_numbers(dossier.receiving_agency, local(dossier.received_at).year).get(dossier.pk)


def book_dossiers(agency: Agency, start: date, end: date, *, field_code: str = "") -> QuerySet[Dossier]:
    """Dossiers the one-stop unit `agency` received from `start` to `end` (inclusive, dates in
    Asia/Ho_Chi_Minh), of one field (lĩnh vực) when `field_code` is given. Form 07 is the
    book of the one-stop unit that receives the dossiers; one book per unit and year."""
    check_period(agency, start, end)
    since = datetime.combine(start, time.min, tzinfo=VN_TZ)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=VN_TZ)
    dossiers = Dossier.objects.filter(receiving_agency=agency, received_at__gte=since, received_at__lt=until)
    if field_code:
        dossiers = dossiers.filter(procedure_version__field__code=field_code)
    return dossiers.select_related("procedure_version", "applicant", "settling_agency").order_by("received_at", "id")


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


def book_rows(agency: Agency, start: date, end: date, *, field_code: str = "") -> list[BookRow]:
    """The rows of the book for the period, each with its entry number in the unit's book of
    its year (a field filter or a shorter period keeps the book's numbers)."""
    dossiers = list(book_dossiers(agency, start, end, field_code=field_code))
    numbers: dict[int, int] = {}
    for year in sorted({local(d.received_at).year for d in dossiers if d.received_at is not None}):
        numbers.update(entry_numbers(agency, year))
    return [book_row(dossier, numbers.get(dossier.pk, 0)) for dossier in dossiers]


def book_heading(start: date, end: date, field_code: str) -> str:
    """'Quyển số: 2026 – Từ ngày ... đến ngày ... – Lĩnh vực: ...': the book is the year's."""
    years = "–".join(sorted({str(start.year), str(end.year)}))
    text = f"Quyển số: {years} – Từ ngày {fmt_date(start)} đến ngày {fmt_date(end)}"
    if field_code:
        name = Field.objects.filter(code=field_code).values_list("name", flat=True).first() or field_code
        text += f" – Lĩnh vực: {name}"
    return text


def year_period(year: int) -> tuple[date, date]:
    """The whole book of a year: 1 January to 31 December."""
    return date(year, 1, 1), date(year, 12, 31)
