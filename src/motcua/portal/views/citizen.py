"""Citizen portal: find a procedure, file it online, track it, answer requests, rate it.

Online filing follows Decree 45/2020/NĐ-CP (Art. 11: prepare and submit; Art. 16: reuse);
public tracking shows only status, appointment and receiving agency (Decree 13/2023 on
personal data: nothing personal without signing in).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua import eforms
from motcua.catalog.models import CompetentLevel, ProcedureVersion, RequiredDocument
from motcua.catalog.selectors import (
    procedure_search_ranked_ids,
    published_versions,
    version_in_force,
    versions_in_order,
)
from motcua.documents.forms import render_form_pdf
from motcua.documents.qr import dossier_qr_svg
from motcua.dossiers import services as ds
from motcua.dossiers.models import Delivery, Dossier, Status
from motcua.dossiers.selectors import (
    delivery_choice_of,
    documents_missing,
    dossier_for,
    dossier_public_view,
    dossier_timeline,
    dossiers_visible_to,
    procedure_use_counts,
    stop_request_of,
)
from motcua.dossiers.workflow import DELIVERY_CHOOSABLE, PRE_RESULT, STOPPABLE
from motcua.eforms.schema import form_too_large
from motcua.lib.errors import DomainError, InvalidInput
from motcua.lib.files import display_name, send_file
from motcua.lib.uploads import ACCEPTED_TYPES, upload_problem
from motcua.organizations.models import Agency, AgencyKind
from motcua.people.models import Person
from motcua.people.services import person_update_contact
from motcua.portal.inputs import (
    CitizenRequestForm,
    DeliveryChoiceForm,
    ProfileForm,
    RatingForm,
    SearchForm,
    TrackForm,
    error_links,
)
from motcua.portal.models import Draft
from motcua.portal.services import draft_create, draft_delete, draft_save, draft_submit
from motcua.portal.views.common import (
    actor_of,
    domain_errors_as_pages,
    error_text,
    flash_error,
    posted_version,
)
from motcua.ratings.models import Rating
from motcua.ratings.services import RATEABLE_STATUSES, rating_submit


def home(request: HttpRequest) -> HttpResponse:
    versions = published_versions().order_by("procedure__code")[:6]
    return render(
        request, "portal/citizen/home.html", {"form": SearchForm(), "track": TrackForm(), "versions": versions}
    )


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    criteria: dict[str, str] = {}
    if form.is_bound and form.is_valid():
        criteria = {key: form.cleaned_data.get(key) or "" for key in ("q", "field", "level", "online_level")}
    ranked = procedure_search_ranked_ids(**criteria, used=procedure_use_counts())
    page = Paginator(ranked, 20).get_page(request.GET.get("page"))
    results = versions_in_order(list(page.object_list))  # only the page shown is read
    context = {"form": form, "page": page, "results": results, "query": request.GET.urlencode()}
    template = "portal/citizen/search.html"
    if getattr(request, "htmx", False):
        template += "#results"
    return render(request, template, context)


def _person(request: HttpRequest) -> Person | None:
    person_id = actor_of(request).person_id
    return Person.objects.filter(pk=person_id).first() if person_id else None


@login_required
@domain_errors_as_pages
def apply(request: HttpRequest, code: str) -> HttpResponse:
    """Start (POST) or resume the citizen's draft for the procedure in force."""
    if request.method != "POST":
        return redirect("portal:procedure", code=code)
    version = version_in_force(code)
    person = _person(request)
    if person is None:
        messages.error(request, _("Your account is not linked to a personal ID; ask the one-stop counter."))
        return redirect("portal:procedure", code=code)
    draft = draft_create(owner=person, version=version)
    return redirect("portal:draft", pk=draft.pk)


def _draft(request: HttpRequest, pk: int) -> Draft:
    person_id = actor_of(request).person_id
    draft = (
        Draft.objects.select_related("version__procedure", "settling_agency").filter(pk=pk, owner_id=person_id).first()
        if person_id
        else None
    )
    if draft is None:
        raise Http404(_("No such draft."))
    return draft


def upload_slots(version: ProcedureVersion) -> list[RequiredDocument]:
    """Components the citizen uploads: all but the declaration filled in as the e-form."""
    docs = list(version.documents.all())
    if version.e_form_schema:
        docs = [d for d in docs if not d.e_form]
    return docs


