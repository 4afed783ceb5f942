"""Reads for the catalogue."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from motcua.catalog.models import (
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
    Requirement,
    VersionChange,
    VersionStatus,
)
from motcua.lib.cache import ttl_cache
from motcua.lib.errors import NotFound
from motcua.lib.text import fold


def published_versions() -> QuerySet[ProcedureVersion]:
    return ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related(
        "procedure", "field", "competent_agency"
    )


@dataclass(frozen=True)
class _Entry:
    pk: int
    code: str
    title: str  # the folded name
    text: str  # the folded name, field and other search words
    compact: str  # `text` without spaces, for "khaisinh"
    words: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class _Index:
    """One reading of the published catalogue; compared (and hashed) by identity, so the
    matches found in it are remembered only as long as it is the one in use."""

    entries: tuple[_Entry, ...]


@ttl_cache(seconds=60)
def _search_index() -> _Index:
    """The published catalogue as the search reads it (a province has a few thousand
    procedures at most), kept a minute per process."""
    rows = published_versions().values_list("pk", "procedure__code", "name", "search_text")
    _matches.cache_clear()  # the matches remembered hold the previous reading: let it go
    entries = []
    for pk, code, name, text in rows:
        words = _spelling(text)
        entries.append(
            _Entry(pk, code, _spelling(fold(name)), words, words.replace(" ", ""), tuple(sorted(set(words.split()))))
        )
    return _Index(tuple(entries))


def _spelling(folded: str) -> str:
    """Vietnamese writes i and y interchangeably in many words (ký/kí, lý/lí, quy/qui): the
    search treats them as one letter."""
    return folded.replace("y", "i")


def search_index_clear() -> None:
    """Forget the search's copy of the catalogue in this process (after a publication)."""
    _search_index.clear()
    _matches.cache_clear()


def _word_matches(word: str, entry: _Entry) -> int:
    """How well one word of the query matches: 3 as written, 2 run together with the next
    ("khaisinh"), 1 with one typo ("dang ki" for "đăng ký"), 0 not at all."""
    if word in entry.text:
        return 3
    if len(word) < 4:
        return 0
    if word in entry.compact:
        return 2
    limit = 1 if len(word) <= 7 else 2
    if process.extractOne(word, entry.words, scorer=Levenshtein.distance, score_cutoff=limit) is not None:
        return 1
    return 0


def _relevance(query: str, entry: _Entry) -> int:
    """0 when `entry` does not match `query` (folded); higher is more relevant."""
    if entry.title == query:
        return 10_000
    if entry.title.startswith(query):
        return 8_000
    if query in entry.title:
        return 6_000
    if query.replace(" ", "") in entry.compact:
        return 5_000
    total = 0
    for word in query.split():
        score = _word_matches(word, entry)
        if not score:
            return 0  # every word must match: the words after it need not be tried
        total += score
    return 1_000 + 10 * total if total else 0


@functools.lru_cache(maxsize=512)
def _matches(query: str, index: _Index) -> tuple[tuple[int, str, int], ...]:
    """(relevance, code, id) of the entries of `index` that match the folded `query`: the
    costly part of a search (typo tolerance), remembered for the most recent queries."""
    found = []
    for entry in index.entries:
        score = _relevance(query, entry) if query else 1
        if score:
            found.append((score, entry.code, entry.pk))
    return tuple(found)


def procedure_ranking(q: str, used: Mapping[str, int] | None = None) -> list[int]:
    """Ids of the published versions that match `q`, most relevant first.

    Diacritics do not matter, nor a missing space ("khaisinh") or one typo per word
    ("dang ki": i and y are one letter; a typo from the fourth letter on); an exact title
    comes first, then titles that start with the query, then
    the rest; ties go to the most used procedure (`used`: dossiers per procedure code). An
    empty query lists every published procedure, the most used first.
    """
    used = used or {}
    ranked = sorted(
        (-score, -used.get(code, 0), code, pk) for score, code, pk in _matches(_spelling(fold(q)), _search_index())
    )
    return [pk for *_, pk in ranked]


