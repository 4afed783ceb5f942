"""Checking and anchoring the hash chain of dossier histories (the hashing is in chain.py).

`verify_events()` recomputes every dossier's chain and every anchor and names each break:
the dossier, the event (`seq`) and what is wrong. `manage.py verify_events` prints them and
`manage.py check --database default` reports them (dossiers.E001).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Max

from motcua.dossiers import chain
from motcua.dossiers.models import Dossier, DossierEvent, EventAnchor
from motcua.lib.cache import ttl_cache
from motcua.organizations.models import Agency

#: Keys of event `data` that hold an agency row id (hand-overs); hashed as the agency code.
DATA_AGENCY_KEYS = ("to_agency",)

#: The event columns the chain covers, besides the dossier.
EVENT_FIELDS = (
    "seq",
    "action",
    "from_status",
    "to_status",
    "at",
    "actor_name",
    "actor_role",
    "reason",
    "form",
)


@ttl_cache(seconds=300)
def _agency_codes() -> dict[int, str]:
    return dict(Agency.objects.values_list("pk", "code"))


def agency_code(pk: int | None) -> str | None:
    """The code of an agency by row id (cached; agencies are few and their codes never change)."""
    if pk is None:
        return None
    codes = _agency_codes()
    if pk not in codes:
        _agency_codes.clear()
        codes = _agency_codes()
    return codes[pk]


def event_content(
    values: Mapping[str, Any], agency: Callable[[int | None], str | None] = agency_code
) -> dict[str, Any]:
    """An event as the chain hashes it, from its columns (`actor_agency_id`, `data` with row ids):
    the exchange format's event, the account named by `actor_username`."""
    content = {name: values[name] for name in EVENT_FIELDS}
    data = values["data"]
    if isinstance(data, dict) and any(isinstance(data.get(k), int) for k in DATA_AGENCY_KEYS):
        data = {k: (agency(v) if k in DATA_AGENCY_KEYS and isinstance(v, int) else v) for k, v in data.items()}
    content["data"] = data
    content["actor"] = values["actor_username"] or None
    content["actor_agency"] = agency(values["actor_agency_id"])
    return content


@dataclass(frozen=True)
class Break:
    """One place where the recorded history does not match its hashes."""

    dossier: str  # dossier code ("" for an anchor)
    seq: int | None  # the event, when one is named
    problem: str
    anchor: int | None = None

    def __str__(self) -> str:
        if self.anchor is not None:
            return f"anchor {self.anchor}: {self.problem}"
        where = f"dossier {self.dossier}" + (f", event {self.seq}" if self.seq is not None else "")
        return f"{where}: {self.problem}"


_VALUES = ("id", "dossier_id", *EVENT_FIELDS, "actor_id", "actor_username", "actor_agency_id", "data", "hash")


def _dossier_chunks(size: int) -> Iterator[list[tuple[int, str, str]]]:
    last = 0
    while True:
        rows = list(Dossier.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "code", "chain_head")[:size])
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _verify_dossiers(key: bytes, size: int) -> Iterator[Break]:
    users = get_user_model().objects
    for dossiers in _dossier_chunks(size):
        events: dict[int, list[dict[str, Any]]] = {pk: [] for pk, _, _ in dossiers}
        rows = DossierEvent.objects.filter(dossier_id__in=list(events)).order_by("dossier_id", "seq").values(*_VALUES)
        for row in rows:
            events[row["dossier_id"]].append(row)
        actor_ids = {row["actor_id"] for rows in events.values() for row in rows if row["actor_id"] is not None}
        names = dict(users.filter(pk__in=actor_ids).values_list("pk", "username"))
        for pk, code, head in dossiers:
            previous = chain.GENESIS
            for row in events[pk]:
                content = event_content(row)
                if row["actor_id"] is not None and names.get(row["actor_id"]) != row["actor_username"]:
                    yield Break(
                        code,
                        row["seq"],
                        f"the event's account ({names.get(row['actor_id'])}) is not the one it was written "
                        f"by ({row['actor_username'] or 'none'}): the account was changed or renamed",
                    )
                if not row["hash"]:
                    yield Break(code, row["seq"], "the event has no hash: it was written outside MotCua")
                elif chain.link(key, previous, code, content) != row["hash"]:
                    yield Break(
                        code,
                        row["seq"],
                        "the event does not match its hash: it was edited or forged, moved, "
                        "or an event before it was removed",
                    )
                previous = row["hash"]
            if head != previous:
                last = events[pk][-1]["seq"] if events[pk] else None
                yield Break(
                    code,
                    last,
                    "the dossier's last hash is not that of its last event: events were removed from the end "
                    "or added behind its back",
                )


def _verify_anchors(key: bytes) -> Iterator[Break]:
    anchors = list(EventAnchor.objects.order_by("id"))
    if not anchors:
        return
    hashes = DossierEvent.objects.filter(id__lte=anchors[-1].last_event_id).order_by("id").values_list("id", "hash")
    stream = iter(hashes.iterator(chunk_size=5000))
    pending: tuple[int, str] | None = next(stream, None)
    previous = ""
    for anchor in anchors:
        covered: list[str] = []
        while pending is not None and pending[0] <= anchor.last_event_id:
            covered.append(pending[1])
            pending = next(stream, None)
        if anchor.previous != previous:
            yield Break("", None, "it is not chained to the anchor before it (an anchor was removed)", anchor.pk)
        elif chain.anchor(key, previous, covered) != anchor.digest or len(covered) != anchor.events:
            yield Break(
                "",
                None,
                f"the events up to id {anchor.last_event_id} are not those it sealed: "
                f"one was removed, added or rewritten (it sealed {anchor.events}, {len(covered)} are there)",
                anchor.pk,
            )
        previous = anchor.digest


def verify_events(*, chunk: int = 1000) -> list[Break]:
    """Every break in every dossier's chain and in the anchors, dossiers in id order."""
    key = chain.settings_key()
    return [*_verify_dossiers(key, chunk), *_verify_anchors(key)]


def settled_top() -> int:
    """The highest event id below which every event is committed.

    PostgreSQL: a SHARE lock on the event table waits for the transactions writing events and
    is released at once (ids come from a sequence, so later events get higher ids). SQLite
    has one writer at a time, so every id it has handed out is committed or gone."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {DossierEvent._meta.db_table} IN SHARE MODE")
        return DossierEvent.objects.aggregate(top=Max("id"))["top"] or 0