def _draft_context(
    draft: Draft,
    errors: dict[str, str],
    file_errors: dict[int, str],
    rows: dict[str, int] | None = None,
    added: str = "",
    typed: dict[str, str] | None = None,
) -> dict[str, Any]:
    files = {f.required_document_id: f for f in draft.files.all()}
    slots = [
        {"doc": doc, "file": files.get(doc.pk), "error": file_errors.get(doc.pk, "")}
        for doc in upload_slots(draft.version)
    ]
    fields = eforms.build_fields(
        draft.version.e_form_schema,
        draft.form_data,
        errors,
        rows=rows,
        added=added,
        can_add=True,
        typed=typed,
    )
    error_list = [("settling_agency", errors["commune"])] if errors.get("commune") else []
    error_list += eforms.error_links(fields)
    error_list += [
        (f"doc-{pk}", f"{doc.name}: {file_errors[pk]}")
        for doc in upload_slots(draft.version)
        if (pk := doc.pk) in file_errors
    ]
    return {
        "draft": draft,
        "version": draft.version,
        "fields": fields,
        "error_list": error_list,
        "slots": slots,
        "has_rows": bool(eforms.array_names(draft.version.e_form_schema)),
        "communes": Agency.objects.filter(kind=AgencyKind.COMMUNE).order_by("name")
        if draft.version.competent_level == CompetentLevel.COMMUNE
        else None,
        "errors": errors,
    }


def draft_problems(draft: Draft) -> tuple[dict[str, str], dict[int, str]]:
    errors = eforms.localised_errors(draft.version.e_form_schema, draft.form_data)
    uploaded = draft.files.values_list("required_document_id", flat=True)
    missing = {
        doc.pk: _("Upload this paper.")
        for doc in documents_missing(draft.version, ids=uploaded, form_data=draft.form_data)
    }
    if draft.version.competent_level == CompetentLevel.COMMUNE and draft.settling_agency_id is None:
        errors["commune"] = _("Choose the commune that settles this procedure.")
    return errors, missing


