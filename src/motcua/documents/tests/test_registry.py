"""The forms registry: one entry per form, one template per form for the page and the PDF."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse

from motcua.documents.forms import form_context, render_form_html
from motcua.documents.registry import FORM_CODES, FORM_TITLES, FORMS, ISSUED_FORMS
from motcua.documents.tests.helpers import T0
from motcua.dossiers import services as ds


def _client(actor: Any) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(pk=actor.user_id))
    return client


def _paper(html: str) -> str:
    """The form itself: from its number line to the end of its last field, whatever frame."""
    start = html.index('<p class="form-number">')
    end = html.index("</article>") if "</article>" in html else html.index("</body>")
    return re.sub(r'src="[^"]*"', 'src=""', html[start:end]).strip()


def test_the_registry_holds_the_seven_forms_of_appendix_i_and_the_refusal_notice() -> None:
    assert FORM_CODES == ("01", "02", "03", "04", "05", "06", "07", "TC")
    assert sorted(ISSUED_FORMS) == ["01", "02", "03", "04", "05", "TC"]
    assert FORM_TITLES["04"] == "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
    for spec in FORMS.values():
        assert spec.title
        assert spec.signer_role or spec.for_unit
        assert get_template(spec.template).origin.name.endswith(f"form_{spec.code.lower()}.html")  # type: ignore[attr-defined]
        if spec.appendix:
            assert "Thông tư số 03/2025/TT-VPCP" in spec.legal_basis
            assert spec.label == f"Mẫu số {spec.code}"
    # The stop notice and the competent agency's refusal are signed for the unit, not by two parties.
    assert (FORMS["05"].for_unit, FORMS["05"].co_signer_role) == (True, "")
    assert (FORMS["TC"].for_unit, FORMS["TC"].appendix, FORMS["TC"].label) == (True, False, "")


def test_every_issued_form_prints_its_registry_entry(world: Any) -> None:
    dossier = world.submit(at=T0)
    ds.dossier_return_for_completion(
        items=["Tờ khai có chữ ký"],
        dossier=world.refresh(dossier),
        actor=world.reception,
        reason="Ảnh mờ",
        at=T0 + timedelta(minutes=30),
    )
    context = form_context(world.refresh(dossier), "02")
    html = render_form_html(world.refresh(dossier), "02")

    spec = FORMS["02"]
    assert (context["title"], context["form_source"], context["signer_role"]) == (
        spec.title,
        spec.legal_basis,
        spec.signer_role,
    )
    assert f"02/{spec.number_sign}-{dossier.code}" in html
    assert spec.signer_role in html


@pytest.mark.parametrize("code", ["01", "02"])
def test_the_printed_page_and_the_pdf_come_from_the_same_template(world: Any, code: str) -> None:
    dossier = world.register(at=T0) if code == "01" else world.submit(at=T0)
    if code == "02":
        ds.dossier_return_for_completion(
            dossier=world.refresh(dossier),
            actor=world.reception,
            reason="Ảnh mờ",
            items=["Bản chụp giấy tờ tùy thân"],
            at=T0 + timedelta(minutes=30),
        )
    dossier = world.refresh(dossier)
    event = dossier.events.filter(action="receive" if code == "01" else "return_for_completion").get()

    page = _client(world.reception).get(reverse("portal:form-print", args=[dossier.code, event.seq]))
    standalone = render_form_html(dossier, code, seq=event.seq)

    assert page.status_code == 200
    assert _paper(page.content.decode()) == _paper(standalone)


def test_the_control_sheet_page_is_form_06(world: Any) -> None:
    dossier = world.register(at=T0)
    ds.dossier_start_processing(dossier=world.refresh(dossier), actor=world.reception, at=T0 + timedelta(minutes=5))
    dossier = world.refresh(dossier)

    page = _client(world.reception).get(reverse("portal:control-sheet", args=[dossier.code]))

    assert page.status_code == 200
    assert _paper(page.content.decode()) == _paper(render_form_html(dossier, "06"))
