"""Helpers for the portal tests: signed-in clients per persona and an e-form procedure."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.catalog.models import Field
from motcua.catalog.services import DocumentSpec, VersionSpec, procedure_create, procedure_version_publish

EFORM = {
    "type": "object",
    "title": "Tờ khai",
    "required": ["ho_ten", "ngay_sinh", "gioi_tinh", "nguoi_nhan"],
    "properties": {
        "ho_ten": {"title": "Họ và tên", "type": "string", "minLength": 2, "maxLength": 100},
        "ngay_sinh": {"title": "Ngày sinh", "type": "string", "format": "date"},
        "gioi_tinh": {"title": "Giới tính", "enum": ["Nam", "Nữ"]},
        "so_ban": {"title": "Số bản", "type": "integer", "minimum": 1, "maximum": 5},
        "cam_doan": {"title": "Tôi cam đoan", "type": "boolean"},
        "nguoi_nhan": {
            "title": "Người nhận",
            "type": "object",
            "required": ["so_dinh_danh"],
            "properties": {"so_dinh_danh": {"title": "Số định danh", "type": "string", "pattern": "^[0-9]{12}$"}},
        },
    },
}


@pytest.fixture
def login() -> Any:
    """login(actor) -> a Client signed in as that persona."""

    def make(actor: Any) -> Client:
        client = Client()
        client.force_login(get_user_model().objects.get(pk=actor.user_id))
        return client

    return make


def published_eform_procedure(
    world: Any,
    *,
    code: str,
    name: str,
    field: tuple[str, str, str],
    schema: dict[str, Any],
    legal_basis: str,
    documents: list[DocumentSpec],
    decision: str,
) -> Any:
    """A procedure of the Department of Justice with an e-form, published on 1/7/2025."""
    version = procedure_create(
        code=code,
        spec=VersionSpec(
            name=name,
            field=Field.objects.create(code=field[0], name=field[1], name_en=field[2]),
            time_limit_amount=3,
            time_limit_unit="working_days",
            competent_agency=world.justice,
            online_level="full",
            e_form_schema=schema,
            legal_basis=legal_basis,
            documents=documents,
        ),
    )
    procedure_version_publish(
        version=version, decision_number=decision, decision_date=date(2025, 7, 1), effective_date=date(2025, 7, 1)
    )
    version.refresh_from_db()
    return version


@pytest.fixture
def eform_procedure(world: Any) -> Any:
    return published_eform_procedure(
        world,
        code="1.000001",
        name="Đăng ký khai sinh lưu động",
        field=("HT", "Hộ tịch", "Civil status"),
        schema=EFORM,
        legal_basis="Luật Hộ tịch 2014",
        documents=[
            DocumentSpec(name="Tờ khai", e_form=True),
            DocumentSpec(name="Giấy chứng sinh"),
            DocumentSpec(name="Giấy tờ khác", requirement="optional"),
        ],
        decision="9/QĐ",
    )


def pdf_upload(name: str = "scan.pdf") -> Any:
    """A real one-page PDF (uploads are checked by their content)."""
    from motcua.testing.files import pdf_upload as real_pdf

    return real_pdf(name)


def current_version(dossier: Any) -> int:
    """The version an action form rendered now would carry (its hidden `version` field)."""
    from motcua.dossiers.models import Dossier

    return int(Dossier.objects.values_list("row_version", flat=True).get(pk=dossier.pk))
