"""Loads the fictional demo province (data.py) through the same services as everything else.

Illustrative only: agencies, people, publishing decisions and dossiers are invented; see
the module docstring of `motcua.demo.data` and the README.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from motcua.calendars import worktime
from motcua.calendars.services import calendar_for, calendar_override_set
from motcua.catalog.models import CompetentLevel, Field, ProcedureVersion, ProcessStep, Requirement, StepActor
from motcua.catalog.services import (
    DocumentSpec,
    FeeSpec,
    StepSpec,
    VersionSpec,
    procedure_create,
    procedure_version_publish,
)
from motcua.demo import data
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.workflow import Action
from motcua.lib.errors import DomainError
from motcua.organizations.actors import Actor, actor_for
from motcua.organizations.models import Agency, AgencyKind, Level, Role
from motcua.organizations.selectors import one_stop_unit_for
from motcua.organizations.services import agency_create, agency_set_successor, membership_grant, user_set_full_name
from motcua.people.models import Person
from motcua.people.services import person_find_or_create, person_link_user

#: The demo's receipts fall at random instants; one outside working hours says so (the rule:
#: dossiers.services.receipt_hours_check). Stored only on the receipts that need it.
SIMULATED_HOURS = "Dữ liệu minh họa: thời điểm tiếp nhận được sinh ngẫu nhiên"

DEMO_PASSWORD = "motcua-demo"  # noqa: S105 - published demo credentials, printed by `make run`
User = get_user_model()

# Keyed by plain `str`: the demo data spell agency kinds as string literals, and
# `AgencyKind` members are `str` too, so both look up the same entries.
_LEVEL: dict[str, Level] = {
    AgencyKind.COMMUNE: Level.COMMUNE,
    AgencyKind.DISTRICT: Level.DISTRICT,
}


@dataclass
class LoadReport:
    agencies: int = 0
    procedures: int = 0
    officers: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, agency
    citizens: list[str] = field(default_factory=list)
    dossiers: dict[str, int] = field(default_factory=dict)
    api_token: str = ""


@functools.cache
def _demo_password_hash() -> str:
    # Hashing is deliberately slow; a hundred demo accounts share one hash of the same password.
    return make_password(DEMO_PASSWORD)


def _user(username: str, full_name: str) -> Any:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, password=_demo_password_hash())
        user.save()
        # One full name as on the identity card, Vietnamese order (family, middle, given).
        user_set_full_name(user=user, full_name=full_name)
    return user


@transaction.atomic
def load_structure(report: LoadReport) -> None:
    """The demo province without dossiers: agencies, calendar, catalogue, officers, citizens."""
    agencies = _load_agencies(report)
    _load_catalogue(agencies, report)
    _load_people(agencies, report)


def _load_agencies(report: LoadReport) -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for index, agency_row in enumerate(data.AGENCIES, 1):
        kind = agency_row["kind"]
        parent = agencies.get(agency_row["parent_code"]) if agency_row["parent_code"] else None
        level = _LEVEL.get(kind) or (parent.level if parent is not None and parent.level != Level.PROVINCE else None)
        agencies[agency_row["code"]] = agency_create(
            code=agency_row["code"],
            name=agency_row["name_vi"],
            name_en=agency_row["name_en"],
            short_name=agency_row["short_name_vi"],
            kind=kind,
            level=level or Level.PROVINCE,
            parent=parent,
            valid_from=date.fromisoformat(agency_row["valid_from"]) if agency_row["valid_from"] else None,
            valid_to=date.fromisoformat(agency_row["valid_to"]) if agency_row["valid_to"] else None,
            # Invented numbers (area code 0200 is not assigned): Form 02 prints the unit's phone.
            phone=f"0200 380 {index:04d}",
        )
    for agency_row in data.AGENCIES:
        if agency_row["successor_code"]:
            agency_set_successor(
                agency=agencies[agency_row["code"]],
                successor=agencies[agency_row["successor_code"]],
                valid_to=date.fromisoformat(agency_row["valid_to"] or "2025-06-30"),
            )
    for commune in (a for a in agencies.values() if a.kind == AgencyKind.COMMUNE):
        Agency.objects.filter(pk=commune.pk).update(offers_e_certified_copy=commune.pk % 3 != 0)
    report.agencies = len(agencies)
    return agencies


def _load_catalogue(agencies: dict[str, Agency], report: LoadReport) -> None:
    for override in data.CALENDAR_OVERRIDES:
        calendar_override_set(
            day=date.fromisoformat(override["date"]),
            kind=override["kind"],
            reason=override["reason_vi"],
            reason_en=override["reason_en"],
        )

    fields = {
        row["code"]: Field.objects.create(code=row["code"], name=row["name_vi"], name_en=row["name_en"])
        for row in data.FIELDS
    }
    for procedure in data.PROCEDURES:
        steps = [
            StepSpec(
                key=s["key"],
                name=s["name_vi"],
                name_en=s["name_en"],
                actor_role=StepActor.SPECIALIST if s["actor"].startswith("other_agency:") else s["actor"],
                agency=agencies[s["actor"].split(":", 1)[1]] if s["actor"].startswith("other_agency:") else None,
                budget_amount=s["budget"]["amount"],
                budget_unit=s["budget"]["unit"],
                next=list(s["next"]),
            )
            for s in procedure["steps"]
        ]
        commune_level = procedure["competent_agency_code"] == data.COMMUNE
        spec = VersionSpec(
            name=procedure["name_vi"],
            name_en=procedure["name_en"],
            field=fields[procedure["field_code"]],
            time_limit_amount=procedure["time_limit"]["amount"],
            time_limit_unit=procedure["time_limit"]["unit"],
            levels=list(procedure["levels"]),
            subjects=list(procedure["subjects"]),
            competent_level=CompetentLevel.COMMUNE if commune_level else CompetentLevel.AGENCY,
            competent_agency=None if commune_level else agencies[procedure["competent_agency_code"]],
            cutoff_time=time.fromisoformat(procedure["cutoff"]) if procedure["cutoff"] else None,
            online_level=procedure["online_level"],
            eligible_full_online=procedure["eligible_full_online"],
            requires_paper_result=procedure["requires_paper_result"],
            postal_allowed=procedure["postal_allowed"],
            legal_basis=procedure["legal_basis_vi"],
            result_name=procedure["result_vi"],
            e_form_schema=procedure["e_form_schema"],
            fees=[
                FeeSpec(name=f["name_vi"], name_en=f["name_en"], amount_vnd=f["amount_vnd"], note=f["note_vi"])
                for f in procedure["fees"]
            ],
            documents=[
                DocumentSpec(
                    name=c["name_vi"],
                    name_en=c["name_en"],
                    copies=c["copies"],
                    original_required=c["original_required"],
                    reusable=c["reusable"],
                    e_form=c["e_form"],
                    requirement=c["requirement"],
                    condition_field=c["condition"][0] if c["condition"] else "",
                    condition_values=list(c["condition"][1]) if c["condition"] else [],
                )
                for c in procedure["components"]
            ],
            steps=steps,
        )
        version = procedure_create(code=procedure["code"], spec=spec)
        decision = procedure["publishing_decision"]
        procedure_version_publish(
            version=version,
            decision_number=decision["number"],
            decision_date=date.fromisoformat(decision["date"]),
            effective_date=date.fromisoformat(decision["effective"]),
            legal_effective_date=date.fromisoformat(decision["effective"]),
        )
    report.procedures = len(data.PROCEDURES)


def _load_people(agencies: dict[str, Agency], report: LoadReport) -> None:
    # Officers named in the data; a role held in a division also counts in its department,
    # where the demo's dossiers are settled.
    for officer in data.OFFICER_TEMPLATES:
        user = _user(officer["username"], officer["full_name"])
        agency = agencies[officer["agency_code"]]
        if agency.kind == AgencyKind.DIVISION and agency.parent_id:
            agency = Agency.objects.get(pk=agency.parent_id)
        membership_grant(user=user, agency=agency, role=officer["role"])
        report.officers.append((officer["username"], officer["role"], agency.code))
    if (admin := User.objects.filter(username="admin").first()) is not None:
        User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    # Every other agency that receives or settles dossiers gets generated officers.
    for agency in Agency.objects.filter(valid_to__isnull=True):
        wanted: list[str] = []
        if agency.kind == AgencyKind.SERVICE_CENTRE:
            wanted = [Role.RECEPTION]
        elif agency.kind in {
            AgencyKind.DEPARTMENT,
            AgencyKind.COMMUNE,
            AgencyKind.VERTICAL_BRANCH,
            AgencyKind.DIVISION,
        }:
            wanted = [Role.SPECIALIST, Role.LEADER]
        for role in wanted:
            if agency.memberships.filter(role=role).exists():
                continue
            slug = agency.code.lower().replace(".", "-")
            username = f"{ {'reception': 'tn', 'specialist': 'cv', 'leader': 'ld'}[role] }.{slug}".replace(" ", "")
            user = _user(username, f"Cán bộ {agency.short_name or agency.name}")
            membership_grant(user=user, agency=agency, role=role)

    for citizen in data.CITIZENS:
        user = _user(citizen["username"], citizen["full_name"])
        person = person_find_or_create(
            id_number=citizen["personal_id"],
            full_name=citizen["full_name"],
            birth_date=date.fromisoformat(citizen["birth_date"]),
            gender=citizen["gender"],
            address=citizen["address"],
            phone=citizen["phone"],
            email=citizen["email"],
        )
        person_link_user(person=person, user=user, verified_by_national_identity=True)
        report.citizens.append(citizen["username"])

    from motcua.api.services import api_token_create

    portal_user = _user("dvcqg.connector", "Kết nối Cổng Dịch vụ công quốc gia")
    _, report.api_token = api_token_create(system="national_portal", name="Cổng DVCQG (demo)", user=portal_user)


# ------------------------------------------------------------------ dossiers

#: Where demo dossiers end up, with weights (every state appears).
TARGETS = [
    (Status.SUBMITTED, 6),
    (Status.RECEIVED, 5),
    (Status.PROCESSING, 22),
    (Status.SUPPLEMENT_REQUESTED, 5),
    (Status.SUPPLEMENT_SUBMITTED, 2),
    (Status.RETURNED_FOR_COMPLETION, 3),
    (Status.AWAITING_PAYMENT, 4),
    (Status.REFUSED, 5),
    (Status.WITHDRAWN, 3),
    (Status.STOPPED, 3),
    (Status.PROCESSED, 8),
    (Status.RETURNED, 37),
]


class _Cast:
    """Finds an officer with a role in an agency (cached)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[int, str], Actor | None] = {}

    def __call__(self, agency_id: int, *roles: str) -> Actor:
        for role in roles:
            key = (agency_id, role)
            if key not in self._cache:
                user = (
                    User.objects.filter(memberships__agency_id=agency_id, memberships__role=role).order_by("pk").first()
                )
                self._cache[key] = actor_for(user) if user else None
            if self._cache[key] is not None:
                return self._cache[key]  # type: ignore[return-value]
        raise LookupError(f"no {roles} at agency {agency_id}")


