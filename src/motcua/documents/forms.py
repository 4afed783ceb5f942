"""The seven forms of Circular 03/2025/TT-VPCP (Appendix I) as HTML and PDF.

Each form is built from what the dossier's history already holds: the services write the
issued form's content into the event that issued it (`event.form` = "01".."05",
`event.data["form"]`), and hand-overs are `Handover` rows. Nothing here changes a dossier;
a form that was never issued (Form 04 of a dossier with no apology) raises `NotFound`.

What is printed around each form's fields (number, title, legal basis, who signs) and its
template come from `registry.FORMS`. Forms 01–05 share one context builder
(`_issued_form`), which adds each form's own fields (`_FIELDS`); 06 and 07 are built from the
hand-over log and the tracking book. Fields follow the forms as reproduced in Decision
3621/QĐ-BYT; titles follow Circular 03/2025 Appendix I (docs/legal-basis.md#legal-forms).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from motcua.documents import tracking
from motcua.documents.qr import dossier_qr_svg
from motcua.documents.registry import FORM_CODES, FORMS, FormSpec
from motcua.documents.rendering import (
    date_line,
    fmt_date,
    fmt_datetime_short,
    fmt_time_date,
    form_css,
    html_to_pdf,
    local,
    parse_instant,
    print_css,
    svg_data_uri,
)
from motcua.dossiers.models import Dossier, DossierEvent, Handover, HandoverResult
from motcua.dossiers.services import handover_timeliness
from motcua.lib.errors import InvalidInput, NotFound
from motcua.organizations.models import Agency, AgencyKind
from motcua.organizations.selectors import user_full_name

#: The standalone document (print CSS inlined) that WeasyPrint renders; every form template
#: extends the frame it is given, this one by default.
STANDALONE_FRAME = "documents/base.html"

_UNIT_VI = {
    "working_days": "ngày làm việc",
    "working_hours": "giờ làm việc",
    "calendar_days": "ngày",
    "months": "tháng",
}

_HANDOVER_VI: dict[str, str] = {
    HandoverResult.EARLY: "Trước hạn",
    HandoverResult.ON_TIME: "Đúng hạn",
    HandoverResult.LATE: "Quá hạn",
}

#: Stripped from a unit's name to leave the place name of the date line ("Ủy ban nhân dân xã
#: An Hòa" -> "An Hòa", "UBND tỉnh Minh Hòa" -> "Minh Hòa"). Longest first.
_UNIT_WORDS = ("tỉnh", "thành phố", "xã", "phường", "đặc khu")
_PLACE_PREFIXES = (
    *(f"{body} {unit} " for body in ("ủy ban nhân dân", "ubnd") for unit in _UNIT_WORDS),
    *(f"{unit} " for unit in _UNIT_WORDS),
)


# ---------------------------------------------------------------- shared pieces


def _check_code(form_code: str) -> str:
    code = str(form_code or "").strip().upper()
    if code not in FORM_CODES:
        raise InvalidInput(
            f"There is no form {form_code!r}; Circular 03/2025 has forms 01 to 07, and TC is the refusal notice.",
            code="unknown_form",
            details={"forms": list(FORM_CODES)},
        )
    return code


def _locality(agency: Agency) -> Agency:
    """The administrative unit the agency sits in: the nearest commune (the agency itself, or
    the commune whose one-stop unit it is), else the province at the top of its tree."""
    if agency.kind == AgencyKind.COMMUNE:
        return agency
    ids = [int(part) for part in (agency.path or "").split("/") if part and int(part) != agency.pk]
    if not ids:
        return agency
    ancestors = {unit.pk: unit for unit in Agency.objects.filter(pk__in=ids)}
    for pk in reversed(ids):
        unit = ancestors.get(pk)
        if unit is not None and unit.kind == AgencyKind.COMMUNE:
            return unit
    return ancestors.get(ids[0], agency)


def _place(agency: Agency) -> str:
    """The place name of the date line (Decree 30/2020/NĐ-CP): the issuing unit's own locality,
    so a commune's forms name the commune and a provincial unit's the province."""
    name = _locality(agency).name
    lowered = name.lower()
    for prefix in _PLACE_PREFIXES:
        if lowered.startswith(prefix):
            return name[len(prefix) :].strip()
    return name


def agency_header(agency: Agency) -> dict[str, str]:
    """The issuing unit in capitals under its governing body (Decree 30/2020/NĐ-CP, Appendix I)."""
    parent = agency.parent
    return {
        "parent": parent.name.upper() if parent is not None else "",
        "name": agency.name.upper(),
        "address": agency.address,
        "phone": agency.phone,
    }


def _base(spec: FormSpec, agency: Agency, *, number: str = "", day: date | None = None, **extra: Any) -> dict[str, Any]:
    """What every form prints around its own fields: the registry entry and the issuing unit."""
    return {
        "form_code": spec.code,
        "form_label": spec.label,
        "form_source": spec.legal_basis,
        "title": spec.title,
        "signer_role": spec.signer_role,
        "co_signer_role": spec.co_signer_role,
        "signer_hint": spec.signer_hint,
        "signer_unit": agency.name.upper() if spec.for_unit else "",
        "agency": agency_header(agency),
        "number": number,
        "date_line": date_line(_place(agency), day) if day else "",
        "css": print_css(),
        "form_css": form_css(),
        "landscape": spec.landscape,
        **extra,
    }


def _issued_events(dossier: Dossier, code: str) -> list[DossierEvent]:
    events = dossier.events.select_related("actor_agency").order_by("-seq")
    if code == "01":
        # The receipt, the new one given with an accepted supplement, and in histories written
        # before an officer had to receive a completed dossier, a resubmission's receipt.
        return [
            event
            for event in events.filter(action__in=["receive", "resubmit", "accept_supplement"])
            if event.form == "01" or "appointment_at" in (event.data.get("form") or {})
        ]
    return list(events.filter(form=code))


def issued_event(dossier: Dossier, form_code: str, *, seq: int | None = None) -> DossierEvent:
    """The event that issued `form_code` (the latest one, or the one numbered `seq`)."""
    code = _check_code(form_code)
    events = _issued_events(dossier, code)
    if seq is not None:
        events = [event for event in events if event.seq == seq]
    if not events:
        which = f" at step {seq}" if seq is not None else ""
        raise NotFound(
            f"Dossier {dossier.code} has no Form {code}{which}: {FORMS[code].not_issued}.",
            code="form_not_issued",
            details={"dossier": dossier.code, "form": code},
        )
    return events[0]


def _number(code: str, event: DossierEvent, dossier: Dossier) -> str:
    """'02/BSHS-<dossier code>': the event's place in the dossier's history, the form's sign
    and the dossier code, so every issued form has a unique, stable number."""
    return f"{event.seq:02d}/{FORMS[code].number_sign}-{dossier.code}"


def _issuer(event: DossierEvent, dossier: Dossier) -> Agency:
    return event.actor_agency or dossier.receiving_agency


def _applicant(dossier: Dossier, stored: Any = None) -> dict[str, str]:
    """The applicant as printed on the form when it was issued, completed from the record."""
    person = dossier.applicant
    current = {
        "name": person.full_name,
        "id_number": person.id_number,
        "address": person.address,
        "phone": person.phone,
        "email": person.email,
    }
    if isinstance(stored, dict):
        return {key: str(stored.get(key) or value or "") for key, value in current.items()}
    if isinstance(stored, str) and stored:
        current["name"] = stored
    return current


def _authorised(value: Any) -> str:
    if not value:
        return ""
    if isinstance(value, dict):
        labels = {"name": "", "full_name": "", "id_number": "số định danh ", "phone": "điện thoại ", "address": ""}
        parts = [f"{labels.get(key, '')}{val}" for key, val in value.items() if val and key in labels]
        return ", ".join(parts) or ", ".join(str(val) for val in value.values() if val)
    return str(value)


def _time_limit(value: Any, dossier: Dossier) -> str:
    version = dossier.procedure_version
    amount = value.get("amount") if isinstance(value, dict) else None
    unit = value.get("unit") if isinstance(value, dict) else None
    amount = amount if amount is not None else version.time_limit_amount
    unit = unit or version.time_limit_unit
    return f"{amount} {_UNIT_VI.get(unit, unit)}"


# ---------------------------------------------------------------- forms 01–05


def _issued_form(dossier: Dossier, code: str, seq: int | None) -> dict[str, Any]:
    """Forms 01–05: what the issuing event stored (`event.data["form"]`), completed from the
    dossier, with the fields every one of them prints; `_FIELDS` adds each form's own."""
    spec = FORMS[code]
    event = issued_event(dossier, code, seq=seq)
    data = event.data.get("form") or {}
    # The receipt and the stop notice are the one-stop unit's, the refusal notice during
    # processing the competent agency's; the other forms are headed by the unit that acted.
    issuer = {"01": dossier.receiving_agency, "05": dossier.receiving_agency, "TC": dossier.settling_agency}.get(
        code
    ) or _issuer(event, dossier)
    applicant = _applicant(dossier, data.get("applicant"))
    if data.get("id_number"):
        applicant["id_number"] = str(data["id_number"])
    return _base(
        spec,
        issuer,
        number=_number(code, event, dossier),
        day=local(event.at).date(),
        dossier_code=data.get("dossier_code") or dossier.code,
        issuing_unit=issuer.name,
        applicant=applicant,
        matter=data.get("matter") or dossier.procedure_version.name,
        issued_text=fmt_time_date(event.at),
        signer=data.get("signed_by") or data.get("receiver") or event.actor_name,
        **_FIELDS[code](dossier, event, data),
    )


