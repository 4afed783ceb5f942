"""The Django forms of the portal pages (page input, not the legal forms of `documents`).
They only parse and validate input; the services decide."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Field, OnlineLevel
from motcua.dossiers.models import Channel, Delivery
from motcua.lib.ids import personal_id_error
from motcua.organizations.models import Agency, AgencyKind
from motcua.organizations.selectors import handover_agency_choices
from motcua.ratings.models import CRITERIA, Satisfaction


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    """The choice field `name` of `form` (typed, so its choices can be set per request)."""
    return cast(forms.ChoiceField, form.fields[name])


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


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Dossier code"), max_length=64)


def _communes() -> list[tuple[str, str]]:
    return [("", "—")] + [(str(a.pk), a.name) for a in Agency.objects.filter(kind=AgencyKind.COMMUNE).order_by("name")]


class PersonalIdField(forms.CharField):
    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if value and (error := personal_id_error(value.strip())):
            raise forms.ValidationError(_("The personal ID number has 12 digits and must be valid.") + f" ({error})")
        return value.strip() if value else value


class CounterIntakeForm(forms.Form):
    """Applicant and procedure of a walk-in or postal dossier."""

    id_number = PersonalIdField(
        label=_("Personal ID number"),
        help_text=_("12 digits, on the citizen ID card."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 12}),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=255)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[(Channel.COUNTER, _("At the counter")), (Channel.POST, _("By post"))]
    )
    settling_agency = forms.ChoiceField(label=_("Settling commune (commune-level procedures)"), required=False)
    sets = forms.IntegerField(label=_("Number of sets"), min_value=1, max_value=20, initial=1)

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

    def __init__(self, *args: Any, names: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "items").choices = [(n, n) for n in names or []]

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


class ApologiseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the delay"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    new_date = forms.DateField(label=_("New return date"), widget=forms.DateInput(attrs={"type": "date"}))
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


class RatingForm(forms.Form):
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


class BookForm(forms.Form):
    """Form 07: the book of a one-stop unit, for a period (within a year's book) and a field."""

    agency = forms.ChoiceField(label=_("Agency"))
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
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


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Applicant's reason"), required=False, max_length=2000)
