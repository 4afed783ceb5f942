"""The procedure catalogue read when a web worker starts (`config/wsgi.py`), and counted by
group: the same scorecards as without the preload and as adding the versions one by one; a
catalogue change after the preload is seen on the next call; an unreadable database at
start is no error."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.db.utils import OperationalError, ProgrammingError

from motcua.calendars.services import calendar_for
from motcua.catalog.models import CompetentLevel, Field
from motcua.catalog.services import (
    FeeSpec,
    StepSpec,
    VersionSpec,
    procedure_abolish,
    procedure_create,
    procedure_version_draft,
)
from motcua.indicators.conf import indicator_settings
from motcua.indicators.engine import Scorecard
from motcua.indicators.periods import parse_period
from motcua.indicators.selectors import catalogue_facts as cf
from motcua.indicators.selectors import preload_catalogue, province_root, scorecards, subtree_agencies
from motcua.indicators.tests.conftest import publish_at, vn
from motcua.organizations.models import Agency

NOW = vn(2026, 7, 15, 10)
PERIODS = ("2026-03", "2026-04", "2026-Q1", "2026-Q2", "2026")


def _spec(name: str, agency: Agency | None, *, fee: int = 0, complete: bool = True, **kw: Any) -> VersionSpec:
    return VersionSpec(
        name=name,
        field=Field.objects.get(code="LLTP"),
        time_limit_amount=5,
        time_limit_unit="working_days",
        competent_agency=agency,
        fees=[FeeSpec(name="Lệ phí", amount_vnd=fee)] if fee else [],
        steps=[
            StepSpec(
                key="reception", name="Tiếp nhận", actor_role="reception", budget_amount=5, budget_unit="working_days"
            )
        ]
        if complete
        else [],
        **kw,
    )


@pytest.fixture
def catalogue(world: Any) -> None:
    """Versions of several sources sharing and not sharing their dates: on time and late
    (1.1), made public on time, late or never (1.2), complete or not (1.3), with and without
    a fee, for citizens or businesses, commune-level, superseded and abolished."""
    a = procedure_create(code="1.000201", spec=_spec("A", world.justice, fee=50_000))
    publish_at(a, vn(2026, 3, 3, 10), date(2026, 3, 2), date(2026, 3, 20))
    a2 = procedure_version_draft(procedure=a.procedure, spec=_spec("A (sửa đổi)", world.justice, fee=50_000))
    publish_at(a2, vn(2026, 4, 1, 10), date(2026, 3, 25), date(2026, 3, 26))
    # the same decision (same dates) publishes B and C, one of them for businesses, incomplete
    b = procedure_create(code="1.000202", spec=_spec("B", world.justice, complete=False, subjects=["business"]))
    publish_at(b, vn(2026, 3, 3, 10), date(2026, 3, 2), date(2026, 3, 20))
    c = procedure_create(code="1.000203", spec=_spec("C", world.tax, fee=10_000))
    publish_at(c, vn(2026, 3, 3, 10), date(2026, 3, 2), date(2026, 3, 20))
    d = procedure_create(code="1.000204", spec=_spec("D", world.construction))
    publish_at(d, vn(2026, 3, 10, 10), date(2026, 3, 10), None, made_public=False)
    e = procedure_create(code="1.000205", spec=_spec("E", None, fee=20_000, competent_level=CompetentLevel.COMMUNE))
    publish_at(e, vn(2026, 4, 20, 10), date(2026, 4, 6), date(2026, 4, 30))
    f = procedure_create(code="1.000206", spec=_spec("F", world.tax))
    publish_at(f, vn(2026, 3, 27, 10), date(2026, 3, 16), date(2026, 4, 30))
    with time_machine.travel(vn(2026, 5, 4, 10), tick=False):
        procedure_abolish(procedure=f.procedure, decision_number="0405/QĐ-UBND", decision_date=date(2026, 5, 4))


def _figures(cards: dict[int, Scorecard]) -> dict[int, list[tuple[str, float, float, float]]]:
    return {
        pk: [(i.key, i.numerator, i.denominator, i.points) for g in card.groups for i in g.items]
        for pk, card in cards.items()
    }


def _all_figures() -> dict[str, Any]:
    root = province_root()
    return {label: _figures(scorecards(root, parse_period(label), now=NOW)[0]) for label in PERIODS}


def _forget() -> None:
    """As in a process that has read nothing yet."""
    cf._catalogue_cache.clear()


@pytest.mark.django_db
def test_the_preload_gives_the_same_scorecards_as_no_preload(catalogue: None, monkeypatch: Any) -> None:
    _forget()
    without = _all_figures()
    _forget()
    assert preload_catalogue() is True
    assert cf._catalogue_cache["versions"]

    def no_second_read() -> list[cf.CatalogueVersion]:
        raise AssertionError("the catalogue was read again although it had not changed")

    monkeypatch.setattr(cf, "_version_facts", no_second_read)
    assert _all_figures() == without


@pytest.mark.django_db
def test_the_grouped_count_equals_the_versions_added_one_by_one(catalogue: None) -> None:
    """The scorecards count groups of versions; the drill-down adds the versions one by one."""
    root = province_root()
    agencies = subtree_agencies(root)
    communes = cf.communes_below(agencies)
    cfg = indicator_settings()
    versions = cf.catalogue_versions()
    assert len(versions) > len(cf.catalogue_groups().publication_facts)  # some versions share their dates
    for label in PERIODS:
        period = parse_period(label)
        grouped = cf.catalogue_facts_for(agencies, period, cfg)
        judged = cf.judge_versions(versions, dict(agencies), period, calendar_for(None), cfg)
        one_by_one = {pk: cf.catalogue_of(a, judged, communes[pk]) for pk, a in agencies.items()}
        assert grouped == one_by_one, label
    q1 = cf.catalogue_facts_for(agencies, parse_period("2026-Q1"), cfg)[root.pk]
    # decisions of Q1: A (its second version late), B, C, F on time; D late (no legal-basis date:
    # its effective date, two days after the decision, stands in)
    assert (q1.published_on_time, q1.published_total) == (3, 5)


@pytest.mark.django_db
def test_a_catalogue_change_after_the_preload_is_seen_on_the_next_call(world: Any, catalogue: None) -> None:
    _forget()
    assert preload_catalogue() is True
    root = province_root()
    q2 = parse_period("2026-Q2")
    before = scorecards(root, q2, now=NOW)[0][root.pk].item("1.1")
    g = procedure_create(code="1.000207", spec=_spec("G", world.justice))
    publish_at(g, vn(2026, 5, 12, 10), date(2026, 5, 11), date(2026, 5, 12))  # late: legal basis the next day
    after = scorecards(root, q2, now=NOW)[0][root.pk].item("1.1")
    assert (after.numerator, after.denominator) == (before.numerator, before.denominator + 1)
    _forget()
    assert _all_figures()["2026-Q2"][root.pk] == _figures(scorecards(root, q2, now=NOW)[0])[root.pk]


def test_the_preload_with_an_unreadable_database_does_not_raise() -> None:
    """No database access at all here (pytest-django refuses it, as a server that is down)."""
    _forget()
    assert preload_catalogue() is False
    assert cf._catalogue_cache == {}


@pytest.mark.parametrize("error", [OperationalError("connection refused"), ProgrammingError("no such table")])
@pytest.mark.django_db
def test_the_preload_with_a_missing_table_or_a_server_down_does_not_raise(error: Exception, monkeypatch: Any) -> None:
    def fails(sql: str, params: Any) -> Any:
        raise error

    _forget()
    monkeypatch.setattr(cf, "fetch_rows", fails)
    assert preload_catalogue() is False
    assert cf._catalogue_cache == {}


def test_a_worker_starting_without_a_database_preloads_without_raising() -> None:
    from motcua.config import wsgi

    wsgi._preload()
