"""Browser tests in headless Chromium (Playwright): the three journeys of issue 3, with axe-core
accessibility checks, a 360-px phone viewport check and screenshots in test-artifacts/.

They run on PostgreSQL only: `live_server` needs a transactional database that is emptied
between tests, and Django empties SQLite with DELETE, which the append-only trigger on
dossier events refuses (PostgreSQL is emptied with TRUNCATE, which fires no row trigger).
CI runs the suite on PostgreSQL too (.ci/run), so these run there.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from motcua.calendars.worktime import VN_TZ
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier, Status
from motcua.ratings.models import Rating
from motcua.testing.files import pdf_bytes
from motcua.testing.world import ANY_HOUR_REASON

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
PASSWORD = "motcua-test-pass"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "Browser tests need PostgreSQL: live_server empties tables between tests, and on SQLite "
            "Django does that with DELETE, which the append-only trigger on dossier events refuses."
        )
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium package is not installed at /usr/bin/chromium.")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
    # between page actions are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium package is not installed at /usr/bin/chromium.")
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(30_000)
    tab = context.new_page()
    tab.base = live_server.url
    violations = watch_csp(tab)
    yield tab
    context.close()
    assert violations == [], f"Content-Security-Policy violations: {violations}"


def watch_csp(page: Any) -> list[str]:
    """Every Content-Security-Policy violation the browser reports in its console."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url} {message.location} {message.text[:60]}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return violations


def go(page: Any, path: str) -> None:
    page.goto(page.base + path)


def sign_in(page: Any, username: str) -> None:
    go(page, "/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():  # wait for the answer to the sign-in, not the page already there
        page.click("form.card button[type=submit]")
    assert "/dang-nhap/" not in page.url, page.content()[:2000]


def sign_out(page: Any) -> None:
    page.click("header form button[type=submit]:has-text('Đăng xuất')")
    page.wait_for_load_state()


def check_page(page: Any, name: str) -> None:
    """axe-core: no violation of the WCAG 2.2 A/AA rules, whatever its impact; 360 px: no
    horizontal scroll; a screenshot."""
    ARTIFACTS.mkdir(exist_ok=True)
    # Evaluated through the DevTools protocol: an inline <script> would be refused by the
    # page's Content-Security-Policy (and reported as a violation).
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    bad = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert not bad, f"{name}: accessibility violations {json.dumps(bad, ensure_ascii=False)}"
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    size = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 740})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.screenshot(path=str(ARTIFACTS / f"{name}-360.png"), full_page=True)
    page.set_viewport_size(size)
    assert overflow <= 0, f"{name}: {overflow}px of horizontal scroll on a 360-px screen"


