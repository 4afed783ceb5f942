"""Conditional papers on the pages: the procedure page says which papers are conditional and
when; the citizen's draft and the counter ask for a conditional paper exactly when the
e-form answer meets its condition."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.models import Dossier
from motcua.portal.models import Draft
from motcua.portal.tests.conftest import pdf_upload
from motcua.testing.conditional import (
    CODE,
    DECLARATION,
    DIVORCE,
    DIVORCED,
    ID_COPY,
    OTHER,
    PROXY,
    conditional_procedure,
)
from motcua.testing.world import ANY_HOUR_REASON

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(world: Any) -> ProcedureVersion:
    return conditional_procedure(world)


def _doc(version: ProcedureVersion, name: str) -> int:
    return int(version.documents.get(name=name).pk)


def _text(html: str) -> str:
    """The page as a reader sees it: tags removed, white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" )", ")")


def test_the_procedure_page_says_which_papers_are_conditional_and_when(world: Any, version: ProcedureVersion) -> None:
    page = _text(Client().get(reverse("portal:procedure", args=[CODE])).content.decode())

    assert f"{PROXY} (1 bản, bắt buộc khi “Nộp thay cho người có yêu cầu” là “có”)" in page
    assert f"{DIVORCE} (1 bản, bắt buộc khi “Tình trạng hôn nhân” là “{DIVORCED}”)" in page
    assert f"{OTHER} (1 bản, không bắt buộc)" in page
    assert f"{ID_COPY} (1 bản)" in page
    assert "chỉ phải nộp khi" in page


def test_the_procedure_page_in_english_names_the_condition(world: Any, version: ProcedureVersion) -> None:
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    page = _text(client.get(reverse("portal:procedure", args=[CODE])).content.decode())

    assert f"{PROXY} (1 copy, required when “Nộp thay cho người có yêu cầu” is “yes”)" in page


def _draft(login: Any, world: Any, version: ProcedureVersion) -> tuple[Client, Draft]:
    client = login(world.citizen)
    assert client.post(reverse("portal:apply", args=[CODE])).status_code == 302
    return client, Draft.objects.get(owner=world.citizen_person, version=version)


def test_the_draft_asks_for_the_power_of_attorney_only_when_filed_on_someone_s_behalf(
    world: Any, login: Any, version: ProcedureVersion
) -> None:
    client, draft = _draft(login, world, version)
    url = reverse("portal:draft", args=[draft.pk])
    answers = {"ef.tinh_trang_hon_nhan": "Chưa đăng ký kết hôn với ai", "ef.nop_thay": "on"}
    form = client.get(url).content.decode()
    assert "Bắt buộc khi “Nộp thay cho người có yêu cầu” là “có”" in form

    proxy = client.post(url, {**answers, "next": "review", f"doc-{_doc(version, ID_COPY)}": pdf_upload()})

    assert proxy.status_code == 422
    page = proxy.content.decode()
    assert page.count("Hãy tải lên giấy tờ này.") == 2, "once in the error summary, once beside the paper"
    assert f'id="doc-{_doc(version, PROXY)}" name="doc-{_doc(version, PROXY)}"' in page
    assert f'aria-describedby="doc-{_doc(version, PROXY)}-note doc-{_doc(version, PROXY)}-error"' in page

    answers.pop("ef.nop_thay")
    on_my_own = client.post(url, {**answers, "next": "review"})

    assert on_my_own.status_code == 302
    assert on_my_own["Location"] == reverse("portal:draft-review", args=[draft.pk])


def _intake(version: ProcedureVersion, *papers: str, **answers: str) -> dict[str, Any]:
    return {
        "procedure": CODE,
        "id_number": "001190000123",
        "full_name": "Lò Thị Mai",
        "address": "Bản Mòng",
        "phone": "0987654321",
        "email": "",
        "channel": "counter",
        "sets": "1",
        "component": [str(_doc(version, name)) for name in papers],
        "outside_hours_reason": ANY_HOUR_REASON,  # the suite may run outside working hours
        **{f"ef.{key}": value for key, value in answers.items()},
    }


def test_the_counter_needs_the_proof_of_divorce_only_for_a_divorced_applicant(
    world: Any, login: Any, version: ProcedureVersion
) -> None:
    client = login(world.reception)
    page = client.get(reverse("portal:counter-new"), {"procedure": CODE}).content.decode()
    assert f"{DIVORCE} (bắt buộc khi “Tình trạng hôn nhân” là “{DIVORCED}”)" in page

    refused = client.post(
        reverse("portal:counter-new"), _intake(version, DECLARATION, ID_COPY, tinh_trang_hon_nhan=DIVORCED)
    )
    assert refused.status_code == 422
    assert refused.content.decode().count("Đánh dấu giấy tờ này sau khi kiểm tra") == 2, "summary and paper"
    assert not Dossier.objects.exists()

    single = _intake(version, DECLARATION, ID_COPY, tinh_trang_hon_nhan="Chưa đăng ký kết hôn với ai")
    received = client.post(reverse("portal:counter-new"), single)
    assert received.status_code == 302, received.content.decode()[:2000]
    assert Dossier.objects.get().status == "received"
