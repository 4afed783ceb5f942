"""The administrator's pages of the national procedure database: ask for a procedure (fetched
in the background, `tasks.py`), then read what its draft changes against the version in force
and publish it (`catalog.services.procedure_version_publish`)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from motcua.catalog.models import ProcedureVersion, VersionStatus
from motcua.catalog.services import procedure_version_publish
from motcua.integrations.national_portal import conf
from motcua.integrations.national_portal.catalogue import draft_differences
from motcua.integrations.selectors import procedure_drafts
from motcua.integrations.tasks import national_procedure_import_task
from motcua.lib.errors import DomainError, PermissionDenied
from motcua.organizations.actors import actor_for
from motcua.organizations.models import Role

CODE_MAX = 20
#: The compared parts of a version (`catalogue.draft_differences`), as the page names them.
PARTS = {
    "name": gettext_lazy("Name"),
    "time limit": gettext_lazy("Time limit"),
    "fees": gettext_lazy("Fees"),
    "documents": gettext_lazy("Dossier components"),
    "legal basis": gettext_lazy("Legal basis"),
    "result": gettext_lazy("Result"),
}


def _require_admin(request: HttpRequest) -> None:
    if not actor_for(request.user).agency_ids({Role.ADMIN}):
        raise PermissionDenied("Only an administrator may change the catalogue.")


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "integrations/forbidden.html", status=403)


@login_required
@require_http_methods(["GET", "POST"])
def catalogue_import(request: HttpRequest) -> HttpResponse:
    try:
        _require_admin(request)
    except PermissionDenied:
        return _forbidden(request)
    if request.method == "POST":
        code = request.POST.get("code", "").strip()
        if not code or len(code) > CODE_MAX:
            messages.error(request, _("Enter the procedure's national code."))
        else:
            national_procedure_import_task.enqueue(code)
            messages.success(
                request, _("Procedure %(code)s was requested; its draft appears below once fetched.") % {"code": code}
            )
        return redirect("integrations:catalogue-import")
    return render(
        request,
        "integrations/catalogue_import.html",
        {"drafts": procedure_drafts(), "configured": conf.load().configured, "code_max": CODE_MAX},
    )


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def catalogue_review(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        _require_admin(request)
    except PermissionDenied:
        return _forbidden(request)
    draft = get_object_or_404(ProcedureVersion.objects.select_related("procedure"), pk=pk)
    if request.method == "POST" and draft.status == VersionStatus.DRAFT:
        decided, effective = _date(request.POST.get("decision_date", "")), _date(request.POST.get("effective_date", ""))
        if decided is None or effective is None:
            messages.error(request, _("Enter the decision's date and the date it takes effect."))
        else:
            try:
                procedure_version_publish(
                    version=draft,
                    decision_number=request.POST.get("decision_number", ""),
                    decision_date=decided,
                    effective_date=effective,
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Version %(number)s is published.") % {"number": draft.number})
        return redirect("integrations:catalogue-review", pk=draft.pk)
    return render(
        request,
        "integrations/catalogue_review.html",
        {
            "draft": draft,
            "differences": [(PARTS.get(d.what, d.what), d) for d in draft_differences(draft)],
            "is_draft": draft.status == VersionStatus.DRAFT,
        },
    )
