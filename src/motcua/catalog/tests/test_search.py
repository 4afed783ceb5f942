"""The citizen's procedure search: relevance first, forgiving of how people type."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from motcua.catalog.selectors import procedure_ranking, procedure_search_ranked
from motcua.catalog.services import procedure_create, procedure_version_publish
from motcua.catalog.tests.test_versions import _spec
from motcua.dossiers import services as ds
from motcua.dossiers.selectors import procedure_use_counts
from motcua.testing.world import ANY_HOUR_REASON

DECISION: dict[str, Any] = {
    "decision_number": "15/QĐ-UBND",
    "decision_date": date(2026, 3, 2),
    "effective_date": date(2026, 3, 2),
}


def _publish(world: Any, code: str, name: str) -> None:
    draft = procedure_create(code=code, spec=_spec(world, name=name))
    procedure_version_publish(version=draft, **DECISION)


def _codes(q: str) -> list[str]:
    return [version.procedure.code for version in procedure_search_ranked(q=q, used=procedure_use_counts())]


@pytest.mark.parametrize(
    "q",
    [
        "khaisinh",  # no space
        "dangky khaisinh",
        "dang ki khai sinh",  # i for y
        "đăng kí khai sinh",
        "dang ky khai sinnh",  # one typo
        "DANG KY KHAI SINH",
    ],
)
def test_it_finds_a_procedure_however_the_citizen_types_its_name(world: Any, q: str) -> None:
    assert _codes(q)[:1] == ["1.001193"]


def test_a_word_that_matches_nothing_finds_nothing(world: Any) -> None:
    assert _codes("khai sinh xyzxyz") == []


def test_the_exact_title_comes_first_then_titles_that_start_with_the_query(world: Any) -> None:
    _publish(world, "1.000001", "Thủ tục liên quan đến đăng ký khai sinh")
    _publish(world, "1.000002", "Đăng ký khai sinh có yếu tố nước ngoài")
    assert _codes("Đăng ký khai sinh") == ["1.001193", "1.000002", "1.000001"]


def test_between_equally_relevant_procedures_the_most_used_comes_first(world: Any) -> None:
    _publish(world, "1.000003", "Cấp bản sao trích lục hộ tịch")
    _publish(world, "1.000004", "Cấp bản sao trích lục khai tử")
    first = _codes("cap ban sao trich luc")
    assert first == ["1.000003", "1.000004"]  # by code while neither is used
    procedure_use_counts.clear()
    version = procedure_search_ranked(q="trich luc khai tu")[0]
    ds.dossier_register(
        actor=world.reception,
        version=version,
        applicant=world.citizen_person,
        receiving_agency=world.centre,
        outside_hours_reason=ANY_HOUR_REASON,
        components=[ds.ComponentIn(name="Tờ khai")],
    )
    procedure_use_counts.clear()
    assert _codes("cap ban sao trich luc") == ["1.000004", "1.000003"]


def test_an_empty_query_lists_every_published_procedure(world: Any) -> None:
    assert sorted(_codes("")) == ["1.001193", "2.000488"]
    assert len(procedure_ranking("")) == 2


def test_the_portal_shows_the_exact_title_first(world: Any) -> None:
    _publish(world, "1.000002", "Đăng ký khai sinh có yếu tố nước ngoài")
    html = Client().get(reverse("portal:search"), {"q": "dang ky khai sinh"}).content.decode()
    assert html.index("Đăng ký khai sinh</") < html.index("Đăng ký khai sinh có yếu tố nước ngoài")