def _fields_01(dossier: Dossier, event: DossierEvent, data: dict[str, Any]) -> dict[str, Any]:
    received = parse_instant(data.get("received_at")) or dossier.received_at or event.at
    appointment = parse_instant(data.get("appointment_at")) or dossier.appointment_at
    code = data.get("dossier_code") or dossier.code
    return {
        "qr_src": svg_data_uri(dossier_qr_svg(code)),
        "receiving_unit": data.get("receiving_unit") or dossier.receiving_agency.name,
        "authorised_person": _authorised(data.get("authorised_person")),
        "procedure_code": data.get("procedure_code", ""),
        "components": _each_paper_once(data.get("components")),
        # A receipt issued when an officer accepted a supplement: the first receipt's date too.
        "first_received_text": fmt_time_date(first) if (first := parse_instant(data.get("first_received_at"))) else "",
        "sets": data.get("sets") or dossier.sets,
        "time_limit": _time_limit(data.get("time_limit"), dossier),
        "received_at": received,
        "received_text": fmt_time_date(received),
        "appointment_at": appointment,
        "appointment_text": fmt_time_date(appointment),
        "result_place": data.get("result_place") or dossier.receiving_agency.name,
        # One book per receiving unit and year; the entry is the daily receipt sequence.
        "book_no": f"{local(received):%Y}",
        # The entry number in the unit's book of the year (tracking.entry_numbers). Receipts
        # once stored the daily sequence of the dossier code, which repeats within a year.
        "entry_no": tracking.entry_number(dossier) or "",
    }


