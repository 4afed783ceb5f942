"""Forms 01–07 of Circular 03/2025/TT-VPCP render as PDFs with the fields of docs/legal-basis.md#legal-forms,
for dossiers driven through the real dossier services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from motcua.documents.forms import form_context, render_form_html, render_form_pdf
from motcua.documents.qr import dossier_qr_svg
from motcua.documents.rendering import legal_date, svg_data_uri
from motcua.documents.tests.helpers import T0, assert_contains, pdf_text, vn
from motcua.dossiers import services as ds
from motcua.lib.errors import InvalidInput, NotFound
from motcua.organizations.models import Agency

HEADER = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "UBND TỈNH MINH HÒA")


def _processing(world: Any) -> Any:
    dossier = world.register(at=T0)
    ds.dossier_start_processing(dossier=dossier, actor=world.reception, at=T0 + timedelta(minutes=5))
    return world.refresh(dossier)


def test_form_01_prints_the_receipt_with_code_applicant_appointment_and_qr(world: Any) -> None:
    dossier = world.refresh(world.register(at=T0, sets=2))

    text = pdf_text(render_form_pdf(dossier, "01"))

    assert_contains(
        text,
        *HEADER,
        "TRUNG TÂM PHỤC VỤ HÀNH",
        "Mẫu số 01",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {dossier.code}",
        "Nguyễn Văn An",
        "001090123456",
        "Phường An Bình",
        "0912345678",
        "an@example.vn",
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        "Tờ khai",
        "Số lượng hồ sơ: 2 (bộ)",
        "10 ngày làm việc",
        "Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 01/06/2026",
        "Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 15/06/2026",
        "Quyển số: 2026, Số thứ tự: 1 ",
        "Lê Thu Hà",
        "Minh Hòa, ngày 01 tháng 6 năm 2026",
    )
    html = render_form_html(dossier, "01")
    assert svg_data_uri(dossier_qr_svg(dossier.code)) in html
    # Self-contained: nothing for a browser or WeasyPrint to fetch from elsewhere.
    assert 'src="http' not in html
    assert 'href="' not in html


def test_form_01_of_an_online_dossier_comes_from_the_reception_not_the_submission(world: Any) -> None:
    dossier = world.submit(at=T0)
    with pytest.raises(NotFound) as not_yet:
        form_context(world.refresh(dossier), "01")
    assert not_yet.value.code == "form_not_issued"
    assert "not been received" in not_yet.value.message

    ds.dossier_receive(dossier=world.refresh(dossier), actor=world.reception, at=vn(2026, 6, 2, 10, 0))
    text = pdf_text(render_form_pdf(world.refresh(dossier), "01"))

    assert_contains(text, dossier.code, "10 giờ 00 phút, ngày 02/06/2026", "ngày 16/06/2026", "Tờ khai")


def test_form_01_exists_when_an_online_dossier_is_completed_before_reception(world: Any) -> None:
    dossier = world.submit(at=T0)
    ds.dossier_return_for_completion(
        items=["Tờ khai có chữ ký"],
        dossier=world.refresh(dossier),
        actor=world.reception,
        reason="Thiếu tờ khai",
        at=T0 + timedelta(hours=1),
    )
    ds.dossier_resubmit(dossier=world.refresh(dossier), actor=world.citizen, at=vn(2026, 6, 3, 8, 0))
    with pytest.raises(NotFound):  # completed, it is still not received
        form_context(world.refresh(dossier), "01")
    ds.dossier_receive(dossier=world.refresh(dossier), actor=world.reception, at=vn(2026, 6, 3, 9, 0))

    text = pdf_text(render_form_pdf(world.refresh(dossier), "01"))

    assert_contains(text, dossier.code, "09 giờ 00 phút, ngày 03/06/2026", "ngày 17/06/2026")


def test_form_02_lists_the_items_the_reason_and_the_contact(world: Any) -> None:
    dossier = world.submit(at=T0)
    ds.dossier_return_for_completion(
        dossier=world.refresh(dossier),
        actor=world.reception,
        reason="Bản chụp CCCD bị mờ",
        items=["Bản chụp căn cước công dân rõ nét", "Tờ khai có chữ ký"],
        at=T0 + timedelta(minutes=30),
    )

    text = pdf_text(render_form_pdf(world.refresh(dossier), "02"))

    assert_contains(
        text,
        *HEADER,
        "Mẫu số 02",
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        dossier.code,
        "Nguyễn Văn An",
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        "Phường An Bình",
        "1. Bản chụp căn cước công dân rõ nét",
        "2. Tờ khai có chữ ký",
        "Lý do: Bản chụp CCCD bị mờ",
        "liên hệ với Lê Thu Hà, số điện thoại 0200 3800 101",
        "Lê Thu Hà",
        "09 giờ 30 phút, ngày 01/06/2026",
    )


@pytest.mark.parametrize("items", [None, [], ["  "]])
def test_it_refuses_form_02_without_its_numbered_list(world: Any, items: list[str] | None) -> None:
    dossier = world.register(at=T0)

    with pytest.raises(InvalidInput) as error:
        ds.dossier_request_supplement(
            dossier=world.refresh(dossier), actor=world.reception, reason="Thiếu", items=items
        )

    assert error.value.code == "supplement_items_required"
    assert world.refresh(dossier).status == "received"


def test_it_refuses_form_02_when_the_unit_has_no_contact_phone(world: Any) -> None:
    dossier = world.submit(at=T0)
    Agency.objects.filter(pk=world.centre.pk).update(phone="")

    with pytest.raises(InvalidInput) as error:
        ds.dossier_return_for_completion(
            dossier=world.refresh(dossier), actor=world.reception, reason="Thiếu", items=["Tờ khai"]
        )

    assert error.value.code == "agency_phone_required"
    assert world.refresh(dossier).status == "submitted"


def test_form_02_during_processing_is_issued_by_the_competent_agency(world: Any) -> None:
    dossier = _processing(world)
    ds.dossier_request_supplement(
        items=["Tờ khai có chữ ký"],
        dossier=dossier,
        actor=world.specialist,
        reason="Cần xác minh nơi cư trú",
        at=T0 + timedelta(hours=2),
    )

    text = pdf_text(render_form_pdf(world.refresh(dossier), "02"))

    assert_contains(text, "SỞ TƯ PHÁP", "Lý do: Cần xác minh nơi cư trú", "Phạm Minh Đức")


def test_form_03_gives_the_reasons_for_the_refusal(world: Any) -> None:
    dossier = world.submit(at=T0)
    ds.dossier_refuse(
        dossier=world.refresh(dossier),
        actor=world.reception,
        reason="Yêu cầu không thuộc thẩm quyền giải quyết",
        at=T0 + timedelta(minutes=10),
    )

    text = pdf_text(render_form_pdf(world.refresh(dossier), "03"))

    assert_contains(
        text,
        *HEADER,
        "Mẫu số 03",
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        dossier.code,
        "Nguyễn Văn An",
        "001090123456",
        "Yêu cầu không thuộc thẩm quyền giải quyết",
        "ngày 01/06/2026",
    )


def test_form_04_apologises_with_the_original_and_the_new_date(world: Any) -> None:
    dossier = _processing(world)
    ds.dossier_apologise(
        dossier=dossier,
        actor=world.leader,
        reason="Chờ kết quả xác minh của cơ quan công an",
        new_due_at=vn(2026, 6, 19, 16, 0),
        at=vn(2026, 6, 10, 9, 0),
    )

    text = pdf_text(render_form_pdf(world.refresh(dossier), "04"))

    assert_contains(
        text,
        *HEADER,
        "SỞ TƯ PHÁP",
        "Mẫu số 04",
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        "Kính gửi: Ông/Bà/Tổ chức Nguyễn Văn An",
        "Ngày 01/06/2026",
        dossier.code,
        "001090123456",
        "09 giờ 00 phút, ngày 15/06/2026",
        "Chờ kết quả xác minh của cơ quan công an",
        "xin lỗi",
        "16 giờ 00 phút, ngày 19/06/2026",
        "Hoàng Văn Nam",
        "ngày 10 tháng 6 năm 2026",
    )


def test_it_refuses_form_04_for_a_dossier_without_an_apology(world: Any) -> None:
    dossier = _processing(world)

    with pytest.raises(NotFound) as error:
        render_form_pdf(dossier, "04")

    assert error.value.code == "form_not_issued"
    assert "no apology" in error.value.message
    assert dossier.code in error.value.message


def test_form_05_notifies_the_stop_with_the_reason(world: Any) -> None:
    dossier = world.register(at=T0)
    ds.dossier_stop(
        dossier=world.refresh(dossier),
        actor=world.reception,
        reason="Công dân đề nghị dừng giải quyết",
        channel="counter",
        at=vn(2026, 6, 2, 14, 15),
    )

    text = pdf_text(render_form_pdf(world.refresh(dossier), "05"))

    assert_contains(
        text,
        *HEADER,
        "Mẫu số 05",
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        dossier.code,
        "Nguyễn Văn An",
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        "Lý do: Công dân đề nghị dừng giải quyết",
        "14 giờ 15 phút, ngày 02/06/2026",
        "Lê Thu Hà",
    )


def test_form_06_has_one_line_per_hand_over_with_its_timeliness(world: Any) -> None:
    dossier = _processing(world)  # reception -> Sở Tư pháp (review), 09:05 01/06
    # The review step has 6 working days, due 09/06 09:05: handing over on 12/06 is late.
    ds.dossier_hand_over(
        dossier=dossier, actor=world.specialist, to_step="tax", note="Chuyển xác định thuế", at=vn(2026, 6, 12, 10)
    )
    ds.dossier_hand_over(
        dossier=world.refresh(dossier), actor=world.tax_specialist, to_step="approve", at=vn(2026, 6, 12, 11)
    )

    text = pdf_text(render_form_pdf(world.refresh(dossier), "06"))

    assert_contains(
        text,
        *HEADER,
        "Mẫu số 06",
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        f"Mã hồ sơ: {dossier.code}",
        "Cơ quan giải quyết hồ sơ: Sở Tư pháp",
        "Cơ quan phối hợp giải quyết hồ sơ: Thuế tỉnh",
        "Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 01/06/2026",
        "09 giờ 00 phút, ngày 15/06/2026",
        "09:05 01/06/2026",
        "10:00 12/06/2026",
        "11:00 12/06/2026",
        "Quá hạn",
        "Chuyển xác định thuế",
        "Lê Thu Hà",
        "Phạm Minh Đức",
        "Vũ Thị Lan",
    )
    rows = form_context(world.refresh(dossier), "06")["rows"]
    assert [row["result_code"] for row in rows] == ["on_time", "late", "early"]
    assert [row["giver"] for row in rows] == ["Lê Thu Hà", "Phạm Minh Đức", "Vũ Thị Lan"]
    # The receiver is the first officer of the receiving unit who acted after the hand-over.
    assert [row["receiver"] for row in rows] == ["Phạm Minh Đức", "Vũ Thị Lan", ""]


def test_form_06_logs_the_result_handed_back_to_the_one_stop_unit_and_returned_to_the_applicant(world: Any) -> None:
    dossier = _processing(world)
    ds.dossier_finish(dossier=dossier, actor=world.leader, at=vn(2026, 6, 5, 15))
    ds.dossier_return_result(
        dossier=world.refresh(dossier), actor=world.reception, collected_by="Nguyễn Thị Hoa", at=vn(2026, 6, 16, 8)
    )

    rows = form_context(world.refresh(dossier), "06")["rows"]
    text = pdf_text(render_form_pdf(world.refresh(dossier), "06"))

    back, returned = rows[-2:]
    assert (back["from_unit"], back["to_unit"]) == (
        "Sở Tư pháp (trả kết quả)",
        "Trung tâm Phục vụ hành chính công tỉnh (Bộ phận Một cửa)",
    )
    assert (back["giver"], back["receiver"], back["result_code"]) == ("Hoàng Văn Nam", "Lê Thu Hà", "early")
    assert (returned["to_unit"], returned["giver"], returned["receiver"]) == (
        "Tổ chức, cá nhân",
        "Lê Thu Hà",
        "Nguyễn Thị Hoa",
    )
    # Due 15/06 09:00: returned on 16/06 is late.
    assert returned["result_code"] == "late"
    assert_contains(text, "15:00 05/06/2026", "08:00 16/06/2026", "Trả kết quả cho tổ chức, cá nhân", "Nguyễn Thị Hoa")


def test_it_refuses_form_06_before_the_dossier_is_received(world: Any) -> None:
    dossier = world.refresh(world.submit(at=T0))

    with pytest.raises(NotFound) as error:
        form_context(dossier, "06")

    assert error.value.code == "form_not_issued"


def test_form_07_of_a_dossier_is_its_line_in_the_tracking_book(world: Any) -> None:
    dossier = world.register(at=T0)
    ds.dossier_start_processing(dossier=world.refresh(dossier), actor=world.reception, at=T0 + timedelta(minutes=5))
    ds.dossier_finish(dossier=world.refresh(dossier), actor=world.leader, at=vn(2026, 6, 5, 15))
    ds.dossier_return_result(
        dossier=world.refresh(dossier), actor=world.reception, delivery="post", at=vn(2026, 6, 8, 8, 30)
    )

    text = pdf_text(render_form_pdf(world.refresh(dossier), "07"))

    assert_contains(
        text,
        "Mẫu số 07",
        "SỔ THEO DÕI HỒ SƠ",
        dossier.code,
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        "Nguyễn Văn An",
        "Phường An Bình, 0912345678",
        "Sở Tư pháp",
        "09:00 01/06/2026",
        "09:00 15/06/2026",
        "08:30 08/06/2026",
        "bưu chính",
    )


@pytest.mark.parametrize("code", ["08", "", "1", "abc"])
def test_it_refuses_an_unknown_form_code(world: Any, code: str) -> None:
    dossier = world.refresh(world.register(at=T0))

    with pytest.raises(InvalidInput) as error:
        render_form_html(dossier, code)

    assert error.value.code == "unknown_form"


@pytest.mark.parametrize("code", ["02", "03", "04", "05"])
def test_a_freshly_received_dossier_has_none_of_the_later_forms(world: Any, code: str) -> None:
    dossier = world.refresh(world.register(at=T0))

    with pytest.raises(NotFound) as error:
        render_form_html(dossier, code)

    assert error.value.code == "form_not_issued"
    assert f"Form {code}" in error.value.message


def test_the_applicant_data_is_escaped_in_the_html(world: Any) -> None:
    dossier = world.submit(at=T0)
    ds.dossier_refuse(
        dossier=world.refresh(dossier), actor=world.reception, reason="<script>x</script>", at=T0 + timedelta(minutes=1)
    )

    html = render_form_html(world.refresh(dossier), "03")

    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_a_commune_s_forms_name_the_commune_in_the_date_line(world: Any) -> None:
    dossier = ds.dossier_register(
        actor=world.commune_reception,
        version=world.commune_procedure,
        applicant=world.citizen_person,
        receiving_agency=world.commune_centre,
        components=[ds.ComponentIn(name="Tờ khai")],
        at=vn(2026, 2, 5, 9),
    )

    text = pdf_text(render_form_pdf(world.refresh(dossier), "01"))

    # Leading zeros only for days below 10 and for months 1 and 2 (Decree 30/2020).
    assert_contains(text, "An Bình, ngày 05 tháng 02 năm 2026", "PHƯỜNG AN BÌNH")
    assert "Minh Hòa, ngày" not in text


def test_the_date_line_pads_only_days_below_10_and_months_1_and_2() -> None:
    assert legal_date(date(2026, 7, 15)) == "ngày 15 tháng 7 năm 2026"
    assert legal_date(date(2026, 7, 5)) == "ngày 05 tháng 7 năm 2026"
    assert legal_date(date(2026, 2, 15)) == "ngày 15 tháng 02 năm 2026"
    assert legal_date(date(2026, 1, 1)) == "ngày 01 tháng 01 năm 2026"
    assert legal_date(date(2026, 12, 9)) == "ngày 09 tháng 12 năm 2026"
    assert legal_date(date(2026, 3, 10)) == "ngày 10 tháng 3 năm 2026"
