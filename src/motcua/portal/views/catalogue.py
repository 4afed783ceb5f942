"""The catalogue editor of the province's staff: procedures, their draft versions, preview,
publication, supersession and abolition. Every change goes through `catalog.services`, which
records it; these views only parse the page's input.

Who may use it: superusers and holders of the catalogue-manager role (`Role.CATALOGUE`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from motcua.catalog import services as cs
from motcua.catalog.models import ProcedureVersion, Requirement, VersionStatus
from motcua.catalog.selectors import (
    catalogue_versions,
    version_changes,
    version_differences,
    version_get,
    version_published,
)
from motcua.lib.errors import DomainError
from motcua.organizations.models import Role
from motcua.portal.catalogue_inputs import (
    DecisionForm,
    DocumentFormSet,
    FeeFormSet,
    NewProcedureForm,
    StepFormSet,
    VersionDetailsForm,
    answer_text,
    document_rows,
    fee_rows,
    kept_specs,
    step_rows,
)
from motcua.portal.views.common import actor_of, error_text

#: The parts of a version as the change record and the differences name them.
PART_LABELS: dict[str, Any] = {
    "name": gettext_lazy("Name of the procedure"),
    "name_en": gettext_lazy("English name"),
    "field": gettext_lazy("Field"),
    "levels": gettext_lazy("Levels"),
    "subjects": gettext_lazy("Who it is for"),
    "competent_level": gettext_lazy("Competent authority"),
    "competent_agency": gettext_lazy("Competent agency"),
    "time_limit_amount": gettext_lazy("Time limit"),
    "time_limit_unit": gettext_lazy("Unit of the time limit"),
    "cutoff_time": gettext_lazy("Cut-off time"),
    "pause_on_payment": gettext_lazy("Payment waits stop the clock"),
    "online_level": gettext_lazy("Online service"),
    "eligible_full_online": gettext_lazy("Eligible for full-process online service"),
    "requires_paper_result": gettext_lazy("A paper result is required"),
    "postal_allowed": gettext_lazy("Filing and return by post allowed"),
    "result_name": gettext_lazy("Result"),
    "legal_basis": gettext_lazy("Legal basis"),
    "description": gettext_lazy("Who it is for, how to apply"),
    "e_form_schema": gettext_lazy("E-form"),
    "fees": gettext_lazy("Fees"),
    "documents": gettext_lazy("Required documents"),
    "steps": gettext_lazy("Internal process"),
    "status": gettext_lazy("Status"),
}


def may_edit_catalogue(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    return bool(getattr(user, "is_superuser", False) or actor_of(request).agency_ids({Role.CATALOGUE}))


def catalogue_manager_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Catalogue pages: a superuser or a catalogue manager; others are refused (403)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        from django.contrib.auth.views import redirect_to_login

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_edit_catalogue(request):
            message = _("This page is for the catalogue managers of the province.")
            return render(request, "portal/error.html", {"message": message}, status=403)
        try:
            return view(request, *args, **kwargs)
        except DomainError as error:
            status = error.http_status if error.http_status in {403, 404, 409, 422} else 400
            return render(request, "portal/error.html", {"message": _error(error)}, status=status)

    return wrapper


@catalogue_manager_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """Every procedure with its versions, the newest first."""
    query = request.GET.get("q", "").strip()[:200]
    procedures: dict[str, list[ProcedureVersion]] = {}
    for version in catalogue_versions(query):
        procedures.setdefault(version.procedure.code, []).append(version)
    return render(request, "portal/catalogue/list.html", {"procedures": procedures, "query": query})


@catalogue_manager_required
def procedure_new(request: HttpRequest) -> HttpResponse:
    form = NewProcedureForm(
        request.POST or None,
        initial={
            "levels": ["province"],
            "subjects": ["citizen"],
            "pause_on_payment": True,
            "requires_paper_result": True,
        },
    )
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        code = changes.pop("code").strip()
        try:
            version = cs.procedure_create(code=code, spec=cs.VersionSpec(**changes), by=actor_of(request))
        except DomainError as error:
            form.add_error(None, _error(error))
        else:
            messages.success(request, _("The procedure was created as a draft."))
            return redirect("portal:catalogue-version", code=code, number=version.number)
    status = 422 if form.is_bound else 200
    return render(request, "portal/catalogue/new.html", {"form": form}, status=status)


#: The catalogue's domain errors worded for the pages (the API keeps the English message).
CATALOGUE_ERRORS: dict[str, Any] = {
    "version_not_draft": gettext_lazy("Only a draft version can be changed; start a new draft from it."),
    "draft_exists": gettext_lazy("This procedure already has a draft version; edit or publish it first."),
    "duplicate_procedure": gettext_lazy("A procedure with this code already exists."),
    "invalid_procedure_code": gettext_lazy("The procedure code is written d.dddddd, e.g. 1.000001."),
    "missing_decision": gettext_lazy("The decision number is required."),
    "invalid_dates": gettext_lazy("A decision cannot take effect before the day it is signed."),
    "abolition_in_future": gettext_lazy("Record an abolition on or after the day it takes effect."),
    "nothing_to_abolish": gettext_lazy("This procedure has no published version to abolish."),
    "invalid_procedure": gettext_lazy("The version is not valid:"),
}


def _error(error: DomainError) -> str:
    known = CATALOGUE_ERRORS.get(error.code)
    text = str(known) if known is not None else error_text(error)
    if isinstance(error.details, dict) and error.code == "invalid_procedure":
        text += " " + "; ".join(
            f"{PART_LABELS.get(k.split('.')[0].split('[')[0], k)}: {v}" for k, v in error.details.items()
        )
    return text


def _version_context(request: HttpRequest, version: ProcedureVersion, **bound: Any) -> dict[str, Any]:
    draft = version.status == VersionStatus.DRAFT
    published = version_published(version.procedure_id)
    context: dict[str, Any] = {
        "version": version,
        "draft": draft,
        "published": published,
        "changes": [
            (change, _parts(change.changed), _decision(change.details), _before_after(change.details))
            for change in version_changes(version)
        ],
        "has_draft": version.procedure.versions.filter(status=VersionStatus.DRAFT).exists(),
    }
    if draft:
        context |= {
            "details": bound.get("details") or VersionDetailsForm(initial=VersionDetailsForm.initial_of(version)),
            "fees": bound.get("fees") or FeeFormSet(initial=fee_rows(version), prefix="fee"),
            "documents": bound.get("documents")
            or DocumentFormSet(
                initial=document_rows(version), prefix="doc", form_kwargs={"schema": version.e_form_schema}
            ),
            "steps": bound.get("steps") or StepFormSet(initial=step_rows(version), prefix="step"),
            "publish": bound.get("publish") or DecisionForm(prefix="pub"),
            "differences": _parts([d.part for d in version_differences(published, version)]) if published else None,
        }
    elif version.status == VersionStatus.PUBLISHED:
        context["abolish"] = bound.get("abolish") or DecisionForm(prefix="abo")
    return context


def _decision(details: dict[str, Any]) -> str:
    """ "Decision 15/QĐ-UBND of 02/03/2026, takes effect on 02/03/2026" from a change's details."""
    if not isinstance(details, dict) or not details.get("decision_number"):
        return ""
    days = {key: _day(details.get(key)) for key in ("decision_date", "effective_date")}
    return _("Decision %(number)s of %(signed)s, takes effect on %(effective)s") % {
        "number": details["decision_number"],
        "signed": days["decision_date"],
        "effective": days["effective_date"],
    }


