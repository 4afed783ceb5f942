"""Officer workspace: queues with working time left, the dossier page with one form per
allowed action, the control sheet (Form 06) and the tracking book (Form 07).

Only actions that `dossiers.workflow.allowed_actions` returns for this officer appear; each
form calls the same `dossiers.services` function the API calls (docs/architecture.md#the-write-path).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua import eforms
from motcua.calendars import worktime
from motcua.calendars.services import calendar_for
from motcua.documents.excel import tracking_book_xlsx
from motcua.documents.forms import render_tracking_book_pdf
from motcua.documents.tracking import book_rows
from motcua.dossiers import services as ds
from motcua.dossiers.models import END_STATUSES, Dossier, Status
from motcua.dossiers.selectors import (
    RECEPTION_WAIT_COLUMNS,
    WORKING_ROLES,
    assignable_divisions,
    assignable_specialists,
    assigned_to,
    delivery_choice_of,
    dossier_for,
    dossier_timeline,
    dossiers_visible_to,
    reception_overdue,
    reception_wait,
    reception_waits,
    search_condition,
    steps_after,
    stop_request_of,
    working_time_left,
    working_time_until,
)
from motcua.dossiers.workflow import allowed_actions
from motcua.integrations.selectors import dossier_sync_states
from motcua.lib.errors import DomainError
from motcua.lib.uploads import upload_problem
from motcua.organizations.actors import Actor
from motcua.organizations.models import Agency, Role
from motcua.portal.inputs import (
    AcceptSupplementForm,
    ApologiseForm,
    ApplicantRequestForm,
    AssignForm,
    BookForm,
    ConfirmForm,
    DeliveryChoiceForm,
    FinishForm,
    HandOverForm,
    NoteForm,
    PaymentConfirmForm,
    PaymentRequestForm,
    QueueForm,
    ReasonForm,
    ReceiveForm,
    ResubmitForm,
    ReturnForm,
    StopForm,
    SupplementForm,
    WithdrawForm,
)
from motcua.portal.views.common import (
    actor_of,
    domain_errors_as_pages,
    error_text,
    officer_required,
    posted_version,
)
from motcua.portal.views.counter import form_code_of, form_page, printable_events

VN_TZ = worktime.VN_TZ
WAITING = (Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT)

ACTION_LABELS: dict[str, Any] = {
    "receive": gettext_lazy("Receive the dossier (Form 01)"),
    "refuse": gettext_lazy("Refuse (Form 03, or the agency's refusal notice during processing)"),
    "request_supplement": gettext_lazy("Request a supplement (Form 02)"),
    "resubmit": gettext_lazy("Record the supplement handed in"),
    "start_processing": gettext_lazy("Forward for processing"),
    "hand_over": gettext_lazy("Hand over"),
    "assign": gettext_lazy("Assign to a specialist or a division"),
    "request_payment": gettext_lazy("Request payment"),
    "confirm_payment": gettext_lazy("Confirm payment"),
    "apologise": gettext_lazy("Apologise and set a new date (Form 04)"),
    "approve": gettext_lazy("Approve"),
    "finish": gettext_lazy("Finish: the result is ready"),
    "return_result": gettext_lazy("Return the result"),
    "request_stop": gettext_lazy("Record the applicant's request to stop"),
    "stop": gettext_lazy("Stop on request (Form 05)"),
    "withdraw": gettext_lazy("Withdraw on the applicant's request"),
    "return_for_completion": gettext_lazy("Return for completion, not received (Form 02)"),
    "accept_supplement": gettext_lazy("Accept the supplement and give a new appointment (Form 01)"),
    "choose_delivery": gettext_lazy("Record how the applicant wants to receive the result"),
}

#: Actions that take two presses: the first shows what will happen, the second does it.
CONFIRMED_ACTIONS = frozenset({"refuse"})


def _names(dossier: Dossier) -> list[str]:
    if dossier.status == Status.RETURNED_FOR_COMPLETION:
        # Returned at the counter: every paper the procedure lists is checked again.
        return [d.name for d in dossier.procedure_version.documents.all()]
    return [c.name for c in dossier.components.all()] or [d.name for d in dossier.procedure_version.documents.all()]


def _papers_handed_in(dossier: Dossier) -> list[ds.ComponentIn] | None:
    """Receiving a dossier returned at the counter records the papers now handed in (those of
    the procedure it lacked); any other receipt lists the papers already there."""
    if dossier.status != Status.RETURNED_FOR_COMPLETION:
        return None
    held = {(c.required_document_id, c.name) for c in dossier.components.all()}
    return [
        ds.ComponentIn(name=doc.name, required_document_id=doc.pk, copies=doc.copies)
        for doc in dossier.procedure_version.documents.all()
        if not any(doc_id == doc.pk or name == doc.name for doc_id, name in held)
    ]


def _next_steps(dossier: Dossier) -> list[tuple[str, str]]:
    return [(s.key, s.name) for s in steps_after(dossier)]


def _files(form: djforms.Form) -> list[ds.ComponentIn]:
    uploads = form.cleaned_data.get("scans") or []
    for upload in uploads:
        if problem := upload_problem(upload):
            raise DomainError(f"{upload.name}: {problem}", code="invalid_upload")
    return [
        ds.ComponentIn(
            name=(u.name or "scan")[:500], file=u, file_name=(u.name or "scan")[:255], content_type=u.content_type or ""
        )
        for u in uploads
    ]


def _agency(form: djforms.Form) -> Agency | None:
    value = form.cleaned_data.get("to_agency")
    return Agency.objects.filter(pk=value).first() if value else None


#: (dossier, actor, bound form, the version the form was read at) -> the event.
Run = Callable[[Dossier, Actor, Any, int], Any]
#: action -> (form factory, service call). The services check the table and the rules.
ACTIONS: dict[str, tuple[Callable[..., djforms.Form], Run]] = {
    "receive": (
        lambda d, **kw: ReceiveForm(names=_names(d), **kw),
        lambda d, a, f, v: ds.dossier_receive(
            dossier=d,
            actor=a,
            expected_version=v,
            components=_papers_handed_in(d),
            outside_hours_reason=f.cleaned_data["outside_hours_reason"],
        ),
    ),
    "return_for_completion": (
        lambda d, **kw: SupplementForm(
            names=[doc.name for doc in d.procedure_version.documents.all()], reason_required=False, **kw
        ),
        lambda d, a, f, v: ds.dossier_return_for_completion(
            dossier=d, actor=a, expected_version=v, reason=f.cleaned_data["reason"], items=f.item_list()
        ),
    ),
    "accept_supplement": (
        lambda d, **kw: AcceptSupplementForm(**kw),
        lambda d, a, f, v: ds.dossier_accept_supplement(
            dossier=d, actor=a, expected_version=v, outside_hours_reason=f.cleaned_data["outside_hours_reason"]
        ),
    ),
    "refuse": (
        lambda d, **kw: ReasonForm(**kw),
        lambda d, a, f, v: ds.dossier_refuse(dossier=d, actor=a, expected_version=v, **f.cleaned_data),
    ),
    "request_supplement": (
        lambda d, **kw: SupplementForm(names=[doc.name for doc in d.procedure_version.documents.all()], **kw),
        lambda d, a, f, v: ds.dossier_request_supplement(
            dossier=d, actor=a, expected_version=v, reason=f.cleaned_data["reason"], items=f.item_list()
        ),
    ),
    "resubmit": (
        lambda d, **kw: ResubmitForm(**kw),
        lambda d, a, f, v: ds.dossier_resubmit(
            dossier=d, actor=a, expected_version=v, components=_files(f), note=f.cleaned_data["note"]
        ),
    ),
    "start_processing": (
        lambda d, **kw: ConfirmForm(**kw),
        lambda d, a, f, v: ds.dossier_start_processing(dossier=d, actor=a, expected_version=v),
    ),
    "hand_over": (
        lambda d, **kw: HandOverForm(steps=_next_steps(d), **kw),
        lambda d, a, f, v: ds.dossier_hand_over(
            dossier=d,
            actor=a,
            expected_version=v,
            to_step=f.cleaned_data["to_step"],
            to_agency=_agency(f),
            note=f.cleaned_data["note"],
        ),
    ),
    "assign": (
        lambda d, **kw: AssignForm(
            specialists=[(u, n) for _pk, u, n in assignable_specialists(d.current_agency_id)],
            divisions=[(a.code, a.name) for a in assignable_divisions(d.current_agency_id)],
            **kw,
        ),
        lambda d, a, f, v: ds.dossier_assign(dossier=d, actor=a, expected_version=v, **f.cleaned_data),
    ),
    "request_payment": (
        lambda d, **kw: PaymentRequestForm(initial={"amount_vnd": d.fee_vnd or None}, **kw),
        lambda d, a, f, v: ds.dossier_request_payment(dossier=d, actor=a, expected_version=v, **f.cleaned_data),
    ),
    "confirm_payment": (
        lambda d, **kw: PaymentConfirmForm(initial={"amount_vnd": (d.fee_vnd - d.paid_vnd) or None}, **kw),
        lambda d, a, f, v: ds.dossier_confirm_payment(dossier=d, actor=a, expected_version=v, **f.cleaned_data),
    ),
    "apologise": (
        lambda d, **kw: ApologiseForm(**kw),
        lambda d, a, f, v: ds.dossier_apologise(
            dossier=d, actor=a, expected_version=v, reason=f.cleaned_data["reason"], new_due_at=f.new_due_at()
        ),
    ),
    "approve": (
        lambda d, **kw: NoteForm(**kw),
        lambda d, a, f, v: ds.dossier_approve(dossier=d, actor=a, expected_version=v, **f.cleaned_data),
    ),
    "finish": (
        lambda d, **kw: FinishForm(**kw),
        lambda d, a, f, v: ds.dossier_finish(dossier=d, actor=a, expected_version=v, **f.cleaned_data),
    ),
    "return_result": (
        lambda d, **kw: ReturnForm(initial={"delivery": (delivery_choice_of(d) or {}).get("delivery")}, **kw),
        lambda d, a, f, v: ds.dossier_return_result(dossier=d, actor=a, expected_version=v, **f.cleaned_data),
    ),
    "request_stop": (
        lambda d, **kw: ApplicantRequestForm(**kw),
        lambda d, a, f, v: ds.dossier_request_stop(dossier=d, actor=a, expected_version=v, **f.request()),
    ),
    "stop": (
        lambda d, **kw: StopForm(pending=stop_request_of(d) is not None, **kw),
        lambda d, a, f, v: ds.dossier_stop(
            dossier=d, actor=a, expected_version=v, **(f.request() if "channel" in f.fields else {})
        ),
    ),
    "withdraw": (
        lambda d, **kw: WithdrawForm(**kw),
        lambda d, a, f, v: ds.dossier_withdraw(dossier=d, actor=a, expected_version=v, **f.request()),
    ),
    "choose_delivery": (
        lambda d, **kw: DeliveryChoiceForm(options=ds.delivery_options(d.procedure_version), **kw),
        lambda d, a, f, v: ds.dossier_choose_delivery(dossier=d, actor=a, expected_version=v, **f.cleaned_data),
    ),
}


#: What one row of the queue table shows.
QUEUE_COLUMNS = (
    "code",
    "due_at",
    "settling_agency_id",
    "procedure_version__name",
    "applicant__full_name",
    "current_step__name",
    "current_agency__name",
    # How long an online dossier has waited for reception (dossiers.selectors.reception_waits).
    *RECEPTION_WAIT_COLUMNS,
)
#: Queues of the online dossiers waiting for reception: the longest waiting first by default.
RECEPTION_QUEUES = ("reception", "reception_late")


class _QueuePaginator(Paginator):  # type: ignore[type-arg]  # rows are dicts of .values()
    """Counts the plain queryset: the count of `.values()` with related columns would keep
    their joins (17 ms instead of 2 at 2,500 open dossiers)."""

    def __init__(self, object_list: Any, per_page: int, *, counted: QuerySet[Dossier]) -> None:
        super().__init__(object_list, per_page)
        self.counted = counted

    @cached_property
    def count(self) -> int:
        return self.counted.count()


def _agencies(actor: Actor) -> list[Agency]:
    return list(Agency.objects.filter(pk__in=actor.agency_ids()).order_by("code"))


def queue_rows(actor: Actor, data: dict[str, Any], agencies: list[Agency], now: datetime) -> QuerySet[Dossier]:
    """The dossiers of one queue for the officer's agencies (or the one chosen)."""
    ids = [a.pk for a in agencies if not data.get("agency") or a.code == data["agency"]]
    working = set(actor.agency_ids(WORKING_ROLES))
    # Dossiers at, received by or settled by an agency the officer works at are visible to
    # them by definition (dossiers.selectors.dossiers_visible_to): the visibility filter,
    # an OR with an EXISTS over hand-overs, is only needed for agencies they oversee.
    rows = Dossier.objects.all() if set(ids) <= working else dossiers_visible_to(actor)
    rows = rows.exclude(status__in=END_STATUSES)
    queue = data.get("queue") or "all"
    if queue == "assigned":
        # Assigned to the officer (or their division) where the dossier is now, whichever agency.
        rows = dossiers_visible_to(actor).exclude(status__in=END_STATUSES).filter(assigned_to(actor))
    elif queue == "handed":
        rows = rows.filter(Q(settling_agency_id__in=ids) | Q(receiving_agency_id__in=ids)).exclude(
            current_agency_id__in=ids
        )
    else:
        rows = rows.filter(current_agency_id__in=ids)
    local_now = timezone.localtime(now, VN_TZ)
    if queue == "due_today":
        tomorrow = datetime.combine(local_now.date() + timedelta(days=1), time(0), tzinfo=VN_TZ)
        rows = rows.filter(due_at__gte=now, due_at__lt=tomorrow).exclude(status__in=WAITING)
    elif queue == "due_soon":
        cal = calendar_for(ids[0] if len(ids) == 1 else None)
        horizon = worktime.add_working_time(now, cal.daily_working_time * 2, cal)
        rows = rows.filter(due_at__gte=now, due_at__lte=horizon).exclude(status__in=WAITING)
    elif queue == "overdue":
        rows = rows.filter(due_at__lt=now).exclude(status__in=WAITING)
    elif queue == "waiting":
        rows = rows.filter(status__in=WAITING)
    elif queue == "reception":
        rows = rows.filter(status=Status.SUBMITTED)
    elif queue == "reception_late":
        rows = rows.filter(reception_overdue(ids, now))
    elif queue == "my_step":
        # The officer's own work: dossiers whose current step is for a role they hold at
        # that agency; a dossier not yet at a step waits for reception.
        mine = Q(pk__in=[])
        for agency_id, role in actor.roles:
            if agency_id in ids:
                step = Q(current_step__actor_role=role)
                if role == Role.RECEPTION:
                    step |= Q(current_step__isnull=True)
                mine |= Q(current_agency_id=agency_id) & step
        rows = rows.filter(mine)
    elif queue == "mine":
        rows = rows.filter(events__actor_id=actor.user_id).distinct()
    if procedure := data.get("procedure"):
        rows = rows.filter(procedure_version__procedure__code=procedure.strip())
    if q := (data.get("q") or "").strip():
        rows = rows.filter(search_condition(q))
    sort = data.get("sort") or ("submitted_at" if queue in RECEPTION_QUEUES else "due_at")
    field = sort.lstrip("-")
    expression = F(field).desc(nulls_last=True) if sort.startswith("-") else F(field).asc(nulls_last=True)
    return rows.order_by(expression, "-id")


