"""The procedure page a citizen reads before filing (issue 12, item 3): steps, conditions,
papers with their blank forms, fees, the appointment preview, where and when to file, the
legal basis and the agency's public on-time record."""

from __future__ import annotations

import pprint
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.catalog.models import RequiredDocument, Requirement
from motcua.catalog.services import (
    DocumentSpec,
    StepSpec,
    VersionSpec,
    procedure_create,
    procedure_version_publish,
    procedure_version_update,
    required_document_blank_form_set,
)
from motcua.demo import data as demo
from motcua.indicators.models import IndicatorCounter
from motcua.indicators.periods import month_of
from motcua.lib.errors import Conflict
from motcua.lib.uploads import UploadRefused
from motcua.portal.templatetags.portal_tags import vndatetime
from motcua.portal.views.procedure import due_if_submitted_now
from motcua.testing.files import pdf_bytes

pytestmark = pytest.mark.django_db


def _justice_spec(world: Any, name: str, **spec: Any) -> VersionSpec:
    """A procedure of the Department of Justice, settled in working days."""
    spec.setdefault("time_limit_amount", 3)
    return VersionSpec(
        name=name, field=world.procedure.field, time_limit_unit="working_days", competent_agency=world.justice, **spec
    )


def _justice_draft(world: Any, code: str, name: str, **spec: Any) -> Any:
    return procedure_create(code=code, spec=_justice_spec(world, name, **spec))


def _with_blank_form(world: Any) -> Any:
    """A procedure of the Department of Justice whose declaration has a blank form."""
    version = _justice_draft(
        world,
        "1.000777",
        "Cấp bản sao trích lục hộ tịch",
        online_level="full",
        legal_basis="Luật Hộ tịch 2014, Điều 63",
        conditions="Người yêu cầu là người được cấp trích lục hoặc người được ủy quyền.",
        documents=[
            DocumentSpec(name="Tờ khai cấp bản sao trích lục"),
            DocumentSpec(name="Giấy ủy quyền", requirement=Requirement.OPTIONAL),
        ],
        steps=[
            StepSpec(
                key="check",
                name="Kiểm tra hồ sơ",
                actor_role="specialist",
                budget_amount=2,
                budget_unit="working_days",
            ),
            StepSpec(key="sign", name="Ký bản sao", actor_role="leader", budget_amount=1, budget_unit="working_days"),
        ],
    )
    declaration = version.documents.get(name="Tờ khai cấp bản sao trích lục")
    required_document_blank_form_set(
        document=declaration, file=SimpleUploadedFile("to-khai.pdf", pdf_bytes()), file_name="Tờ khai mẫu.pdf"
    )
    procedure_version_publish(
        version=version, decision_number="7/QĐ-UBND", decision_date=date(2025, 7, 1), effective_date=date(2025, 7, 1)
    )
    return version


def test_the_page_shows_steps_conditions_papers_fees_where_and_when_to_file_and_legal_basis(world: Any) -> None:
    version = _with_blank_form(world)
    html = Client().get(reverse("portal:procedure", args=[version.procedure.code])).content.decode()
    for text in [
        "Người yêu cầu là người được cấp trích lục",  # conditions
        "Kiểm tra hồ sơ",  # the steps, with their time budgets
        "tối đa 2 ngày làm việc",
        "Ký bản sao",
        "Giấy ủy quyền",
        "không bắt buộc",  # the optional paper says so
        "Luật Hộ tịch 2014, Điều 63",
        "Trung tâm Phục vụ hành chính công tỉnh",  # the one-stop unit that receives for the department
        "0200 3800 101",
        "Thứ Hai – Thứ Sáu",
        "Không thu phí",
    ]:
        assert text in html, text
    document = version.documents.get(name="Tờ khai cấp bản sao trích lục")
    link = reverse("portal:blank-form", args=[version.procedure.code, document.pk])
    assert f'href="{link}" download' in html
    assert html.count("Tải mẫu đơn, tờ khai") == 1  # the optional paper has no blank form


def test_the_conditions_are_also_in_the_catalogue_api(world: Any) -> None:
    version = _with_blank_form(world)
    body = Client().get(f"/api/v1/procedures/{version.procedure.code}").json()
    assert body["conditions"] == "Người yêu cầu là người được cấp trích lục hoặc người được ủy quyền."


def test_the_appointment_preview_is_the_deadline_modules_answer_on_the_competent_agencys_calendar(
    world: Any,
) -> None:
    html = Client().get(reverse("portal:procedure", args=[world.procedure.procedure.code])).content.decode()
    expected = due_if_submitted_now(world.procedure)
    assert "Nếu nộp ngay bây giờ, ngày hẹn trả kết quả theo quy định là" in html
    assert f'<strong data-testid="due">{vndatetime(expected.due)}</strong>' in html
    assert expected.due > timezone.now()