def _shown(value: Any) -> str:
    """A recorded value as a short text: a list by its names, yes/no, "—" for nothing."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return "; ".join(_row_text(v) if isinstance(v, dict) else str(v) for v in value)
    if isinstance(value, dict):
        count = len(value.get("properties") or {})
        return ngettext("%(count)d field", "%(count)d fields", count) % {"count": count}
    text = str(value)
    return text if len(text) <= 160 else text[:157] + "…"


def _row_text(row: dict[str, Any]) -> str:
    """A fee, step or paper by its name; a paper that is not mandatory says how it is required."""
    name = str(row.get("name") or row.get("key"))
    if row.get("requirement") == Requirement.OPTIONAL:
        return f"{name} ({Requirement.OPTIONAL.label})"
    if row.get("requirement") == Requirement.CONDITIONAL:
        answers = ", ".join(answer_text(a) for a in row.get("condition_values") or [])
        return f"{name} ({Requirement.CONDITIONAL.label}: {row.get('condition_field')} = {answers})"
    return name


def _before_after(details: Any) -> list[tuple[str, str, str]]:
    """(part, before, after) of an edit's details, as texts."""
    if not isinstance(details, dict):
        return []
    return [
        (str(PART_LABELS.get(part, part)), _shown(values.get("before")), _shown(values.get("after")))
        for part, values in details.items()
        if isinstance(values, dict) and set(values) == {"before", "after"}
    ]


