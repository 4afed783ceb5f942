"""Schemathesis hooks of the audit's API part (`SCHEMATHESIS_HOOKS=hooks`, set by `audit/run.py`).

Every command on a dossier must carry the version it was read at, or it is refused with 428
before anything else. Generated bodies often leave the optional `expected_version` out, and
the audit would then only ever meet that one answer; so a command without a version (in the
body or as `If-Match`) is sent with version 1, and goes on to the dossier look-up, the access
checks and the services, as a real client's would.
"""

from __future__ import annotations

import re
from typing import Any

import schemathesis

COMMAND = re.compile(r"^/api/v1/dossiers/\{code\}/[a-z_]+$")


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    if case.method.upper() != "POST" or not COMMAND.match(case.path) or case.path.endswith("/files"):
        return
    if (case.headers or {}).get("If-Match"):
        return
    if isinstance(case.body, dict) and case.body.get("expected_version") is None:
        case.body["expected_version"] = 1
