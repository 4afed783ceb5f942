"""The page forms of feedback (PAKN): the public form, the officers' actions and the search of
published answers. They only parse and check input; `ratings.services` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.organizations.models import Agency, AgencyKind
from motcua.portal.inputs import EmailField, PhoneField, PortalForm, _choices
from motcua.ratings.models import FeedbackKind
from motcua.ratings.services import CONTENT_MAX

#: Agencies a PAKN may be addressed to: the ones that settle procedures, still in existence.
TARGET_KINDS = (
    AgencyKind.PROVINCE,
    AgencyKind.SERVICE_CENTRE,
    AgencyKind.DEPARTMENT,
    AgencyKind.COMMUNE,
    AgencyKind.VERTICAL_BRANCH,
)


def target_agencies() -> list[Agency]:
    today = timezone.localdate()
    rows = Agency.objects.filter(kind__in=TARGET_KINDS).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    return list(rows.order_by("name"))


class FeedbackForm(PortalForm):
    """The public PAKN form. A signed-in citizen (`signed_in`) may link one of their own
    `dossiers` (code, label) and gives no contact; anyone else gives a name and a phone or an
    e-mail."""

    kind = forms.ChoiceField(label=_("What is it about?"), choices=FeedbackKind.choices, widget=forms.RadioSelect)
    dossier = forms.ChoiceField(
        label=_("Your dossier (optional)"),
        required=False,
        help_text=_("Linking the dossier sends the feedback to the agency that settles it."),
    )
    agency = forms.ChoiceField(
        label=_("Agency the feedback is for"),
        required=False,
        help_text=_("Needed unless you link a dossier."),
    )
    content = forms.CharField(
        label=_("Your feedback or recommendation"),
        min_length=10,
        max_length=CONTENT_MAX,
        help_text=_("Say what happened, when and where, and what you ask for. At most 4000 characters."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    name = forms.CharField(label=_("Full name"), max_length=255, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = PhoneField(label=_("Phone"), required=False)
    email = EmailField(label=_("E-mail"), required=False, max_length=254)

    def __init__(
        self, *args: Any, signed_in: bool = False, dossiers: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        self.agencies = {str(a.pk): a for a in target_agencies()}
        _choices(self, "agency").choices = [("", "—")] + [(pk, a.name) for pk, a in self.agencies.items()]
        if signed_in:
            for name in ("name", "phone", "email"):
                del self.fields[name]
            _choices(self, "dossier").choices = [("", _("No dossier")), *list(dossiers or [])]
            if not dossiers:
                del self.fields["dossier"]
        else:
            del self.fields["dossier"]
        self.fields["content"].error_messages.update(
            {
                "min_length": gettext("Write at least %(limit_value)d characters."),
                "max_length": gettext("Write at most %(limit_value)d characters (you wrote %(show_value)d)."),
            }
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("dossier") and not data.get("agency") and "agency" not in self.errors:
            self.add_error("agency", gettext("Choose the agency the feedback is for, or link a dossier."))
        no_contact = not data.get("phone") and not data.get("email")
        if not self.signed_in and no_contact and "phone" not in self.errors and "email" not in self.errors:
            self.add_error("phone", gettext("Enter a phone number or an e-mail so the agency can answer you."))
        return data

    def chosen_agency(self) -> Agency | None:
        return self.agencies.get(self.cleaned_data.get("agency") or "")


class FeedbackRefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusing"), max_length=CONTENT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class FeedbackSupplementForm(forms.Form):
    request = forms.CharField(
        label=_("What the sender must add"), max_length=CONTENT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class FeedbackAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=CONTENT_MAX, widget=forms.Textarea(attrs={"rows": 6}))


class FeedbackPublishForm(forms.Form):
    """Publishing takes no input: the answer as given becomes public."""


class FeedbackSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the questions and answers"), required=False, max_length=200)
    agency = forms.ChoiceField(label=_("Agency"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "agency").choices = [("", _("All agencies"))] + [(str(a.pk), a.name) for a in target_agencies()]


QUEUE_CHOICES = [
    ("open", _("To handle")),
    ("to_publish", _("To publish")),
    ("done", _("Published or refused")),
    ("all", _("All")),
]


class FeedbackQueueForm(forms.Form):
    queue = forms.ChoiceField(label=_("Queue"), choices=QUEUE_CHOICES, required=False)
    q = forms.CharField(label=_("Tracking code or words"), required=False, max_length=200)