def _day(value: Any) -> str:
    try:
        return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return "—"


def _parts(names: list[str]) -> list[str]:
    return [str(PART_LABELS.get(name, name)) for name in names]


def _version(code: str, number: int) -> ProcedureVersion:
    return version_get(code, number)


@catalogue_manager_required
def version_page(request: HttpRequest, code: str, number: int) -> HttpResponse:
    version = _version(code, number)
    return render(request, "portal/catalogue/version.html", _version_context(request, version))


def _after_edit(
    request: HttpRequest, version: ProcedureVersion, call: Callable[[], Any], bound: dict[str, Any]
) -> HttpResponse:
    """Call the service; on success back to the page, else the page with the error and the input."""
    try:
        call()
    except DomainError as error:
        messages.error(request, _error(error))
    else:
        messages.success(request, _("Saved. The change is recorded below."))
        return redirect("portal:catalogue-version", code=version.procedure.code, number=version.number)
    context = _version_context(request, _version(version.procedure.code, version.number), **bound)
    return render(request, "portal/catalogue/version.html", context, status=422)


def _invalid(request: HttpRequest, version: ProcedureVersion, bound: dict[str, Any]) -> HttpResponse:
    messages.error(request, _("Please correct the fields marked below."))
    return render(request, "portal/catalogue/version.html", _version_context(request, version, **bound), status=422)


Bound = Any  # a bound form or formset of the editor


def _section(
    key: str,
    bind: Callable[[HttpRequest, ProcedureVersion], Bound],
    save: Callable[[ProcedureVersion, Bound, Any], object],
) -> Callable[..., HttpResponseBase]:
    """The view of one section of the editor: bind its form from the POST (`key` names it in
    the page's context) and, when it is valid, hand it to the catalogue service through
    `save(version, form, by)`; otherwise the page again with the errors and the input."""

    @require_POST
    @catalogue_manager_required
    def view(request: HttpRequest, code: str, number: int) -> HttpResponse:
        version = _version(code, number)
        form = bind(request, version)
        if not form.is_valid():
            return _invalid(request, version, {key: form})
        by = actor_of(request)
        return _after_edit(request, version, lambda: save(version, form, by), {key: form})

    view.__name__ = view.__qualname__ = f"version_{key}"
    return view


version_details = _section(
    "details",
    lambda request, version: VersionDetailsForm(request.POST),
    lambda version, form, by: cs.procedure_version_edit(version=version, changes=form.changes(), by=by),
)
version_fees = _section(
    "fees",
    lambda request, version: FeeFormSet(request.POST, prefix="fee"),
    lambda version, form, by: cs.version_fees_set(version=version, fees=kept_specs(form), by=by),
)
#: The required papers: one form per paper (`DocumentForm`), one service call.
version_documents = _section(
    "documents",
    lambda request, version: DocumentFormSet(request.POST, prefix="doc", form_kwargs={"schema": version.e_form_schema}),
    lambda version, form, by: cs.version_documents_set(version=version, documents=kept_specs(form), by=by),
)
version_steps = _section(
    "steps",
    lambda request, version: StepFormSet(request.POST, prefix="step"),
    lambda version, form, by: cs.version_steps_set(version=version, steps=kept_specs(form), by=by),
)
version_publish = _section(
    "publish",
    lambda request, version: DecisionForm(request.POST, prefix="pub"),
    lambda version, form, by: cs.procedure_version_publish(version=version, **form.cleaned_data, by=by),
)
procedure_abolish = _section(
    "abolish",
    lambda request, version: DecisionForm(request.POST, prefix="abo"),
    lambda version, form, by: cs.procedure_abolish(procedure=version.procedure, **form.cleaned_data, by=by),
)


@require_POST
@catalogue_manager_required
def version_new_draft(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """A new draft that starts as a copy of this version."""
    version = _version(code, number)
    draft = cs.procedure_version_draft_from(version=version, by=actor_of(request))
    messages.success(request, _("A new draft version was started from version %(number)d.") % {"number": number})
    return redirect("portal:catalogue-version", code=code, number=draft.number)


@catalogue_manager_required
def version_preview(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """The version as the citizen will read it on the procedure page."""
    from motcua.portal.views.procedure import procedure_context

    version = _version(code, number)
    return render(request, "portal/citizen/procedure.html", {**procedure_context(version), "preview": True})
