"""The hash chain of dossier histories: canonical text of an event and its keyed hash.

Pure (no ORM): the workflow, the verifier (`integrity.py`) and the exchange importer all
hash through here, so the three can never disagree on a byte.

An event's hash is HMAC-SHA256(key, previous hash of the same dossier + "\\n" + the
canonical text of the event). The canonical text names everything by its natural key
(dossier code, username, agency code), exactly as the exchange format writes an event, so
a history imported from another MotCua database gets the same hashes it had there. The
key (`MOTCUA_EVENT_CHAIN_KEY`) keeps someone with write access to the database alone from
recomputing a chain after editing it.

An anchor hashes, in event id order, the hashes of every event written since the previous
anchor, chained to that anchor: deleting or rewriting events, even with their dossier's
chain recomputed, breaks the anchors that covered them.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson

#: The chain of a dossier starts from this "previous hash".
GENESIS = ""

#: The keys of an event's canonical text (the exchange format's event, plus the dossier code).
EVENT_KEYS = (
    "dossier",
    "seq",
    "action",
    "from_status",
    "to_status",
    "at",
    "actor",
    "actor_name",
    "actor_role",
    "actor_agency",
    "reason",
    "form",
    "data",
)


def instant(value: datetime | str) -> str:
    """One spelling of an instant: UTC with microseconds (any RFC 3339 offset accepted).

    Written out by hand rather than with `strftime` (a fifth of an event's hashing): the
    same digits for years 1000 to 9999 (`%Y` is not zero-padded below 1000 on every
    platform, so those keep `strftime`). A string already in that spelling is only
    checked against the calendar. A string in the exchange format's spelling (six decimals
    and an offset, `2025-06-16T08:26:35.221873+07:00`) whose UTC instant falls on the same
    day (07:00 to 23:59 at +07:00) is respelt from its text: its date, seconds and fraction
    stay, only the hour and minute move by the offset."""
    if isinstance(value, str):
        if type(value) is str and _LOCAL_SPELLING.fullmatch(value) is not None:
            local = _MINUTES[value[11:16]]
            offset = _MINUTES[value[27:]]
            minute = local - offset if value[26] == "+" else local + offset
            if 0 <= minute < _DAY:
                return value[:11] + _CLOCK[minute] + value[16:26] + "Z"
        elif _UTC_SPELLING.fullmatch(value) is not None:
            datetime.fromisoformat(value[:-1])  # the calendar: 2026-02-30 is refused as below
            return value
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError("An event instant must carry its offset.")
    utc = value.astimezone(UTC)
    if utc.year < 1000:
        return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return f"{utc.year}-{utc.month:02}-{utc.day:02}T{utc.hour:02}:{utc.minute:02}:{utc.second:02}.{utc.microsecond:06}Z"


#: `instant`'s own spelling (ASCII digits, a year from 1000).
_UTC_SPELLING = re.compile(r"[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")

#: The exchange format's spelling of an instant, only for days of the calendar (a 29 February
#: is left to `datetime`), hours 00-23, minutes and seconds 00-59 and offsets within ±23:59
#: whose minutes are 00-59: exactly the texts `datetime.fromisoformat` reads as they are
#: written. Any other text takes the general path.
_LOCAL_SPELLING = re.compile(
    r"[1-9][0-9]{3}-"
    r"(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)"
    r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\.[0-9]{6}[+-](?:[01][0-9]|2[0-3]):[0-5][0-9]"
)
_DAY = 24 * 60
#: "HH:MM" for each minute of a day, and back.
_CLOCK = [f"{minute // 60:02}:{minute % 60:02}" for minute in range(_DAY)]
_MINUTES = {clock: minute for minute, clock in enumerate(_CLOCK)}


def canonical(dossier_code: str, event: Mapping[str, Any]) -> bytes:
    """The bytes hashed for one event. `event` has the exchange format's event keys: actor by
    username, actor agency and `data["to_agency"]` by agency code, `at` an aware instant.

    The standard encoder's text (keys sorted, UTF-8 kept, compact). orjson writes the same
    bytes, ~5x faster, for dicts with text keys, lists, text, booleans, None and integers
    (the only numbers a line holds unless it writes a fraction or an exponent); it is used
    for those only: a float (spelt differently: `1e+16` against `1e16`, NaN as null), a
    tuple or anything else goes to the standard encoder, and so does what orjson refuses
    (an integer beyond 64 bits, a lone surrogate, nesting deeper than it goes)."""
    content = {
        "seq": event["seq"],
        "action": event["action"],
        "from_status": event["from_status"],
        "to_status": event["to_status"],
        "at": event["at"],
        "actor": event["actor"],
        "actor_name": event["actor_name"],
        "actor_role": event["actor_role"],
        "actor_agency": event["actor_agency"],
        "reason": event["reason"],
        "form": event["form"],
    }
    data = event["data"]  # EVENT_KEYS in order: a missing key is named as before
    content["dossier"] = dossier_code
    content["at"] = instant(event["at"])
    # Every value but `data` is walked in one C call (the type of each against _SCALARS), then
    # `data` as a value of the canonical dict (depth 1); the keys' order is no matter (sorted).
    flat = _SCALARS.issuperset(map(type, content.values()))
    content["data"] = data
    kind = type(data)
    if flat and (kind in _SCALARS or ((kind is dict or kind is list) and _orjson_spells_as_json(data, 1))):
        try:
            return orjson.dumps(content, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:
            pass
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


#: The types orjson writes as the standard encoder does without looking inside.
_SCALARS = frozenset({str, int, bool, type(None)})


def _orjson_spells_as_json(value: dict[str, Any] | list[Any], depth: int) -> bool:
    """Whether orjson would write `value` byte for byte as `canonical`'s standard encoder
    (see there): only dicts with `str` keys, lists, `str`, `int`, `bool` and None inside."""
    if depth > _DEPTH:
        return False
    if type(value) is dict:
        for key in value:
            if type(key) is not str:
                return False
        items: Iterable[Any] = value.values()
    else:
        items = value
    for item in items:
        kind = type(item)
        if kind is str or kind is int or kind is bool or item is None:
            continue
        if (kind is not dict and kind is not list) or not _orjson_spells_as_json(item, depth + 1):
            return False
    return True


#: Deeper than this, the standard encoder writes the event (orjson stops at 255 levels).
_DEPTH = 200


@functools.lru_cache(maxsize=8)
def _keyed(key: bytes) -> Any:
    """HMAC-SHA256 with `key` set up and nothing hashed yet: each event copies it. OpenSSL's
    own object when `hmac` has one (its copy is ~40% cheaper than `hmac.HMAC.copy`)."""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    return getattr(mac, "_hmac", None) or mac


def link(key: bytes, previous: str, dossier_code: str, event: Mapping[str, Any]) -> str:
    """The hash of `event`, which follows the event hashed `previous` (GENESIS for the first)."""
    return _link(_keyed(key), previous, dossier_code, event)


def _link(keyed: Any, previous: str, dossier_code: str, event: Mapping[str, Any]) -> str:
    mac = keyed.copy()
    mac.update(previous.encode() + b"\n" + canonical(dossier_code, event))
    return str(mac.hexdigest())


def history(key: bytes, dossier_code: str, events: Iterable[Mapping[str, Any]], previous: str = GENESIS) -> list[str]:
    """The hashes of a whole history, in order (the importer's one call per dossier): `link`
    of each event on the one before, the key's HMAC state looked up once."""
    keyed = _keyed(key)
    hashes = []
    for event in events:
        previous = _link(keyed, previous, dossier_code, event)
        hashes.append(previous)
    return hashes


def anchor(key: bytes, previous: str, event_hashes: Iterable[str]) -> str:
    """The digest of an anchor: the previous anchor's digest, then each event hash in id order."""
    digest = hmac.new(key, b"anchor\n" + previous.encode(), hashlib.sha256)
    for value in event_hashes:
        digest.update(b"\n" + value.encode())
    return digest.hexdigest()


def settings_key() -> bytes:
    """The chain key from the settings (read when hashing, so tests may override it)."""
    from django.conf import settings

    return str(settings.MOTCUA["EVENT_CHAIN_KEY"]).encode()


# ---------------------------------------------------------------- histories brought in by the importer

#: Columns the exchange importer fills from `Provenance.seal`, in this order.
IMPORTED_DOSSIER_FIELDS = ("chain_head", "imported_at", "imported_by")
IMPORTED_EVENT_FIELDS = ("actor_username", "hash")


@dataclass(frozen=True)
class Sealed:
    dossier: list[Any]  # the values of IMPORTED_DOSSIER_FIELDS
    events: list[tuple[str, str]]  # per event, the values of IMPORTED_EVENT_FIELDS
    instants: list[Any] | None = None  # per event, what `check` gave for its instant


@dataclass(frozen=True)
class Provenance:
    """Who imports histories and when (`at` as the database takes it); seals each history."""

    by: str = ""
    at: Any = None
    key: bytes = field(default_factory=settings_key)

    def seal(
        self, dossier_code: str, events: list[Mapping[str, Any]], check: Callable[[Any], object] | None = None
    ) -> Sealed:
        """The chain of one imported history (exchange format events), hashed as the workflow
        would have; `check` validates each instant first (the importer's own errors). What it
        gives for each (the importer's: the text the database takes) is kept in `instants`,
        so the event rows need not check the same instants again."""
        instants = None if check is None else [check(event["at"]) for event in events]
        hashes = history(self.key, dossier_code, events)
        return Sealed(
            dossier=[hashes[-1] if hashes else GENESIS, self.at, self.by],
            events=[(event["actor"] or "", value) for event, value in zip(events, hashes, strict=True)],
            instants=instants,
        )
