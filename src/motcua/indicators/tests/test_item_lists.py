"""Item lists of the catalogue and PAKN sub-indicators (1.1, 1.2, 1.3, 4.e, 4.5a, 5.B, 5.C,
6.1, 6.2): every list holds exactly the denominator's items, and the items marked as in the
numerator are exactly the numerator, for every agency of the province.

Procedures, versions and dossiers are made through the services (publishing at fixed
instants with time_machine, since publishing stamps `made_public_at` with the clock). Three
things have no service yet and are written directly, as the other indicator tests do: PAKN
(`Feedback`), the fee-data flag of a payment, and a commune's e-certified-copy flag.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.catalog.models import Field, ProcedureVersion
from motcua.catalog.services import (
    DocumentSpec,
    FeeSpec,
    StepSpec,
    VersionSpec,
    procedure_create,
    procedure_version_draft,
)
from motcua.dossiers import services as ds
from motcua.indicators.engine import ITEM_LISTS
from motcua.indicators.periods import Period, parse_period
from motcua.indicators.selectors import indicator_items, scorecard
from motcua.indicators.tests.conftest import Walker, publish_at, vn
from motcua.lib.errors import InvalidInput
from motcua.organizations.models import Agency
from motcua.organizations.services import agency_create
from motcua.payments.models import Payment, PaymentStatus
from motcua.ratings.models import Feedback
from motcua.testing.tasks import run_background_tasks

MARCH = "2026-03"
NOW = vn(2026, 4, 15, 10)


def _spec(
    world: Any, name: str, agency: Agency | None, *, fee: int = 0, complete: bool = True, **kw: Any
) -> VersionSpec:
    return VersionSpec(
        name=name,
        field=Field.objects.get(code="LLTP"),
        time_limit_amount=5,
        time_limit_unit="working_days",
        competent_agency=agency,
        fees=[FeeSpec(name="Lệ phí", amount_vnd=fee)] if fee else [],
        documents=[DocumentSpec(name="Tờ khai")] if complete else [],
        steps=[
            StepSpec(
                key="reception", name="Tiếp nhận", actor_role="reception", budget_amount=5, budget_unit="working_days"
            )
        ]
        if complete
        else [],
        **kw,
    )


@pytest.fixture
def catalogue(world: Any) -> dict[str, ProcedureVersion]:
    """March 2026 decisions. 1.000101: v1 on time, v2 late (so late for 1.1). 1.000102: no
    legal date, never made public, no steps nor documents. 1.000103: made public late."""
    a = procedure_create(code="1.000101", spec=_spec(world, "Cấp giấy phép A", world.justice, fee=50_000))
    publish_at(a, vn(2026, 3, 3, 10), date(2026, 3, 2), date(2026, 3, 20))
    a2 = procedure_version_draft(
        procedure=a.procedure, spec=_spec(world, "Cấp giấy phép A (sửa đổi)", world.justice, fee=50_000)
    )
    publish_at(a2, vn(2026, 4, 1, 10), date(2026, 3, 25), date(2026, 3, 26))
    b = procedure_create(
        code="1.000102", spec=_spec(world, "Thủ tục B", world.construction, complete=False, subjects=["business"])
    )
    publish_at(b, vn(2026, 3, 10, 10), date(2026, 3, 10), None, made_public=False)
    c = procedure_create(code="1.000103", spec=_spec(world, "Thủ tục C", world.tax, fee=10_000))
    publish_at(c, vn(2026, 3, 27, 10), date(2026, 3, 16), date(2026, 4, 30))
    return {"a": a2, "b": b, "c": c}


def _paid_online(world: Any, walk: Walker, at: datetime) -> Any:
    d = walk.to_processing(walk.counter(at), at + timedelta(hours=1))
    ds.dossier_request_payment(dossier=world.refresh(d), actor=world.specialist, at=at + timedelta(hours=2))
    ds.dossier_confirm_payment(
        dossier=world.refresh(d), actor=world.specialist, amount_vnd=200_000, online=True, at=at + timedelta(hours=3)
    )
    return d


@pytest.fixture
def activity(world: Any, walk: Walker, catalogue: dict[str, ProcedureVersion]) -> None:
    """Dossiers, PAKN and communes behind 4.e, 4.5a, 5.B, 5.C, 6.1 and 6.2 in March 2026."""
    # 5.B: one dossier of 2.000488 paid online; 5.C: fee data on another one.
    _paid_online(world, walk, vn(2026, 3, 4, 9))
    synced = walk.counter(vn(2026, 3, 5, 9))
    Payment.objects.create(
        dossier=synced,
        amount_vnd=200_000,
        status=PaymentStatus.SUCCEEDED,
        provider="counter",
        fee_data_synced=True,
        requested_at=vn(2026, 3, 5, 9),
        paid_at=vn(2026, 3, 5, 9),
    )
    # 4.5a: a dossier whose component comes from the citizen's warehouse.
    ds.dossier_register(
        actor=world.reception,
        version=world.procedure,
        applicant=world.citizen_person,
        receiving_agency=world.centre,
        at=vn(2026, 3, 6, 9),
        components=[
            ds.ComponentIn(name=doc.name, required_document_id=doc.pk, from_warehouse=doc.reusable)
            for doc in world.procedure.documents.all()
        ],
    )
    # 4.e: a second commune, offering e-certified copies.
    other = agency_create(
        code="H99.51", name="UBND xã Bình Minh", kind="commune", level="commune", parent=world.province
    )
    Agency.objects.filter(pk=other.pk).update(offers_e_certified_copy=True)
    # 6.1, 6.2: handled on time, handled late, open (overdue at the period end), on time but
    # disliked, on time but repeated, refused on time; one in April (outside the period).
    rows: list[tuple[Agency, datetime, str, dict[str, Any], dict[str, Any]]] = [
        (world.justice, vn(2026, 3, 2, 9), "handled", {"handled_at": vn(2026, 3, 9, 9)}, {}),
        (world.justice, vn(2026, 3, 2, 9), "handled", {"handled_at": vn(2026, 3, 31, 9)}, {}),
        (world.tax, vn(2026, 3, 3, 9), "open", {}, {}),
        (world.tax, vn(2026, 3, 25, 9), "open", {}, {"repeated": True}),
        (world.commune, vn(2026, 3, 10, 9), "handled", {"handled_at": vn(2026, 3, 12, 9)}, {"likes": 1, "dislikes": 3}),
        (world.commune, vn(2026, 3, 11, 9), "refused", {"refused_at": vn(2026, 3, 12, 9)}, {}),
        (world.justice, vn(2026, 4, 2, 9), "open", {}, {}),
    ]
    for agency, received, status, outcome, extra in rows:
        Feedback.objects.create(
            agency=agency, content="Nội dung riêng tư 7731", status=status, received_at=received, **outcome, **extra
        )
    run_background_tasks()


def _assert_list_matches_scorecard(agency: Agency, period: Period, key: str) -> dict[str, Any]:
    item = scorecard(agency, period, now=NOW).item(key)
    body = indicator_items(agency, period, key, now=NOW)
    assert not body["truncated"]
    marked = [row for row in body["items"] if row["in_numerator"]]
    assert len(body["items"]) == item.denominator == body["denominator"], (agency.code, key)
    assert len(marked) == item.numerator == body["numerator"], (agency.code, key)
    # items not counted come first
    flags = [bool(row["in_numerator"]) for row in body["items"]]
    assert flags == sorted(flags)
    return body


@pytest.mark.parametrize("key", sorted(ITEM_LISTS))
def test_each_list_holds_the_denominator_and_marks_the_numerator(world: Any, activity: None, key: str) -> None:
    march = parse_period(MARCH)
    for agency in Agency.objects.all():
        _assert_list_matches_scorecard(agency, march, key)
    # a quarter and a custom range (partial months) too, for the province
    for label in ("2026-Q1", "2026-03-05..2026-04-07"):
        _assert_list_matches_scorecard(world.province, parse_period(label), key)


def _by_code(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["code"]: row for row in body["items"]}


def test_publicity_lists_say_why(world: Any, activity: None) -> None:
    march = parse_period(MARCH)
    p11 = _by_code(_assert_list_matches_scorecard(world.province, march, "1.1"))
    assert set(p11) == {"1.000101", "1.000102", "1.000103"}
    assert p11["1.000101"]["in_numerator"] is False  # v2's decision came after its deadline
    assert p11["1.000101"]["reason"] == "decision_late"
    assert [(v["version"], v["on_time"]) for v in p11["1.000101"]["versions"]] == [(1, True), (2, False)]
    assert p11["1.000101"]["versions"][0]["deadline"] == date(2026, 3, 13)  # 20/3 − 5 working days
    assert p11["1.000103"]["in_numerator"] is True
    assert p11["1.000103"]["reason"] == "decision_on_time"

    p12 = {
        (row["code"], row["version"]): row for row in indicator_items(world.province, march, "1.2", now=NOW)["items"]
    }
    assert p12[("1.000101", 1)]["reason"] == "made_public_on_time"
    assert p12[("1.000101", 1)]["made_public_on"] == date(2026, 3, 3)
    assert p12[("1.000102", 1)]["reason"] == "not_made_public"
    assert p12[("1.000102", 1)]["due"] == date(2026, 3, 17)
    assert p12[("1.000103", 1)]["reason"] == "made_public_late"
    assert ("1.000101", 2) not in p12  # made public 1/4, due 1/4: nothing due in March

    p13 = _by_code(_assert_list_matches_scorecard(world.province, march, "1.3"))
    assert p13["1.000102"]["in_numerator"] is False
    assert p13["1.000102"]["missing"] == ["steps", "documents"]
    assert p13["1.000101"]["version"] == 2  # the version in force
    assert p13["1.000101"]["missing"] == []

    # The justice department is scored only on its own procedures.
    justice = _by_code(indicator_items(world.justice, march, "1.1", now=NOW))
    assert set(justice) == {"1.000101"}


def test_procedure_and_commune_lists_say_why(world: Any, activity: None) -> None:
    march = parse_period(MARCH)
    b = _by_code(_assert_list_matches_scorecard(world.province, march, "5.B"))
    assert set(b) == {"2.000488", "1.000101", "1.000103"}  # the fee procedures
    assert (b["2.000488"]["in_numerator"], b["2.000488"]["dossiers"], b["2.000488"]["reason"]) == (
        True,
        1,
        "paid_online",
    )
    assert (b["1.000103"]["in_numerator"], b["1.000103"]["reason"]) == (False, "no_paid_online")
    c = _by_code(_assert_list_matches_scorecard(world.province, march, "5.C"))
    assert [code for code, row in c.items() if row["in_numerator"]] == ["2.000488"]
    a = _by_code(_assert_list_matches_scorecard(world.province, march, "4.5a"))
    assert "1.000102" not in a  # businesses only
    assert [code for code, row in a.items() if row["in_numerator"]] == ["2.000488"]

    e = _by_code(_assert_list_matches_scorecard(world.province, march, "4.e"))
    assert {code: row["in_numerator"] for code, row in e.items()} == {"H99.50": False, "H99.51": True}
    assert e["H99.51"]["name"] == "UBND xã Bình Minh"
    assert indicator_items(world.justice, march, "4.e", now=NOW)["items"] == []


def test_feedback_lists_say_why(world: Any, activity: None) -> None:
    march = parse_period(MARCH)
    on_time = _assert_list_matches_scorecard(world.province, march, "6.1")
    reasons = sorted(row["reason"] for row in on_time["items"])
    # 2/3 handled 9/3; 2/3 handled 31/3 (due 23/3); open since 3/3 (due 24/3); open since
    # 25/3 (due in April); handled 12/3 but disliked; refused within 2 working days.
    assert reasons == sorted(
        [
            "answered_on_time",
            "answered_late",
            "open_overdue",
            "open_within_deadline",
            "answered_on_time",
            "answered_on_time",
        ]
    )
    satisfied = _assert_list_matches_scorecard(world.province, march, "6.2")
    assert sorted(row["reason"] for row in satisfied["items"]) == sorted(
        ["satisfied", "late", "late", "objected", "objected", "satisfied"]
    )
    row = next(r for r in on_time["items"] if r["reason"] == "answered_late")
    assert row["answered_at"] == vn(2026, 3, 31, 9)
    assert row["due"] is not None
    assert row["due"] < row["answered_at"]
    assert "content" not in row
    assert "person" not in row
    # Judged on 20/3, the PAKN open since 3/3 is still within its 15 working days.
    early = indicator_items(world.province, march, "6.1", now=vn(2026, 3, 20, 9))
    assert early["numerator"] == scorecard(world.province, march, now=vn(2026, 3, 20, 9)).item("6.1").numerator
    opened = next(r for r in early["items"] if r["received_at"] == vn(2026, 3, 3, 9))
    assert (opened["reason"], opened["in_numerator"]) == ("open_within_deadline", True)


def test_unknown_or_dossier_keys_are_refused(world: Any) -> None:
    march = parse_period(MARCH)
    with pytest.raises(InvalidInput) as unknown:
        indicator_items(world.province, march, "9.9")
    assert unknown.value.code == "invalid_indicator"
    with pytest.raises(InvalidInput) as dossier:
        indicator_items(world.province, march, "2.1")
    assert dossier.value.code == "dossier_indicator"
    assert dossier.value.details == {"flags": ["on_time", "received"]}


def test_the_limit_truncates_but_keeps_the_numbers(world: Any, activity: None) -> None:
    body = indicator_items(world.province, parse_period(MARCH), "1.1", now=NOW, limit=1)
    assert body["truncated"] is True
    assert len(body["items"]) == 1
    assert (body["numerator"], body["denominator"]) == (1, 3)


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_the_scorecard_json_says_where_each_list_is_and_the_api_serves_it(world: Any, activity: None) -> None:
    client = _client("manager")
    card = client.get("/api/v1/indicators/scorecard", {"agency": "H99", "period": MARCH}).json()
    items = {i["key"]: i for g in card["groups"] for i in g["items"]}
    assert all(i["list"] is not None for i in items.values())
    for key in ITEM_LISTS:
        link = items[key]["list"]
        assert link["kind"] == ITEM_LISTS[key]
        body = client.get(link["api"]).json()
        assert body["key"] == key
        assert len(body["items"]) == body["count"] == body["denominator"] == items[key]["denominator"]
        assert sum(1 for row in body["items"] if row["in_numerator"]) == items[key]["numerator"]
        page = client.get(link["page"])
        assert page.status_code == 200
    assert items["2.1"]["list"]["numerator"]["flag"] == "on_time"
    assert client.get(items["2.1"]["list"]["denominator"]["api"]).status_code == 200

    bad = client.get("/api/v1/indicators/items", {"agency": "H99", "period": MARCH, "key": "7.7"})
    assert bad.status_code == 422
    assert bad.json()["code"] == "invalid_indicator"
    dossier = client.get("/api/v1/indicators/items", {"agency": "H99", "period": MARCH, "key": "4.2"})
    assert dossier.status_code == 422
    assert dossier.json()["code"] == "dossier_indicator"
    refused = _client("outsider").get("/api/v1/indicators/items", {"agency": "H99", "period": MARCH, "key": "1.1"})
    assert refused.status_code == 403


def test_the_dashboard_links_each_row_to_its_list_and_the_page_explains(world: Any, activity: None) -> None:
    client = _client("manager")
    html = client.get(f"/indicators/H99/?period={MARCH}").content.decode()
    for key in ITEM_LISTS:
        assert f"/indicators/H99/items/{key}/?period={MARCH}" in html
    page = client.get(f"/indicators/H99/items/1.3/?period={MARCH}", HTTP_ACCEPT_LANGUAGE="vi")
    text = page.content.decode()
    assert page.status_code == 200
    assert "1.000102" in text
    assert "Trình tự thực hiện" in text  # the missing steps, in Vietnamese
    english = client.get(f"/indicators/H99/items/1.3/?period={MARCH}", HTTP_ACCEPT_LANGUAGE="en")
    assert "Process steps" in english.content.decode()
    feedback = client.get(f"/indicators/H99/items/6.1/?period={MARCH}").content.decode()
    assert "Nội dung riêng tư 7731" not in feedback  # no PAKN content on the page
    assert "Sở Tư pháp" in feedback  # agencies and statuses by name, not by key
    assert ">handled<" not in feedback
    assert ">open<" not in feedback
    assert client.get(f"/indicators/H99/items/9.9/?period={MARCH}").status_code == 400
    assert client.get(f"/indicators/H99/items/2.1/?period={MARCH}").status_code == 400
    assert _client("specialist").get(f"/indicators/H99.10/items/1.1/?period={MARCH}").status_code == 403