def procedure_search_ranked_ids(
    *,
    q: str = "",
    field: str = "",
    level: str = "",
    online_level: str = "",
    used: Mapping[str, int] | None = None,
) -> list[int]:
    """The ids of the citizen's search, most relevant first: `procedure_ranking` narrowed by
    the filters. A page of them is then read with `versions_in_order`, so a query matching
    hundreds of procedures loads only the page shown."""
    ranking = procedure_ranking(q, used)
    if not (field or level or online_level):
        return ranking
    kept = set(
        procedure_search(q=q, field=field, level=level, online_level=online_level, ranking=ranking).values_list(
            "pk", flat=True
        )
    )
    return [pk for pk in ranking if pk in kept]


def versions_in_order(ids: Sequence[int]) -> list[ProcedureVersion]:
    """The published versions of `ids`, in that order."""
    by_id = {version.pk: version for version in published_versions().filter(pk__in=list(ids))}
    return [by_id[pk] for pk in ids if pk in by_id]


def procedure_search_ranked(
    *,
    q: str = "",
    field: str = "",
    level: str = "",
    online_level: str = "",
    used: Mapping[str, int] | None = None,
) -> list[ProcedureVersion]:
    """The citizen's search: `procedure_search` in the order of `procedure_ranking`."""
    return versions_in_order(
        procedure_search_ranked_ids(q=q, field=field, level=level, online_level=online_level, used=used)
    )


def procedure_search(
    *, q: str = "", field: str = "", level: str = "", online_level: str = "", ranking: list[int] | None = None
) -> QuerySet[ProcedureVersion]:
    """Published procedures matching `q` (see `procedure_ranking`; pass it as `ranking` when
    already computed), in code order."""
    versions = published_versions()
    if fold(q):
        versions = versions.filter(pk__in=procedure_ranking(q) if ranking is None else ranking)
    if field:
        versions = versions.filter(field__code=field)
    if level:
        versions = (
            versions.filter(levels__contains=level)
            if _json_contains_supported()
            else versions.filter(levels__icontains=f'"{level}"')
        )
    if online_level:
        versions = versions.filter(online_level=online_level)
    return versions.order_by("procedure__code")


def _json_contains_supported() -> bool:
    from django.db import connection

    return connection.features.supports_json_field_contains


def version_in_force(code: str) -> ProcedureVersion:
    """The published version of procedure `code`: the one new dossiers start with."""
    version = (
        published_versions()
        .prefetch_related(
            "fees", "documents", Prefetch("steps", queryset=ProcessStep.objects.prefetch_related("next_steps"))
        )
        .filter(procedure__code=code)
        .first()
    )
    if version is None:
        raise NotFound(f"Procedure {code} has no version in force.", code="procedure_not_found")
    return version


def version_get(code: str, number: int) -> ProcedureVersion:
    try:
        return ProcedureVersion.objects.select_related("procedure", "field", "competent_agency").get(
            procedure__code=code, number=number
        )
    except ProcedureVersion.DoesNotExist:
        raise NotFound(f"Procedure {code} has no version {number}.", code="version_not_found") from None


def condition_text(document: RequiredDocument, schema: Mapping[str, Any] | None) -> str:
    """When a conditional paper is mandatory, in the reader's language, naming the e-form
    field by its title and the answers as the form shows them; "" for another paper."""
    if document.requirement != Requirement.CONDITIONAL:
        return ""
    from motcua.eforms.schema import resolve

    root = dict(schema or {})
    properties = root.get("properties") or {}
    title = resolve(properties.get(document.condition_field), root).get("title")

    def answer(value: Any) -> str:
        if isinstance(value, bool):
            return "“{}”".format(_("yes") if value else _("no"))
        return f"“{value}”"

    return _("required when “%(field)s” is %(answers)s") % {
        "field": title or document.condition_field,
        "answers": _(" or ").join(answer(value) for value in document.condition_values),
    }


#: Words of a paper's name that say it is needed only in some cases (docs/legal-basis.md,
#: "Required papers").
CONDITIONAL_WORDS = ("nếu có", "nếu nộp thay", "trường hợp", "đối với")


