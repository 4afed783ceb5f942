"""One-stop counter (bộ phận một cửa): check walk-in, postal and online dossiers, then receive
them (Form 01), return them to be completed (Form 02) or refuse them (Form 03), without
receiving them; return results.

Decree 118/2025/NĐ-CP Art. 11–12 (reception, receipt, supplement, refusal) and Art. 18
(return of results); forms of Circular 03/2025/TT-VPCP Appendix I.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import eforms
from motcua.catalog.models import CompetentLevel, ProcedureVersion
from motcua.catalog.selectors import procedure_search_ranked, published_versions, version_in_force
from motcua.documents.forms import render_form_html
from motcua.documents.registry import ISSUED_FORMS
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.dossiers.selectors import (
    RECEPTION_WAIT_COLUMNS,
    dossier_for,
    dossier_timeline,
    dossiers_visible_to,
    reception_waits,
    search_condition,
    working_time_until,
)
from motcua.dossiers.workflow import Action
from motcua.lib.errors import DomainError, InvalidInput
from motcua.lib.uploads import upload_problem
from motcua.organizations.models import Agency, Role
from motcua.people.services import person_find_or_create
from motcua.portal.inputs import CounterIntakeForm, error_links
from motcua.portal.views.common import actor_of, domain_errors_as_pages, error_text, officer_required

PRINTABLE_FORMS = ISSUED_FORMS


def _reception_agencies(request: HttpRequest) -> list[Agency]:
    ids = actor_of(request).agency_ids({Role.RECEPTION})
    return list(Agency.objects.filter(pk__in=ids).order_by("code"))


@officer_required
def home(request: HttpRequest) -> HttpResponse:
    """The counter's queues: online dossiers to check, results to return, supplements awaited."""
    agencies = _reception_agencies(request)
    ids = [a.pk for a in agencies]
    search = " ".join(request.GET.get("q", "").split())[:64]
    mine = (
        dossiers_visible_to(actor_of(request))
        .filter(receiving_agency_id__in=ids)
        .filter(search_condition(search))
        .select_related("procedure_version", "applicant")
    )
    queues = [
        (
            "online",
            _("Online dossiers awaiting reception"),
            mine.filter(status=Status.SUBMITTED).order_by("submitted_at"),
        ),
        (
            "received",
            _("Received, to forward for processing"),
            mine.filter(status=Status.RECEIVED).order_by("received_at"),
        ),
        ("results", _("Results ready to return"), mine.filter(status=Status.PROCESSED).order_by("processed_at")),
        (
            "supplements",
            _("Supplements handed in, to check"),
            mine.filter(status=Status.SUPPLEMENT_SUBMITTED).order_by("updated_at"),
        ),
        ("waiting", _("Waiting for the applicant's supplement"), mine.filter(status=Status.SUPPLEMENT_REQUESTED)),
        (
            "returned",
            _("Returned for completion, not received"),
            mine.filter(status=Status.RETURNED_FOR_COMPLETION).order_by("-updated_at"),
        ),
    ]
    return render(
        request,
        "portal/counter/home.html",
        {
            "agencies": agencies,
            "search": search,
            "queues": [(key, title, _with_time_left(rows[:50])) for key, title, rows in queues],
        },
    )


def _with_time_left(rows: Iterable[Dossier]) -> list[Dossier]:
    """The rows, each with `left`, the working time to its due instant (its deadline badge),
    and `wait`, how long one waiting for reception has waited (dossiers.selectors.reception_waits)."""
    now = timezone.now()
    listed = list(rows)
    waits = reception_waits([{name: getattr(r, name) for name in RECEPTION_WAIT_COLUMNS} for r in listed], now)
    for row in listed:
        row.left = working_time_until(row.due_at, row.settling_agency_id, now)  # type: ignore[attr-defined]
        row.wait = waits.get(row.pk)  # type: ignore[attr-defined]
    return listed


