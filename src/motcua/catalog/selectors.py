"""Reads for the catalogue."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from time import monotonic
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
from motcua.lib.cache import also_clear, ttl_cache
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
    version = _with_parts().filter(procedure__code=code, status=VersionStatus.PUBLISHED).first()
    if version is None:
        raise NotFound(f"Procedure {code} has no version in force.", code="procedure_not_found")
    return version


#: Versions this process has loaded with their fees, papers and steps, by id, with the
#: monotonic instant each was loaded. A version's content never changes once it is published
#: (only a draft is edited), so a kept copy stays true; its `status` and `ended_at` may change
#: later and are not read from a kept copy. The agencies it names (competent agency, steps'
#: agencies) are rows of their own: a copy is reloaded after `KEEP_SECONDS`, so a renamed
#: agency shows within minutes, as the other per-process caches of agencies do.
_KEPT: dict[int, tuple[float, ProcedureVersion]] = {}
#: At most this many versions are kept; the first kept is forgotten first.
KEPT_VERSIONS = 500
KEEP_SECONDS = 300.0
#: Procedure code -> (monotonic instant, id of the version this process then found in force).
_IN_FORCE: dict[str, tuple[float, int]] = {}
#: Seconds during which a filing in this process trusts the version it last found in force
#: without asking again (docs/architecture.md, "What a request reads once per process").
CHECK_EVERY = 5.0


def _with_parts() -> QuerySet[ProcedureVersion]:
    return ProcedureVersion.objects.select_related("procedure", "field", "competent_agency").prefetch_related(
        "fees", "documents", Prefetch("steps", queryset=ProcessStep.objects.prefetch_related("next_steps"))
    )


def _keep(version: ProcedureVersion) -> ProcedureVersion:
    if version.status != VersionStatus.DRAFT:
        _KEPT.pop(version.pk, None)
        while len(_KEPT) >= KEPT_VERSIONS:
            del _KEPT[next(iter(_KEPT))]
        _KEPT[version.pk] = (monotonic(), version)
    return version


def _kept(pk: int) -> ProcedureVersion | None:
    held = _KEPT.get(pk)
    if held is None or monotonic() - held[0] >= KEEP_SECONDS:
        return None
    return held[1]


def version_kept(pk: int) -> ProcedureVersion:
    """Version `pk` with its procedure, field, competent agency, fees, papers and steps (and
    each step's next steps), as this process keeps it once it is no longer a draft: what a
    dossier started on, read for every command on it, loaded once per process (again after
    `KEEP_SECONDS`)."""
    kept = _kept(pk)
    return kept if kept is not None else _keep(_with_parts().get(pk=pk))


def versions_kept_clear() -> None:
    """Forget the versions this process keeps (tests; `lib.cache.clear_all` calls it)."""
    _KEPT.clear()
    _IN_FORCE.clear()


also_clear(versions_kept_clear)


def catalogue_changed() -> None:
    """Forget this process's copies of what is published, after a publication or an
    abolition: the search's index (other processes within its minute) and which version of
    each procedure is in force (other processes within `CHECK_EVERY` seconds)."""
    search_index_clear()
    _IN_FORCE.clear()


def version_for_filing(code: str) -> ProcedureVersion:
    """The version in force of procedure `code` (as `version_in_force`), with its fees, papers
    and steps kept by this process. Which version is in force is asked again, in one indexed
    statement, once `CHECK_EVERY` seconds have passed since this process last asked; the
    process that publishes or abolishes forgets the answer at once. So a filing starts on a
    version superseded or abolished in another process for at most `CHECK_EVERY` seconds
    after it happened, and never in the process that did it. A version newly in force is
    loaded once."""
    now = monotonic()
    asked = _IN_FORCE.get(code)
    kept = _kept(asked[1]) if asked is not None else None
    if asked is not None and kept is not None:
        if now - asked[0] < CHECK_EVERY:
            return kept
        current = list(
            ProcedureVersion.objects.filter(procedure_id=kept.procedure_id, status=VersionStatus.PUBLISHED)
            .order_by()
            .values_list("pk", flat=True)[:1]
        )
        if current == [kept.pk]:
            _IN_FORCE[code] = (now, kept.pk)
            return kept
    version = _keep(version_in_force(code))
    _IN_FORCE[code] = (now, version.pk)
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