def _each_paper_once(components: Any) -> list[dict[str, Any]]:
    """Form 01 lists each paper once, even in receipts stored before the services merged the
    papers handed in again with a supplement (the later count wins)."""
    rows: dict[str, dict[str, Any]] = {}
    for item in components or []:
        if isinstance(item, dict):
            rows[" ".join(str(item.get("name", "")).split()).casefold()] = item
    return list(rows.values())


def _fields_02(dossier: Dossier, event: DossierEvent, data: dict[str, Any]) -> dict[str, Any]:
    issuer = _issuer(event, dossier)
    return {
        "items": [str(item) for item in data.get("items") or [] if str(item).strip()],
        "reasons": data.get("reasons") or event.reason,
        "contact": data.get("contact") or event.actor_name,
        "contact_phone": data.get("contact_phone") or issuer.phone,
        "phase": event.data.get("phase", ""),
    }


def _fields_03(dossier: Dossier, event: DossierEvent, data: dict[str, Any]) -> dict[str, Any]:
    return {"reasons": data.get("reasons") or event.reason}


def _fields_04(dossier: Dossier, event: DossierEvent, data: dict[str, Any]) -> dict[str, Any]:
    received = parse_instant(data.get("received_at")) or dossier.received_at
    original = parse_instant(data.get("original_appointment")) or dossier.appointment_at
    new_due = parse_instant(data.get("new_due_at")) or dossier.due_at
    return {
        "receiving_unit": dossier.receiving_agency.name,
        "received_date": fmt_date(received),
        "original_at": original,
        "original_text": fmt_time_date(original),
        "reason": data.get("reason") or event.reason,
        "new_due_at": new_due,
        "new_text": fmt_time_date(new_due),
    }


