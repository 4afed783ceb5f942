"""Synthetic dossier histories for demos and benchmarks (issue 4 item 5).

Every dossier is made by the real services (`dossiers.services.*` with `at=` to place each
step in the past), so its events, pauses, hand-overs, counters and forms are exactly what
the system itself would have written: channels, supplements at intake and in processing
(sometimes twice, which makes a dossier late for indicator 2.1, docs/indicators.md), late
dossiers, apologies with a new date (Form 04), payments online and at the counter,
ratings, feedback, digitized and reused components, electronic results.

Deterministic for a seed and a reference instant (`until`): one `random.Random(seed)`
drives every choice. What the services stamp with the wall clock (the rows' `created_at`,
a component's `added_at`) is the only thing that differs between two runs.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from motcua.catalog.models import (
    CompetentLevel,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
    StepActor,
    VersionStatus,
)
from motcua.dossiers import services as ds
from motcua.dossiers.models import Channel, Delivery, Dossier, OnlineSource, Status
from motcua.lib.errors import DomainError
from motcua.organizations.actors import Actor, actor_for
from motcua.organizations.models import Agency, AgencyKind, Membership
from motcua.organizations.selectors import one_stop_unit_for
from motcua.payments.services import payment_confirm, payment_create
from motcua.people.models import Person
from motcua.people.services import person_find_or_create, person_mark_verified
from motcua.ratings.models import CRITERIA, Satisfaction
from motcua.ratings.services import feedback_handle, feedback_submit, feedback_vote, rating_submit

VN = ds.VN_TZ

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hữu", "Đức", "Thu", "Quang", "Hoài"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Khánh", "Lan", "Linh", "Long"]
GIVEN += ["Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến"]
#: Birth-registration province codes of the personal ID (Decree 137/2015 Art. 13; e.g. 001 Hà Nội, 079 HCMC).
PROVINCES = ["001", "002", "004", "008", "019", "022", "026", "031", "036", "038", "040", "046", "048", "079", "092"]
#: Generated receipts fall at random instants; one outside working hours says so (the rule:
#: dossiers.services.receipt_hours_check). Stored only on the receipts that need it.
SIMULATED_HOURS = "Dữ liệu mô phỏng: thời điểm tiếp nhận được sinh ngẫu nhiên"
SUPPLEMENT_REASONS = ["Thiếu bản chụp giấy tờ tùy thân", "Tờ khai chưa ký", "Ảnh chụp không rõ nét"]


@dataclass
class Route:
    """One way a dossier can be filed and settled with the officers present."""

    version: ProcedureVersion
    receiving: Agency
    settling: Agency
    reception: list[Actor]


@dataclass
class Cast:
    """Officers by (agency id, role), citizens who can file, and connected systems."""

    officers: dict[tuple[int, str], list[Actor]] = field(default_factory=dict)
    citizens: list[tuple[Actor, Person]] = field(default_factory=list)
    portal: Actor = field(default_factory=lambda: Actor(user_id=None, name="Cổng DVCQG", system="national_portal"))
    payments: Actor = field(
        default_factory=lambda: Actor(user_id=None, name="Nền tảng thanh toán", system="payment_platform")
    )

    def pick(self, rng: random.Random, agency_id: int | None, *roles: str) -> Actor | None:
        found = [a for role in roles for a in self.officers.get((agency_id, role), [])] if agency_id else []
        return rng.choice(found) if found else None


class NothingToGenerate(DomainError):
    code = "nothing_to_generate"


def personal_id(rng: random.Random, *, year: int) -> str:
    """A valid 12-digit personal ID (Circular 59/2021/TT-BCA Art. 7): province, century and
    sex, two digits of the birth year, six random digits."""
    century = 0 if year < 2000 else 2
    return f"{rng.choice(PROVINCES)}{century + rng.randint(0, 1)}{year % 100:02d}{rng.randint(0, 999_999):06d}"


def _cast() -> Cast:
    cast = Cast()
    users = {u.pk: u for u in get_user_model().objects.filter(is_active=True, memberships__active=True).distinct()}
    actors = {pk: actor_for(user) for pk, user in sorted(users.items())}
    by_key: dict[tuple[int, str], list[Actor]] = defaultdict(list)
    for user_id, agency_id, role in (
        Membership.objects.filter(active=True)
        .order_by("agency_id", "role", "user_id")
        .values_list("user_id", "agency_id", "role")
    ):
        if user_id in actors:
            by_key[(agency_id, role)].append(actors[user_id])
    cast.officers = dict(by_key)
    for person in Person.objects.filter(user__isnull=False, user__is_active=True).select_related("user").order_by("pk"):
        actor = actor_for(person.user)
        if not actor.is_officer:
            cast.citizens.append((actor, person))
    return cast


def _routes(cast: Cast) -> list[Route]:
    versions = (
        ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("procedure", "competent_agency", "field")
        .prefetch_related("fees", "documents", "steps__next_steps")
        .order_by("procedure__code")
    )
    communes = list(Agency.objects.filter(kind=AgencyKind.COMMUNE).order_by("code"))
    routes = []
    for version in versions:
        pairs: list[tuple[Agency, Agency]] = []
        if version.competent_level == CompetentLevel.AGENCY and version.competent_agency is not None:
            pairs.append((one_stop_unit_for(version.competent_agency), version.competent_agency))
        elif version.competent_level == CompetentLevel.COMMUNE:
            pairs += [(one_stop_unit_for(commune), commune) for commune in communes]
        for receiving, settling in pairs:
            reception = cast.officers.get((receiving.pk, "reception"), [])
            if reception and cast.officers.get((settling.pk, "leader")):
                routes.append(Route(version=version, receiving=receiving, settling=settling, reception=reception))
    return routes


class Generator:
    def __init__(self, *, seed: int, until: datetime | None = None) -> None:
        self.rng = random.Random(seed)  # noqa: S311 (synthetic data, reproducible by design)
        self.until = until or timezone.now()
        self.cast = _cast()
        self.routes = _routes(self.cast)
        if not self.routes:
            raise NothingToGenerate(
                "No published procedure can be filed here: one needs a one-stop unit with a reception officer "
                "and a leader in the settling agency."
            )
        self.people: list[tuple[Actor, Person]] = []

    # ------------------------------------------------------------ time

    def _working(self, t: datetime) -> datetime:
        """Move an instant into office hours (08:00–17:00, Monday to Friday, local time)."""
        local = t.astimezone(VN)
        while local.weekday() >= 5 or local.hour >= 17:
            local = (local + timedelta(days=1)).replace(hour=8, minute=self.rng.randint(0, 59))
        if local.hour < 8:
            local = local.replace(hour=8, minute=self.rng.randint(0, 59))
        return local

    def _later(self, t: datetime, low_hours: float, high_hours: float) -> datetime:
        return self._working(t + timedelta(hours=self.rng.uniform(low_hours, high_hours)))

    # ------------------------------------------------------------ people

    def _citizen(self) -> tuple[Actor, Person]:
        """An applicant: now and then a registered citizen, mostly one of a growing pool."""
        if self.cast.citizens and self.rng.random() < 0.1:
            return self.rng.choice(self.cast.citizens)
        if self.people and self.rng.random() < 0.7:
            return self.rng.choice(self.people)
        year = self.rng.randint(1950, 2005)
        name = f"{self.rng.choice(FAMILY)} {self.rng.choice(MIDDLE)} {self.rng.choice(GIVEN)}"
        person = person_find_or_create(
            id_number=personal_id(self.rng, year=year),
            full_name=name,
            address=f"Số {self.rng.randint(1, 300)}, đường {self.rng.choice(GIVEN)}",
            phone=f"09{self.rng.randint(0, 99_999_999):08d}",
        )
        if self.rng.random() < 0.6 and not person.verified_by_national_identity:
            person_mark_verified(person=person)
        entry = (Actor(user_id=None, name=person.full_name, person_id=person.pk), person)
        self.people.append(entry)
        return entry

    def _components(self, version: ProcedureVersion, online: bool) -> list[ds.ComponentIn]:
        documents: list[RequiredDocument | None] = [*version.documents.all()] or [None]
        items = []
        for doc in documents:
            digitized = online or self.rng.random() < 0.5
            reused = bool(doc is not None and doc.reusable and self.rng.random() < 0.6)
            name = doc.name if doc is not None else "Đơn đề nghị"
            size = self.rng.randint(20_000, 3_000_000) if digitized else 0
            items.append(
                ds.ComponentIn(
                    name=name,
                    required_document_id=doc.pk if doc is not None else None,
                    digitized=digitized,
                    reused_data=reused,
                    from_warehouse=reused and self.rng.random() < 0.5,
                    file_name=f"{hashlib.sha1(name.encode()).hexdigest()[:8]}.pdf" if digitized else "",  # noqa: S324
                    content_type="application/pdf" if digitized else "",
                    size_bytes=size,
                    sha256=f"{self.rng.getrandbits(256):064x}" if digitized else "",
                )
            )
        return items

    # ------------------------------------------------------------ one dossier

    def one(self) -> Dossier | None:
        rng = self.rng
        route = rng.choice(self.routes)
        version = route.version
        start = self._working(self.until - timedelta(days=rng.uniform(0, 365)))
        if start >= self.until:
            start = self._working(start - timedelta(days=7))
        citizen, person = self._citizen()
        reception = rng.choice(route.reception)
        online = version.online_level != "none" and rng.random() < 0.65
        pace = rng.choices([0.5, 1.0, 2.5], weights=[60, 30, 10])[0]  # 10 % of the dossiers run late
        try:
            with transaction.atomic():
                try:
                    return self._story(route, version, start, citizen, person, reception, online, pace)
                except _Stop as stop:
                    return stop.dossier
        except DomainError:
            return None  # a rule of this database refused the story (rolled back): skip it

    # long: one dossier's life in the order of its random draws, on which the generated files
    # (and the benchmarks' inputs) depend; every step shares the clock `step` and its stop.
    def _story(
        self,
        route: Route,
        version: ProcedureVersion,
        t: datetime,
        citizen: Actor,
        person: Person,
        reception: Actor,
        online: bool,
        pace: float,
    ) -> Dossier:
        rng = self.rng
        until = self.until

        def step(after: datetime, low: float, high: float) -> datetime:
            nxt = self._later(after, low * pace, high * pace)
            if nxt >= until:
                raise _Stop(dossier)
            return nxt

        components = self._components(version, online)
        if online:
            source = rng.choice([OnlineSource.PORTAL, OnlineSource.NATIONAL_PORTAL, OnlineSource.PORTAL])
            dossier = ds.dossier_submit(
                actor=self.cast.portal if source == OnlineSource.NATIONAL_PORTAL else citizen,
                version=version,
                applicant=person,
                receiving_agency=route.receiving,
                settling_agency=route.settling,
                components=components,
                source=source,
                external_id=f"G{rng.getrandbits(40):010x}" if source == OnlineSource.NATIONAL_PORTAL else "",
                at=t,
            )
            t = step(t, 0.5, 16)
            roll = rng.random()
            if roll < 0.03:
                ds.dossier_refuse(dossier=dossier, actor=reception, reason="Hồ sơ không thuộc thẩm quyền", at=t)
                return dossier
            if roll < 0.13:
                # Checked and returned for completion, not received; completed, then received.
                ds.dossier_return_for_completion(
                    dossier=dossier,
                    actor=reception,
                    reason=rng.choice(SUPPLEMENT_REASONS),
                    items=["Tờ khai có chữ ký"],
                    at=t,
                )
                t = step(t, 8, 72)
                if rng.random() < 0.1:
                    ds.dossier_withdraw(dossier=dossier, actor=citizen, reason="Không bổ sung được", at=t)
                    return dossier
                ds.dossier_resubmit(dossier=dossier, actor=citizen, note="Đã bổ sung", at=t)
                t = step(t, 0.5, 8)
            ds.dossier_receive(dossier=dossier, actor=reception, outside_hours_reason=SIMULATED_HOURS, at=t)
        else:
            channel = Channel.POST if version.postal_allowed and rng.random() < 0.1 else Channel.COUNTER
            dossier = ds.dossier_register(
                actor=reception,
                version=version,
                applicant=person,
                receiving_agency=route.receiving,
                settling_agency=route.settling,
                channel=channel,
                components=components,
                outside_hours_reason=SIMULATED_HOURS,
                at=t,
            )
        t = step(t, 0.5, 8)
        ds.dossier_start_processing(dossier=dossier, actor=reception, at=t)
        if pace > 1 and rng.random() < 0.5:
            self._try(
                lambda at: ds.dossier_apologise(
                    dossier=dossier,
                    actor=self._officer(dossier, "leader") or reception,
                    reason="Cần xác minh thêm thông tin",
                    new_due_at=(dossier.due_at or at) + timedelta(days=7),
                    at=at,
                ),
                step(t, 1, 4),
            )
            t = dossier.updated_at if dossier.updated_at and dossier.updated_at > t else t
        supplements = rng.choices([0, 1, 2], weights=[85, 11, 4])[0]
        for _ in range(supplements):
            # Within the province's limit after the dossier (or the last supplement) arrived.
            t = step(t, 1, 8)
            officer = self._officer(dossier, "specialist", "leader")
            if officer is None:
                break
            ds.dossier_request_supplement(
                dossier=dossier, actor=officer, reason=rng.choice(SUPPLEMENT_REASONS), items=["Tờ khai có chữ ký"], at=t
            )
            t = step(t, 8, 96)
            ds.dossier_resubmit(dossier=dossier, actor=citizen, note="Đã bổ sung", at=t)
            t = step(t, 0.5, 4)
            ds.dossier_accept_supplement(dossier=dossier, actor=reception, outside_hours_reason=SIMULATED_HOURS, at=t)
        if dossier.fee_vnd > 0:
            t = step(t, 2, 24)
            self._pay(dossier, t, step)
            t = dossier.updated_at or t
        t = self._walk_steps(dossier, t, step)
        if rng.random() < 0.01:
            ds.dossier_stop(
                dossier=dossier, actor=reception, reason="Công dân đề nghị dừng", channel="counter", at=step(t, 2, 24)
            )
            return dossier
        leader = self._officer(dossier, "leader")
        if leader is None:
            return dossier
        t = step(t, 4, 40)
        ds.dossier_approve(dossier=dossier, actor=leader, at=t)
        t = step(t, 0.5, 8)
        finisher = self._officer(dossier, "specialist") or leader
        electronic = rng.random() < (0.8 if online else 0.4)
        ds.dossier_finish(dossier=dossier, actor=finisher, electronic_result=electronic, at=t)
        t = step(t, 2, 48)
        delivery = (
            Delivery.ONLINE
            if electronic and online
            else (Delivery.POST if dossier.channel == "post" else Delivery.IN_PERSON)
        )
        ds.dossier_return_result(dossier=dossier, actor=rng.choice(route.reception), delivery=delivery, at=t)
        if rng.random() < 0.4:
            self._rate(dossier, person, step(t, 1, 72))
        if rng.random() < 0.03:
            self._complain(dossier, person, step(t, 4, 200))
        return dossier

    def _officer(self, dossier: Dossier, *roles: str) -> Actor | None:
        return self.cast.pick(self.rng, dossier.current_agency_id, *roles)

    def _staffed(self, agency_id: int) -> bool:
        return bool(self.cast.officers.get((agency_id, "specialist")) or self.cast.officers.get((agency_id, "leader")))

    def _try(self, action: Callable[[datetime], Any], at: datetime) -> None:
        try:
            with transaction.atomic():
                action(at)
        except DomainError:
            pass  # e.g. Form 04 less than one working day before the due instant: not sent

    def _pay(self, dossier: Dossier, t: datetime, step: Callable[[datetime, float, float], datetime]) -> None:
        officer = self._officer(dossier, "specialist", "leader")
        if officer is None:
            return
        ds.dossier_request_payment(dossier=dossier, actor=officer, at=t)
        requested = t
        paid_at = step(t, 1, 48)
        online = self.rng.random() < 0.6
        reference = f"PAY{self.rng.getrandbits(48):012X}"
        payment = payment_create(
            dossier=dossier,
            amount_vnd=dossier.fee_vnd,
            online=online,
            provider="national_payment_platform" if online else "counter",
            reference=reference,
            requested_at=requested,
        )
        payment_confirm(payment=payment, paid_at=paid_at, fee_data_synced=online)
        ds.dossier_confirm_payment(
            dossier=dossier,
            actor=self.cast.payments if online else officer,
            amount_vnd=dossier.fee_vnd,
            online=online,
            reference=reference,
            at=paid_at,
        )

    def _walk_steps(
        self, dossier: Dossier, t: datetime, step: Callable[[datetime, float, float], datetime]
    ) -> datetime:
        """Hand the dossier along its process to the last step before the return step."""
        version = dossier.procedure_version
        by_pk: dict[int, ProcessStep] = {s.pk: s for s in version.steps.all()}
        for _ in range(len(by_pk)):
            current = by_pk.get(dossier.current_step_id or 0)
            if current is None:
                return t
            options = [
                s
                for s in current.next_steps.all()
                if s.actor_role != StepActor.RECEPTION and self._staffed(s.agency_id or dossier.settling_agency_id)
            ]
            officer = self._officer(dossier, "specialist", "leader")
            if not options or officer is None:
                return t
            nxt = self.rng.choice(sorted(options, key=lambda s: s.position))
            t = step(t, 4, 60)
            ds.dossier_hand_over(dossier=dossier, actor=officer, to_step=nxt.key, note=nxt.name, at=t)
        return t

    def _rate(self, dossier: Dossier, person: Person, at: datetime) -> None:
        due, done = dossier.appointment_at, dossier.processed_at
        late = due is not None and done is not None and done > due
        satisfaction = self.rng.choices(
            [Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED, Satisfaction.UNSATISFIED],
            weights=[20, 60, 20] if late else [50, 45, 5],
        )[0]
        scores = {
            key: self.rng.choice([1, 2, 2]) if satisfaction != Satisfaction.UNSATISFIED else self.rng.choice([0, 1])
            for key in CRITERIA
        }
        applicant = Actor(user_id=None, name=person.full_name, person_id=person.pk)
        rating_submit(dossier=dossier, actor=applicant, scores=scores, satisfaction=satisfaction, at=at)

    def _complain(self, dossier: Dossier, person: Person, at: datetime) -> None:
        handled_at = self._later(at, 8, 200)
        handled = self.rng.random() < 0.7 and handled_at < self.until
        feedback = feedback_submit(
            agency=dossier.settling_agency,
            dossier=dossier,
            person=person,
            content="Hồ sơ giải quyết chậm so với giấy hẹn.",
            at=at,
        )
        likes, dislikes = self.rng.randint(0, 3), self.rng.randint(0, 2)
        if handled:
            feedback_handle(feedback=feedback, answer="Đã xử lý, xin lỗi công dân.", at=handled_at)
        feedback_vote(feedback=feedback, likes=likes, dislikes=dislikes)


class _Stop(Exception):
    """The story reached the present: the dossier stays where it is (open)."""

    def __init__(self, dossier: Dossier | None) -> None:
        super().__init__("reached now")
        self.dossier = dossier


def generate_dossiers(
    *, count: int, seed: int, until: datetime | None = None, progress: Callable[[int], None] | None = None
) -> int:
    """Create `count` dossiers with realistic histories; returns how many were created."""
    generator = Generator(seed=seed, until=until)
    made = 0
    for index in range(count):
        if generator.one() is not None:
            made += 1
        if progress is not None:
            progress(index + 1)
    return made


__all__ = ["Generator", "NothingToGenerate", "Status", "generate_dossiers", "personal_id"]