def _intake_context(
    version: ProcedureVersion | None,
    form: CounterIntakeForm,
    errors: dict[str, str] | None = None,
    data: dict[str, Any] | None = None,
    component_errors: dict[int, str] | None = None,
    checked: set[str] | None = None,
    rows: dict[str, int] | None = None,
    added: str = "",
    typed: dict[str, str] | None = None,
) -> dict[str, Any]:
    fields = (
        eforms.build_fields(
            version.e_form_schema, data or {}, errors or {}, rows=rows, added=added, can_add=True, typed=typed
        )
        if version
        else []
    )
    documents = list(version.documents.all()) if version else []
    return {
        "versions": published_versions().order_by("procedure__code"),
        "version": version,
        "form": form,
        "fields": fields,
        "error_list": [
            *error_links(form),
            *eforms.error_links(fields),
            *[
                (f"component-{doc.pk}", f"{doc.name}: {(component_errors or {})[doc.pk]}")
                for doc in documents
                if doc.pk in (component_errors or {})
            ],
        ],
        "documents": documents,
        "component_errors": component_errors or {},
        "checked": checked or set(),
        "commune_level": version is not None and version.competent_level == CompetentLevel.COMMUNE,
    }


#: The three outcomes of checking a dossier at the counter (Decree 118/2025 Art. 11): only a
#: complete one is received; the others are kept but never received.
OUTCOMES = ("receive", "return", "refuse", "refuse_confirmed")


@officer_required
def new(request: HttpRequest) -> HttpResponse:
    """Check a walk-in or postal dossier: applicant, procedure, checked components, scans;
    then receive it (Form 01), return it to be completed (Form 02) or refuse it (Form 03,
    after a confirmation step). Nothing is received, and no clock starts, unless it is complete."""
    agencies = _reception_agencies(request)
    if not agencies:
        return render(
            request, "portal/error.html", {"message": _("Only reception officers receive dossiers.")}, status=403
        )
    find = " ".join(request.GET.get("find", "").split())[:100]
    if "find" in request.GET and (getattr(request, "htmx", False) or request.GET.get("list")):
        # The picker: as the officer types (HTMX) only the list; without JavaScript the page.
        picked = {"versions": procedure_search_ranked(q=find), "version": None, "find": find}
        if getattr(request, "htmx", False):
            return render(request, "portal/partials/procedure_picker.html", picked)
        return render(request, "portal/counter/new.html", {**_intake_context(None, CounterIntakeForm()), **picked})
    code = (request.POST.get("procedure") or request.GET.get("procedure") or "").strip()
    version = None
    if code:
        try:
            version = version_in_force(code)
        except DomainError as error:
            messages.error(request, error_text(error))
    if request.method != "POST" or version is None:
        return render(request, "portal/counter/new.html", _intake_context(version, CounterIntakeForm()))
    form = CounterIntakeForm(request.POST)
    data, shape_errors = eforms.parse(version.e_form_schema, request.POST)
    errors = {**eforms.localised_errors(version.e_form_schema, data), **shape_errors} if version.e_form_schema else {}
    checked = set(request.POST.getlist("component"))
    rows, added = eforms.rows_requested(version.e_form_schema, request.POST)
    if added:
        # "Add a row": the same page with one more row and everything typed kept; nothing is
        # received. A browser cannot refill file inputs, so the officer is told to pick scans again.
        if request.FILES:
            messages.warning(request, _("A row was added. Choose the scanned files again before receiving."))
        context = _intake_context(version, CounterIntakeForm(request.POST), {}, data, {}, checked, rows, added)
        context["error_list"] = []  # nothing was checked yet: no error summary
        return render(request, "portal/counter/new.html", context)
    outcome = str(request.POST.get("outcome")) if request.POST.get("outcome") in OUTCOMES else "receive"
    # Refusing takes two presses: "refuse" shows what Form 03 will say, "refuse_confirmed" issues it.
    confirmed = outcome == "refuse_confirmed"
    outcome = "refuse" if confirmed else outcome
    complete = outcome == "receive"
    components, component_errors = _components(request, version, checked, data, complete=complete)
    if not complete:
        errors = {}  # an incomplete declaration is one more reason to return or refuse it
        data = data if not eforms.localised_errors(version.e_form_schema, data) else {}
    valid = form.is_valid()
    context = _intake_context(version, form, errors, data, component_errors, checked, typed=shape_errors.typed)
    context.update(_outcome_context(request, version, checked, data))
    if not valid or errors or component_errors:
        return render(request, "portal/counter/new.html", context, status=422)
    if outcome == "refuse" and not confirmed:
        # The confirmation step: the same form, everything kept, and one more button.
        if not context["reason"]:
            messages.error(request, _("Write the specific reasons of the refusal; Form 03 states them."))
            return render(request, "portal/counter/new.html", context, status=422)
        context["confirming"] = True
        return render(request, "portal/counter/new.html", context)
    try:
        dossier = _file_at_counter(request, version, agencies[0], form.cleaned_data, data, components, outcome, context)
    except DomainError as error:
        messages.error(request, error_text(error))
        return render(request, "portal/counter/new.html", context, status=422)
    if outcome == "receive":
        messages.success(
            request, _("Dossier %(code)s received. Print the receipt for the applicant.") % {"code": dossier.code}
        )
        return redirect("portal:receipt", code=dossier.code)
    if outcome == "return":
        note = _("Dossier %(code)s was not received: print Form 02 for the applicant to complete it.")
    else:
        note = _("Dossier %(code)s was refused: print Form 03 for the applicant.")
    messages.success(request, note % {"code": dossier.code})
    event = dossier.events.order_by("-seq").first()
    assert event is not None
    return redirect("portal:form-print", code=dossier.code, seq=event.seq)