_REQUEST_CHANNEL_VI = {
    "counter": "trực tiếp tại Bộ phận Một cửa",
    "post": "qua dịch vụ bưu chính",
    "online": "trực tuyến",
}


def _fields_05(dossier: Dossier, event: DossierEvent, data: dict[str, Any]) -> dict[str, Any]:
    """Form 05, stop notice (Circular 03/2025 Art. 7): the applicant's ID number (stored with
    the form), the date and channel of the request, the reason and the date of the stop."""
    request = data.get("request") or event.data.get("request") or {}
    requested = parse_instant(request.get("requested_at"))
    return {
        "reason": data.get("reason") or event.reason,
        "requested_date": fmt_date(requested) if requested else "…",
        "request_channel": _REQUEST_CHANNEL_VI.get(str(request.get("channel") or ""), "…"),
        "stopped_at": event.at,
        "stopped_text": fmt_time_date(event.at),
    }


def _fields_tc(dossier: Dossier, event: DossierEvent, data: dict[str, Any]) -> dict[str, Any]:
    """The competent agency's refusal notice during processing: the reasons, signed for the
    agency (registry.FORMS["TC"])."""
    received = parse_instant(data.get("received_at")) or dossier.received_at
    return {
        "reasons": data.get("reasons") or event.reason,
        "competent_agency": data.get("competent_agency") or dossier.settling_agency.name,
        "receiving_unit": dossier.receiving_agency.name,
        "received_date": fmt_date(received) if received else "…",
    }


_FIELDS: dict[str, Callable[[Dossier, DossierEvent, dict[str, Any]], dict[str, Any]]] = {
    "01": _fields_01,
    "02": _fields_02,
    "03": _fields_03,
    "04": _fields_04,
    "05": _fields_05,
    "TC": _fields_tc,
}


# ---------------------------------------------------------------- form 06


def _receiver_name(events: list[DossierEvent], handover: Handover) -> str:
    """Hand-overs record the giver only. The receiver is the first officer of the receiving
    unit who acted on the dossier after the hand-over (empty until someone does)."""
    for event in events:
        if event.at > handover.at and event.actor_agency_id == handover.to_agency_id and event.actor_name:
            return event.actor_name
    return ""