@officer_required
def queue(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    agencies = _agencies(actor)
    form = QueueForm(request.GET or None, agencies=agencies)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    now = timezone.now()
    # Only the columns the table shows: no model instances, no JSON form data decoded.
    matching = queue_rows(actor, data, agencies, now)
    page = _QueuePaginator(matching.values(*QUEUE_COLUMNS), 50, counted=matching).get_page(request.GET.get("page"))
    items = list(page.object_list)
    waits = reception_waits(items, now)
    rows = [
        {
            **d,
            "status_label": Status(d["status"]).label,
            "left": working_time_until(d["due_at"], d["settling_agency_id"], now),
            "wait": waits.get(d["id"]),
        }
        for d in items
    ]
    params = request.GET.copy()
    params.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "params": params.urlencode()}
    template = "portal/workspace/queue.html"
    if getattr(request, "htmx", False):
        template += "#table"
    return render(request, template, context)


def _steps(dossier: Dossier) -> list[dict[str, Any]]:
    steps = list(dossier.procedure_version.steps.prefetch_related("next_steps").select_related("agency"))
    return [
        {"step": s, "current": s.pk == dossier.current_step_id, "next": [n.name for n in s.next_steps.all()]}
        for s in steps
    ]


def _dossier_context(
    request: HttpRequest, dossier: Dossier, bound: dict[str, djforms.Form] | None = None, confirming: str = ""
) -> dict[str, Any]:
    actor = actor_of(request)
    bound = bound or {}
    actions = []
    for rule in allowed_actions(dossier, actor):
        factory, _run = ACTIONS[rule.action.value]
        form = bound.get(rule.action.value) or factory(dossier, prefix=rule.action.value)
        actions.append(
            {
                "key": rule.action.value,
                "label": ACTION_LABELS[rule.action.value],
                "form": form,
                "rule": rule,
                "confirming": confirming == rule.action.value,
            }
        )
    events = list(dossier_timeline(dossier))
    return {
        "dossier": dossier,
        "events": events,
        "components": dossier.components.all(),
        "steps": _steps(dossier),
        "handovers": dossier.handovers.select_related("from_agency", "to_agency", "from_step", "to_step"),
        "actions": actions,
        "left": working_time_left(dossier),
        "form_lines": eforms.summary(dossier.procedure_version.e_form_schema, dossier.form_data),
        "printable": [(e, form_code_of(e)) for e in printable_events(events)],
        "syncs": dossier_sync_states(dossier.pk),
        "reception_wait": reception_wait(dossier),
        "stop_request": stop_request_of(dossier),
        "delivery_choice": delivery_choice_of(dossier),
        "late_apology": any(e.action == "apologise" and e.data.get("late") for e in events),
    }


