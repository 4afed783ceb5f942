"""The Django forms of the catalogue editor. They parse and validate the page's input into the
specs of `catalog.services`; the services decide and record."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import (
    CompetentLevel,
    Field,
    OnlineLevel,
    ProcedureVersion,
    Requirement,
    StepActor,
    TimeUnit,
)
from motcua.catalog.services import DocumentSpec, FeeSpec, StepSpec
from motcua.eforms.schema import choice_answers, resolve
from motcua.organizations.models import Agency

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
LEVELS = [("province", _("Province")), ("commune", _("Commune")), ("district", _("District (before 1 July 2025)"))]
SUBJECTS = [("citizen", _("Citizens")), ("business", _("Businesses")), ("organisation", _("Organisations"))]


class DateInput(forms.DateField):
    """A date typed as dd/mm/yyyy, whatever the browser's language."""

    def __init__(self, **kwargs: Any) -> None:
        widget = forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "dd/mm/yyyy", "autocomplete": "off"})
        super().__init__(input_formats=DATE_FORMATS, widget=widget, help_text=_("dd/mm/yyyy"), **kwargs)


class VersionDetailsForm(forms.Form):
    """Everything of a version but its lists (fees, papers, steps) and its e-form."""

    name = forms.CharField(label=_("Name of the procedure"), max_length=500)
    name_en = forms.CharField(label=_("English name"), max_length=500, required=False)
    field = forms.ModelChoiceField(label=_("Field"), queryset=Field.objects.order_by("name"))
    levels = forms.MultipleChoiceField(label=_("Levels"), choices=LEVELS, widget=forms.CheckboxSelectMultiple)
    subjects = forms.MultipleChoiceField(
        label=_("Who it is for"), choices=SUBJECTS, widget=forms.CheckboxSelectMultiple
    )
    competent_level = forms.ChoiceField(label=_("Competent authority"), choices=CompetentLevel.choices)
    competent_agency = forms.ModelChoiceField(
        label=_("Competent agency"),
        queryset=Agency.objects.order_by("path"),
        required=False,
        help_text=_("Required unless the commune where the dossier is filed settles it."),
    )
    time_limit_amount = forms.IntegerField(label=_("Time limit"), min_value=0, max_value=3650)
    time_limit_unit = forms.ChoiceField(label=_("Unit of the time limit"), choices=TimeUnit.choices)
    cutoff_time = forms.TimeField(
        label=_("Cut-off time"),
        required=False,
        input_formats=["%H:%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "15:00", "inputmode": "numeric"}),
        help_text=_("Received at or after this time counts from the next working day. Empty: the province default."),
    )
    pause_on_payment = forms.BooleanField(label=_("Payment waits stop the clock"), required=False)
    online_level = forms.ChoiceField(label=_("Online service"), choices=OnlineLevel.choices)
    eligible_full_online = forms.BooleanField(label=_("Eligible for full-process online service"), required=False)
    requires_paper_result = forms.BooleanField(label=_("A paper result is required"), required=False)
    postal_allowed = forms.BooleanField(label=_("Filing and return by post allowed"), required=False)
    result_name = forms.CharField(label=_("Result"), max_length=500, required=False)
    legal_basis = forms.CharField(label=_("Legal basis"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    description = forms.CharField(
        label=_("Who it is for, how to apply"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    @staticmethod
    def initial_of(version: ProcedureVersion) -> dict[str, Any]:
        return {name: getattr(version, name) for name in VersionDetailsForm.base_fields}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("competent_level") == CompetentLevel.AGENCY and not data.get("competent_agency"):
            self.add_error("competent_agency", _("Choose the competent agency, or let the commune settle it."))
        if data.get("eligible_full_online") and data.get("online_level") == OnlineLevel.NONE:
            self.add_error("eligible_full_online", _("A procedure offered only offline cannot be full-process online."))
        return data

    def changes(self) -> dict[str, Any]:
        """The cleaned values as parts of a `VersionSpec`."""
        return dict(self.cleaned_data)


class NewProcedureForm(VersionDetailsForm):
    code = forms.CharField(
        label=_("Procedure code"), max_length=10, help_text=_("The code in the national procedure database, d.dddddd.")
    )
    field_order = ["code"]


class FeeForm(forms.Form):
    name = forms.CharField(label=_("Fee or charge"), max_length=255)
    amount_vnd = forms.IntegerField(label=_("Amount (VND)"), min_value=0)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def spec(self) -> FeeSpec:
        return FeeSpec(**_values(self))


class DocumentForm(forms.Form):
    """One required paper (thành phần hồ sơ): mandatory, optional, or conditional on an answer
    of a yes/no or choice field of the version's e-form (`schema`). The service checks the
    same again (`catalog.services._requirement_error`)."""

    name = forms.CharField(label=_("Paper"), max_length=500)
    name_en = forms.CharField(label=_("English name"), max_length=500, required=False)
    copies = forms.IntegerField(label=_("Copies"), min_value=1, max_value=20, initial=1)
    original_required = forms.BooleanField(label=_("Original required"), required=False)
    e_form = forms.BooleanField(label=_("Filled in as the e-form"), required=False)
    reusable = forms.BooleanField(label=_("Can be reused from earlier results"), required=False)
    requirement = forms.ChoiceField(label=_("Requirement"), choices=Requirement.choices, initial=Requirement.MANDATORY)
    condition_field = forms.ChoiceField(
        label=_("Mandatory when the e-form field"),
        required=False,
        help_text=_("Only for a conditional paper: a yes/no or choice field of the e-form."),
    )
    condition_values = forms.CharField(
        label=_("is answered"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One answer a line, as the e-form shows it (yes or no for a yes/no field)."),
    )

    def __init__(self, *args: Any, schema: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schema = schema or {}
        self.fields["condition_field"].choices = [("", "—"), *condition_field_choices(self.schema)]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("requirement") != Requirement.CONDITIONAL:
            data["condition_field"], data["condition_values"] = "", []
            return data
        answers = choice_answers(self.schema, data.get("condition_field") or "")
        if answers is None:
            self.add_error("condition_field", _("Choose the yes/no or choice field of the e-form that decides."))
            return data
        values, unknown = parse_answers(data.get("condition_values") or "", answers)
        if unknown:
            self.add_error(
                "condition_values",
                gettext("The field cannot be answered %(wrong)s; its answers are: %(answers)s.")
                % {"wrong": ", ".join(unknown), "answers": ", ".join(answer_text(a) for a in answers)},
            )
        elif not values:
            self.add_error("condition_values", _("Give the answers that make the paper mandatory."))
        data["condition_values"] = values
        return data

    def spec(self) -> DocumentSpec:
        return DocumentSpec(**_values(self))


def condition_field_choices(schema: dict[str, Any]) -> list[tuple[str, str]]:
    """The top-level yes/no and choice fields of an e-form, by their titles."""
    properties = schema.get("properties") if isinstance(schema, dict) else None
    return [
        (name, f"{resolve(spec, schema).get('title') or name} ({name})")
        for name, spec in (properties or {}).items()
        if choice_answers(schema, name) is not None
    ]


def answer_text(answer: Any) -> str:
    if isinstance(answer, bool):
        return gettext("yes") if answer else gettext("no")
    return str(answer)


def parse_answers(text: str, answers: list[Any]) -> tuple[list[Any], list[str]]:
    """The answers named on the lines of `text` (as `answer_text` writes them, or yes/no/có/không
    for a yes/no field), and the lines that name none."""
    found: list[Any] = []
    unknown: list[str] = []
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        match = [a for a in answers if answer_text(a).casefold() == line.casefold() or _boolean_word(a, line)]
        if not match:
            unknown.append(f"“{line}”")
        elif match[0] not in found:
            found.append(match[0])
    return found, unknown


def _boolean_word(answer: Any, line: str) -> bool:
    words = {True: ("yes", "có", "true"), False: ("no", "không", "false")}
    return isinstance(answer, bool) and line.casefold() in words[answer]


class StepForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=50, help_text=_("Short name, e.g. review"))
    name = forms.CharField(label=_("Step"), max_length=255)
    actor_role = forms.ChoiceField(label=_("Done by"), choices=StepActor.choices)
    agency = forms.ModelChoiceField(
        label=_("At another agency"),
        queryset=Agency.objects.order_by("path"),
        required=False,
        help_text=_("Empty: the agency that settles the dossier."),
    )
    budget_amount = forms.IntegerField(label=_("Time budget"), min_value=0, max_value=3650)
    budget_unit = forms.ChoiceField(label=_("Unit of the time budget"), choices=TimeUnit.choices)
    next = forms.CharField(
        label=_("Next steps"), required=False, max_length=500, help_text=_("Keys separated by commas.")
    )

    def spec(self) -> StepSpec:
        data = _values(self)
        data["next"] = [key.strip() for key in data["next"].split(",") if key.strip()]
        return StepSpec(**data)


# Each row has an order number ("Order") and a remove box; a new row is added empty at the end.
FeeFormSet = forms.formset_factory(FeeForm, extra=1, can_delete=True, can_order=True, max_num=50)
DocumentFormSet = forms.formset_factory(DocumentForm, extra=1, can_delete=True, can_order=True, max_num=50)
StepFormSet = forms.formset_factory(StepForm, extra=1, can_delete=True, can_order=True, max_num=50)


def kept_specs(formset: forms.BaseFormSet) -> list[Any]:  # type: ignore[type-arg]
    """The specs of the rows of a valid formset by their order numbers, without the removed and
    empty rows."""
    return [form.spec() for form in formset.ordered_forms if form.cleaned_data]


def _values(form: forms.Form) -> dict[str, Any]:
    return {name: value for name, value in form.cleaned_data.items() if name not in {"DELETE", "ORDER"}}


def fee_rows(version: ProcedureVersion) -> list[dict[str, Any]]:
    return [{"name": f.name, "amount_vnd": f.amount_vnd, "note": f.note} for f in version.fees.all()]


def document_rows(version: ProcedureVersion) -> list[dict[str, Any]]:
    rows = [{name: getattr(d, name) for name in DocumentForm.base_fields} for d in version.documents.all()]
    for row in rows:
        row["condition_values"] = "\n".join(answer_text(a) for a in row["condition_values"])
    return rows


def step_rows(version: ProcedureVersion) -> list[dict[str, Any]]:
    return [
        {
            "key": s.key,
            "name": s.name,
            "actor_role": s.actor_role,
            "agency": s.agency,
            "budget_amount": s.budget_amount,
            "budget_unit": s.budget_unit,
            "next": ", ".join(n.key for n in s.next_steps.all()),
        }
        for s in version.steps.all()
    ]


class DecisionForm(forms.Form):
    """A publishing (or abolishing) decision: its number, the day it was signed and the day it takes effect."""

    decision_number = forms.CharField(label=_("Decision number"), max_length=100)
    decision_date = DateInput(label=_("Signed on"))
    effective_date = DateInput(label=_("Takes effect on"))
