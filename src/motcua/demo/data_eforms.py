"""Demo e-forms (JSON Schema draft 2020-12): one for every procedure offered fully online.

Each e-form holds the fields of the declaration (tờ khai) of its procedure, shortened for a
demo; the modules below name the forms they follow. Ethnic group, nationality, province and
commune are chosen from the code lists of `motcua.codelists` (resolved into each schema's
``$defs``), and birth dates and dates of death may not lie in the future. ``E_FORM_EXAMPLES``
holds one valid filled-in form per schema, with invented people. Re-exported by
:mod:`motcua.demo.data`.
"""

from __future__ import annotations

from typing import Any

from . import data_eforms_business, data_eforms_civil, data_eforms_residence, data_eforms_sectors

_MODULES = (data_eforms_civil, data_eforms_residence, data_eforms_business, data_eforms_sectors)

E_FORM_SCHEMAS: dict[str, dict[str, Any]] = {code: s for m in _MODULES for code, s in m.SCHEMAS.items()}
E_FORM_EXAMPLES: dict[str, dict[str, Any]] = {code: e for m in _MODULES for code, e in m.EXAMPLES.items()}

BIRTH_REGISTRATION_FORM = E_FORM_SCHEMAS["1.001193"]
JUDICIAL_RECORD_REQUEST_FORM = E_FORM_SCHEMAS["3.000333"]
TEMPORARY_RESIDENCE_FORM = E_FORM_SCHEMAS["1.004194"]