@officer_required
@domain_errors_as_pages
def dossier(request: HttpRequest, code: str) -> HttpResponse:
    item = dossier_for(actor_of(request), code)
    return render(request, "portal/workspace/dossier.html", _dossier_context(request, item))


@officer_required
@domain_errors_as_pages
def act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """Apply one allowed action through its service; a refusal comes back as a message."""
    if request.method != "POST":
        return redirect("portal:office-dossier", code=code)
    actor = actor_of(request)
    item = dossier_for(actor, code)
    if action not in ACTIONS or action not in {r.action.value for r in allowed_actions(item, actor)}:
        messages.error(request, _("This action is not available to you for this dossier now."))
        return redirect("portal:office-dossier", code=code)
    factory, run = ACTIONS[action]
    form = factory(item, data=request.POST, files=request.FILES, prefix=action)
    version = posted_version(request)
    if version is None:
        messages.error(request, _("This page is out of date: reload the dossier and try again."))
        return redirect("portal:office-dossier", code=code)
    if form.is_valid() and action in CONFIRMED_ACTIONS and request.POST.get("confirmed") != "1":
        messages.warning(request, _("Check what the form will say, then confirm."))
        context = _dossier_context(request, item, {action: form}, confirming=action)
        return render(request, "portal/workspace/dossier.html", context)
    if form.is_valid():
        try:
            event = run(item, actor, form, version)
        except DomainError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": ACTION_LABELS[action]})
            if event is not None and form_code_of(event):
                url = reverse("portal:form-print", kwargs={"code": item.code, "seq": event.seq})
                messages.info(request, url, extra_tags="print")
            return redirect("portal:office-dossier", code=code)
        item = dossier_for(actor, code)
    else:
        messages.error(request, _("Please correct the fields marked below."))
    status = 200 if getattr(request, "htmx", False) else 422
    return render(
        request, "portal/workspace/dossier.html", _dossier_context(request, item, {action: form}), status=status
    )