def _result_rows(dossier: Dossier, events: list[DossierEvent]) -> list[dict[str, Any]]:
    """The last two lines of Form 06: the result handed back by the settling unit to the
    one-stop unit (the `finish` event), and returned by the one-stop unit to the applicant
    (the `return_result` event), each measured against the dossier's due time."""
    rows: list[dict[str, Any]] = []
    finished = next((e for e in reversed(events) if e.action == "finish"), None)
    returned = next((e for e in reversed(events) if e.action == "return_result"), None)
    one_stop = dossier.receiving_agency
    if finished is not None:
        settled_by = finished.actor_agency or dossier.settling_agency
        result = handover_timeliness(finished.at, dossier.due_at)
        rows.append(
            {
                "from_unit": f"{settled_by.name} (trả kết quả)",
                "to_unit": f"{one_stop.name} (Bộ phận Một cửa)",
                "at": finished.at,
                "time": fmt_datetime_short(finished.at),
                "result_code": result,
                "result": _HANDOVER_VI.get(result, result),
                "note": "Chuyển kết quả giải quyết về Bộ phận Một cửa",
                "giver": finished.actor_name,
                "receiver": _received_by(events, finished, one_stop.pk),
            }
        )
    if returned is not None:
        result = handover_timeliness(returned.at, dossier.due_at)
        rows.append(
            {
                "from_unit": f"{one_stop.name} (Bộ phận Một cửa)",
                "to_unit": "Tổ chức, cá nhân",
                "at": returned.at,
                "time": fmt_datetime_short(returned.at),
                "result_code": result,
                "result": _HANDOVER_VI.get(result, result),
                "note": "Trả kết quả cho tổ chức, cá nhân",
                "giver": returned.actor_name,
                "receiver": str(returned.data.get("collected_by") or dossier.result_collected_by or ""),
            }
        )
    return rows


def _received_by(events: list[DossierEvent], after: DossierEvent, agency_id: int) -> str:
    """The first officer of `agency_id` who acted on the dossier after `after`."""
    for event in events:
        if event.seq > after.seq and event.actor_agency_id == agency_id and event.actor_name:
            return event.actor_name
    return ""


def _form_06(dossier: Dossier) -> dict[str, Any]:
    """Form 06, control sheet: opened with the receipt, one line per hand-over."""
    if dossier.received_at is None:
        raise NotFound(
            f"Dossier {dossier.code} has no Form 06: it has not been received yet.",
            code="form_not_issued",
            details={"dossier": dossier.code, "form": "06"},
        )
    handovers = list(
        Handover.objects.filter(dossier=dossier)
        .select_related("from_agency", "to_agency", "given_by", "from_step", "to_step")
        .order_by("at", "id")
    )
    events = list(dossier.events.order_by("seq"))
    rows = []
    for handover in handovers:
        giver = handover.given_by
        from_unit = handover.from_agency.name + (f" ({handover.from_step.name})" if handover.from_step else "")
        to_unit = handover.to_agency.name + (f" ({handover.to_step.name})" if handover.to_step else "")
        rows.append(
            {
                "from_unit": from_unit,
                "to_unit": to_unit,
                "at": handover.at,
                "time": fmt_datetime_short(handover.at),
                "result_code": handover.result,
                "result": _HANDOVER_VI.get(handover.result, handover.result),
                "note": handover.note,
                "giver": user_full_name(giver) if giver else "",
                "receiver": _receiver_name(events, handover),
            }
        )
    rows += _result_rows(dossier, events)
    main = {dossier.receiving_agency_id, dossier.settling_agency_id}
    coordinating: list[str] = []
    for handover in handovers:
        for agency in (handover.from_agency, handover.to_agency):
            if agency.pk not in main and agency.name not in coordinating:
                coordinating.append(agency.name)
    new_due = dossier.due_at if dossier.reappointment_count else None
    return _base(
        FORMS["06"],
        dossier.receiving_agency,
        day=local(dossier.received_at).date(),
        dossier_code=dossier.code,
        applicant=_applicant(dossier),
        matter=dossier.procedure_version.name,
        lead_agency=dossier.settling_agency.name,
        coordinating=coordinating,
        received_text=fmt_time_date(dossier.received_at),
        appointment_text=fmt_time_date(dossier.appointment_at),
        new_due_text=fmt_time_date(new_due) if new_due else "",
        rows=rows,
    )


