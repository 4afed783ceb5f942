"""What every page shares: who is acting, domain errors as messages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.lib.errors import DomainError
from motcua.lib.uploads import UploadRefused
from motcua.organizations.actors import Actor, actor_for

#: Domain error codes worded for the pages (the API keeps the English message).
ERROR_TEXT: dict[str, Any] = {
    "reason_required": gettext_lazy("A reason is required for this action."),
    "dossier_not_found": gettext_lazy("No dossier with this code that you may see."),
    "dossier_changed": gettext_lazy("Someone else changed this dossier in the meantime; reload it and try again."),
    "transition_not_allowed": gettext_lazy("This action is not possible in the dossier's current status."),
    "forbidden": gettext_lazy("You may not do this on this dossier."),
    "invalid_personal_id": gettext_lazy("The personal ID number is not valid: it has 12 digits."),
    "missing_name": gettext_lazy("The applicant's name is required."),
    "invalid_form": gettext_lazy("The e-form has errors; see the messages next to the fields."),
    "supplement_items_required": gettext_lazy("Form 02 lists what to complete: choose or write at least one item."),
    "agency_phone_required": gettext_lazy(
        "Form 02 gives the unit's phone for questions, and none is recorded: ask an administrator to record it."
    ),
    "supplement_already_requested": gettext_lazy(
        "Form 02 at reception is issued once, listing everything missing: receive the dossier or refuse it."
    ),
    "approval_required": gettext_lazy("A leader must approve the result before a specialist finishes it."),
    "already_reappointed": gettext_lazy("A new date can be set only once."),
    "invalid_new_date": gettext_lazy("The new date must be later than the current due date and than now."),
    "result_exists": gettext_lazy(
        "The result of this dossier already exists: it can no longer be stopped or withdrawn."
    ),
    "stop_already_requested": gettext_lazy("A stop has already been requested for this dossier."),
    "stop_request_required": gettext_lazy("Record the applicant's request (how it came and its date) before stopping."),
    "request_channel_required": gettext_lazy("Say how the applicant's request came: at the counter or by post."),
    "invalid_request_date": gettext_lazy("The request cannot be dated in the future."),
    "outside_working_hours": gettext_lazy(
        "This is outside the agency's working hours: give the reason for receiving the dossier now."
    ),
    "no_due_date": gettext_lazy("The dossier has no due date yet."),
    "handover_target_required": gettext_lazy("Choose the next step or the agency to hand over to."),
    "unknown_step": gettext_lazy("The process has no such step."),
    "step_not_next": gettext_lazy("That step does not follow the current step."),
    "invalid_amount": gettext_lazy("The amount must be more than 0 VND."),
    "invalid_delivery": gettext_lazy("Choose how the result was delivered."),
    "invalid_delivery_choice": gettext_lazy("Choose how to receive the result."),
    "delivery_not_offered": gettext_lazy("The result of this procedure cannot be received that way."),
    "address_required": gettext_lazy("Enter the postal address the result is sent to."),
    "address_too_long": gettext_lazy("The address is at most 500 characters."),
    "result_returned": gettext_lazy(
        "The result of this dossier was already returned: how to receive it can no longer change."
    ),
    "not_online": gettext_lazy("This procedure is not offered online; file it at the counter."),
    "procedure_not_in_force": gettext_lazy("This procedure is not in force."),
    "procedure_not_found": gettext_lazy("This procedure has no version in force."),
    "settling_commune_required": gettext_lazy("Choose the commune that settles this procedure."),
    "post_not_allowed": gettext_lazy("This procedure cannot be filed by post."),
    "not_applicant": gettext_lazy("Only the applicant may rate this dossier."),
    "no_result_yet": gettext_lazy("A dossier can be rated once its result is ready."),
    "already_rated": gettext_lazy("This dossier has already been rated."),
    "invalid_rating": gettext_lazy("Score every criterion and choose your overall satisfaction."),
    "no_receipt": gettext_lazy("This dossier has no receipt yet."),
    "form_not_issued": gettext_lazy("This form has not been issued for this dossier."),
    "invalid_dossier_code": gettext_lazy("This is not a dossier code."),
    "documents_missing": gettext_lazy("Some mandatory papers of this procedure are missing."),
    "too_many_submissions": gettext_lazy("You have reached today's limit of online submissions; try again tomorrow."),
    "too_many_drafts": gettext_lazy("You have too many open drafts; submit or delete one before starting another."),
    "form_too_large": gettext_lazy("The e-form is too large to be saved."),
    "feedback_not_found": gettext_lazy("No feedback with this number or tracking code."),
    "feedback_status": gettext_lazy("This action is not possible in the feedback's current status."),
    "feedback_refuse_too_late": gettext_lazy(
        "The 2 working days to refuse this feedback have passed: answer it instead."
    ),
    "feedback_supplement_too_late": gettext_lazy(
        "The 5 working days to ask the sender for more have passed: answer the feedback instead."
    ),
    "feedback_reason_required": gettext_lazy("Give the reason for refusing."),
    "feedback_request_required": gettext_lazy("Say what the sender must add."),
    "answer_required": gettext_lazy("Write the answer."),
    "feedback_too_long": gettext_lazy("The text is too long: at most 4000 characters."),
    "feedback_name_required": gettext_lazy("Give your name."),
    "feedback_contact_required": gettext_lazy("Give a phone number or an e-mail so the agency can answer you."),
    "feedback_dossier_not_yours": gettext_lazy("Only the applicant may link feedback to this dossier."),
    "too_much_feedback": gettext_lazy(
        "You have sent the most feedback allowed in 24 hours; try again tomorrow or call the agency."
    ),
    "feedback_not_published": gettext_lazy("Only published answers can be rated."),
    "already_voted": gettext_lazy("You have already rated this answer."),
}


#: Domain errors whose page wording names values from the error's details.
DETAILED_ERROR_TEXT: dict[str, Any] = {
    "dossier_changed": gettext_lazy(
        "This dossier was changed by %(changed_by)s at %(changed_at)s; reload it and check before acting again."
    ),
    "amount_not_fee_due": gettext_lazy("The amount paid is not the fee due (%(due_vnd)s VND)."),
    "supplement_request_too_late": gettext_lazy(
        "The time to ask for a supplement has passed: it ended at %(ask_by)s, counted from when the dossier "
        "reached the agency."
    ),
    "supplement_limit_reached": gettext_lazy("At most %(limit)s supplement requests are allowed for a dossier."),
}


def _detailed_text(error: DomainError) -> str | None:
    if isinstance(error, UploadRefused):
        return error.text  # worded by the upload check in the request's language
    wording = DETAILED_ERROR_TEXT.get(error.code)
    if wording is None or not isinstance(error.details, dict):
        return None
    values = dict(error.details)
    for key in ("changed_at", "ask_by"):
        if values.get(key):
            values[key] = f"{datetime.fromisoformat(values[key]):%H:%M %d/%m/%Y}"
    if "due_vnd" in values:
        values["due_vnd"] = f"{values['due_vnd']:,}".replace(",", ".")
    try:
        return str(wording) % values
    except KeyError:
        return None


def error_text(error: DomainError) -> str:
    """The page wording of a domain error: by its stable code, else its own message."""
    if (detailed := _detailed_text(error)) is not None:
        return detailed
    known = ERROR_TEXT.get(error.code)
    return str(known) if known is not None else error.message


def actor_of(request: HttpRequest) -> Actor:
    """The actor behind the request, loaded once per request."""
    cached = getattr(request, "_motcua_actor", None)
    if cached is None:
        cached = actor_for(request.user)
        request._motcua_actor = cached  # type: ignore[attr-defined]
    return cached


def error_page(request: HttpRequest, error: DomainError) -> HttpResponse:
    status = error.http_status if error.http_status in {403, 404, 409, 422, 429} else 400
    return render(request, "portal/error.html", {"message": error_text(error)}, status=status)


def domain_errors_as_pages(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A DomainError escaping a view becomes an error page with its message (never a 500)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except DomainError as error:
            return error_page(request, error)

    return wrapper


def flash_error(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, error_text(error))


def officer_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Officer pages: a signed-in user with at least one role in an agency."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        from django.contrib.auth.views import redirect_to_login

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not actor_of(request).is_officer:
            return render(
                request, "portal/error.html", {"message": _("This page is for officers of an agency.")}, status=403
            )
        return view(request, *args, **kwargs)

    return wrapper


class PortalLoginView(LoginView):
    """Django's login view; without `next`, officers land on their queue (catalogue managers on
    the catalogue), citizens on their dossiers."""

    def get_default_redirect_url(self) -> str:
        user = self.request.user
        actor = actor_for(user)
        if any(role == "reception" for _agency, role in actor.roles) and not any(
            role in {"specialist", "leader"} for _agency, role in actor.roles
        ):
            return reverse("portal:counter")
        if actor.roles and all(role == "catalogue" for _agency, role in actor.roles):
            return reverse("portal:catalogue")
        if actor.is_officer:
            return reverse("portal:queue")
        return reverse("portal:my")


def posted_version(request: HttpRequest) -> int | None:
    """The dossier version an action form was rendered at (its hidden `version` field);
    None when missing or malformed (a page from before versions, or a forged post)."""
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else None
