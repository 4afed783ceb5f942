"""Migration 0004 turns the former "optional" flag of a paper into its requirement: an optional
paper stays optional, every other one stays mandatory; going back, only a mandatory paper is
mandatory."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("catalog", "0003_time_unit_months")]
AFTER = [("catalog", "0004_required_document_requirement_kind")]


def _migrate(target: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_the_optional_flag_becomes_the_requirement_and_back() -> None:
    try:
        old = _migrate(BEFORE)
        field = old.get_model("catalog", "Field").objects.create(code="HT", name="Hộ tịch")
        procedure = old.get_model("catalog", "Procedure").objects.create(code="1.000001")
        version = old.get_model("catalog", "ProcedureVersion").objects.create(
            procedure=procedure, number=1, name="Thủ tục", field=field, time_limit_amount=1, time_limit_unit="months"
        )
        papers = old.get_model("catalog", "RequiredDocument").objects
        papers.create(version=version, position=0, name="Tờ khai")
        papers.create(version=version, position=1, name="Giấy tờ khác (nếu có)", optional=True)

        new = _migrate(AFTER)
        rows = new.get_model("catalog", "RequiredDocument").objects.order_by("position")
        assert list(rows.values_list("name", "requirement")) == [
            ("Tờ khai", "mandatory"),
            ("Giấy tờ khác (nếu có)", "optional"),
        ]
        rows.filter(position=0).update(requirement="conditional", condition_field="nop_thay", condition_values=[True])

        back = _migrate(BEFORE)
        flags = back.get_model("catalog", "RequiredDocument").objects.order_by("position")
        assert list(flags.values_list("optional", flat=True)) == [True, True]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
