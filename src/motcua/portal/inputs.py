"""The Django forms of the portal pages (page input, not the legal forms of `documents`).
They only parse and validate input; the services decide.

Every form follows the GOV.UK / USWDS error pattern: `PortalForm` words a blank required field
as what to do with it ("Enter the full name"), `DayField` reads a day typed as dd/mm/yyyy
(a text input: the browser's date picker orders day and month by the browser's language),
`PhoneField` a Vietnamese phone number, and `error_links` lists the errors for the summary
at the top of the page (`portal/partials/error_summary.html`).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Field, OnlineLevel
from motcua.codelists.formats import VIETNAM_TIME, parse_day, phone_number
from motcua.dossiers.models import Channel, Delivery
from motcua.eforms.fields import DATE_PATTERN
from motcua.lib.ids import personal_id_error
from motcua.organizations.models import Agency, AgencyKind
from motcua.organizations.selectors import handover_agency_choices
from motcua.ratings.models import CRITERIA, Satisfaction


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    """The choice field `name` of `form` (typed, so its choices can be set per request)."""
    return cast(forms.ChoiceField, form.fields[name])


def _lower_first(label: str) -> str:
    return label[0].lower() + label[1:] if len(label) > 1 and label[1].islower() else label


class PortalForm(forms.Form):
    """A page form whose blank required fields say what to do, naming the field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label = _lower_first(str(field.label or ""))
            if isinstance(field, forms.ChoiceField | forms.BooleanField):
                field.error_messages["required"] = gettext("Choose %(field)s.") % {"field": label}
            else:
                field.error_messages["required"] = gettext("Enter %(field)s.") % {"field": label}


class DayField(forms.DateField):
    """A day typed as dd/mm/yyyy in a text input (ISO yyyy-mm-dd accepted too); `past_only`
    refuses a day after today in Viet Nam (a birth date)."""

    widget = forms.TextInput

    def __init__(self, *args: Any, past_only: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("For example, 27/03/1990 (day/month/year)."))
        super().__init__(*args, **kwargs)
        self.past_only = past_only
        self.widget.attrs.update(
            {"inputmode": "numeric", "pattern": DATE_PATTERN, "maxlength": 10, "autocomplete": "off"}
        )

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%d/%m/%Y") if isinstance(value, date) else value

    def to_python(self, value: Any) -> date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        day = parse_day(str(value))
        if day is None:
            raise forms.ValidationError(
                gettext("Enter a real date as day/month/year, for example 27/03/1990."), code="invalid"
            )
        return day

    def validate(self, value: Any) -> None:
        super().validate(value)
        if self.past_only and value and value > timezone.now().astimezone(VIETNAM_TIME).date():
            raise forms.ValidationError(gettext("The date cannot be later than today."), code="future")


