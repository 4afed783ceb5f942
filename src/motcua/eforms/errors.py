"""The errors of e-form data, worded for the reader and keyed by the field they concern."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.eforms.schema import form_errors, is_array, is_object, leaf_kind, resolve

# ------------------------------------------------------------------ errors

_REQUIRED = re.compile(r'^"(?P<name>[^"]+)" is a required property')
_FEWER = re.compile(r"has less than (?P<n>\d+) items?$")
_MORE = re.compile(r"has more than (?P<n>\d+) items?$")


def localised_errors(schema: dict[str, Any] | None, data: dict[str, Any]) -> dict[str, str]:
    """`form_errors` of `data`, each worded for the reader and keyed by the field it concerns.

    A blank required input says what to do with it ("Enter your date of birth", "Choose the
    gender"), naming it, as the GOV.UK error pattern asks, rather than "This field is required".
    """
    errors: dict[str, str] = {}
    # Every blank required input is named at once (form_errors reports one per object).
    if schema:
        _blank_required(schema, schema, [], data, errors, present=True)
    for path, message in form_errors(schema, data).items():
        match = _REQUIRED.match(message)
        if match:
            key = match["name"] if path == "(form)" else f"{path}/{match['name']}"
            errors.setdefault(key, _("This field is required."))
        else:
            errors.setdefault(path, _message(message))
    return errors


def required_message(spec: dict[str, Any], key: str) -> str:
    """What to do with a blank required input, naming it."""
    title = str(spec.get("title") or key.replace("_", " "))
    if len(title) > 1 and title[1].islower():
        title = title[0].lower() + title[1:]  # "Nhập ngày sinh", not "Nhập Ngày sinh"
    if is_array(spec):
        return _("Add at least one row of %(field)s.") % {"field": title}
    kind = leaf_kind(spec)
    if kind == "checkbox":
        return _("Tick “%(field)s” to go on.") % {"field": spec.get("title") or key}
    if kind == "select":
        return _("Choose %(field)s.") % {"field": title}
    return _("Enter %(field)s.") % {"field": title}


def _blank_required(
    root: dict[str, Any], schema: dict[str, Any], parts: list[str], data: Any, errors: dict[str, str], present: bool
) -> None:
    required = set(schema.get("required", []))
    for key, raw_spec in (schema.get("properties") or {}).items():
        spec = resolve(raw_spec, root)
        if not spec:
            continue
        here = [*parts, key]
        value = data.get(key) if isinstance(data, dict) else None
        if is_object(spec):
            _blank_required(root, spec, here, value, errors, present=present and key in required)
        elif is_array(spec):
            if present and key in required and not value:
                errors.setdefault("/".join(here), required_message(spec, key))
            item_spec = resolve(spec.get("items"), root)
            if isinstance(value, list) and is_object(item_spec):
                for index, row in enumerate(value):
                    _blank_required(root, item_spec, [*here, str(index)], row, errors, present=True)
        elif present and key in required and value in (None, "") and leaf_kind(spec):
            errors.setdefault("/".join(here), required_message(spec, key))


def _message(message: str) -> str:
    """Word a JSON Schema message; the kinds below are those e-forms use."""
    if match := _FEWER.search(message):
        n = int(match["n"])
        return ngettext("Enter at least %(n)d row.", "Enter at least %(n)d rows.", n) % {"n": n}
    if match := _MORE.search(message):
        n = int(match["n"])
        return ngettext("Enter at most %(n)d row.", "Enter at most %(n)d rows.", n) % {"n": n}
    if "has non-unique elements" in message:
        return _("Two rows are the same; remove the repeated one.")
    if "is not one of" in message:
        return _("Choose one of the options.")
    if "does not match" in message:
        return _("The value does not have the required format.")
    if "is shorter than" in message:
        return _("The value is too short.")
    if "is longer than" in message:
        return _("The value is too long.")
    if "less than the minimum" in message or "less than or equal to the minimum" in message:
        return _("The value is below the minimum.")
    if "greater than the maximum" in message or "greater than or equal to the maximum" in message:
        return _("The value is above the maximum.")
    if 'is not a "past-date"' in message:
        return _("The date cannot be later than today.")
    if 'is not a "email"' in message:
        return _("Enter an e-mail address in the correct format, like name@example.com.")
    if 'is not a "vn-phone"' in message:
        return _(
            "Enter a Vietnamese phone number: a mobile of 10 digits starting with 03, 05, 07, 08 or 09,"
            " or a landline of 11 digits starting with 02."
        )
    if 'is not a "date"' in message:
        return _("Enter a real date as day/month/year, for example 27/03/1990.")
    if "is not of type" in message or "is not a" in message:
        return _("The value is not valid.")
    if "Additional properties" in message:
        return _("The form has fields it does not expect.")
    return _("The value is not valid.") + f" ({message})"