def _working_instant(rng: random.Random, day: date, cal: worktime.WorkCalendar) -> datetime:
    while not cal.is_working_day(day):
        day += timedelta(days=1)
    minute = rng.randrange(8 * 60, 16 * 60 + 30)
    if 12 * 60 <= minute < 13 * 60:
        minute += 60
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=worktime.VN_TZ)


def load_dossiers(report: LoadReport, *, count: int = 300, seed: int = 2026, now: datetime | None = None) -> None:
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
    now = now or timezone.now()
    cast = _Cast()
    versions = list(ProcedureVersion.objects.filter(status="published").select_related("procedure", "competent_agency"))
    citizens = list(Person.objects.filter(user__isnull=False))
    communes = list(Agency.objects.filter(kind=AgencyKind.COMMUNE, valid_to__isnull=True))
    cal = calendar_for(None)
    states = [s for s, _ in TARGETS]
    weights = [w for _, w in TARGETS]
    for index in range(count):
        version = rng.choice(versions)
        target = rng.choices(states, weights)[0]
        settling = version.competent_agency if version.competent_agency is not None else rng.choice(communes)
        receiving = one_stop_unit_for(settling)
        start_day = (now - timedelta(days=rng.randint(1, 75))).date()
        at = _working_instant(rng, start_day, cal)
        try:
            _walk(rng, version, settling, receiving, rng.choice(citizens), target, at, now, cast, index)
            report.dossiers[target] = report.dossiers.get(target, 0) + 1
        except DomainError as exc:  # a scenario the rules do not allow at that instant: skip it
            report.dossiers["skipped: " + exc.code] = report.dossiers.get("skipped: " + exc.code, 0) + 1