class PhoneField(forms.CharField):
    """A Vietnamese phone number, kept as its digits ("+84 912 345 678" → "0912345678")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "help_text", _("A mobile number of 10 digits or a landline with its area code, e.g. 0912 345 678.")
        )
        super().__init__(*args, **kwargs)
        self.widget.input_type = "tel"
        self.widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if not value:
            return value
        number = phone_number(value)
        if number is None:
            raise forms.ValidationError(
                gettext(
                    "Enter a Vietnamese phone number: a mobile of 10 digits starting with 03, 05, 07, 08 or 09,"
                    " or a landline of 11 digits starting with 02."
                ),
                code="invalid",
            )
        return number


class EmailField(forms.EmailField):
    default_error_messages = {"invalid": _("Enter an e-mail address in the correct format, like name@example.com.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})


def error_links(form: forms.Form | None) -> list[tuple[str, str]]:
    """(id of the input to go to, message) of every error of `form`, in the order of its fields,
    for the error summary; an error of the whole form goes to its first field."""
    if form is None or not form.is_bound or not form.errors:
        return []
    fields = list(form)
    links = [(fields[0].id_for_label if fields else "", str(e)) for e in form.non_field_errors()]
    for bound in fields:
        for error in bound.errors:
            links.append((bound.id_for_label or bound.auto_id, f"{bound.label}: {error}"))
    return links


class ProfileForm(PortalForm):
    """The citizen's own contact details (the name and the personal ID come from the ID card)."""

    birth_date = DayField(label=_("Date of birth"), required=False, past_only=True)
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    phone = PhoneField(label=_("Phone"), required=False)
    email = EmailField(label=_("E-mail"), required=False)

    def __init__(self, *args: Any, birth_date_locked: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if birth_date_locked:
            self.fields["birth_date"].disabled = True
            self.fields["birth_date"].help_text = _("As verified against the national identity.")


LEVEL_CHOICES = [("", _("All levels")), ("province", _("Province")), ("commune", _("Commune"))]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search procedures"), required=False, max_length=200)
    field = forms.ChoiceField(label=_("Field"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False, choices=LEVEL_CHOICES)
    online_level = forms.ChoiceField(
        label=_("Online service"),
        required=False,
        choices=[("", _("All")), *[(v, label) for v, label in OnlineLevel.choices]],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "field").choices = [("", _("All fields"))] + [
            (f.code, f.name) for f in Field.objects.order_by("name")
        ]


class TrackForm(PortalForm):
    code = forms.CharField(label=_("Dossier code"), max_length=64)


def _communes() -> list[tuple[str, str]]:
    return [("", "—")] + [(str(a.pk), a.name) for a in Agency.objects.filter(kind=AgencyKind.COMMUNE).order_by("name")]


class PersonalIdField(forms.CharField):
    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if value and (error := personal_id_error(value.strip())):
            raise forms.ValidationError(_("The personal ID number has 12 digits and must be valid.") + f" ({error})")
        return value.strip() if value else value


class CounterIntakeForm(PortalForm):
    """Applicant and procedure of a walk-in or postal dossier."""

    id_number = PersonalIdField(
        label=_("Personal ID number"),
        help_text=_("12 digits, on the citizen ID card."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 12}),
    )
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=255,
        help_text=_("As on the ID card, family name first."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    phone = PhoneField(label=_("Phone"), required=False)
    email = EmailField(label=_("E-mail"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[(Channel.COUNTER, _("At the counter")), (Channel.POST, _("By post"))]
    )
    settling_agency = forms.ChoiceField(label=_("Settling commune (commune-level procedures)"), required=False)
    sets = forms.IntegerField(label=_("Number of sets"), min_value=1, max_value=20, initial=1)
    outside_hours_reason = forms.CharField(
        label=_("Reason for receiving outside working hours"),
        help_text=_("Needed only outside the agency's working hours; it is kept in the dossier's history."),
        required=False,
        max_length=1000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "settling_agency").choices = _communes()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class SupplementForm(forms.Form):
    items = forms.MultipleChoiceField(
        label=_("Papers to complete"), required=False, widget=forms.CheckboxSelectMultiple
    )
    other = forms.CharField(
        label=_("Other items (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

    def __init__(self, *args: Any, names: list[str] | None = None, reason_required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "items").choices = [(n, n) for n in names or []]
        self.fields["reason"].required = reason_required

    def item_list(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data.get("other", "").splitlines() if line.strip()]
        return [*self.cleaned_data.get("items", []), *lines]


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class FinishForm(NoteForm):
    electronic_result = forms.BooleanField(label=_("An electronic result is issued"), required=False)


class HandOverForm(forms.Form):
    to_step = forms.ChoiceField(label=_("Next step"), required=False)
    to_agency = forms.ChoiceField(label=_("Or hand over to another agency"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)

    def __init__(self, *args: Any, steps: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "to_step").choices = [("", "—"), *(steps or [])]
        _choices(self, "to_agency").choices = [("", "—"), *handover_agency_choices()]


class AssignForm(forms.Form):
    """A leader assigns the dossier to a specialist or a division of the agency it is at."""

    assignee = forms.ChoiceField(label=_("Specialist"), required=False)
    unit = forms.ChoiceField(label=_("Or a division"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)

    def __init__(
        self,
        *args: Any,
        specialists: list[tuple[str, str]] | None = None,
        divisions: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "assignee").choices = [("", "—"), *(specialists or [])]
        _choices(self, "unit").choices = [("", "—"), *(divisions or [])]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("assignee")) == bool(data.get("unit")):
            raise forms.ValidationError(_("Choose a specialist or a division, one of the two."))
        return data


class PaymentRequestForm(forms.Form):
    amount_vnd = forms.IntegerField(label=_("Amount (VND)"), min_value=1)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class PaymentConfirmForm(forms.Form):
    amount_vnd = forms.IntegerField(label=_("Amount paid (VND)"), min_value=1)
    reference = forms.CharField(label=_("Receipt or transaction reference"), required=False, max_length=100)


class ApologiseForm(PortalForm):
    reason = forms.CharField(label=_("Reason for the delay"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    new_date = DayField(label=_("New return date"))
    new_time = forms.TimeField(
        label=_("New return time"), initial=time(16, 0), widget=forms.TimeInput(attrs={"type": "time"})
    )

    def new_due_at(self) -> datetime:
        from motcua.calendars.worktime import VN_TZ

        return datetime.combine(self.cleaned_data["new_date"], self.cleaned_data["new_time"], tzinfo=VN_TZ)


class ReturnForm(forms.Form):
    delivery = forms.ChoiceField(label=_("How the result was delivered"), choices=Delivery.choices)
    collected_by = forms.CharField(
        label=_("Collected by"), required=False, max_length=255, help_text=_("Empty: the applicant.")
    )


class ReceiveForm(forms.Form):
    checked = forms.MultipleChoiceField(
        label=_("Components checked"), required=False, widget=forms.CheckboxSelectMultiple
    )
    outside_hours_reason = CounterIntakeForm.base_fields["outside_hours_reason"]

    def __init__(self, *args: Any, names: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.names = names or []
        _choices(self, "checked").choices = [(n, n) for n in self.names]

    def clean_checked(self) -> list[str]:
        checked = self.cleaned_data.get("checked") or []
        if set(self.names) - set(checked):
            raise forms.ValidationError(
                _("Tick every component after checking it; if one is missing, request a supplement instead.")
            )
        return checked


class RatingForm(PortalForm):
    satisfaction = forms.ChoiceField(
        label=_("Overall satisfaction"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    SCORE_CHOICES = [("2", _("Good (2)")), ("1", _("Fair (1)")), ("0", _("Poor (0)"))]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in CRITERIA.items():
            self.fields[f"score_{key}"] = forms.ChoiceField(
                label=label, choices=self.SCORE_CHOICES, widget=forms.RadioSelect
            )

    def score_fields(self) -> list[forms.BoundField]:
        return [self[f"score_{key}"] for key in CRITERIA]

    def scores(self) -> dict[str, int]:
        return {key: int(self.cleaned_data[f"score_{key}"]) for key in CRITERIA}


QUEUES = [
    ("all", _("All open")),
    ("due_today", _("Due today")),
    ("due_soon", _("Due within two working days")),
    ("overdue", _("Overdue")),
    ("waiting", _("Waiting for the citizen")),
    ("reception", _("Online, waiting for reception")),
    ("reception_late", _("Waiting for reception beyond the limit")),
    ("handed", _("Handed to another agency")),
    ("my_step", _("At a step for my role")),
    ("mine", _("Handled by me")),
    ("assigned", _("Assigned to me")),
]
SORTS = [
    ("due_at", _("Due first")),
    ("-due_at", _("Due last")),
    ("-received_at", _("Newest received")),
    ("received_at", _("Oldest received")),
    ("code", _("Dossier code")),
    ("submitted_at", _("Filed first (waiting longest)")),
]


class QueueForm(forms.Form):
    queue = forms.ChoiceField(label=_("Queue"), choices=QUEUES, required=False)
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    procedure = forms.CharField(label=_("Procedure code"), required=False, max_length=10)
    q = forms.CharField(
        label=_("Search: dossier code, applicant's name or ID, procedure"), required=False, max_length=64
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)

    def __init__(self, *args: Any, agencies: list[Agency] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "agency").choices = [("", _("All my agencies"))] + [(a.code, a.name) for a in agencies or []]


class BookForm(PortalForm):
    """Form 07: the book of a one-stop unit, for a period (within a year's book) and a field."""

    agency = forms.ChoiceField(label=_("Agency"))
    start = DayField(label=_("From"))
    end = DayField(label=_("To"))
    field = forms.ChoiceField(label=_("Field"), required=False)

    def __init__(self, *args: Any, agencies: list[Agency] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "agency").choices = [(a.code, a.name) for a in agencies or []]
        _choices(self, "field").choices = [("", _("All fields"))] + [
            (f.code, f.name) for f in Field.objects.order_by("name")
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end of the period is before its start."))
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several scans in one input (Django docs, "Uploading multiple files")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ResubmitForm(forms.Form):
    scans = MultipleFileField(label=_("Scans of the papers handed in"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ConfirmForm(forms.Form):
    """An action without input: the button is the confirmation."""


class AcceptSupplementForm(forms.Form):
    """Accepting a supplement is a receipt (a new Form 01): outside working hours it needs a reason."""

    outside_hours_reason = CounterIntakeForm.base_fields["outside_hours_reason"]


REQUEST_CHANNELS = [(Channel.COUNTER, _("In person at the counter")), (Channel.POST, _("By post"))]


class ApplicantRequestForm(forms.Form):
    """The applicant's request to stop or withdraw as an officer records it (Circular
    03/2025 Art. 7): how it came and the day it was made."""

    reason = forms.CharField(label=_("Applicant's reason"), max_length=2000)
    channel = forms.ChoiceField(label=_("Request received"), choices=REQUEST_CHANNELS)
    requested_on = forms.DateField(
        label=_("Date of the request"),
        required=False,
        help_text=_("Empty: today."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def request(self) -> dict[str, Any]:
        """The service's keyword arguments: reason, channel and the instant of the request."""
        from motcua.calendars.worktime import VN_TZ

        day = self.cleaned_data.get("requested_on")
        return {
            "reason": self.cleaned_data.get("reason", ""),
            "channel": self.cleaned_data.get("channel") or None,
            "requested_at": datetime.combine(day, time(0), tzinfo=VN_TZ) if day else None,
        }


class WithdrawForm(ApplicantRequestForm):
    reason = forms.CharField(label=_("Applicant's reason"), required=False, max_length=2000)


class StopForm(ApplicantRequestForm):
    """Form 05. With a request already recorded it needs nothing more: the notice uses it."""

    def __init__(self, *args: Any, pending: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if pending:
            for name in ("reason", "channel", "requested_on"):
                del self.fields[name]


#: What a citizen may ask from the portal about a dossier before its result.
REQUEST_KINDS = [("stop", _("Stop the settlement of my dossier")), ("withdraw", _("Withdraw my dossier"))]


class CitizenRequestForm(forms.Form):
    """A citizen's request from the portal to stop the settlement or to withdraw the dossier.
    A dossier not yet received cannot be stopped (nothing is being settled): it is withdrawn."""

    kind = forms.ChoiceField(label=_("I ask to"), choices=REQUEST_KINDS, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args: Any, stoppable: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not stoppable:
            _choices(self, "kind").choices = [(value, label) for value, label in REQUEST_KINDS if value != "stop"]


#: How the result reaches the applicant, worded for them (Decree 118/2025 Art. 22).
DELIVERY_WORDS = {
    Delivery.IN_PERSON: _("At the one-stop counter"),
    Delivery.POST: _("By public post"),
    Delivery.ONLINE: _("Online, as an electronic result"),
}


class DeliveryChoiceForm(PortalForm):
    """How the applicant wants to receive the result: among the procedure's `options`; by
    post with the postal address."""

    delivery = forms.ChoiceField(label=_("How to receive the result"), widget=forms.RadioSelect)
    address = forms.CharField(
        label=_("Postal address"),
        required=False,
        max_length=500,
        help_text=_("Only for the post: house number, street, commune or ward, province."),
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "street-address"}),
    )

    def __init__(self, *args: Any, options: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "delivery").choices = [(value, DELIVERY_WORDS[Delivery(value)]) for value in options]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("delivery") == Delivery.POST and not (data.get("address") or "").strip():
            self.add_error("address", gettext("Enter the postal address the result is sent to."))
        return data