# ---------------------------------------------------------------- form 07


def tracking_book_context(
    agency: Agency, start: date, end: date, *, field_code: str = "", day: date | None = None
) -> dict[str, Any]:
    """Form 07 of a one-stop unit for a period (inclusive, dates in Asia/Ho_Chi_Minh),
    optionally of one field (lĩnh vực); `day` is the date printed (today by default)."""
    rows = tracking.book_rows(agency, start, end, field_code=field_code)
    return _base(
        FORMS["07"],
        agency,
        day=day or local(timezone.now()).date(),
        dossier_code="",
        period_text=tracking.book_heading(start, end, field_code),
        rows=rows,
    )


def _form_07(dossier: Dossier) -> dict[str, Any]:
    """The dossier's own line of the receiving unit's tracking book."""
    if dossier.received_at is None:
        raise NotFound(
            f"Dossier {dossier.code} is not in a tracking book: it has not been received yet.",
            code="form_not_issued",
            details={"dossier": dossier.code, "form": "07"},
        )
    received: datetime = dossier.received_at
    return _base(
        FORMS["07"],
        dossier.receiving_agency,
        day=local(timezone.now()).date(),
        dossier_code=dossier.code,
        period_text=f"Quyển số: {local(received):%Y} – Ngày {fmt_date(received)}",
        rows=[tracking.book_row(dossier, tracking.entry_number(dossier) or 0)],
    )


# ---------------------------------------------------------------- public API


def form_context(dossier: Dossier, form_code: str, *, seq: int | None = None) -> dict[str, Any]:
    """Everything printed on `form_code` ("01".."07") for `dossier`.

    `seq` picks one issued form when there were several (e.g. two supplement requests);
    by default the latest. Raises `InvalidInput` for an unknown form code and `NotFound`
    when the dossier never had that form.
    """
    if not isinstance(dossier, Dossier) or dossier.pk is None:
        raise InvalidInput("A saved dossier is needed to print a form.", code="dossier_required")
    code = _check_code(form_code)
    if code == "06":
        return _form_06(dossier)
    if code == "07":
        return _form_07(dossier)
    return _issued_form(dossier, code, seq)


def render_form(
    context: dict[str, Any],
    *,
    frame: str = STANDALONE_FRAME,
    request: HttpRequest | None = None,
    extra: dict[str, Any] | None = None,
) -> str:
    """A form's context through its one template (`registry.FORMS[code].template`), in `frame`:
    the standalone document by default, or a page frame that extends the site's layout."""
    template = FORMS[context["form_code"]].template
    return render_to_string(template, {**context, **(extra or {}), "frame": frame}, request=request)


def render_form_html(
    dossier: Dossier,
    form_code: str,
    *,
    seq: int | None = None,
    frame: str = STANDALONE_FRAME,
    request: HttpRequest | None = None,
    extra: dict[str, Any] | None = None,
) -> str:
    """The form as HTML: by default one self-contained document (print CSS inlined, QR
    embedded) for print and PDF; with the portal's `frame`, the printed page."""
    return render_form(form_context(dossier, form_code, seq=seq), frame=frame, request=request, extra=extra)


def render_form_pdf(dossier: Dossier, form_code: str, *, seq: int | None = None) -> bytes:
    return html_to_pdf(render_form_html(dossier, form_code, seq=seq))


def render_tracking_book_html(agency: Agency, start: date, end: date, *, field_code: str = "") -> str:
    return render_form(tracking_book_context(agency, start, end, field_code=field_code))


def render_tracking_book_pdf(agency: Agency, start: date, end: date, *, field_code: str = "") -> bytes:
    """Form 07 for a one-stop unit and period (optionally one field), as PDF."""
    return html_to_pdf(render_tracking_book_html(agency, start, end, field_code=field_code))
