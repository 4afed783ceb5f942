"""The canonical text of the exchange format "motcua-dossier/1" (docs/exchange-format.md).

Exporting what was imported must give back the same bytes (issue 4 item 4), so every
value has exactly one spelling: keys sorted, no spaces, UTF-8 (Vietnamese names stay
readable), instants always `YYYY-MM-DDTHH:MM:SS.ffffff+07:00`. Asia/Ho_Chi_Minh has had
a fixed offset since 1975 and is the zone every legal time limit is counted in
(docs/legal-basis.md#deadlines), so the local offset loses nothing and reads like the paper forms.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

FORMAT = "motcua-dossier/1"
VN_OFFSET = timezone(timedelta(hours=7))

#: What an instant may look like on import (RFC 3339 with an offset; any offset is accepted,
#: +07:00 with six decimals is what the export writes).
INSTANT_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
_INSTANT_RE = re.compile(INSTANT_PATTERN)


def instant_out(value: datetime | None) -> str | None:
    """The one spelling of an instant: local Vietnamese time, microseconds, +07:00."""
    if value is None:
        return None
    return value.astimezone(VN_OFFSET).strftime("%Y-%m-%dT%H:%M:%S.%f+07:00")


def instant_in(value: str | None) -> datetime | None:
    """Parse an instant written by `instant_out` or by another system (any RFC 3339 offset)."""
    if value is None:
        return None
    if not _INSTANT_RE.match(value):
        raise ValueError(f"{value!r} is not an instant with an offset (e.g. 2025-03-04T08:15:00.000000+07:00).")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed.astimezone(UTC_TZ)


UTC_TZ = timezone.utc  # noqa: UP017 (named for readability next to VN_OFFSET)


def date_out(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def date_in(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def dumps(record: dict[str, Any]) -> str:
    """One line of the file, without the newline."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
