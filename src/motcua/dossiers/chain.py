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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

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
    """One spelling of an instant: UTC with microseconds (any RFC 3339 offset accepted)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError("An event instant must carry its offset.")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(dossier_code: str, event: Mapping[str, Any]) -> bytes:
    """The bytes hashed for one event. `event` has the exchange format's event keys: actor by
    username, actor agency and `data["to_agency"]` by agency code, `at` an aware instant."""
    content = {key: event[key] for key in EVENT_KEYS[1:]}
    content["dossier"] = dossier_code
    content["at"] = instant(event["at"])
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


@functools.lru_cache(maxsize=8)
def _keyed(key: bytes) -> hmac.HMAC:
    """HMAC-SHA256 with `key` set up and nothing hashed yet: each event copies it."""
    return hmac.new(key, digestmod=hashlib.sha256)


def link(key: bytes, previous: str, dossier_code: str, event: Mapping[str, Any]) -> str:
    """The hash of `event`, which follows the event hashed `previous` (GENESIS for the first)."""
    mac = _keyed(key).copy()
    mac.update(previous.encode() + b"\n" + canonical(dossier_code, event))
    return mac.hexdigest()


def history(key: bytes, dossier_code: str, events: Iterable[Mapping[str, Any]], previous: str = GENESIS) -> list[str]:
    """The hashes of a whole history, in order (the importer's one call per dossier)."""
    hashes = []
    for event in events:
        previous = link(key, previous, dossier_code, event)
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
        would have; `check` validates each instant first (the importer's own errors)."""
        if check is not None:
            for event in events:
                check(event["at"])
        hashes = history(self.key, dossier_code, events)
        return Sealed(
            dossier=[hashes[-1] if hashes else GENESIS, self.at, self.by],
            events=[(event["actor"] or "", value) for event, value in zip(events, hashes, strict=True)],
        )
