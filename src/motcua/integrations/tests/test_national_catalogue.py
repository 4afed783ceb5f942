"""Importing a procedure from the national procedure database (LayThuTuc) through the simulator."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from motcua.catalog.models import VersionStatus
from motcua.integrations.national_portal.simulator import PortalSimulator


def _record(world: Any, *, name: str, days: str, fee: str) -> dict[str, Any]:
    return {
        "TENTTHC": name,
        "LINHVUCTHUCHIEN": [{"MALINHVUC": world.procedure.field.code, "TENLINHVUC": world.procedure.field.name}],
        "CACHTHUCTHUCHIEN": [
            {
                "KENH": "1",
                "THOIGIAN": [
                    {
                        "THOIGIANGIAIQUYET": days,
                        "DONVITINH": "Ngày làm việc",
                        "PHILEPHI": [{"SOTIEN": fee, "DONVI": "VNĐ", "MOTA": "Lệ phí cấp"}],
                    }
                ],
            }
        ],
        "THANHPHANHOSO": [{"GIAYTO": [{"MAGIAYTO": "1", "TENGIAYTO": "Tờ khai"}, {"TENGIAYTO": "Bản sao CCCD"}]}],
        "KETQUATHUCHIEN": [{"MAKETQUA": "KQ1", "TENKETQUA": "Giấy phép"}],
        "CANCUPHAPLY": [{"SOVANBAN": "15/2025/QH15", "TENVANBAN": "Luật mẫu"}],
    }


def test_a_procedure_is_refreshed_as_a_draft_and_its_changes_are_shown(world: Any, simulator: PortalSimulator) -> None:
    code = world.procedure.procedure.code
    simulator.catalogue[code] = _record(world, name=world.procedure.name, days="7", fee="150000")
    out = StringIO()

    call_command("import_national_procedure", code, stdout=out)

    draft = world.procedure.procedure.versions.get(status=VersionStatus.DRAFT)
    assert (draft.time_limit_amount, draft.time_limit_unit) == (7, "working_days")
    assert [(f.name, f.amount_vnd) for f in draft.fees.all()] == [("Lệ phí cấp", 150000)]
    assert [d.name for d in draft.documents.order_by("position", "id")] == ["Tờ khai", "Bản sao CCCD"]
    assert "15/2025/QH15 Luật mẫu" in draft.legal_basis
    assert draft.result_name == "Giấy phép"
    printed = out.getvalue()
    assert "time limit:" in printed
    assert "→ 7 working_days" in printed
    assert "- name:" not in printed  # unchanged


def test_a_new_procedure_arrives_as_its_first_draft(world: Any, simulator: PortalSimulator) -> None:
    simulator.catalogue["1.009999"] = _record(world, name="Thủ tục mới", days="3", fee="0")

    call_command("import_national_procedure", "1.009999", stdout=StringIO())

    from motcua.catalog.models import Procedure

    [version] = Procedure.objects.get(code="1.009999").versions.all()
    assert (version.status, version.name) == (VersionStatus.DRAFT, "Thủ tục mới")


def test_an_unknown_code_or_field_is_refused_and_nothing_is_stored(world: Any, simulator: PortalSimulator) -> None:
    from motcua.catalog.models import Procedure

    simulator.catalogue["1.008888"] = {
        **_record(world, name="X", days="1", fee="0"),
        "LINHVUCTHUCHIEN": [{"MALINHVUC": "ZZ"}],
    }

    with pytest.raises(CommandError, match=r"Không tìm thấy"):
        call_command("import_national_procedure", "1.007777", stdout=StringIO())
    with pytest.raises(CommandError, match="not in the catalogue"):
        call_command("import_national_procedure", "1.008888", stdout=StringIO())
    assert not Procedure.objects.filter(code__in=["1.007777", "1.008888"]).exists()


def test_a_conditional_paper_arrives_optional_and_a_local_condition_is_kept(
    world: Any, simulator: PortalSimulator
) -> None:
    from motcua.catalog.models import Requirement
    from motcua.testing.conditional import CODE, DIVORCED, conditional_procedure

    conditional_procedure(world)
    record = _record(world, name="Cấp Giấy xác nhận tình trạng hôn nhân", days="3", fee="0")
    papers = [
        "Bản chụp giấy tờ tùy thân",
        "Giấy tờ chứng minh việc ly hôn (nếu có)",
        "Văn bản ủy quyền (trường hợp nộp thay)",
    ]
    record["THANHPHANHOSO"] = [{"GIAYTO": [{"TENGIAYTO": name} for name in papers]}]
    simulator.catalogue[CODE] = record

    call_command("import_national_procedure", CODE, stdout=StringIO())

    from motcua.catalog.models import Procedure

    draft = Procedure.objects.get(code=CODE).versions.get(status=VersionStatus.DRAFT)
    rows = list(draft.documents.values_list("requirement", "condition_field", "condition_values"))
    assert rows == [
        (Requirement.MANDATORY, "", []),
        (Requirement.CONDITIONAL, "tinh_trang_hon_nhan", [DIVORCED]),  # kept from the version in force
        (Requirement.OPTIONAL, "", []),  # new, and its name says it is conditional
    ]


def _signed_in(actor: Any) -> Any:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(pk=actor.user_id))
    return client


def test_an_administrator_imports_from_a_page_reads_the_differences_and_publishes(
    world: Any, simulator: PortalSimulator
) -> None:
    from motcua.testing.tasks import run_background_tasks

    code = world.procedure.procedure.code
    simulator.catalogue[code] = _record(world, name=world.procedure.name, days="7", fee="150000")
    admin = _signed_in(world.admin)

    asked = admin.post("/admin/national-catalogue/", {"code": code})
    fetched_in_the_request = world.procedure.procedure.versions.filter(status=VersionStatus.DRAFT).exists()
    run_background_tasks()
    draft = world.procedure.procedure.versions.get(status=VersionStatus.DRAFT)
    listing = admin.get("/admin/national-catalogue/").content.decode()
    review = admin.get(f"/admin/national-catalogue/{draft.pk}/").content.decode()
    published = admin.post(
        f"/admin/national-catalogue/{draft.pk}/",
        {"decision_number": "12/QĐ-UBND", "decision_date": "2026-06-01", "effective_date": "2026-06-02"},
    )

    assert asked.status_code == 302
    assert not fetched_in_the_request  # the page only asks; the worker fetches
    assert f'href="/admin/national-catalogue/{draft.pk}/"' in listing
    assert "7 working_days" in review
    assert f"{world.procedure.time_limit_amount} {world.procedure.time_limit_unit}" in review
    assert "Lệ phí cấp: 150000" in review
    assert published.status_code == 302
    draft.refresh_from_db()
    world.procedure.refresh_from_db()
    assert (draft.status, world.procedure.status) == (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)


def test_only_an_administrator_reaches_the_catalogue_import_page(world: Any) -> None:
    assert _signed_in(world.reception).get("/admin/national-catalogue/").status_code == 403
    assert _signed_in(world.reception).post("/admin/national-catalogue/", {"code": "1.0"}).status_code == 403