# long: one dossier walked to its target status in the order of its random draws (the demo's
# dossiers depend on that order); every step shares the clock `later`.
def _walk(
    rng: random.Random,
    version: ProcedureVersion,
    settling: Agency,
    receiving: Agency,
    person: Person,
    target: Status,
    at: datetime,
    now: datetime,
    cast: _Cast,
    index: int,
) -> None:
    def later(hours: float) -> datetime:
        nonlocal at
        at = min(at + timedelta(hours=hours), now - timedelta(minutes=1))
        return at

    reception = cast(receiving.pk, Role.RECEPTION)
    form = data.E_FORM_EXAMPLES.get(version.procedure.code, {}) if version.e_form_schema else {}
    # Every paper but a conditional one whose condition the example form does not meet (the
    # power of attorney of a dossier filed by the applicant in person).
    components = [
        ds.ComponentIn(
            name=doc.name,
            digitized=rng.random() < 0.8,
            reused_data=doc.reusable and rng.random() < 0.5,
            from_warehouse=doc.reusable and rng.random() < 0.3,
        )
        for doc in version.documents.all()
        if doc.requirement != Requirement.CONDITIONAL or doc.required_for(form)
    ]
    online = version.online_level != "none" and rng.random() < 0.6
    citizen = actor_for(person.user)
    if online:
        dossier = ds.dossier_submit(
            actor=citizen,
            version=version,
            applicant=person,
            receiving_agency=receiving,
            settling_agency=settling,
            form_data=form,
            components=components,
            at=at,
            source=rng.choice(["portal", "national_portal"]),
        )
        if target == Status.SUBMITTED:
            return
        if target == Status.RETURNED_FOR_COMPLETION:
            ds.dossier_return_for_completion(
                dossier=dossier,
                actor=reception,
                reason="Hồ sơ chưa đầy đủ.",
                items=["Bản chụp thẻ Căn cước rõ nét"],
                at=later(2),
            )
            return
        if target == Status.REFUSED:
            ds.dossier_refuse(
                dossier=dossier, actor=reception, reason="Hồ sơ không thuộc thẩm quyền giải quyết.", at=later(3)
            )
            return
        ds.dossier_receive(
            dossier=dossier, actor=reception, outside_hours_reason=SIMULATED_HOURS, at=later(rng.uniform(0.5, 20))
        )
    elif target in {Status.REFUSED, Status.RETURNED_FOR_COMPLETION}:
        # Checked at the counter, refused or returned for completion: kept, never received.
        returned = target == Status.RETURNED_FOR_COMPLETION
        ds.dossier_register_not_received(
            actor=reception,
            version=version,
            applicant=person,
            receiving_agency=receiving,
            settling_agency=settling,
            form_data=form,
            components=components,
            action=Action.RETURN_FOR_COMPLETION if returned else Action.REFUSE,
            reason="Hồ sơ chưa đầy đủ." if returned else "Giấy tờ không hợp lệ.",
            items=["Bản chụp thẻ Căn cước"],
            at=at,
        )
        return
    else:
        dossier = ds.dossier_register(
            actor=reception,
            version=version,
            applicant=person,
            receiving_agency=receiving,
            settling_agency=settling,
            form_data=form,
            components=components,
            channel="post" if version.postal_allowed and rng.random() < 0.15 else "counter",
            outside_hours_reason=SIMULATED_HOURS,
            at=at,
        )
    if target == Status.RECEIVED:
        return
    if target == Status.WITHDRAWN:
        ds.dossier_withdraw(
            dossier=dossier, actor=reception, reason="Công dân đề nghị rút hồ sơ.", channel="counter", at=later(10)
        )
        return
    ds.dossier_start_processing(dossier=dossier, actor=reception, at=later(rng.uniform(0.5, 4)))
    # Slow dossiers become overdue; some of them apologise in time.
    slow = rng.random() < 0.18
    if slow and dossier.due_at and rng.random() < 0.5:
        try:
            leader = cast(dossier.current_agency_id, Role.LEADER)
            ds.dossier_apologise(
                dossier=dossier,
                actor=leader,
                reason="Cần xác minh thêm với cơ quan liên quan.",
                new_due_at=dossier.due_at + timedelta(days=7),
                at=later(4),
            )
        except DomainError:
            pass
    if target == Status.STOPPED:
        ds.dossier_stop(
            dossier=dossier, actor=reception, reason="Công dân đề nghị dừng giải quyết.", channel="counter", at=later(8)
        )
        return
    if target in {Status.SUPPLEMENT_REQUESTED, Status.SUPPLEMENT_SUBMITTED}:
        specialist = cast(dossier.current_agency_id, Role.SPECIALIST, Role.LEADER)
        ds.dossier_request_supplement(
            dossier=dossier,
            actor=specialist,
            reason="Cần bổ sung giấy tờ chứng minh.",
            items=["Giấy tờ chứng minh nơi cư trú"],
            at=later(6),
        )
        if target == Status.SUPPLEMENT_SUBMITTED:
            # Handed in at the counter, waiting for an officer's check.
            ds.dossier_resubmit(dossier=dossier, actor=reception, note="Nộp bổ sung tại quầy.", at=later(20))
        return
    _walk_steps(rng, dossier, cast, later, slow)
    if dossier.status != Status.PROCESSING or target == Status.PROCESSING:
        return
    if target == Status.AWAITING_PAYMENT or (dossier.fee_vnd and rng.random() < 0.3):
        specialist = cast(dossier.current_agency_id, Role.SPECIALIST, Role.LEADER)
        ds.dossier_request_payment(
            dossier=dossier,
            actor=specialist,
            amount_vnd=dossier.fee_vnd or 50_000,
            note="Lệ phí và chi phí khác theo quy định.",
            at=later(2),
        )
        if target == Status.AWAITING_PAYMENT:
            return
        ds.dossier_confirm_payment(
            dossier=dossier,
            actor=reception,
            amount_vnd=dossier.fee_vnd or 50_000,
            online=rng.random() < 0.6,
            at=later(rng.uniform(1, 24)),
        )
    leader = cast(dossier.current_agency_id, Role.LEADER)
    ds.dossier_finish(
        dossier=dossier,
        actor=leader,
        electronic_result=rng.random() < 0.7,
        at=later(rng.uniform(2, 60 if slow else 12)),
    )
    if target == Status.RETURNED:
        ds.dossier_return_result(
            dossier=dossier,
            actor=reception,
            delivery=rng.choice(["in_person", "post", "online"]),
            at=later(rng.uniform(1, 30)),
        )


def _walk_steps(rng: random.Random, dossier: Dossier, cast: _Cast, later: Any, slow: bool) -> None:
    """Follow the process graph from the first step to the leader's step."""
    step = dossier.current_step
    guard = 0
    while step is not None and step.actor_role != StepActor.LEADER and guard < 10:
        guard += 1
        following = [
            s
            for s in ProcessStep.objects.get(pk=step.pk).next_steps.order_by("position")
            if s.actor_role != StepActor.RECEPTION
        ]
        if not following:
            return
        nxt = following[0]
        actor = cast(dossier.current_agency_id, Role.SPECIALIST, Role.LEADER)
        ds.dossier_hand_over(
            dossier=dossier, actor=actor, to_step=nxt.key, at=later(rng.uniform(2, 40 if slow else 10))
        )
        step = nxt


def load_all(*, dossiers: int = 300, seed: int = 2026) -> LoadReport:
    report = LoadReport()
    load_structure(report)
    load_dossiers(report, count=dossiers, seed=seed)
    return report