@login_required
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill in the e-form and upload papers; save and come back later, or go on to review."""
    item = _draft(request, pk)
    schema = item.version.e_form_schema
    if request.method != "POST":
        rows, added = eforms.rows_from_query(schema, request.GET)
        return render(request, "portal/citizen/draft.html", _draft_context(item, {}, {}, rows, added))
    data, shape_errors = eforms.parse(schema, request.POST)
    rows, added = eforms.rows_requested(schema, request.POST)
    if form_too_large(data):
        messages.error(request, error_text(InvalidInput("too large", code="form_too_large")))
        return render(request, "portal/citizen/draft.html", _draft_context(item, {}, {}, rows), status=413)
    commune = request.POST.get("settling_agency", "")
    settling = Agency.objects.filter(pk=commune, kind=AgencyKind.COMMUNE).first() if commune.isdigit() else None
    slots = upload_slots(item.version)
    refused = draft_save(
        draft=item,
        form_data=data,
        settling_agency=settling,
        remove=[doc for doc in slots if request.POST.get(f"remove-{doc.pk}")],
        uploads={doc: request.FILES[f"doc-{doc.pk}"] for doc in slots if f"doc-{doc.pk}" in request.FILES},
    )
    file_errors = {pk: error_text(error) for pk, error in refused.items()}
    if added:
        # "Add a row" (no JavaScript needed): the draft is saved and the page comes back with
        # one more row of that array, its first input focused (autofocus also scrolls to it; a
        # #fragment would stop the browser from applying autofocus).
        if shape_errors or file_errors:
            messages.warning(request, _("The draft was saved; some values could not be kept."))
            context = _draft_context(item, shape_errors, file_errors, rows, added, shape_errors.typed)
            return render(request, "portal/citizen/draft.html", context)
        messages.success(request, _("Draft saved; a row was added."))
        url = reverse("portal:draft", args=[item.pk])
        return redirect(f"{url}?{eforms.add_row_query(rows, added)}")
    if request.POST.get("next") == "review":
        errors, missing = draft_problems(item)
        errors.update(shape_errors)
        missing.update(file_errors)
        if not errors and not missing:
            return redirect("portal:draft-review", pk=item.pk)
        context = _draft_context(item, errors, missing, rows, typed=shape_errors.typed)
        return render(request, "portal/citizen/draft.html", context, status=422)
    if shape_errors or file_errors:
        messages.warning(request, _("The draft was saved; some values could not be kept."))
        context = _draft_context(item, shape_errors, file_errors, rows, typed=shape_errors.typed)
        return render(request, "portal/citizen/draft.html", context)
    messages.success(request, _("Draft saved. You can come back to it from any device under “My dossiers”."))
    return redirect("portal:draft", pk=item.pk)


@login_required
def draft_review(request: HttpRequest, pk: int) -> HttpResponse:
    item = _draft(request, pk)
    errors, missing = draft_problems(item)
    if errors or missing:
        messages.error(request, _("Please correct the fields marked below."))
        return redirect("portal:draft", pk=item.pk)
    if request.method == "POST":
        try:
            person = _person(request)
            assert person is not None  # _draft() only finds the drafts of a person
            dossier = draft_submit(draft=item, actor=actor_of(request), applicant=person)
        except DomainError as error:
            flash_error(request, error)
            return redirect("portal:draft", pk=item.pk)
        return redirect("portal:submitted", code=dossier.code)
    return render(
        request,
        "portal/citizen/review.html",
        {
            "draft": item,
            "version": item.version,
            "lines": eforms.summary(item.version.e_form_schema, item.form_data),
            "files": item.files.select_related("required_document"),
        },
    )


@login_required
def draft_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a draft after a confirmation page (a plain form: no JavaScript needed). Only a
    POST carrying the confirmation deletes; anything else shows the question."""
    item = _draft(request, pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        draft_delete(draft=item)
        messages.success(request, _("The draft was deleted."))
        return redirect("portal:my")
    return render(request, "portal/citizen/draft_delete.html", {"draft": item, "version": item.version})


@login_required
@domain_errors_as_pages
def submitted(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_for(actor_of(request), code)
    return render(request, "portal/citizen/submitted.html", {"dossier": dossier})


def track(request: HttpRequest, code: str = "") -> HttpResponse:
    """Public tracking by code or QR: status, appointment and receiving agency, nothing personal."""
    form = TrackForm({"code": code} if code else (request.GET or None))
    dossier = None
    status = 200
    if form.is_bound and form.is_valid():
        try:
            dossier = dossier_public_view(form.cleaned_data["code"].strip())
        except DomainError as error:
            form.add_error("code", error_text(error))
            status = 404
    return render(request, "portal/citizen/track.html", {"form": form, "dossier": dossier}, status=status)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The citizen's contact details: checked as the GOV.UK error pattern asks, saved by the
    people service."""
    person = _person(request)
    if person is None:
        message = _("Your account is not linked to a personal ID; ask the one-stop counter.")
        return render(request, "portal/error.html", {"message": message}, status=404)
    locked = person.verified_by_national_identity
    initial = {"birth_date": person.birth_date, "address": person.address, "phone": person.phone, "email": person.email}
    form = ProfileForm(request.POST or None, initial=initial, birth_date_locked=locked)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person_update_contact(
            person=person,
            address=data["address"],
            phone=data["phone"],
            email=data["email"],
            birth_date=data["birth_date"],
        )
        messages.success(request, _("Your details were saved."))
        return redirect("portal:profile")
    status = 422 if form.is_bound else 200
    return render(request, "portal/citizen/profile.html", {"form": form, "person": person}, status=status)


@login_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    dossiers = (
        dossiers_visible_to(actor).filter(applicant_id=actor.person_id).select_related("procedure_version")
        if actor.person_id
        else Dossier.objects.none()
    )
    drafts = Draft.objects.filter(owner_id=actor.person_id).select_related("version") if actor.person_id else []
    page = Paginator(dossiers.order_by("-id"), 20).get_page(request.GET.get("page"))
    return render(request, "portal/citizen/my_list.html", {"page": page, "drafts": drafts})


def _own_dossier(request: HttpRequest, code: str) -> Dossier:
    actor = actor_of(request)
    dossier = dossier_for(actor, code)
    if actor.person_id is None or dossier.applicant_id != actor.person_id:
        raise Http404(_("No dossier with this code that you may see."))
    return dossier


def last_event(dossier: Dossier, action: str) -> Any:
    return dossier.events.filter(action=action).order_by("-seq").first()


@login_required
@domain_errors_as_pages
def my_dossier(request: HttpRequest, code: str) -> HttpResponse:
    return _render_my(request, _own_dossier(request, code))


def _my_context(
    dossier: Dossier,
    rating_form: RatingForm,
    request_form: CitizenRequestForm | None = None,
    delivery_form: DeliveryChoiceForm | None = None,
    confirm_withdraw: bool = False,
) -> dict[str, Any]:
    from motcua.portal.views.counter import form_code_of, printable_events

    asking: dict[str, str] = {
        Status.SUPPLEMENT_REQUESTED: "request_supplement",
        Status.RETURNED_FOR_COMPLETION: "return_for_completion",
    }
    supplement = last_event(dossier, asking[dossier.status]) if dossier.status in asking else None
    items = (supplement.data.get("form", {}).get("items") if supplement else None) or []
    events = list(dossier_timeline(dossier))
    choice = delivery_choice_of(dossier) or {}
    options = ds.delivery_options(dossier.procedure_version)
    initial = {"delivery": choice.get("delivery") or Delivery.IN_PERSON, "address": choice.get("address")}
    stoppable = dossier.status in STOPPABLE
    if request_form is None:
        request_form = CitizenRequestForm(initial={"kind": "stop" if stoppable else "withdraw"}, stoppable=stoppable)
    if delivery_form is None:
        delivery_form = DeliveryChoiceForm(options=options, initial=initial)
    return {
        "error_list": error_links(delivery_form) + error_links(request_form) + error_links(rating_form),
        "dossier": dossier,
        "events": events,
        "supplement": supplement,
        "supplement_items": items or [_("Missing papers")],
        "apologies": dossier.events.filter(action="apologise").order_by("seq"),
        "has_result": dossier.status in RATEABLE_STATUSES,
        "rating": Rating.objects.filter(dossier=dossier).first(),
        "rating_form": rating_form,
        # What was filed, as filed: the e-form's answers under their labels, and every paper.
        "form_lines": eforms.summary(dossier.procedure_version.e_form_schema, dossier.form_data),
        "components": dossier.components.select_related("required_document"),
        "receipts": [e for e in printable_events(events) if form_code_of(e) == "01"],
        # Refusals and the stop notice, printable by the applicant (Form 03, 05, the refusal notice).
        "notices": [(e, form_code_of(e)) for e in printable_events(events) if form_code_of(e) in {"03", "05", "TC"}],
        # Refused, withdrawn or stopped: the event that ended it (its date and reason), no appointment.
        "ending": next((e for e in reversed(events) if e.to_status == dossier.status), None)
        if dossier.ended_without_result
        else None,
        "stop_request": stop_request_of(dossier),
        "request_form": request_form,
        "can_request": dossier.status in PRE_RESULT,
        "confirm_withdraw": confirm_withdraw,
        "delivery_choice": choice or None,
        "can_choose_delivery": dossier.status in DELIVERY_CHOOSABLE,
        "delivery_form": delivery_form,
    }


def _render_my(request: HttpRequest, dossier: Dossier, status: int = 200, **forms: Any) -> HttpResponse:
    rating_form = forms.pop("rating_form", None)
    context = _my_context(dossier, RatingForm() if rating_form is None else rating_form, **forms)
    return render(request, "portal/citizen/my_dossier.html", context, status=status)


@login_required
@require_POST
@domain_errors_as_pages
def my_request(request: HttpRequest, code: str) -> HttpResponse:
    """The applicant asks online to stop the settlement (recorded for the one-stop unit, which
    issues Form 05) or withdraws the dossier (Circular 03/2025 Art. 7). Withdrawing cannot be
    undone, so it takes two presses: the first asks whether they are sure."""
    dossier = _own_dossier(request, code)
    version = posted_version(request)
    form = CitizenRequestForm(request.POST, stoppable=dossier.status in STOPPABLE)
    if version is None or not form.is_valid():
        messages.error(request, _("Please correct the fields marked below."))
        return _render_my(request, dossier, 422, request_form=form)
    kind, reason = form.cleaned_data["kind"], form.cleaned_data["reason"]
    if kind == "withdraw" and dossier.status in PRE_RESULT and request.POST.get("confirmed") != "1":
        return _render_my(request, dossier, request_form=form, confirm_withdraw=True)
    command = ds.dossier_withdraw if kind == "withdraw" else ds.dossier_request_stop
    try:
        command(dossier=dossier, actor=actor_of(request), reason=reason, expected_version=version)
    except DomainError as error:
        flash_error(request, error)
    else:
        done = {
            "withdraw": _("Your dossier was withdrawn."),
            "stop": _("Your request to stop was recorded; the one-stop unit will send you the stop notice."),
        }
        messages.success(request, done[kind])
    return redirect("portal:my-dossier", code=code)


@login_required
@require_POST
@domain_errors_as_pages
def my_delivery(request: HttpRequest, code: str) -> HttpResponse:
    """The applicant chooses or changes how to receive the result (at the counter, by post to
    an address, online) until it is returned (Decree 118/2025 Art. 22)."""
    dossier = _own_dossier(request, code)
    version = posted_version(request)
    form = DeliveryChoiceForm(request.POST, options=ds.delivery_options(dossier.procedure_version))
    if version is None or not form.is_valid():
        messages.error(request, _("Please correct the fields marked below."))
        return _render_my(request, dossier, 422, delivery_form=form)
    try:
        ds.dossier_choose_delivery(
            dossier=dossier, actor=actor_of(request), expected_version=version, **form.cleaned_data
        )
    except DomainError as error:
        flash_error(request, error)
    else:
        messages.success(request, _("Your choice was saved: the result will reach you that way."))
    return redirect("portal:my-dossier", code=code)


@login_required
@require_POST
@domain_errors_as_pages
def my_resubmit(request: HttpRequest, code: str) -> HttpResponse:
    """Answer a supplement request (Form 02) by uploading the missing papers."""
    dossier = _own_dossier(request, code)
    version = posted_version(request)
    if version is None:
        messages.error(request, _("This page is out of date: reload the dossier and try again."))
        return redirect("portal:my-dossier", code=code)
    components = []
    for key in sorted(request.FILES):
        if not key.startswith("file-"):
            continue
        upload = request.FILES.get(key)
        if upload is None:
            continue
        if problem := upload_problem(upload):
            messages.error(request, f"{display_name(upload.name or '')}: {problem}")
            return redirect("portal:my-dossier", code=code)
        name = request.POST.get("name-" + key.removeprefix("file-")) or upload.name or "document"
        components.append(
            ds.ComponentIn(
                name=name[:500],
                file=upload,
                file_name=(upload.name or "document")[:255],
                content_type=upload.content_type or "",
            )
        )
    if not components:
        messages.error(request, _("Attach at least one file with the missing papers."))
        return redirect("portal:my-dossier", code=code)
    try:
        ds.dossier_resubmit(
            dossier=dossier,
            actor=actor_of(request),
            components=components,
            note=request.POST.get("note", "")[:2000],
            expected_version=version,
        )
    except DomainError as error:
        flash_error(request, error)
    else:
        messages.success(request, _("Your supplement was sent; an officer checks it before the dossier goes on."))
    return redirect("portal:my-dossier", code=code)


@login_required
@require_POST
@domain_errors_as_pages
def my_rate(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _own_dossier(request, code)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            rating_submit(
                dossier=dossier,
                actor=actor_of(request),
                scores=form.scores(),
                satisfaction=form.cleaned_data["satisfaction"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as error:
            flash_error(request, error)
        else:
            messages.success(request, _("Thank you for rating the service."))
            return redirect("portal:my-dossier", code=code)
    else:
        messages.error(request, _("Score every criterion and choose your overall satisfaction."))
    return _render_my(request, dossier, 422, rating_form=form)


# ---------------------------------------------------------------- documents


def qr(request: HttpRequest, code: str) -> HttpResponse:
    """The dossier's QR (it carries only the code, so it is public like tracking)."""
    if not code.strip():
        raise Http404(_("The QR code is not available."))
    return HttpResponse(dossier_qr_svg(code), content_type="image/svg+xml")


FORM_CODES = {"01", "02", "03", "04", "05", "06", "TC"}


@login_required
@domain_errors_as_pages
def form_pdf(request: HttpRequest, code: str, form_code: str) -> HttpResponse:
    """A Circular 03/2025 form of this dossier as PDF (built by motcua.documents)."""
    if form_code not in FORM_CODES:
        raise Http404(_("No such form."))
    dossier = dossier_for(actor_of(request), code)
    seq = request.GET.get("seq", "")
    pdf = render_form_pdf(dossier, form_code, seq=int(seq)) if seq.isdigit() else render_form_pdf(dossier, form_code)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-mau-{form_code}.pdf"'
    return response


@login_required
@domain_errors_as_pages
def component_file(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    """A paper of the dossier, shown inline (PDF, images) to whoever may see the dossier."""
    dossier = dossier_for(actor_of(request), code)
    component = get_object_or_404(dossier.components.all(), pk=pk)
    if not component.file:
        raise Http404(_("This paper has no file."))
    # Files stored before the content checks keep an unchecked type: sent as a download.
    inline = component.content_type in ACCEPTED_TYPES
    return send_file(
        component.file,
        filename=component.file_name,
        content_type=component.content_type if inline else "application/octet-stream",
        inline=inline,
    )