@officer_required
@domain_errors_as_pages
def control_sheet(request: HttpRequest, code: str) -> HttpResponse:
    """Form 06 (phiếu kiểm soát quá trình giải quyết hồ sơ), from the hand-over log: the
    form's one template (the PDF's too) in the portal's print frame."""
    item = dossier_for(actor_of(request), code)
    return HttpResponse(form_page(request, item, "06"))


@officer_required
def book(request: HttpRequest) -> HttpResponse:
    """Form 07 (sổ theo dõi hồ sơ) of a one-stop unit over a period, optionally one field,
    with its PDF and Excel downloads."""
    agencies = _agencies(actor_of(request))
    today = timezone.localdate()
    form = BookForm(request.GET or None, agencies=agencies, initial={"start": today.replace(day=1), "end": today})
    rows: Any = []
    downloads: dict[str, str] = {}
    agency = None
    if form.is_bound and form.is_valid():
        agency, start, end, field_code = _book_choice(form, agencies)
        try:
            rows = book_rows(agency, start, end, field_code=field_code)[:1000]
        except DomainError as error:
            form.add_error(None, error_text(error))
            agency = None
        query = "?" + request.GET.urlencode()
        downloads = {"pdf": reverse("portal:book-pdf") + query, "xlsx": reverse("portal:book-xlsx") + query}
    return render(
        request,
        "portal/workspace/book.html",
        {"form": form, "rows": rows, "downloads": downloads, "agency": agency},
    )


