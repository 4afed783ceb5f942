"""The catalogue editor's pages: who may use them, a procedure from creation to publication
through the services (each change recorded with its author), the preview as a citizen reads it,
and the e-form builder with its live preview and JSON view."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from motcua.catalog.models import ChangeAction, ProcedureVersion, VersionStatus
from motcua.catalog.services import procedure_version_draft_from
from motcua.dossiers import services as ds
from motcua.lib.errors import InvalidInput
from motcua.organizations.actors import Actor, actor_for
from motcua.organizations.services import membership_grant, user_set_full_name
from motcua.testing.conditional import DECLARATION, ID_COPY, conditional_procedure

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def editor(world: Any) -> Actor:
    """A catalogue manager of the province (Role.CATALOGUE)."""
    user = User.objects.create_user(username="catalogue", password="motcua-test-pass")
    user_set_full_name(user=user, full_name="Trịnh Thu Trang")
    membership_grant(user=user, agency=world.province, role="catalogue")
    return actor_for(user)


def _client(actor: Actor) -> Client:
    assert actor.user_id is not None
    client = Client()
    client.force_login(User.objects.get(pk=actor.user_id))
    return client


def _draft(world: Any, editor: Actor) -> ProcedureVersion:
    return procedure_version_draft_from(version=world.procedure, by=editor)


def _url(version: ProcedureVersion, part: str = "") -> str:
    return f"/danh-muc/{version.procedure.code}/{version.number}/{part}"


@pytest.mark.parametrize("persona", ["citizen", "specialist", "reception", "manager", "admin"])
def test_citizens_and_officers_without_the_catalogue_role_are_refused(world: Any, persona: str) -> None:
    client = _client(getattr(world, persona))
    for url in ["/danh-muc/", "/danh-muc/moi/", _url(world.procedure), _url(world.procedure, "bieu-mau/")]:
        response = client.get(url)
        assert response.status_code == 403, url
    response = client.post(_url(world.procedure, "phi/"), {"fee-TOTAL_FORMS": "0", "fee-INITIAL_FORMS": "0"})
    assert response.status_code == 403
    assert "Catalogue" not in client.get("/").content.decode()


def test_a_visitor_is_sent_to_sign_in(world: Any) -> None:
    response = Client().get("/danh-muc/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")


def test_a_catalogue_manager_and_a_superuser_may_open_the_catalogue(world: Any, editor: Actor) -> None:
    page = _client(editor).get("/danh-muc/")
    assert page.status_code == 200
    assert world.procedure.procedure.code in page.content.decode()
    assert 'href="/danh-muc/"' in page.content.decode()  # in the menu
    root = User.objects.create_superuser(username="root", password="motcua-test-pass")
    client = Client()
    client.force_login(root)
    assert client.get(_url(world.procedure)).status_code == 200


def _details(world: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "name": "Cấp bản sao trích lục hộ tịch",
        "name_en": "Copy of a civil status extract",
        "field": world.procedure.field.pk,
        "levels": ["province", "commune"],
        "subjects": ["citizen"],
        "competent_level": "agency",
        "competent_agency": world.justice.pk,
        "time_limit_amount": "3",
        "time_limit_unit": "working_days",
        "online_level": "full",
        "eligible_full_online": "on",
        "requires_paper_result": "on",
        "result_name": "Bản sao trích lục",
        "legal_basis": "Nghị định 123/2015/NĐ-CP",
    }
    data.update(changes)
    return data


def test_a_procedure_is_created_edited_previewed_and_published_with_each_change_recorded(
    world: Any, editor: Actor
) -> None:
    client = _client(editor)
    response = client.post("/danh-muc/moi/", _details(world, code="2.000635"))
    assert response.status_code == 302
    version = ProcedureVersion.objects.get(procedure__code="2.000635")
    assert response["Location"] == _url(version)

    assert client.post(_url(version, "thong-tin/"), _details(world, time_limit_amount="5")).status_code == 302
    fees = {"fee-TOTAL_FORMS": "1", "fee-INITIAL_FORMS": "0", "fee-0-name": "Lệ phí", "fee-0-amount_vnd": "8000"}
    assert client.post(_url(version, "phi/"), fees).status_code == 302
    papers = {
        "doc-TOTAL_FORMS": "2",
        "doc-INITIAL_FORMS": "0",
        "doc-0-name": "Tờ khai",
        "doc-0-copies": "1",
        "doc-0-e_form": "on",
        "doc-0-requirement": "mandatory",
        "doc-1-name": "Giấy ủy quyền",
        "doc-1-copies": "1",
        "doc-1-requirement": "optional",
        "doc-0-ORDER": "2",
        "doc-1-ORDER": "1",
    }
    assert client.post(_url(version, "giay-to/"), papers).status_code == 302
    steps = {
        "step-TOTAL_FORMS": "2",
        "step-INITIAL_FORMS": "0",
        "step-0-key": "reception",
        "step-0-name": "Tiếp nhận",
        "step-0-actor_role": "reception",
        "step-0-budget_amount": "4",
        "step-0-budget_unit": "working_hours",
        "step-0-next": "review",
        "step-1-key": "review",
        "step-1-name": "Thẩm định",
        "step-1-actor_role": "specialist",
        "step-1-budget_amount": "2",
        "step-1-budget_unit": "working_days",
    }
    assert client.post(_url(version, "quy-trinh/"), steps).status_code == 302

    version.refresh_from_db()
    assert version.time_limit_amount == 5
    assert version.fee_total_vnd == 8000
    assert [(d.name, d.e_form, d.requirement) for d in version.documents.all()] == [  # by their order numbers
        ("Giấy ủy quyền", False, "optional"),
        ("Tờ khai", True, "mandatory"),
    ]
    assert [s.key for s in version.steps.get(key="reception").next_steps.all()] == ["review"]

    preview = client.get(_url(version, "xem-truoc/")).content.decode()
    assert "Cấp bản sao trích lục hộ tịch" in preview
    assert "8.000" in preview
    assert "Giấy ủy quyền" in preview
    assert 'action="/thu-tuc/2.000635/nop/"' not in preview

    decision = {
        "pub-decision_number": "45/QĐ-UBND",
        "pub-decision_date": "01/12/2026",
        "pub-effective_date": "15/12/2026",
    }
    assert client.post(_url(version, "cong-bo/"), decision).status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    assert str(version.effective_date) == "2026-12-15"

    changes = list(version.changes.order_by("id"))
    assert [c.action for c in changes] == [ChangeAction.CREATED] + [ChangeAction.EDITED] * 4 + [ChangeAction.PUBLISHED]
    assert {c.actor_name for c in changes} == {"Trịnh Thu Trang"}
    page = client.get(_url(version)).content.decode()
    assert "Trịnh Thu Trang" in page
    assert "45/QĐ-UBND" in page
    assert 'action="/danh-muc/2.000635/1/phi/"' not in page  # no edit form on a published version


def test_a_published_version_refuses_an_edit_posted_anyway(world: Any, editor: Actor) -> None:
    response = _client(editor).post(
        _url(world.procedure, "phi/"),
        {"fee-TOTAL_FORMS": "1", "fee-INITIAL_FORMS": "0", "fee-0-name": "Phí", "fee-0-amount_vnd": "1"},
    )
    assert response.status_code == 422
    assert "Chỉ sửa được phiên bản nháp" in response.content.decode()
    assert not world.procedure.changes.filter(action=ChangeAction.EDITED).exists()


def test_invalid_input_is_shown_next_to_its_field_and_nothing_is_recorded(world: Any, editor: Actor) -> None:
    draft = _draft(world, editor)
    response = _client(editor).post(_url(draft, "thong-tin/"), _details(world, time_limit_amount="-1"))
    assert response.status_code == 422
    assert 'id="id_time_limit_amount_error"' in response.content.decode()
    assert list(draft.changes.values_list("action", flat=True)) == [ChangeAction.DRAFTED]


def test_the_draft_page_lists_its_differences_from_the_published_version(world: Any, editor: Actor) -> None:
    draft = _draft(world, editor)
    client = _client(editor)
    client.post(_url(draft, "thong-tin/"), _details(world))
    page = client.get(_url(draft)).content.decode()
    assert "Khác với phiên bản đang công bố" in page or "Differences from the published version" in page
    section = page.split('id="diff-title"')[1].split("</section>")[0]
    assert "Thời hạn" in section or "Time limit" in section


def _builder_rows(*rows: dict[str, str], title: str = "Tờ khai") -> dict[str, str]:
    data = {"title": title, "rows": str(len(rows))}
    for index, row in enumerate(rows):
        data.update({f"r-{index}-{part}": value for part, value in row.items()})
    return data


GROUP_FORM = (
    {"key": "ho_ten", "title": "Họ và tên", "kind": "text", "required": "on"},
    {"key": "dan_toc", "title": "Dân tộc", "kind": "ethnicity", "required": "on"},
    {"key": "co_uy_quyen", "title": "Có ủy quyền", "kind": "yesno"},
    {
        "key": "nguoi_uy_quyen",
        "title": "Người được ủy quyền",
        "kind": "text",
        "when_field": "co_uy_quyen",
        "when_value": "true",
    },
    {"key": "con", "title": "Các con", "kind": "group", "help": "Mỗi người con một dòng"},
    {"key": "ten_con", "title": "Tên", "kind": "text", "parent": "con", "required": "on"},
)


def test_the_builder_previews_and_saves_an_e_form_the_portal_renders(world: Any, editor: Actor) -> None:
    draft = _draft(world, editor)
    client = _client(editor)
    preview = client.post(_url(draft, "bieu-mau/xem-truoc/"), _builder_rows(*GROUP_FORM), HTTP_HX_REQUEST="true")
    html = preview.content.decode()
    assert 'id="ef-ho_ten"' in html
    assert ">Kinh</option>" in html
    assert "Mỗi người con một dòng" in html

    response = client.post(_url(draft, "bieu-mau/"), {**_builder_rows(*GROUP_FORM), "do": "save"})
    assert response.status_code == 302
    draft.refresh_from_db()
    schema = draft.e_form_schema
    assert schema["required"] == ["ho_ten", "dan_toc"]
    assert schema["properties"]["dan_toc"]["$ref"] == "#/$defs/dm_dan_toc"
    assert schema["properties"]["con"]["items"]["required"] == ["ten_con"]
    assert schema["allOf"] == [
        {
            "if": {"properties": {"co_uy_quyen": {"const": True}}, "required": ["co_uy_quyen"]},
            "then": {"required": ["nguoi_uy_quyen"]},
        }
    ]
    assert draft.changes.filter(action=ChangeAction.EDITED, changed=["e_form_schema"]).count() == 1
    # loaded again, the builder shows the same rows
    page = client.get(_url(draft, "bieu-mau/")).content.decode()
    assert 'value="nguoi_uy_quyen"' in page
    assert "builder cannot show" not in page


def test_the_builder_shows_each_problem_next_to_its_field_and_saves_nothing(world: Any, editor: Actor) -> None:
    draft = _draft(world, editor)
    rows = _builder_rows({"key": "Họ tên", "title": "Họ tên", "kind": "text"}, {"key": "x", "kind": "choice"})
    response = _client(editor).post(_url(draft, "bieu-mau/"), {**rows, "do": "save"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="r-0-error"' in html
    assert 'id="r-1-error"' in html
    draft.refresh_from_db()
    assert draft.e_form_schema == world.procedure.e_form_schema


def test_the_builder_adds_moves_and_removes_rows(world: Any, editor: Actor) -> None:
    draft = _draft(world, editor)
    client = _client(editor)
    rows = _builder_rows({"key": "a", "title": "A"}, {"key": "b", "title": "B"})
    html = client.post(_url(draft, "bieu-mau/"), {**rows, "do": "up:1"}).content.decode()
    assert html.index('value="b"') < html.index('value="a"')
    html = client.post(_url(draft, "bieu-mau/"), {**rows, "do": "add", "r-0-remove": "on"}).content.decode()
    assert 'value="a"' not in html
    assert 'name="rows" value="2"' in html


def test_the_json_view_saves_a_schema_and_explains_what_is_wrong(world: Any, editor: Actor) -> None:
    draft = _draft(world, editor)
    client = _client(editor)
    bad = client.post(_url(draft, "bieu-mau/json/"), {"schema": "{not json"})
    assert bad.status_code == 422
    assert 'id="schema-error"' in bad.content.decode()
    schema = {"type": "object", "properties": {"so_ban": {"type": "integer", "minimum": 1}}}
    assert client.post(_url(draft, "bieu-mau/json/"), {"schema": json.dumps(schema)}).status_code == 302
    draft.refresh_from_db()
    assert draft.e_form_schema == schema
    assert client.post(_url(draft, "bieu-mau/json/"), {"schema": ""}).status_code == 302
    draft.refresh_from_db()
    assert draft.e_form_schema is None


def test_the_change_record_shows_each_value_before_and_after(world: Any, editor: Actor) -> None:
    draft = _draft(world, editor)
    client = _client(editor)
    client.post(_url(draft, "thong-tin/"), _details(world, time_limit_amount="4", cutoff_time="15:00"))
    draft.refresh_from_db()
    assert str(draft.cutoff_time) == "15:00:00"
    page = client.get(_url(draft)).content.decode()
    details = page.split('class="change-details"')[1].split("</details>")[0]
    assert f"<dd>{world.procedure.time_limit_amount} → 4</dd>" in details


def test_a_catalogue_manager_lands_on_the_catalogue_after_signing_in(world: Any, editor: Actor) -> None:
    response = Client().post("/dang-nhap/", {"username": "catalogue", "password": "motcua-test-pass"})
    assert response.status_code == 302
    assert response["Location"] == "/danh-muc/"


def test_the_catalogue_finds_a_procedure_without_diacritics(world: Any, editor: Actor) -> None:
    page = _client(editor).get("/danh-muc/", {"q": "cap phieu ly lich"}).content.decode()
    assert world.procedure.procedure.code in page
    assert world.commune_procedure.procedure.code not in page


def test_an_error_of_the_catalogue_is_worded_for_the_page(world: Any, editor: Actor) -> None:
    client = _client(editor)
    _draft(world, editor)
    response = client.post(_url(world.procedure, "ban-nhap-moi/"))
    assert response.status_code == 409
    assert "đã có một phiên bản nháp" in response.content.decode()


def test_a_procedure_without_its_competent_agency_is_refused_next_to_the_field(world: Any, editor: Actor) -> None:
    response = _client(editor).post("/danh-muc/moi/", _details(world, code="2.000636", competent_agency=""))
    assert response.status_code == 422
    assert "Hãy chọn cơ quan có thẩm quyền" in response.content.decode()
    assert not ProcedureVersion.objects.filter(procedure__code="2.000636").exists()


def _papers_posted(*rows: dict[str, str]) -> dict[str, str]:
    data = {"doc-TOTAL_FORMS": str(len(rows)), "doc-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data |= {f"doc-{index}-{key}": value for key, value in {"copies": "1", **row}.items()}
    return data


def test_a_conditional_paper_edited_in_the_editor_is_required_at_filing_when_its_answer_is_given(
    world: Any, editor: Actor
) -> None:
    draft = procedure_version_draft_from(version=conditional_procedure(world), by=editor)
    client = _client(editor)
    page = client.get(_url(draft)).content.decode()
    assert ">Nộp thay cho người có yêu cầu (nop_thay)</option>" in page  # the e-form's yes/no field is offered
    assert ">\ncó</textarea>" in page  # the proxy paper's answer, as the form shows it

    residence = "Giấy xác nhận nơi cư trú (nếu nộp thay)"
    kept = (
        {"name": DECLARATION, "e_form": "on", "requirement": "mandatory"},
        {"name": ID_COPY, "requirement": "mandatory"},
    )
    conditional = {"name": residence, "requirement": "conditional", "condition_field": "nop_thay"}
    wrong = client.post(_url(draft, "giay-to/"), _papers_posted(*kept, {**conditional, "condition_values": "có lẽ"}))
    assert wrong.status_code == 422
    assert 'id="id_doc-2-condition_values_error"' in wrong.content.decode()
    unnamed = client.post(_url(draft, "giay-to/"), _papers_posted(*kept, {**conditional, "condition_field": ""}))
    assert 'id="id_doc-2-condition_field_error"' in unnamed.content.decode()
    assert not draft.changes.filter(action=ChangeAction.EDITED).exists()

    saved = client.post(_url(draft, "giay-to/"), _papers_posted(*kept, {**conditional, "condition_values": "Có"}))
    assert saved.status_code == 302
    paper = draft.documents.get(name=residence)
    assert (paper.requirement, paper.condition_field, paper.condition_values) == ("conditional", "nop_thay", [True])
    record = client.get(_url(draft)).content.decode()
    assert f"{residence} (bắt buộc khi đáp ứng điều kiện: nop_thay = có)" in record

    today = timezone.localdate().strftime("%d/%m/%Y")
    decision = {"pub-decision_number": "9/QĐ-UBND", "pub-decision_date": today, "pub-effective_date": today}
    assert client.post(_url(draft, "cong-bo/"), decision).status_code == 302
    draft.refresh_from_db()
    papers = [ds.ComponentIn(name=d.name, required_document_id=d.pk) for d in draft.documents.exclude(name=residence)]
    filing = {"actor": world.citizen, "version": draft, "applicant": world.citizen_person, "components": papers}
    married = {"tinh_trang_hon_nhan": "Chưa đăng ký kết hôn với ai"}
    with pytest.raises(InvalidInput) as caught:
        ds.dossier_submit(**filing, form_data={**married, "nop_thay": True})
    assert caught.value.code == "documents_missing"
    assert [item["name"] for item in caught.value.details["missing"]] == [residence]
    dossier = ds.dossier_submit(**filing, form_data={**married, "nop_thay": False})
    assert dossier.procedure_version_id == draft.pk


def test_an_e_form_that_drops_the_field_of_a_paper_s_condition_is_refused(world: Any, editor: Actor) -> None:
    draft = procedure_version_draft_from(version=conditional_procedure(world), by=editor)
    before = draft.e_form_schema
    schema = {"type": "object", "properties": {"tinh_trang_hon_nhan": before["properties"]["tinh_trang_hon_nhan"]}}
    response = _client(editor).post(_url(draft, "bieu-mau/json/"), {"schema": json.dumps(schema)})
    assert response.status_code == 422
    assert "nop_thay" in response.content.decode()  # the paper's condition names the dropped field
    draft.refresh_from_db()
    assert draft.e_form_schema == before