def _outcome_context(
    request: HttpRequest, version: ProcedureVersion, checked: set[str], form_data: dict[str, Any]
) -> dict[str, Any]:
    """What the officer wrote for a dossier not received: the missing items (the unticked
    papers this dossier requires first, then the lines typed) and the reasons."""
    typed = [line.strip() for line in request.POST.get("items", "").splitlines() if line.strip()]
    missing = [
        doc.name for doc in version.documents.all() if doc.required_for(form_data) and str(doc.pk) not in checked
    ]
    return {
        "items_text": request.POST.get("items", ""),
        "items": [*missing, *typed],
        "reason": request.POST.get("reason", "").strip()[:4000],
        "confirming": False,
    }


def _file_at_counter(
    request: HttpRequest,
    version: ProcedureVersion,
    receiving: Agency,
    cleaned: dict[str, Any],
    data: dict[str, Any],
    components: list[ds.ComponentIn],
    outcome: str,
    context: dict[str, Any],
) -> Dossier:
    """Record the applicant and the dossier with the outcome of the check, in one transaction:
    a refused command leaves no new applicant behind."""
    settling = None
    if version.competent_level == CompetentLevel.COMMUNE and cleaned.get("settling_agency"):
        settling = Agency.objects.filter(pk=cleaned["settling_agency"]).first()
    with transaction.atomic():
        applicant = person_find_or_create(
            id_number=cleaned["id_number"],
            full_name=cleaned["full_name"],
            address=cleaned.get("address", ""),
            phone=cleaned.get("phone", ""),
            email=cleaned.get("email", ""),
        )
        common: dict[str, Any] = {
            "actor": actor_of(request),
            "version": version,
            "applicant": applicant,
            "receiving_agency": receiving,
            "settling_agency": settling,
            "channel": cleaned["channel"],
            "form_data": data,
            "components": components,
            "sets": cleaned["sets"],
        }
        if outcome == "receive":
            return ds.dossier_register(**common, outside_hours_reason=cleaned.get("outside_hours_reason", ""))
        action = Action.RETURN_FOR_COMPLETION if outcome == "return" else Action.REFUSE
        return ds.dossier_register_not_received(
            **common, action=action, reason=context["reason"], items=context["items"]
        )


