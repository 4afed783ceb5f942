"""E-forms: the JSON Schema a procedure version carries for the data of its application.

Sits below the catalogue (which checks a schema when a version is saved), the dossiers
(which check submitted data against it) and the portal (which renders it as inputs and
reads the POSTed inputs back); it imports none of them.

* `schema`: whether a schema is usable, the errors of data against it, schema helpers;
* `fields`: the inputs of a schema (`build_fields`), the rows of arrays, the read-only summary;
* `parsing`: a POSTed form back into JSON types (`parse`);
* `errors`: the errors of data worded for the reader (`localised_errors`).
"""

from motcua.eforms.errors import localised_errors
from motcua.eforms.fields import (
    ADD,
    MAX_ROWS,
    PREFIX,
    ROWS,
    EArray,
    EField,
    EGroup,
    ERow,
    Item,
    add_row_query,
    array_names,
    build_fields,
    error_links,
    rows_from_query,
    rows_requested,
    summary,
)
from motcua.eforms.parsing import Problems, parse
from motcua.eforms.schema import form_errors, row_label, schema_error

__all__ = [
    "ADD",
    "MAX_ROWS",
    "PREFIX",
    "ROWS",
    "EArray",
    "EField",
    "EGroup",
    "ERow",
    "Item",
    "Problems",
    "add_row_query",
    "array_names",
    "build_fields",
    "error_links",
    "form_errors",
    "localised_errors",
    "parse",
    "row_label",
    "rows_from_query",
    "rows_requested",
    "schema_error",
    "summary",
]