def a_pdf(tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(pdf_bytes())
    return str(path)


def act(page: Any, action: str, fill: dict[str, str] | None = None, check: list[str] | None = None) -> None:
    """Open the action's panel on the dossier page, fill it in and send it (HTMX swaps the page)."""
    panel = page.locator(f"#action-{action}")
    panel.locator("summary").click()
    for selector, value in (fill or {}).items():
        field = panel.locator(selector)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    for selector in check or []:
        panel.locator(selector).check()
    page.evaluate("document.querySelector('#dossier').dataset.stale = '1'")
    panel.locator(f"button[data-action={action}]").click()
    # HTMX swaps #dossier for the fresh one (and #messages out of band) once the service answered.
    page.wait_for_function("() => { const d = document.querySelector('#dossier'); return d && !d.dataset.stale; }")
    page.wait_for_selector("#messages .message")


def test_online_submission_through_counter_specialist_leader_to_rating(page: Any, world: Any, tmp_path: Path) -> None:
    # Citizen: find the procedure without diacritics, file it online, get the code and QR.
    go(page, "/")
    check_page(page, "01-home")
    page.fill("#home-q", "ly lich tu phap")
    page.click("form[role=search] button")
    page.wait_for_selector("#results")
    check_page(page, "02-search")
    page.click("#results a:has-text('Cấp Phiếu lý lịch tư pháp')")
    assert "Nếu nộp ngay bây giờ" in page.content()
    check_page(page, "03-procedure")
    sign_in(page, "citizen")
    go(page, "/thu-tuc/2.000488/")
    page.click("button:has-text('Nộp trực tuyến')")
    page.wait_for_url(re.compile(r"/ho-so-nhap/\d+/$"))
    docs = list(world.procedure.documents.all())
    page.set_input_files(f"#doc-{docs[0].pk}", a_pdf(tmp_path, "to-khai.pdf"))
    page.click("button[value=save]")
    assert "Đã lưu nháp" in page.content()
    check_page(page, "04-draft")
    page.click("button[value=review]")
    assert "Hãy tải lên giấy tờ này." in page.content()  # the second paper is still missing
    page.set_input_files(f"#doc-{docs[1].pk}", a_pdf(tmp_path, "cccd.pdf"))
    page.click("button[value=review]")
    page.wait_for_url(re.compile(r"/xem-lai/$"))
    check_page(page, "05-review")
    page.click("button:has-text('Nộp hồ sơ')")
    page.wait_for_url(re.compile(r"/da-nop/"))
    code = page.inner_text("[data-testid=dossier-code]")
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == Status.SUBMITTED
    check_page(page, "06-submitted")
    sign_out(page)

    # Public tracking by code, without signing in.
    go(page, f"/tra-cuu/{code}/")
    assert page.inner_text("[data-testid=status]") == "Đã nộp trực tuyến, chờ tiếp nhận"
    assert "Nguyễn Văn An" not in page.content()
    check_page(page, "07-track")

    # Counter: check the online dossier, receive it (Form 01) and forward it.
    sign_in(page, "reception")
    go(page, "/mot-cua/")
    check_page(page, "08-counter")
    page.click(f"a:has-text('{code}')")
    check_page(page, "09-counter-dossier")
    act(
        page,
        "receive",
        # The suite may run outside working hours; inside them the reason is not kept.
        fill={"input[name='receive-outside_hours_reason']": ANY_HOUR_REASON},
        check=["input[value='Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp']", "input[value='Bản chụp giấy tờ tùy thân']"],
    )
    assert page.inner_text("[data-testid=status]") == "Đã tiếp nhận"
    page.click("a:has-text('In mẫu vừa lập')")
    assert code in page.inner_text("[data-testid=receipt-code]")
    check_page(page, "10-receipt-form-01")
    go(page, f"/can-bo/ho-so/{code}/")
    act(page, "start_processing")
    assert page.inner_text("[data-testid=status]") == "Đang xử lý"
    sign_out(page)

    # Specialist: the queue shows the working time left; hand over to the leader's step.
    sign_in(page, "specialist")
    go(page, "/can-bo/")
    assert "ngày làm việc" in page.inner_text(f"tr:has-text('{code}') [data-testid=left]")
    check_page(page, "11-queue")
    page.click(f"a:has-text('{code}')")
    assert "approve" not in set(page.eval_on_selector_all("[data-action]", "els => els.map(e => e.dataset.action)"))
    check_page(page, "12-dossier-specialist")
    act(
        page,
        "hand_over",
        fill={"select[name='hand_over-to_step']": "approve", "textarea[name='hand_over-note']": "Đủ điều kiện"},
    )
    assert "Phê duyệt" in page.inner_text(".step-graph li.current")
    sign_out(page)

    # Leader: approve and finish.
    sign_in(page, "leader")
    go(page, f"/can-bo/ho-so/{code}/")
    act(page, "approve")
    act(page, "finish")
    assert page.inner_text("[data-testid=status]") == "Đã xử lý xong, có kết quả"
    go(page, f"/can-bo/ho-so/{code}/phieu-kiem-soat/")
    assert "Phiếu kiểm soát quá trình giải quyết hồ sơ" in page.content()
    check_page(page, "13-control-sheet-form-06")
    sign_out(page)

    # Counter: return the result in person.
    sign_in(page, "reception")
    go(page, f"/can-bo/ho-so/{code}/")
    act(page, "return_result", fill={"select[name='return_result-delivery']": "in_person"})
    assert page.inner_text("[data-testid=status]") == "Đã trả kết quả"
    go(
        page,
        "/can-bo/so-theo-doi/?agency=H99.01&start="
        + timezone.localdate().replace(day=1).isoformat()
        + "&end="
        + timezone.localdate().isoformat(),
    )
    assert code in page.content()
    check_page(page, "14-book-form-07")
    sign_out(page)

    # Citizen: the result and the rating.
    sign_in(page, "citizen")
    go(page, f"/cua-toi/{code}/")
    check_page(page, "15-my-dossier-result")
    for radio in page.locator("input[type=radio][value='2']").all():
        radio.check()
    page.check("input[name=satisfaction][value=very_satisfied]")
    page.click("button:has-text('Gửi đánh giá')")
    assert "Cảm ơn bạn đã đánh giá dịch vụ." in page.content()
    rating = Rating.objects.get(dossier__code=code)
    assert rating.satisfaction == "very_satisfied"
    assert set(rating.scores.values()) == {2}


def test_counter_checks_before_receiving_returns_with_form_02_then_receives(
    page: Any, world: Any, tmp_path: Path
) -> None:
    """The counter's check-then-receive journey: an incomplete walk-in dossier is returned with
    Form 02 (not received, no clock), completed online, then received with Form 01 listing
    each paper once; another is refused with Form 03 after the confirmation step."""
    sign_in(page, "reception")
    go(page, "/mot-cua/tiep-nhan/")
    page.select_option("#procedure-pick", "2.000488")
    page.click("button:has-text('Chọn')")
    page.fill("#id_id_number", "12345")
    page.fill("#id_full_name", "Nguyễn Văn An")
    page.click("button:has-text('Tiếp nhận và cấp giấy tiếp nhận')")
    assert "Số định danh cá nhân gồm 12 chữ số" in page.content()
    check_page(page, "20-counter-intake-errors")
    page.fill("#id_id_number", "001090123456")
    declaration, id_copy = list(world.procedure.documents.all())
    page.check(f"#component-{declaration.pk}")
    page.set_input_files(f"#scan-{declaration.pk}", a_pdf(tmp_path, "to-khai.pdf"))
    page.fill("#reason", "Bản chụp căn cước chưa có")
    page.click("button:has-text('Hướng dẫn hoàn thiện (Mẫu 02)')")
    page.wait_for_url(re.compile(r"/in/\d+/$"))
    assert "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" in page.content()
    assert id_copy.name in page.content()
    check_page(page, "21-counter-form-02")
    dossier = Dossier.objects.get()
    code = dossier.code
    assert (dossier.status, dossier.received_at, dossier.due_at) == (Status.RETURNED_FOR_COMPLETION, None, None)
    sign_out(page)

    sign_in(page, "citizen")
    go(page, f"/cua-toi/{code}/")
    assert "Bản chụp căn cước chưa có" in page.content()
    check_page(page, "22-my-dossier-returned")
    page.set_input_files("#supp-file-0", a_pdf(tmp_path, "cccd.pdf"))
    page.click("button:has-text('Gửi hồ sơ bổ sung')")
    assert page.inner_text("[data-testid=status]") == "Đã nộp trực tuyến, chờ tiếp nhận"
    assert Dossier.objects.get(code=code).received_at is None  # never received by itself
    sign_out(page)

    sign_in(page, "reception")
    go(page, f"/can-bo/ho-so/{code}/")
    act(
        page,
        "receive",
        check=[f"input[value='{declaration.name}']", f"input[value='{id_copy.name}']"],
        fill={"input[name='receive-outside_hours_reason']": ANY_HOUR_REASON},
    )
    assert page.inner_text("[data-testid=status]") == "Đã tiếp nhận"
    page.click("a:has-text('In mẫu vừa lập')")
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in page.content()
    assert page.locator(f".form-table td:text-is('{id_copy.name}')").count() == 1  # each paper once
    check_page(page, "23-receipt-after-completion")

    go(page, "/mot-cua/tiep-nhan/?procedure=2.000488")
    page.fill("#id_id_number", "001090123456")
    page.fill("#id_full_name", "Nguyễn Văn An")
    page.fill("#reason", "Yêu cầu không thuộc thẩm quyền của Trung tâm")
    page.click("button:has-text('Từ chối (Mẫu 03)…')")
    assert page.locator("[data-testid=confirm-refusal]").is_visible()
    assert Dossier.objects.count() == 1  # the first press issues nothing
    check_page(page, "24-counter-refusal-confirm")
    page.click("button:has-text('Xác nhận từ chối (Mẫu 03)')")
    page.wait_for_url(re.compile(r"/in/\d+/$"))
    assert "Phiếu từ chối tiếp nhận giải quyết hồ sơ" in page.content()
    refused = Dossier.objects.exclude(code=code).get()
    assert (refused.status, refused.received_at) == (Status.REFUSED, None)


def test_an_overdue_dossier_and_an_apology_with_a_new_date(page: Any, world: Any) -> None:
    now = timezone.now()
    late = world.register(at=now - timedelta(days=40), outside_hours_reason=ANY_HOUR_REASON)
    ds.dossier_start_processing(dossier=late, actor=world.reception, at=now - timedelta(days=40))
    # Received two calendar days ago: due in about eight working days, so an apology is still allowed.
    soon = world.register(at=now - timedelta(days=2), outside_hours_reason=ANY_HOUR_REASON)
    ds.dossier_start_processing(dossier=soon, actor=world.reception, at=now - timedelta(days=2))

    sign_in(page, "leader")
    go(page, "/can-bo/?queue=overdue")
    row = page.locator(f"tr:has-text('{late.code}')")
    assert "quá hạn" in row.locator("[data-testid=left]").inner_text()
    assert page.locator(f"tr:has-text('{soon.code}')").count() == 0
    check_page(page, "30-queue-overdue")
    # The apology is due at least one working day before the due date (Lai Châu 88/2025 Art. 3.6);
    # an overdue dossier still gets it, marked late for the reports.
    page.click(f"a:has-text('{late.code}')")
    new_day = (timezone.localtime(now, VN_TZ) + timedelta(days=30)).date().strftime("%d/%m/%Y")  # typed day first
    act(
        page,
        "apologise",
        fill={"textarea[name='apologise-reason']": "Chờ xác minh", "input[name='apologise-new_date']": new_day},
    )
    assert "Đã thực hiện" in page.content()
    assert page.locator("[data-testid=late-apology]").count() == 1

    go(page, f"/can-bo/ho-so/{soon.code}/")
    act(
        page,
        "apologise",
        fill={
            "textarea[name='apologise-reason']": "Chờ kết quả xác minh của Công an tỉnh",
            "input[name='apologise-new_date']": new_day,
        },
    )
    assert "Đã thực hiện" in page.content()
    page.click("a:has-text('In mẫu vừa lập')")
    assert "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết" in page.content()
    check_page(page, "31-apology-form-04")
    sign_out(page)

    sign_in(page, "citizen")
    go(page, f"/cua-toi/{soon.code}/")
    assert "Chờ kết quả xác minh của Công an tỉnh" in page.content()
    assert "Thư xin lỗi và hẹn lại (Mẫu 04)" in page.content()
    check_page(page, "32-my-dossier-apology")
    go(page, f"/tra-cuu/{soon.code}/")
    expected = (timezone.localtime(now, VN_TZ) + timedelta(days=30)).strftime("%d/%m/%Y")
    assert expected in page.content()


def test_the_page_check_catches_an_accessibility_violation_and_a_wide_page(page: Any) -> None:
    page.set_content('<html lang="vi"><body><main><img src="x.png"><h1>Ảnh</h1></main></body></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        check_page(page, "99-axe-self-check")
    page.set_content(
        '<html lang="vi"><head><title>Rộng</title></head><body><main><h1>Rộng</h1>'
        '<div style="width:900px">x</div></main></body></html>'
    )
    with pytest.raises(AssertionError, match="horizontal scroll"):
        check_page(page, "99-width-self-check")


def test_the_citizen_files_online_with_javascript_turned_off(
    browser: Any, live_server: Any, world: Any, tmp_path: Path
) -> None:
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    page.base = live_server.url
    try:
        go(page, "/thu-tuc/?q=ly+lich")
        page.click("#results a:has-text('Cấp Phiếu lý lịch tư pháp')")
        sign_in(page, "citizen")
        go(page, "/thu-tuc/2.000488/")
        page.click("button:has-text('Nộp trực tuyến')")
        for doc in world.procedure.documents.all():
            page.set_input_files(f"#doc-{doc.pk}", a_pdf(tmp_path, f"{doc.pk}.pdf"))
        page.click("button[value=review]")
        page.click("button:has-text('Nộp hồ sơ')")
        code = page.inner_text("[data-testid=dossier-code]")
        assert Dossier.objects.get(code=code).status == Status.SUBMITTED
        go(page, f"/tra-cuu/?code={code}")
        assert page.inner_text("[data-testid=status]") == "Đã nộp trực tuyến, chờ tiếp nhận"
    finally:
        context.close()


def test_the_csp_watch_catches_an_inline_script(browser: Any, live_server: Any) -> None:
    context = browser.new_context()
    tab = context.new_page()
    violations = watch_csp(tab)
    tab.goto(live_server.url + "/")
    tab.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1'; document.body.append(s); }"
    )
    tab.wait_for_timeout(200)
    context.close()
    assert violations, "an inline script ran, or its refusal was not reported"


def test_the_api_documentation_works_under_its_content_security_policy(page: Any) -> None:
    go(page, "/api/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "MotCua API" in page.inner_text(".swagger-ui .info .title")
    page.locator(".opblock-summary").first.click()
    page.wait_for_selector(".opblock-body")


def test_the_citizen_sees_when_a_conditional_paper_is_needed_and_is_asked_for_it(
    page: Any, world: Any, tmp_path: Path
) -> None:
    from motcua.testing.conditional import CODE, DECLARATION, ID_COPY, PROXY, conditional_procedure

    version = conditional_procedure(world)
    proxy, id_copy = (version.documents.get(name=name).pk for name in (PROXY, ID_COPY))
    go(page, f"/thu-tuc/{CODE}/")
    assert "bắt buộc khi “Nộp thay cho người có yêu cầu” là “có”" in page.inner_text("main")
    check_page(page, "procedure-conditional-papers")
    sign_in(page, "citizen")
    go(page, f"/thu-tuc/{CODE}/")
    page.click("button:has-text('Nộp trực tuyến')")
    page.select_option("#ef-tinh_trang_hon_nhan", "Chưa đăng ký kết hôn với ai")
    page.check("#ef-nop_thay")
    page.set_input_files(f"#doc-{id_copy}", a_pdf(tmp_path, "cccd.pdf"))
    page.click("button[value=review]")
    assert page.inner_text(f"#doc-{proxy}-error").split() == ["Lỗi:", "Hãy", "tải", "lên", "giấy", "tờ", "này."]
    check_page(page, "draft-conditional-paper-missing")
    page.set_input_files(f"#doc-{proxy}", a_pdf(tmp_path, "uy-quyen.pdf"))
    page.click("button[value=review]")
    page.click("button:has-text('Nộp hồ sơ')")
    code = page.inner_text("[data-testid=dossier-code]")
    names = sorted(Dossier.objects.get(code=code).components.values_list("name", flat=True))
    assert names == sorted([DECLARATION, ID_COPY, PROXY])
