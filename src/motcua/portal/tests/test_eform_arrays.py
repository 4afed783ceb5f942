"""Arrays in e-forms: lists of scalars and repeating groups, entered and corrected without JavaScript."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from motcua import eforms
from motcua.catalog.services import DocumentSpec
from motcua.demo.data_eforms import E_FORM_EXAMPLES, E_FORM_SCHEMAS
from motcua.dossiers.models import Dossier
from motcua.eforms.schema import form_errors
from motcua.portal.models import Draft
from motcua.portal.tests.conftest import pdf_upload, published_eform_procedure
from motcua.testing.world import ANY_HOUR_REASON

HOUSEHOLD: dict[str, Any] = {
    "type": "object",
    "title": "Tờ khai hộ gia đình",
    "required": ["ho_ten", "thanh_vien"],
    "properties": {
        "ho_ten": {"title": "Họ và tên chủ hộ", "type": "string", "minLength": 2},
        "dien_thoai_khac": {
            "title": "Số điện thoại khác",
            "type": "array",
            "maxItems": 2,
            "items": {"type": "string", "pattern": "^0[0-9]{9}$"},
        },
        "nam_chuyen_den": {"title": "Các năm chuyển đến", "type": "array", "items": {"type": "integer"}},
        "thanh_vien": {
            "title": "Thành viên hộ gia đình",
            "type": "array",
            "minItems": 1,
            "maxItems": 3,
            "items": {
                "type": "object",
                "required": ["ho_ten", "ngay_sinh", "quan_he"],
                "properties": {
                    "ho_ten": {"title": "Họ tên", "type": "string", "minLength": 2},
                    "ngay_sinh": {"title": "Ngày sinh", "type": "string", "format": "date"},
                    "quan_he": {"title": "Quan hệ", "enum": ["Vợ", "Chồng", "Con"]},
                    "cung_chuyen": {"title": "Cùng chuyển đến", "type": "boolean"},
                },
            },
        },
    },
}


@pytest.fixture(autouse=True)
def _vietnamese() -> Any:
    with translation.override("vi"):
        yield


def _post(**values: str | list[str]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in values.items():
        query.setlist(key.replace("__", "."), value if isinstance(value, list) else [value])
    return query


def _array(items: list[Any], name: str) -> eforms.EArray:
    found = next(i for i in items if isinstance(i, eforms.EArray) and i.name == name)
    assert isinstance(found, eforms.EArray)
    return found


def _first(row: eforms.ERow) -> eforms.EField:
    child = row.children[0]
    assert isinstance(child, eforms.EField)
    return child


# ------------------------------------------------------------------ building the rows


def test_an_empty_form_shows_min_items_rows_and_a_list_of_scalars_one_empty_row() -> None:
    fields = eforms.build_fields(HOUSEHOLD, {})
    members = _array(fields, "thanh_vien")
    assert [r.label for r in members.rows] == ["Dòng 1"]
    assert not members.scalar
    assert [c.name for c in members.rows[0].children] == [
        "thanh_vien.0.ho_ten",
        "thanh_vien.0.ngay_sinh",
        "thanh_vien.0.quan_he",
        "thanh_vien.0.cung_chuyen",
    ]
    phones = _array(fields, "dien_thoai_khac")
    assert phones.scalar
    assert len(phones.rows) == 1
    assert phones.rows[0].children[0].name == "dien_thoai_khac.0"


def test_it_shows_the_rows_filled_in_plus_one_but_never_more_than_max_items() -> None:
    two = [{"ho_ten": "An"}, {"ho_ten": "Bình"}]
    members = _array(eforms.build_fields(HOUSEHOLD, {"thanh_vien": two}), "thanh_vien")
    assert len(members.rows) == 3
    assert _first(members.rows[1]).value == "Bình"
    assert _first(members.rows[2]).value is None
    assert members.full  # 3 = maxItems: no "add a row"
    three = [*two, {"ho_ten": "Cúc"}]
    assert len(_array(eforms.build_fields(HOUSEHOLD, {"thanh_vien": three}), "thanh_vien").rows) == 3
    # more rows than maxItems are all shown, so the error about them can be read and fixed
    four = [*three, {"ho_ten": "Dung"}]
    assert len(_array(eforms.build_fields(HOUSEHOLD, {"thanh_vien": four}), "thanh_vien").rows) == 4


def test_a_requested_row_count_adds_rows_and_focuses_the_new_one() -> None:
    fields = eforms.build_fields(
        HOUSEHOLD, {"thanh_vien": [{"ho_ten": "An"}]}, rows={"thanh_vien": 3}, added="thanh_vien"
    )
    members = _array(fields, "thanh_vien")
    assert len(members.rows) == 3
    assert [c.autofocus for r in members.rows for c in r.children if isinstance(c, eforms.EField)].count(True) == 1
    assert _first(members.rows[2]).autofocus
    capped = eforms.build_fields(HOUSEHOLD, {}, rows={"thanh_vien": 50})
    assert len(_array(capped, "thanh_vien").rows) == 3


def test_rows_requested_counts_one_more_for_the_array_whose_add_button_was_pressed() -> None:
    post = _post(efrows__thanh_vien="2", efrows__dien_thoai_khac="1", efadd="thanh_vien")
    assert eforms.rows_requested(HOUSEHOLD, post) == ({"thanh_vien": 3, "dien_thoai_khac": 1}, "thanh_vien")
    forged = _post(efrows__ho_ten="7", efadd="ho_ten\r\nX: y")
    assert eforms.rows_requested(HOUSEHOLD, forged) == ({}, "")
    rows, added = eforms.rows_requested(HOUSEHOLD, post)
    assert eforms.rows_from_query(HOUSEHOLD, QueryDict(eforms.add_row_query(rows, added))) == ({"thanh_vien": 3}, added)


# ------------------------------------------------------------------ parsing what was posted


def test_parsing_drops_empty_rows_renumbers_and_types_the_values() -> None:
    post = _post(
        ef__ho_ten="Nguyễn Văn An",
        ef__dien_thoai_khac__0="",
        ef__dien_thoai_khac__1=" 0912345678 ",
        ef__nam_chuyen_den__0="2019",
        ef__thanh_vien__0__ho_ten="",
        ef__thanh_vien__0__ngay_sinh="",
        ef__thanh_vien__0__quan_he="",
        ef__thanh_vien__0__cung_chuyen="off",
        ef__thanh_vien__1__ho_ten="Trần Thị Bình",
        ef__thanh_vien__1__ngay_sinh="1990-04-02",
        ef__thanh_vien__1__quan_he="Vợ",
        ef__thanh_vien__1__cung_chuyen=["off", "on"],
        ef__thanh_vien__2__ho_ten="Nguyễn Minh Khang",
        ef__thanh_vien__2__cung_chuyen="off",
    )
    data, problems = eforms.parse(HOUSEHOLD, post)
    assert problems == {}
    assert data == {
        "ho_ten": "Nguyễn Văn An",
        "dien_thoai_khac": ["0912345678"],
        "nam_chuyen_den": [2019],
        "thanh_vien": [
            {"ho_ten": "Trần Thị Bình", "ngay_sinh": "1990-04-02", "quan_he": "Vợ", "cung_chuyen": True},
            {"ho_ten": "Nguyễn Minh Khang", "cung_chuyen": False},
        ],
    }


def test_an_array_with_only_empty_rows_is_left_out() -> None:
    data, problems = eforms.parse(HOUSEHOLD, _post(ef__ho_ten="An", ef__thanh_vien__0__ho_ten="  "))
    assert data == {"ho_ten": "An"}
    assert problems == {}


def test_a_value_of_the_wrong_shape_is_reported_at_its_renumbered_row() -> None:
    post = _post(
        ef__thanh_vien__0__ho_ten="",
        ef__thanh_vien__1__ho_ten="Bình",
        ef__thanh_vien__1__ngay_sinh="31/2/1990",
        ef__nam_chuyen_den__3="hai nghìn",
    )
    data, problems = eforms.parse(HOUSEHOLD, post)
    assert data["thanh_vien"] == [{"ho_ten": "Bình"}]
    assert data["nam_chuyen_den"] == [None]
    assert problems.typed == {"thanh_vien/0/ngay_sinh": "31/2/1990", "nam_chuyen_den/0": "hai nghìn"}
    assert problems == {
        "thanh_vien/0/ngay_sinh": "Nhập một ngày có thật theo dạng ngày/tháng/năm, ví dụ 27/03/1990.",
        "nam_chuyen_den/0": "Hãy nhập một số nguyên.",
    }


# ------------------------------------------------------------------ errors next to the row and field


def test_each_error_names_its_row_and_field() -> None:
    data = {
        "ho_ten": "An",
        "dien_thoai_khac": ["0912345678", "12"],
        "thanh_vien": [
            {"ho_ten": "Trần Thị Bình", "ngay_sinh": "1990-04-02", "quan_he": "Vợ"},
            {"ho_ten": "K", "quan_he": "Cháu"},
        ],
    }
    errors = eforms.localised_errors(HOUSEHOLD, data)
    assert errors == {
        "dien_thoai_khac/1": "Giá trị không đúng định dạng yêu cầu.",
        "thanh_vien/1/ho_ten": "Giá trị quá ngắn.",
        "thanh_vien/1/ngay_sinh": "Nhập ngày sinh.",
        "thanh_vien/1/quan_he": "Hãy chọn một trong các lựa chọn.",
    }
    fields = eforms.build_fields(HOUSEHOLD, data, errors)
    second = _array(fields, "thanh_vien").rows[1]
    assert [c.error for c in second.children] == [
        "Dòng 2, Họ tên: Giá trị quá ngắn.",
        "Dòng 2, Ngày sinh: Nhập ngày sinh.",
        "Dòng 2, Quan hệ: Hãy chọn một trong các lựa chọn.",
        "",
    ]
    assert _array(fields, "thanh_vien").rows[0].children[0].error == ""
    assert _array(fields, "dien_thoai_khac").rows[1].children[0].error == (
        "Dòng 2: Giá trị không đúng định dạng yêu cầu."
    )


def test_min_and_max_items_and_a_missing_required_array_are_worded() -> None:
    missing = eforms.localised_errors(HOUSEHOLD, {"ho_ten": "An"})["thanh_vien"]
    assert missing == "Thêm ít nhất một dòng thành viên hộ gia đình."
    row = {"ho_ten": "An", "ngay_sinh": "2000-01-01", "quan_he": "Con"}
    too_many = {"ho_ten": "An", "thanh_vien": [row] * 4, "dien_thoai_khac": ["0912345678"] * 3}
    errors = eforms.localised_errors(HOUSEHOLD, too_many)
    assert errors["thanh_vien"] == "Chỉ được nhập tối đa 3 dòng."
    assert errors["dien_thoai_khac"] == "Chỉ được nhập tối đa 2 dòng."
    at_least_two = {**HOUSEHOLD, "properties": {"thanh_vien": {**HOUSEHOLD["properties"]["thanh_vien"], "minItems": 2}}}
    assert eforms.localised_errors(at_least_two, {"thanh_vien": [row]})["thanh_vien"] == "Hãy nhập ít nhất 2 dòng."
    with translation.override("en"):
        assert eforms.localised_errors(at_least_two, {"thanh_vien": [row]})["thanh_vien"] == "Enter at least 2 rows."


# ------------------------------------------------------------------ the HTML


class _Inputs(HTMLParser):
    """The controls of a page: what a browser would post, and the labels and legends."""

    def __init__(self) -> None:
        super().__init__()
        self.posted: list[tuple[str, str]] = []
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.legends = 0
        self.fieldsets = 0
        self._select: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "label" and a.get("for"):
            self.label_for.add(a["for"])
        elif tag == "legend":
            self.legends += 1
        elif tag == "fieldset":
            self.fieldsets += 1
        elif tag == "input" and a.get("name"):
            if a.get("type") != "hidden":
                self.ids.append(a.get("id", ""))
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                return
            self.posted.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = a["name"]
            self.ids.append(a.get("id", ""))
        elif tag == "option" and self._select and "selected" in a:
            self.posted.append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], ""
            self.ids.append(a.get("id", ""))

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.posted.append((self._textarea, self._text))
            self._textarea = None


def _render(fields: list[Any]) -> str:
    return render_to_string("portal/partials/eform.html", {"fields": fields})


def test_every_row_is_a_fieldset_with_a_legend_and_every_input_has_a_label() -> None:
    data = {"thanh_vien": [{"ho_ten": "An"}], "dien_thoai_khac": ["0912345678"]}
    html = _render(eforms.build_fields(HOUSEHOLD, data, can_add=True))
    page = _Inputs()
    page.feed(html)
    assert page.ids
    assert all(i in page.label_for for i in page.ids)
    assert len(page.ids) == len(set(page.ids))
    assert page.fieldsets == page.legends == 5  # 3 arrays + 2 member rows
    assert '<legend><span class="visually-hidden">Thành viên hộ gia đình, </span>Dòng 2</legend>' in html
    assert '<span class="visually-hidden">Số điện thoại khác, </span>Dòng 1' in html
    assert ("efrows.thanh_vien", "2") in page.posted
    # two numbers (maxItems 2) already fill the phone list: no button there
    assert re.findall(r'name="efadd" value="([\w.]+)"', html) == ["nam_chuyen_den", "thanh_vien"]
    assert 'value="thanh_vien" class="button" formnovalidate>Thêm dòng' in html


def test_the_add_button_is_offered_only_where_the_view_handles_it_and_while_there_is_room() -> None:
    assert 'name="efadd"' not in _render(eforms.build_fields(HOUSEHOLD, {}))
    full = {"thanh_vien": [{"ho_ten": "A"}, {"ho_ten": "B"}, {"ho_ten": "C"}]}
    assert 'value="thanh_vien" class="button"' not in _render(eforms.build_fields(HOUSEHOLD, full, can_add=True))


def test_an_error_is_tied_to_its_input_for_screen_readers() -> None:
    data = {"thanh_vien": [{"ho_ten": "An", "ngay_sinh": "2000-01-01", "quan_he": "Con"}, {"ho_ten": "Bình"}]}
    html = _render(eforms.build_fields(HOUSEHOLD, data, eforms.localised_errors(HOUSEHOLD, data)))
    assert re.search(
        r'id="ef-thanh_vien-1-ngay_sinh"[^>]*aria-invalid="true"'
        r' aria-describedby="ef-thanh_vien-1-ngay_sinh-hint ef-thanh_vien-1-ngay_sinh-error"',
        html,
    )
    assert (
        '<p class="error" id="ef-thanh_vien-1-ngay_sinh-error"><span class="visually-hidden">Lỗi: </span>'
        "Dòng 2, Ngày sinh: Nhập ngày sinh.</p>" in html
    )


@pytest.mark.parametrize("code", sorted(E_FORM_SCHEMAS))
def test_each_demo_form_filled_with_its_example_posts_back_the_same_data(code: str) -> None:
    """Render the demo e-form with its example, post what a browser would, parse: nothing lost."""
    schema, example = E_FORM_SCHEMAS[code], E_FORM_EXAMPLES[code]
    page = _Inputs()
    page.feed(_render(eforms.build_fields(schema, example)))
    post = QueryDict(mutable=True)
    for name, value in page.posted:
        post.appendlist(name, value)
    data, problems = eforms.parse(schema, post)
    assert problems == {}
    unticked = {  # an unticked box is posted as "off" and kept as false
        key: False for key, spec in schema["properties"].items() if spec.get("type") == "boolean" and key not in example
    }
    assert data == {**example, **unticked}
    assert form_errors(schema, data) == {}
    assert eforms.localised_errors(schema, data) == {}


def test_the_summary_shows_a_list_on_one_line_and_one_line_per_member() -> None:
    data = {
        "ho_ten": "Nguyễn Văn An",
        "dien_thoai_khac": ["0912345678", "0987654321"],
        "thanh_vien": [
            {"ho_ten": "Trần Thị Bình", "ngay_sinh": "1990-04-02", "quan_he": "Vợ", "cung_chuyen": True},
            {"ho_ten": "Nguyễn Minh Khang", "ngay_sinh": "2020-11-30", "quan_he": "Con"},
        ],
    }
    assert eforms.summary(HOUSEHOLD, data) == [
        ("Họ và tên chủ hộ", "Nguyễn Văn An"),
        ("Số điện thoại khác", "0912345678, 0987654321"),
        (
            "Thành viên hộ gia đình › Dòng 1",
            "Họ tên: Trần Thị Bình; Ngày sinh: 02/04/1990; Quan hệ: Vợ; Cùng chuyển đến: Có",
        ),
        ("Thành viên hộ gia đình › Dòng 2", "Họ tên: Nguyễn Minh Khang; Ngày sinh: 30/11/2020; Quan hệ: Con"),
    ]


# ------------------------------------------------------------------ the citizen's page, no JavaScript


@pytest.fixture
def household_procedure(world: Any) -> Any:
    return published_eform_procedure(
        world,
        code="1.000002",
        name="Khai báo thành viên hộ gia đình",
        field=("CT", "Cư trú", "Residence"),
        schema=HOUSEHOLD,
        legal_basis="Luật Cư trú 2020",
        documents=[DocumentSpec(name="Tờ khai", e_form=True), DocumentSpec(name="Sổ hộ khẩu cũ")],
        decision="10/QĐ",
    )


@pytest.mark.django_db
def test_a_citizen_adds_rows_corrects_a_row_and_submits_the_household_without_javascript(
    world: Any, login: Any, household_procedure: Any
) -> None:
    client: Client = login(world.citizen)
    client.post(reverse("portal:apply", args=[household_procedure.procedure.code]))
    draft = Draft.objects.get(owner=world.citizen_person, version=household_procedure)
    url = reverse("portal:draft", args=[draft.pk])

    page = client.get(url).content.decode()
    assert 'name="ef.thanh_vien.0.ho_ten"' in page
    assert 'name="ef.thanh_vien.1.ho_ten"' not in page
    assert 'name="efrows.thanh_vien" value="1"' in page

    # "Add a row": the draft keeps what was typed and the page comes back with one more row
    first = {
        "ef.ho_ten": "Nguyễn Văn An",
        "ef.thanh_vien.0.ho_ten": "Trần Thị Bình",
        "ef.thanh_vien.0.ngay_sinh": "1990-04-02",
        "ef.thanh_vien.0.quan_he": "Vợ",
        "ef.thanh_vien.0.cung_chuyen": ["off", "on"],
        "efrows.thanh_vien": "1",
        "efrows.dien_thoai_khac": "1",
    }
    added = client.post(url, {**first, "efadd": "thanh_vien"})
    assert added.status_code == 302
    assert added["Location"] == f"{url}?add=thanh_vien&rows=2"
    draft.refresh_from_db()
    assert draft.form_data["thanh_vien"] == [
        {"ho_ten": "Trần Thị Bình", "ngay_sinh": "1990-04-02", "quan_he": "Vợ", "cung_chuyen": True}
    ]
    page = client.get(added["Location"]).content.decode()
    assert 'value="Trần Thị Bình"' in page
    assert re.search(r'id="ef-thanh_vien-1-ho_ten" name="ef.thanh_vien.1.ho_ten"[^>]*autofocus', page)
    assert 'id="ef-thanh_vien-1-row"' in page
    assert "Đã lưu bản nháp và thêm một dòng." in page

    # the second member has no birth date: the error sits next to that row's field
    second = {**first, "ef.thanh_vien.1.ho_ten": "Nguyễn Minh Khang", "ef.thanh_vien.1.quan_he": "Con"}
    second["ef.thanh_vien.1.cung_chuyen"] = "off"
    wrong = client.post(url, {**second, "efrows.thanh_vien": "2", "next": "review"})
    assert wrong.status_code == 422
    html = wrong.content.decode()
    assert (
        '<p class="error" id="ef-thanh_vien-1-ngay_sinh-error"><span class="visually-hidden">Lỗi: </span>'
        "Dòng 2, Ngày sinh: Nhập ngày sinh.</p>" in html
    )
    assert "ef-thanh_vien-0-ngay_sinh-error" not in html

    slot = household_procedure.documents.get(name="Sổ hộ khẩu cũ")
    fixed = {**second, "ef.thanh_vien.1.ngay_sinh": "2020-11-30", "next": "review", f"doc-{slot.pk}": pdf_upload()}
    to_review = client.post(url, fixed)
    assert to_review.status_code == 302
    review = client.get(to_review["Location"]).content.decode()
    line = re.search(r"<dt>Thành viên hộ gia đình › Dòng 2</dt><dd>([^<]*)</dd>", review)
    assert line is not None
    # jsonb (PostgreSQL) keeps a stored schema's properties in its own key order, not the author's
    assert set(line[1].split("; ")) == {
        "Họ tên: Nguyễn Minh Khang",
        "Ngày sinh: 30/11/2020",
        "Quan hệ: Con",
        "Cùng chuyển đến: Không",
    }

    done = client.post(reverse("portal:draft-review", args=[draft.pk]))
    assert done.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.form_data["thanh_vien"] == [
        {"ho_ten": "Trần Thị Bình", "ngay_sinh": "1990-04-02", "quan_he": "Vợ", "cung_chuyen": True},
        {"ho_ten": "Nguyễn Minh Khang", "ngay_sinh": "2020-11-30", "quan_he": "Con", "cung_chuyen": False},
    ]


@pytest.mark.django_db
def test_pressing_enter_in_a_field_saves_the_draft_rather_than_adding_a_row(
    world: Any, login: Any, household_procedure: Any
) -> None:
    client: Client = login(world.citizen)
    client.post(reverse("portal:apply", args=[household_procedure.procedure.code]))
    draft = Draft.objects.get(owner=world.citizen_person, version=household_procedure)
    html = client.get(reverse("portal:draft", args=[draft.pk])).content.decode()
    form = html[html.index('enctype="multipart/form-data"') :]
    first_submit = re.search(r'<button type="submit" name="(\w+)" value="(\w+)"', form)
    assert first_submit is not None
    assert first_submit.groups() == ("next", "enter")
    url = reverse("portal:draft", args=[draft.pk])
    saved = client.post(url, {"ef.ho_ten": "Nguyễn Văn An", "efrows.thanh_vien": "1", "next": "enter"})
    assert saved.status_code == 302
    assert saved["Location"] == url
    draft.refresh_from_db()
    assert draft.form_data == {"ho_ten": "Nguyễn Văn An"}


@pytest.mark.django_db
def test_the_counter_adds_a_row_without_receiving_and_then_receives_both_rows(
    world: Any, login: Any, household_procedure: Any
) -> None:
    client: Client = login(world.reception)
    url = reverse("portal:counter-new")
    intake = {
        "procedure": household_procedure.procedure.code,
        "id_number": "001190000123",
        "full_name": "Nguyễn Văn An",
        "address": "Bản Mòng",
        "phone": "0987654321",
        "email": "",
        "channel": "counter",
        "sets": "1",
        "component": [str(d.pk) for d in household_procedure.documents.all()],
        "ef.ho_ten": "Nguyễn Văn An",
        "ef.thanh_vien.0.ho_ten": "Trần Thị Bình",
        "ef.thanh_vien.0.ngay_sinh": "1990-04-02",
        "ef.thanh_vien.0.quan_he": "Vợ",
        "efrows.thanh_vien": "1",
        "outside_hours_reason": ANY_HOUR_REASON,
    }
    added = client.post(url, {**intake, "efadd": "thanh_vien"})
    assert added.status_code == 200
    html = added.content.decode()
    assert 'name="ef.thanh_vien.1.ho_ten"' in html
    assert 'value="Trần Thị Bình"' in html
    assert 'value="001190000123"' in html
    assert not Dossier.objects.exists()

    second = {
        "ef.thanh_vien.1.ho_ten": "Nguyễn Minh Khang",
        "ef.thanh_vien.1.ngay_sinh": "2020-11-30",
        "ef.thanh_vien.1.quan_he": "Con",
        "efrows.thanh_vien": "2",
    }
    received = client.post(url, {**intake, **second})
    assert received.status_code == 302, received.content.decode()[:3000]
    assert [m["ho_ten"] for m in Dossier.objects.get().form_data["thanh_vien"]] == [
        "Trần Thị Bình",
        "Nguyễn Minh Khang",
    ]
