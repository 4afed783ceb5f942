"""A small province for tests: agencies, a procedure with a process, and named personas.

Personas (docs/architecture.md#tests): a citizen, a reception officer, a specialist, a leader, an officer
of another unit, a manager, an administrator, the national portal connector and the national
payment platform (connected systems).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model

from motcua.catalog.models import Field, ProcedureVersion
from motcua.catalog.services import (
    DocumentSpec,
    FeeSpec,
    StepSpec,
    VersionSpec,
    procedure_create,
    procedure_version_publish,
)
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier
from motcua.organizations.actors import Actor, actor_for
from motcua.organizations.models import Agency
from motcua.organizations.services import agency_create, membership_grant, user_set_full_name
from motcua.people.models import Person
from motcua.people.services import person_find_or_create, person_link_user

User = get_user_model()

#: The reason a test that runs at the wall clock's hour gives for a receipt, in case the suite
#: runs outside the agency's working hours (dossiers.services.receipt_hours_check).
ANY_HOUR_REASON = "Kiểm thử tự động, có thể chạy ngoài giờ làm việc"


@dataclass
class World:
    province: Agency
    centre: Agency
    justice: Agency
    construction: Agency
    tax: Agency
    commune: Agency
    commune_centre: Agency
    procedure: ProcedureVersion
    commune_procedure: ProcedureVersion
    citizen: Actor
    citizen_person: Person
    other_citizen: Actor
    reception: Actor
    specialist: Actor
    leader: Actor
    tax_specialist: Actor
    outsider: Actor
    commune_reception: Actor
    manager: Actor
    admin: Actor
    portal: Actor
    payments: Actor

    def papers(self, version: ProcedureVersion | None = None, *, digitized: bool = False) -> list[ds.ComponentIn]:
        """One component for each paper the procedure lists (its mandatory papers included)."""
        return [
            ds.ComponentIn(name=doc.name, required_document_id=doc.pk, copies=doc.copies, digitized=digitized)
            for doc in (version or self.procedure).documents.all()
        ]

    def submit(self, at: datetime | None = None, actor: Actor | None = None, **kwargs: Any) -> Dossier:
        kwargs.setdefault("components", self.papers(digitized=True))
        return ds.dossier_submit(
            actor=actor or self.citizen, version=self.procedure, applicant=self.citizen_person, at=at, **kwargs
        )

    def register(self, at: datetime | None = None, **kwargs: Any) -> Dossier:
        """A counter dossier received by the centre at `at`. A test that names no instant runs
        at whatever hour the suite runs, so outside working hours it states why it receives
        (`ANY_HOUR_REASON`); the rule itself is tested with named instants."""
        kwargs.setdefault("components", self.papers())
        if at is None:
            kwargs.setdefault("outside_hours_reason", ANY_HOUR_REASON)
        return ds.dossier_register(
            actor=self.reception,
            version=self.procedure,
            applicant=self.citizen_person,
            receiving_agency=self.centre,
            at=at,
            **kwargs,
        )

    def refresh(self, dossier: Dossier) -> Dossier:
        return Dossier.objects.select_related(
            "procedure_version__procedure", "receiving_agency", "settling_agency", "current_agency", "applicant"
        ).get(pk=dossier.pk)


def _user(username: str, full_name: str, *, agency: Agency | None = None, roles: tuple[str, ...] = ()) -> Any:
    user = User.objects.create_user(username=username, password="motcua-test-pass")
    user_set_full_name(user=user, full_name=full_name)
    for role in roles:
        assert agency is not None
        membership_grant(user=user, agency=agency, role=role)
    return user


# long: the test province in one reading: every persona next to its agency and procedure.
def build_world() -> World:
    province = agency_create(code="H99", name="UBND tỉnh Minh Hòa", kind="province", level="province")
    centre = agency_create(
        code="H99.01",
        phone="0200 3800 101",
        name="Trung tâm Phục vụ hành chính công tỉnh",
        kind="service_centre",
        level="province",
        parent=province,
    )
    justice = agency_create(
        code="H99.10", phone="0200 3800 110", name="Sở Tư pháp", kind="department", level="province", parent=province
    )
    construction = agency_create(
        code="H99.11", phone="0200 3800 111", name="Sở Xây dựng", kind="department", level="province", parent=province
    )
    tax = agency_create(
        code="H99.30",
        phone="0200 3800 130",
        name="Thuế tỉnh",
        kind="vertical_branch",
        level="province",
        parent=province,
    )
    commune = agency_create(
        code="H99.50",
        phone="0200 3800 150",
        name="UBND phường An Bình",
        kind="commune",
        level="commune",
        parent=province,
    )
    commune_centre = agency_create(
        code="H99.50.01",
        phone="0200 3800 151",
        name="Trung tâm PVHCC phường An Bình",
        kind="service_centre",
        level="commune",
        parent=commune,
    )
    field = Field.objects.create(code="LLTP", name="Lý lịch tư pháp", name_en="Judicial records")
    spec = VersionSpec(
        name="Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        name_en="Judicial record certificate",
        field=field,
        time_limit_amount=10,
        time_limit_unit="working_days",
        competent_agency=justice,
        online_level="full",
        eligible_full_online=True,
        fees=[FeeSpec(name="Phí cấp phiếu", amount_vnd=200_000)],
        documents=[
            DocumentSpec(name="Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", e_form=True),
            DocumentSpec(name="Bản chụp giấy tờ tùy thân", reusable=True),
        ],
        steps=[
            StepSpec(
                key="reception",
                name="Tiếp nhận",
                actor_role="reception",
                budget_amount=4,
                budget_unit="working_hours",
                next=["review"],
            ),
            StepSpec(
                key="review",
                name="Thẩm định",
                actor_role="specialist",
                budget_amount=6,
                budget_unit="working_days",
                next=["tax", "approve"],
            ),
            StepSpec(
                key="tax",
                name="Xác định nghĩa vụ tài chính",
                actor_role="specialist",
                agency=tax,
                budget_amount=1,
                budget_unit="working_days",
                next=["approve"],
            ),
            StepSpec(
                key="approve",
                name="Phê duyệt",
                actor_role="leader",
                budget_amount=2,
                budget_unit="working_days",
                next=["return"],
            ),
            StepSpec(
                key="return", name="Trả kết quả", actor_role="reception", budget_amount=4, budget_unit="working_hours"
            ),
        ],
    )
    procedure = procedure_create(code="2.000488", spec=spec)
    procedure_version_publish(
        version=procedure, decision_number="1/QĐ-UBND", decision_date=date(2025, 7, 1), effective_date=date(2025, 7, 1)
    )
    commune_spec = VersionSpec(
        name="Đăng ký khai sinh",
        name_en="Birth registration",
        field=field,
        time_limit_amount=1,
        time_limit_unit="working_days",
        levels=["commune"],
        competent_level="commune",
        online_level="full",
        eligible_full_online=True,
    )
    commune_procedure = procedure_create(code="1.001193", spec=commune_spec)
    procedure_version_publish(
        version=commune_procedure,
        decision_number="2/QĐ-UBND",
        decision_date=date(2025, 7, 1),
        effective_date=date(2025, 7, 1),
    )

    citizen_user = _user("citizen", "Nguyễn Văn An")
    person = person_find_or_create(
        id_number="001090123456",
        full_name="Nguyễn Văn An",
        address="Phường An Bình",
        phone="0912345678",
        email="an@example.vn",
    )
    person_link_user(person=person, user=citizen_user)
    other_user = _user("citizen2", "Trần Thị Bình")
    other = person_find_or_create(id_number="079195000111", full_name="Trần Thị Bình")
    person_link_user(person=other, user=other_user)
    portal_user = _user("dvcqg", "Cổng DVCQG")

    def actor(user: Any, **kw: Any) -> Actor:
        return actor_for(user, **kw)

    return World(
        province=province,
        centre=centre,
        justice=justice,
        construction=construction,
        tax=tax,
        commune=commune,
        commune_centre=commune_centre,
        procedure=_fresh(procedure),
        commune_procedure=_fresh(commune_procedure),
        citizen=actor(citizen_user),
        citizen_person=Person.objects.get(pk=person.pk),
        other_citizen=actor(other_user),
        reception=actor(_user("reception", "Lê Thu Hà", agency=centre, roles=("reception",))),
        specialist=actor(_user("specialist", "Phạm Minh Đức", agency=justice, roles=("specialist",))),
        leader=actor(_user("leader", "Hoàng Văn Nam", agency=justice, roles=("leader",))),
        tax_specialist=actor(_user("taxofficer", "Vũ Thị Lan", agency=tax, roles=("specialist",))),
        outsider=actor(
            _user("outsider", "Đỗ Quang Huy", agency=construction, roles=("reception", "specialist", "leader"))
        ),
        commune_reception=actor(_user("commune", "Bùi Thị Mai", agency=commune_centre, roles=("reception",))),
        manager=actor(_user("manager", "Ngô Văn Tâm", agency=province, roles=("manager",))),
        admin=actor(_user("admin", "Quản Trị", agency=province, roles=("admin",))),
        portal=actor(portal_user, system="national_portal"),
        payments=actor(_user("paygov", "Nền tảng thanh toán"), system="payment_platform"),
    )


def _fresh(version: ProcedureVersion) -> ProcedureVersion:
    return ProcedureVersion.objects.select_related("procedure", "field", "competent_agency").get(pk=version.pk)
