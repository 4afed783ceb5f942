"""Feedback and recommendations (phản ánh, kiến nghị — PAKN): the public form, the tracking page
of one PAKN, the officers' queue and actions, and the public answers with their votes.

Every write goes through `ratings.services`; what is shown to the public names no sender
(Decree 13/2023 on personal data): the published answers show the sender's initials only.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossiers_visible_to, working_time_until
from motcua.lib.errors import DomainError
from motcua.organizations.actors import Actor
from motcua.people.models import Person
from motcua.portal.feedback_inputs import (
    FeedbackAnswerForm,
    FeedbackForm,
    FeedbackPublishForm,
    FeedbackQueueForm,
    FeedbackRefuseForm,
    FeedbackSearchForm,
    FeedbackSupplementForm,
)
from motcua.portal.inputs import error_links
from motcua.portal.views.common import actor_of, domain_errors_as_pages, error_text, officer_required
from motcua.ratings.models import Feedback, FeedbackStatus
from motcua.ratings.selectors import (
    feedback_by_code,
    feedback_current_due,
    feedback_deadlines,
    feedback_for,
    feedback_public_sender,
    feedback_queue,
    feedback_sender_name,
    published_answers,
)
from motcua.ratings.services import (
    FeedbackContact,
    feedback_handle,
    feedback_publish,
    feedback_refuse,
    feedback_request_supplement,
    feedback_submit,
    feedback_vote_once,
)

#: The dossiers a signed-in citizen may link: their latest ones.
LINKABLE_DOSSIERS = 50


def _own_dossiers(actor: Actor) -> list[Dossier]:
    if actor.person_id is None:
        return []
    rows = dossiers_visible_to(actor).filter(applicant_id=actor.person_id).select_related("procedure_version")
    return list(rows.order_by("-id")[:LINKABLE_DOSSIERS])


def feedback_new(request: HttpRequest) -> HttpResponse:
    """The public PAKN form (anyone); on success the tracking page with the code and the date
    the answer is due."""
    actor = actor_of(request)
    signed_in = actor.person_id is not None
    dossiers = _own_dossiers(actor)
    choices = [(d.code, f"{d.code} · {d.procedure_version.name}") for d in dossiers]
    initial = {"kind": request.GET.get("kind", ""), "dossier": request.GET.get("ho-so", "")}
    form = FeedbackForm(request.POST or None, initial=initial, signed_in=signed_in, dossiers=choices)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                feedback = _submit(form, actor, {d.code: d for d in dossiers})
            except DomainError as error:
                form.add_error(None, error_text(error))
                status = error.http_status if error.http_status == 429 else 422
            else:
                request.session["feedback_sent"] = feedback.code
                return redirect("portal:feedback-track", code=feedback.code)
    context = {"form": form, "error_list": error_links(form), "signed_in": signed_in}
    return render(request, "portal/feedback/new.html", context, status=status)


def _submit(form: FeedbackForm, actor: Actor, dossiers: dict[str, Dossier]) -> Feedback:
    data = form.cleaned_data
    dossier = dossiers.get(data.get("dossier") or "")
    agency = (dossier.settling_agency if dossier else None) or form.chosen_agency()
    if agency is None:
        raise DomainError("Choose an agency.", code="feedback_agency_required")
    contact = None
    if actor.person_id is None:
        contact = FeedbackContact(name=data["name"], phone=data.get("phone") or "", email=data.get("email") or "")
    return feedback_submit(
        agency=agency,
        content=data["content"],
        dossier=dossier,
        person=Person.objects.filter(pk=actor.person_id).first() if actor.person_id else None,
        kind=data["kind"],
        contact=contact,
        actor=actor,
    )


@domain_errors_as_pages
def feedback_track(request: HttpRequest, code: str) -> HttpResponse:
    """One PAKN by its tracking code: status, the date the answer is due and, once given, the
    answer (the code is known only to the sender)."""
    feedback = feedback_by_code(code)
    just_sent = request.session.pop("feedback_sent", "") == feedback.code
    context = {
        "feedback": feedback,
        "deadlines": feedback_deadlines(feedback),
        "just_sent": just_sent,
    }
    return render(request, "portal/feedback/track.html", context)


def feedback_lookup(request: HttpRequest) -> HttpResponse:
    """The tracking-code box of the public answers page."""
    code = request.GET.get("ma", "").strip().upper()
    if code:
        return redirect("portal:feedback-track", code=code[:16])
    return redirect("portal:feedback-answers")


def feedback_answers(request: HttpRequest) -> HttpResponse:
    """Published answers, newest first, searchable; no sender's personal data."""
    form = FeedbackSearchForm(request.GET or None)
    q, agency = "", None
    if form.is_bound and form.is_valid():
        q = form.cleaned_data["q"]
        agency = int(form.cleaned_data["agency"]) if form.cleaned_data.get("agency") else None
    page = Paginator(published_answers(q, agency), 20).get_page(request.GET.get("page"))
    items = [{"feedback": f, "sender": feedback_public_sender(f)} for f in page.object_list]
    params = request.GET.copy()
    params.pop("page", None)
    voted = set(request.session.get("feedback_votes", []))
    context = {"form": form, "page": page, "items": items, "query": params.urlencode(), "voted": voted}
    return render(request, "portal/feedback/answers.html", context)


