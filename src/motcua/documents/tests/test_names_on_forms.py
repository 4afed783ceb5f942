"""No form is signed by a garbled name: every form, rendered for officers and an applicant
with multi-part names, prints each name whole and in Vietnamese order (family, middle, given)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model

from motcua.documents.forms import render_form_pdf, render_tracking_book_pdf
from motcua.documents.tests.helpers import T0, pdf_text, vn
from motcua.dossiers import services as ds
from motcua.dossiers.workflow import Action
from motcua.organizations.actors import Actor, actor_for
from motcua.organizations.services import user_set_full_name
from motcua.people.services import person_find_or_create

APPLICANT = "Nguyễn Thị Minh Khai"
RECEPTION = "Tôn Nữ Thị Hồng Nhung"
SPECIALIST = "Âu Dương Văn Phúc"
LEADER = "Lê Hoàng Bảo Anh"


def _renamed(actor: Actor, full_name: str) -> Actor:
    assert actor.user_id is not None
    user = get_user_model().objects.get(pk=actor.user_id)
    user_set_full_name(user=user, full_name=full_name)
    return actor_for(user)


def _garbled(full_name: str) -> list[str]:
    """The ways a name gets garbled: given name first, or the words reversed."""
    family, _, given = full_name.rpartition(" ")
    words = full_name.split(" ")
    return [f"{given} {family}", " ".join(reversed(words))]


def _assert_named(text: str, *names: str) -> None:
    for name in names:
        assert name in text, f"{name!r} missing in: {text}"
        for wrong in _garbled(name):
            assert wrong not in text, f"garbled {wrong!r} in: {text}"


def test_every_form_prints_multi_part_names_whole_and_in_vietnamese_order(world: Any) -> None:
    reception = _renamed(world.reception, RECEPTION)
    specialist = _renamed(world.specialist, SPECIALIST)
    leader = _renamed(world.leader, LEADER)
    applicant = person_find_or_create(id_number="001190654321", full_name=APPLICANT)

    def register(at: Any) -> Any:
        return ds.dossier_register(
            actor=reception,
            version=world.procedure,
            applicant=applicant,
            receiving_agency=world.centre,
            components=world.papers(),
            at=at,
        )

    main = register(T0)
    ds.dossier_start_processing(dossier=world.refresh(main), actor=reception, at=T0 + timedelta(minutes=5))
    ds.dossier_request_supplement(
        dossier=world.refresh(main), actor=specialist, reason="Ảnh mờ", items=["Tờ khai"], at=T0 + timedelta(minutes=10)
    )
    ds.dossier_resubmit(dossier=world.refresh(main), actor=reception, note="Đã bổ sung", at=T0 + timedelta(hours=1))
    ds.dossier_accept_supplement(dossier=world.refresh(main), actor=reception, at=T0 + timedelta(hours=2))
    ds.dossier_hand_over(dossier=world.refresh(main), actor=specialist, to_step="tax", at=vn(2026, 6, 3, 10))
    ds.dossier_apologise(
        dossier=world.refresh(main),
        actor=leader,
        reason="Chờ xác minh",
        new_due_at=vn(2026, 6, 19, 16, 0),
        at=vn(2026, 6, 10, 9, 0),
    )
    refused = ds.dossier_register_not_received(
        actor=reception,
        version=world.procedure,
        applicant=applicant,
        receiving_agency=world.centre,
        action=Action.REFUSE,
        reason="Không thuộc thẩm quyền",
        at=T0 + timedelta(minutes=10),
    )
    stopped = register(T0 + timedelta(minutes=20))
    ds.dossier_stop(dossier=world.refresh(stopped), actor=reception, reason="Công dân đề nghị dừng", channel="post")

    main = world.refresh(main)
    expected = {
        "01": (main, (APPLICANT, RECEPTION)),
        "02": (main, (APPLICANT, SPECIALIST)),
        "03": (world.refresh(refused), (APPLICANT, RECEPTION)),
        "04": (main, (APPLICANT, LEADER)),
        "05": (world.refresh(stopped), (APPLICANT, RECEPTION)),
        "06": (main, (APPLICANT, RECEPTION, SPECIALIST)),
        "07": (main, (APPLICANT,)),
    }
    for code, (dossier, names) in expected.items():
        _assert_named(pdf_text(render_form_pdf(dossier, code)), *names)
    _assert_named(pdf_text(render_tracking_book_pdf(world.centre, T0.date(), T0.date())), APPLICANT)