def _components(
    request: HttpRequest,
    version: ProcedureVersion,
    checked: set[str],
    form_data: dict[str, Any],
    *,
    complete: bool = True,
) -> tuple[list[ds.ComponentIn], dict[int, str]]:
    """The papers the officer ticked, with their scans, and what is wrong with each. Only a
    dossier to receive (`complete`) must have ticked every paper it requires (mandatory, or
    conditional and met by the declaration typed in `form_data`)."""
    component_errors: dict[int, str] = {}
    components: list[ds.ComponentIn] = []
    for doc in version.documents.all():
        upload = request.FILES.get(f"scan-{doc.pk}")
        if upload is not None and (problem := upload_problem(upload)):
            component_errors[doc.pk] = problem
        if str(doc.pk) not in checked:
            if complete and doc.required_for(form_data):
                component_errors.setdefault(
                    doc.pk, _("Tick this paper once checked; if it is missing, the dossier cannot be received.")
                )
            continue
        components.append(
            ds.ComponentIn(
                name=doc.name,
                required_document_id=doc.pk,
                copies=doc.copies,
                file=upload,
                file_name=(upload.name or "scan")[:255] if upload else "",
                content_type=(upload.content_type or "") if upload else "",
            )
        )
    return components, component_errors


@officer_required
@domain_errors_as_pages
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """Form 01 of the dossier: its latest receipt."""
    dossier = dossier_for(actor_of(request), code)
    receipts = [e for e in printable_events(dossier_timeline(dossier)) if form_code_of(e) == "01"]
    if not receipts:
        raise InvalidInput("no receipt", code="no_receipt")
    event = receipts[-1]
    return redirect("portal:form-print", code=code, seq=event.seq)


def form_code_of(event: Any) -> str:
    """The form an event issued. In histories written before an officer had to receive a
    completed dossier, a resubmission carried the receipt: Form 01 content, no mark."""
    if event.form:
        return str(event.form)
    stored = event.data.get("form") if isinstance(event.data, dict) else None
    if event.action == "resubmit" and isinstance(stored, dict) and "appointment_at" in stored:
        return "01"
    return ""


def printable_events(events: Iterable[DossierEvent]) -> list[DossierEvent]:
    """The events of a timeline (`dossier_timeline`) that issued a printable form (01–05)."""
    return [e for e in events if form_code_of(e) in PRINTABLE_FORMS]


def _printable(dossier: Dossier, seq: int) -> Any:
    event = next((e for e in printable_events(dossier_timeline(dossier)) if e.seq == seq), None)
    if event is None:
        raise Http404(_("No such form."))
    return event


@domain_errors_as_pages
def form_print(request: HttpRequest, code: str, seq: int) -> HttpResponse:
    """The printed page of a form issued with an event (01–05): the form's one template
    (the PDF's too) in the portal's print frame."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    dossier = dossier_for(actor_of(request), code)
    event = _printable(dossier, seq)
    return HttpResponse(form_page(request, dossier, form_code_of(event), seq=event.seq))


def form_page(request: HttpRequest, dossier: Dossier, form_code: str, *, seq: int | None = None) -> str:
    """A form of `dossier` as a portal page, with its PDF and the way back to the dossier."""
    pdf_url = reverse("portal:form-pdf", args=[dossier.code, form_code]) + (f"?seq={seq}" if seq else "")
    office = actor_of(request).is_officer
    back_url = reverse("portal:office-dossier" if office else "portal:my-dossier", args=[dossier.code])
    return render_form_html(
        dossier,
        form_code,
        seq=seq,
        frame="portal/forms/print.html",
        request=request,
        # The page links the dossier's QR image (the PDF embeds it).
        extra={"pdf_url": pdf_url, "back_url": back_url, "qr_src": reverse("portal:qr", args=[dossier.code])},
    )
