"""A procedure of the test province whose papers are mandatory, optional and conditional: the
power of attorney is mandatory only when the e-form says the dossier is filed on someone's
behalf, the proof of divorce only when the marital status answered is "divorced"."""

from __future__ import annotations

from datetime import date
from typing import Any

from motcua.catalog.models import ProcedureVersion
from motcua.catalog.services import DocumentSpec, VersionSpec, procedure_create, procedure_version_publish
from motcua.testing.world import World

CODE = "1.004873"
DECLARATION = "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"
ID_COPY = "Bản chụp giấy tờ tùy thân"
PROXY = "Văn bản ủy quyền (nếu nộp thay)"
DIVORCE = "Giấy tờ chứng minh việc ly hôn (nếu có)"
OTHER = "Giấy tờ khác (nếu có)"
DIVORCED = "Đã ly hôn, chưa kết hôn lại"

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["tinh_trang_hon_nhan"],
    "properties": {
        "tinh_trang_hon_nhan": {"title": "Tình trạng hôn nhân", "enum": ["Chưa đăng ký kết hôn với ai", DIVORCED]},
        "nop_thay": {"title": "Nộp thay cho người có yêu cầu", "type": "boolean", "default": False},
    },
}


def conditional_spec(world: World, **changes: Any) -> VersionSpec:
    spec = VersionSpec(
        name="Cấp Giấy xác nhận tình trạng hôn nhân",
        field=world.procedure.field,
        time_limit_amount=3,
        time_limit_unit="working_days",
        competent_agency=world.justice,
        online_level="full",
        e_form_schema=SCHEMA,
        documents=[
            DocumentSpec(name=DECLARATION, e_form=True),
            DocumentSpec(name=ID_COPY),
            DocumentSpec(name=PROXY, requirement="conditional", condition_field="nop_thay", condition_values=[True]),
            DocumentSpec(
                name=DIVORCE,
                requirement="conditional",
                condition_field="tinh_trang_hon_nhan",
                condition_values=[DIVORCED],
            ),
            DocumentSpec(name=OTHER, requirement="optional"),
        ],
    )
    for key, value in changes.items():
        setattr(spec, key, value)
    return spec


def conditional_procedure(world: World) -> ProcedureVersion:
    """The procedure above, published, as the services read it."""
    version = procedure_create(code=CODE, spec=conditional_spec(world))
    procedure_version_publish(
        version=version, decision_number="3/QĐ-UBND", decision_date=date(2025, 7, 1), effective_date=date(2025, 7, 1)
    )
    return ProcedureVersion.objects.select_related("procedure", "field", "competent_agency").get(pk=version.pk)