def named_as_conditional(name: str) -> bool:
    """Whether a paper's name says it is needed only in some cases ("nếu có", "trường hợp
    nộp thay", "đối với …"): such a paper arriving without a condition is not mandatory."""
    lowered = name.lower()
    return any(word in lowered for word in CONDITIONAL_WORDS)


#: The parts of a version that its content consists of, in the order pages show them.
CONTENT_FIELDS = (
    "name",
    "name_en",
    "field",
    "levels",
    "subjects",
    "competent_level",
    "competent_agency",
    "time_limit_amount",
    "time_limit_unit",
    "cutoff_time",
    "pause_on_payment",
    "online_level",
    "eligible_full_online",
    "requires_paper_result",
    "postal_allowed",
    "result_name",
    "legal_basis",
    "description",
    "e_form_schema",
)
CHILDREN = ("fees", "documents", "steps")
_NOT_CONTENT = {"id", "version", "position"}


def _plain(value: Any) -> Any:
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, FieldFile):  # a paper's blank form: its stored name
        return value.name or ""
    return value


def _child_rows(version: ProcedureVersion, related: str) -> list[dict[str, Any]]:
    manager = getattr(version, related)
    model = manager.model
    names = [f for f in model._meta.concrete_fields if f.name not in _NOT_CONTENT]
    rows = []
    for child in manager.all():
        row = {f.name: _plain(getattr(child, f.attname)) for f in names}
        if related == "steps":
            row["agency"] = child.agency.code if child.agency else None
            row["next"] = sorted(step.key for step in child.next_steps.all())
        rows.append(row)
    return rows


def version_snapshot(version: ProcedureVersion) -> dict[str, Any]:
    """The content of a version as plain JSON values: its own fields, fees, papers and steps."""
    snapshot: dict[str, Any] = {}
    for name in CONTENT_FIELDS:
        value = getattr(version, name)
        if name == "field":
            value = value.code
        elif name == "competent_agency":
            value = value.code if value else None
        snapshot[name] = _plain(value)
    for related in CHILDREN:
        snapshot[related] = _child_rows(version, related)
    return snapshot


@dataclass(frozen=True)
class Difference:
    part: str
    before: Any
    after: Any


def snapshot_differences(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Difference]:
    """The parts whose values differ between two snapshots, in the snapshot's order."""
    keys = list(before) + [key for key in after if key not in before]
    return [Difference(key, before.get(key), after.get(key)) for key in keys if before.get(key) != after.get(key)]


def version_differences(old: ProcedureVersion, new: ProcedureVersion) -> list[Difference]:
    """What `new` changes from `old` (e.g. a draft against the published version)."""
    return snapshot_differences(version_snapshot(old), version_snapshot(new))


def version_published(procedure_id: int) -> ProcedureVersion | None:
    return ProcedureVersion.objects.filter(procedure_id=procedure_id, status=VersionStatus.PUBLISHED).first()


def catalogue_versions(query: str = "") -> QuerySet[ProcedureVersion]:
    """Every version for the catalogue editor, the newest of each procedure first; with a
    query, the procedures one of whose versions has it in its code, names or field (without
    diacritics)."""
    versions = ProcedureVersion.objects.select_related("procedure", "field", "competent_agency")
    if query:
        matching = ProcedureVersion.objects.filter(search_text__contains=fold(query)).values("procedure_id")
        versions = versions.filter(procedure_id__in=matching)
    return versions.order_by("procedure__code", "-number")


def version_changes(version: ProcedureVersion) -> QuerySet[VersionChange]:
    return version.changes.all()


def blank_forms_by_name(version: ProcedureVersion) -> dict[str, tuple[str, str, str]]:
    """The blank forms of a version's papers (stored name, file name, type), by the paper's name."""
    return {
        name: (blank, file_name, content_type)
        for name, blank, file_name, content_type in version.documents.exclude(blank_form="").values_list(
            "name", "blank_form", "blank_form_name", "blank_form_type"
        )
    }