def _book_choice(form: BookForm, agencies: list[Agency]) -> tuple[Agency, Any, Any, str]:
    data = form.cleaned_data
    agency = next(a for a in agencies if a.code == data["agency"])
    return agency, data["start"], data["end"], data.get("field") or ""


@officer_required
def book_pdf(request: HttpRequest) -> HttpResponse:
    """Form 07 as the legal document (PDF)."""
    return _book_download(request, "pdf")


@officer_required
def book_xlsx(request: HttpRequest) -> HttpResponse:
    """Form 07 as an Excel workbook, the same rows as the PDF."""
    return _book_download(request, "xlsx")


def _book_download(request: HttpRequest, kind: str) -> HttpResponse:
    agencies = _agencies(actor_of(request))
    form = BookForm(request.GET or None, agencies=agencies)
    if not form.is_valid():
        return render(request, "portal/error.html", {"message": _("Choose an agency and a valid period.")}, status=400)
    agency, start, end, field_code = _book_choice(form, agencies)
    try:
        if kind == "pdf":
            content = render_tracking_book_pdf(agency, start, end, field_code=field_code)
        else:
            content = tracking_book_xlsx(agency, start, end, field_code=field_code)
    except DomainError as error:
        return render(request, "portal/error.html", {"message": error_text(error)}, status=400)
    if kind == "pdf":
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="so-theo-doi-{agency.code}.pdf"'
        return response
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="so-theo-doi-{agency.code}.xlsx"'
    return response