def test_a_blank_form_is_a_public_download_of_the_version_in_force_only(world: Any) -> None:
    version = _with_blank_form(world)
    document = version.documents.get(name="Tờ khai cấp bản sao trích lục")
    response = Client().get(reverse("portal:blank-form", args=[version.procedure.code, document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "T%E1%BB%9D%20khai%20m%E1%BA%ABu.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "public, max-age=86400"
    assert document.blank_form.name.startswith("blank-forms/")  # a random name, like every stored file
    optional = version.documents.get(name="Giấy ủy quyền")
    assert Client().get(reverse("portal:blank-form", args=[version.procedure.code, optional.pk])).status_code == 404
    # a paper of another procedure is not reachable through this one's address
    assert (
        Client().get(reverse("portal:blank-form", args=[world.procedure.procedure.code, document.pk])).status_code
        == 404
    )


def test_a_blank_form_is_checked_like_every_upload_and_only_a_draft_gets_one(world: Any) -> None:
    version = _with_blank_form(world)
    document = version.documents.first()
    assert document is not None
    with pytest.raises(Conflict):
        required_document_blank_form_set(document=document, file=SimpleUploadedFile("b.pdf", pdf_bytes()))
    draft = _justice_draft(world, "1.000778", "Thủ tục nháp", documents=[DocumentSpec(name="Đơn")])
    paper = RequiredDocument.objects.get(version=draft)
    required_document_blank_form_set(document=paper, file=SimpleUploadedFile("don.pdf", pdf_bytes()))
    procedure_version_update(
        version=draft,
        spec=_justice_spec(
            world, "Thủ tục nháp, sửa", documents=[DocumentSpec(name="Đơn"), DocumentSpec(name="Giấy khác")]
        ),
    )
    paper = RequiredDocument.objects.get(version=draft, name="Đơn")
    assert paper.blank_form_name == "don.pdf"  # a paper that keeps its name keeps its blank form
    with pytest.raises(UploadRefused):
        required_document_blank_form_set(document=paper, file=SimpleUploadedFile("x.pdf", b"MZ not a pdf"))
    paper.refresh_from_db()
    assert paper.blank_form_name == "don.pdf"  # a refused file changes nothing


def test_the_agency_s_on_time_record_comes_from_the_indicator_counters(world: Any, settings: Any) -> None:
    # last month: a whole month of the period, read from its counter (the current month,
    # still running, is read from the dossiers' fact rows)
    month = (month_of(timezone.now()) - timedelta(days=1)).replace(day=1)
    IndicatorCounter.objects.create(
        agency=world.justice, procedure=world.procedure.procedure, month=month, received=12, on_time=9, late=1, open=2
    )
    html = Client().get(reverse("portal:procedure", args=[world.procedure.procedure.code])).content.decode()
    assert '<span class="stat" data-testid="on-time-share">90%</span>' in html
    assert "(9 trên 10)" in html
    older = month.replace(year=month.year - 2)
    IndicatorCounter.objects.create(
        agency=world.justice, procedure=world.procedure.procedure, month=older, received=5, on_time=0, late=5
    )
    html = Client().get(reverse("portal:procedure", args=[world.procedure.procedure.code])).content.decode()
    assert "(9 trên 10)" in html  # two years ago is not in the last twelve months
    settings.MOTCUA = {**settings.MOTCUA, "INDICATORS": {"PUBLIC_RECORD_MONTHS": 36}}
    html = Client().get(reverse("portal:procedure", args=[world.procedure.procedure.code])).content.decode()
    assert "(9 trên 15)" in html  # a province that looks back three years counts them


def test_no_demo_text_tells_the_citizen_it_is_fictional_or_to_be_checked() -> None:
    text = pprint.pformat(demo.PROCEDURES).lower()
    for note in ["fictional", "giả định", "kiểm tra lại", "hư cấu"]:
        assert note not in text, note


def test_a_blank_form_survives_a_new_draft_and_the_editor_s_paper_edits(world: Any) -> None:
    from motcua.catalog.services import procedure_version_draft_from, version_documents_set

    published = _with_blank_form(world)
    draft = procedure_version_draft_from(version=published)
    declaration = draft.documents.get(name="Tờ khai cấp bản sao trích lục")
    assert declaration.blank_form.name == published.documents.get(name=declaration.name).blank_form.name

    version_documents_set(
        version=draft,
        documents=[DocumentSpec(name="Tờ khai cấp bản sao trích lục", copies=2), DocumentSpec(name="Giấy mới")],
    )
    kept = draft.documents.get(name="Tờ khai cấp bản sao trích lục")
    assert (kept.copies, kept.blank_form_name) == (2, "Tờ khai mẫu.pdf")
    assert not draft.documents.get(name="Giấy mới").blank_form

    # A new form for the draft leaves the published version's file in place.
    shared = kept.blank_form.name
    required_document_blank_form_set(document=kept, file=SimpleUploadedFile("moi.pdf", pdf_bytes()))
    assert published.documents.get(name=kept.name).blank_form.storage.exists(shared)