def _voter(request: HttpRequest) -> str:
    actor = actor_of(request)
    if actor.person_id is not None:
        return f"p:{actor.person_id}"
    if actor.user_id is not None:
        return f"u:{actor.user_id}"
    # A browser without an account: a random token kept in its session (saved with the answer).
    token = request.session.setdefault("feedback_voter", secrets.token_hex(16))
    return f"s:{token}"


@require_POST
def feedback_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Like or dislike a published answer: once per person, account or browser session."""
    feedback = Feedback.objects.filter(pk=pk, status=FeedbackStatus.PUBLISHED).first()
    if feedback is None:
        raise Http404(_("No published answer with this number."))
    value = request.POST.get("vote", "")
    if value not in {"like", "dislike"}:
        messages.error(request, _("Choose like or dislike."))
    else:
        try:
            feedback_vote_once(feedback=feedback, voter=_voter(request), like=value == "like")
        except DomainError as error:
            messages.error(request, error_text(error))
        else:
            voted = request.session.get("feedback_votes", [])
            request.session["feedback_votes"] = [*voted, feedback.pk][-200:]
            messages.success(request, _("Thank you: your opinion of the answer was counted."))
    return redirect(f"{reverse('portal:feedback-answers')}#answer-{feedback.pk}")


# ---------------------------------------------------------------- officers


@officer_required
def office_queue(request: HttpRequest) -> HttpResponse:
    """The PAKN of the officer's agencies (and of the units below those they oversee), with
    the deadline each is worked against."""
    form = FeedbackQueueForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = feedback_queue(actor_of(request), data.get("queue") or "open", data.get("q") or "")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    now = timezone.now()
    items = []
    for feedback in page.object_list:
        due = feedback_current_due(feedback)
        items.append({"feedback": feedback, "due": due, "left": working_time_until(due, feedback.agency_id, now)})
    params = request.GET.copy()
    params.pop("page", None)
    context = {"form": form, "page": page, "items": items, "query": params.urlencode()}
    return render(request, "portal/feedback/office_queue.html", context)


#: action -> (label, form, the status it is offered in, service call)
Run = Callable[[Feedback, Actor, dict[str, Any]], Feedback]
OFFICE_ACTIONS: dict[str, tuple[Any, type[djforms.Form], tuple[str, ...], Run]] = {
    "answer": (
        gettext_lazy("Answer (within 15 working days)"),
        FeedbackAnswerForm,
        (FeedbackStatus.OPEN, FeedbackStatus.SUPPLEMENT_REQUESTED),
        lambda f, a, d: feedback_handle(feedback=f, actor=a, answer=d["answer"]),
    ),
    "request_supplement": (
        gettext_lazy("Ask the sender for more (within 5 working days)"),
        FeedbackSupplementForm,
        (FeedbackStatus.OPEN,),
        lambda f, a, d: feedback_request_supplement(feedback=f, actor=a, request=d["request"]),
    ),
    "refuse": (
        gettext_lazy("Refuse, with the reason (within 2 working days)"),
        FeedbackRefuseForm,
        (FeedbackStatus.OPEN,),
        lambda f, a, d: feedback_refuse(feedback=f, actor=a, reason=d["reason"]),
    ),
    "publish": (
        gettext_lazy("Publish the answer (within 2 working days of answering)"),
        FeedbackPublishForm,
        (FeedbackStatus.HANDLED,),
        lambda f, a, d: feedback_publish(feedback=f, actor=a),
    ),
}


def _office_context(request: HttpRequest, feedback: Feedback, bound: dict[str, djforms.Form]) -> dict[str, Any]:
    deadlines = feedback_deadlines(feedback)
    now = timezone.now()
    # Refusing and asking for more are possible only within their own, shorter deadlines.
    too_late = {"refuse": now > deadlines.refuse, "request_supplement": now > deadlines.supplement}
    actions = [
        {"key": key, "label": label, "form": bound.get(key) or form_class(prefix=key)}
        for key, (label, form_class, statuses, _run) in OFFICE_ACTIONS.items()
        if feedback.status in statuses and not too_late.get(key)
    ]
    due = feedback_current_due(feedback)
    return {
        "feedback": feedback,
        "sender": feedback_sender_name(feedback),
        "person": feedback.person,
        "deadlines": deadlines,
        "left": working_time_until(due, feedback.agency_id, now),
        "actions": actions,
        "history": feedback.actions.all(),
    }


@officer_required
@domain_errors_as_pages
def office_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = feedback_for(actor_of(request), pk)
    return render(request, "portal/feedback/office_detail.html", _office_context(request, feedback, {}))


@officer_required
@require_POST
@domain_errors_as_pages
def office_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Apply one action through its service; bad input comes back on the page with its errors."""
    actor = actor_of(request)
    feedback = feedback_for(actor, pk)
    if action not in OFFICE_ACTIONS:
        raise Http404(_("No such action."))
    label, form_class, _statuses, run = OFFICE_ACTIONS[action]
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        try:
            run(feedback, actor, form.cleaned_data)
        except DomainError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": label})
            return redirect("portal:office-feedback", pk=feedback.pk)
        feedback = feedback_for(actor, pk)
    else:
        messages.error(request, _("Please correct the fields marked below."))
    context = _office_context(request, feedback, {action: form})
    return render(request, "portal/feedback/office_detail.html", context, status=422)
