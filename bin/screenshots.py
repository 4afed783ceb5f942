"""Screenshots of the main pages at 1280 px and 360 px, for a reviewer to look at: `make screenshots`.

It starts everything itself: a fresh SQLite database under data/screenshots/site (migrated,
with the demo province and its dossiers, the indicator counters caught up by one batch run of
the background worker, and the few states the journeys show prepared through the services: a
citizen's refused dossier, a draft version with an e-form), the development server on a free
local port, then headless Chromium (Playwright driving Debian's `chromium`) signs in as each
demo persona, walks the journeys (filing, the citizen's own dossier, the counter, assignment,
the dashboard, the catalogue editor) and saves one PNG per page and width into
data/screenshots/ (git-ignored, under /data/). The server is stopped at the end, also on failure.

    .venv/bin/python bin/screenshots.py [--keep-database] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "screenshots"
SITE = OUT / "site"
CHROMIUM = Path("/usr/bin/chromium")
PYTHON = sys.executable
PASSWORD = "motcua-demo"  # noqa: S105 (the published password of the demo accounts)
WIDTHS = (1280, 360)


def env() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "MOTCUA_DEBUG": "1",
        "MOTCUA_DATA_DIR": str(SITE),
        "DATABASE_URL": f"sqlite:///{SITE / 'motcua.sqlite3'}",
    }


def manage(*args: str) -> None:
    print("manage.py", " ".join(args), flush=True)
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env(), check=True, cwd=ROOT)  # noqa: S603


def build_site(keep: bool) -> None:
    """The demo province in a database of its own (never the one `make run` uses)."""
    if keep and (SITE / "motcua.sqlite3").exists():
        return
    shutil.rmtree(SITE, ignore_errors=True)
    SITE.mkdir(parents=True)
    manage("migrate", "--no-input", "-v", "0")
    manage("load_demo", "--dossiers", "120")
    manage("run_worker", "--queue-name", "*", "--batch", "--no-startup-delay")


#: Run in the screenshot database once it is built (`manage.py shell`), through the services:
#: the states the self-service and catalogue pages need, named by code in a JSON line.
PREPARE = """
import json
from django.contrib.auth import get_user_model
from motcua.catalog.models import ProcedureVersion, VersionStatus
from motcua.catalog.services import procedure_version_draft_from
from motcua.dossiers import services as ds
from motcua.dossiers.models import Dossier
from motcua.organizations.actors import actor_for

mine = Dossier.objects.filter(applicant__user__username="congdan.an")
opened = mine.filter(status="processing").order_by("id").first()
refused = mine.filter(status="refused").order_by("-id").first()
if refused is None and (last := mine.filter(status="processing").order_by("id").last()) not in (None, opened):
    officer = get_user_model().objects.filter(
        memberships__agency_id=last.current_agency_id, memberships__role__in=["specialist", "leader"]
    ).order_by("pk").first()
    ds.dossier_refuse(dossier=last, actor=actor_for(officer), reason="Hồ sơ không đủ điều kiện theo quy định.")
    refused = last
versions = ProcedureVersion.objects.filter(e_form_schema__isnull=False).order_by("procedure__code")
draft = versions.filter(status=VersionStatus.DRAFT).first()
if draft is None:
    draft = procedure_version_draft_from(version=versions.filter(status=VersionStatus.PUBLISHED).first())
print(json.dumps({
    "open": opened.code if opened else "",
    "refused": refused.code if refused else "",
    "draft": f"{draft.procedure.code}/{draft.number}",
}))
"""


def prepare() -> dict[str, str]:
    """The dossiers and the draft version the journeys below show (see PREPARE)."""
    import json

    done = subprocess.run(  # noqa: S603 (our own manage.py)
        [PYTHON, str(ROOT / "manage.py"), "shell", "-c", PREPARE],
        env=env(),
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server() -> Iterator[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(  # noqa: S603 (our own manage.py)
        [PYTHON, str(ROOT / "manage.py"), "runserver", "--noreload", f"127.0.0.1:{port}"],
        env={**env(), "MOTCUA_PUBLIC_BASE_URL": base},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310 (our own local server)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit("The development server did not answer on " + base)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


class Shooter:
    """One browser context per persona; `shoot` saves a page at every width."""

    def __init__(self, browser: Any, base: str, only: set[str], prepared: dict[str, str]) -> None:
        self.browser, self.base, self.only, self.prepared = browser, base, only, prepared
        self.page: Any = None
        self.saved: list[str] = []

    def as_user(self, username: str | None) -> Any:
        if self.page is not None:
            self.page.context.close()
        context = self.browser.new_context(
            locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 900}
        )
        self.page = context.new_page()
        if username:
            self.page.goto(self.base + "/dang-nhap/")
            self.page.fill("#id_username", username)
            self.page.fill("#id_password", PASSWORD)
            with self.page.expect_navigation():
                self.page.click("form.card button[type=submit]")
        return self.page

    def press(self, selector: str) -> Any:
        """Press a button that posts a plain form; wait for the page that answers."""
        with self.page.expect_navigation():
            self.page.click(selector)
        self.page.wait_for_load_state()
        return self.page

    def go(self, path: str) -> Any:
        self.page.goto(self.base + path)
        self.page.wait_for_load_state()
        return self.page

    def shoot(self, name: str) -> None:
        if self.only and name not in self.only:
            return
        for width in WIDTHS:
            self.page.set_viewport_size({"width": width, "height": 900 if width > 400 else 740})
            path = OUT / f"{name}-{width}.png"
            self.page.screenshot(path=str(path), full_page=True)
            self.saved.append(path.name + self.remarks())
        self.page.set_viewport_size({"width": 1280, "height": 900})

    def remarks(self) -> str:
        """What a reviewer should look at: sideways scroll, a header taller than a fifth of the screen."""
        overflow = self.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        header = self.page.evaluate(
            "(() => { const h = document.querySelector('header'); return h ? h.getBoundingClientRect().height : 0; })()"
        )
        height = self.page.viewport_size["height"]
        notes = [
            f"scrolls {overflow}px sideways" if overflow > 0 else "",
            f"header {header:.0f}px" if header > height / 5 else "",
        ]
        return "".join(f"  ({note})" for note in notes if note)


def first_link(page: Any, selector: str) -> str:
    href = page.locator(selector).first.get_attribute("href")
    if not href:
        raise SystemExit(f"No link {selector} on {page.url}")
    return str(href)


def citizen_pages(s: Shooter) -> None:
    page = s.as_user(None)
    s.go("/")
    s.shoot("01-portal-home")
    s.go("/thu-tuc/?q=ly+lich+tu+phap")
    s.shoot("02-search")
    s.go(first_link(page, "#results a[href^='/thu-tuc/']"))
    s.shoot("03-procedure")
    procedure_path = page.url.removeprefix(s.base)
    page = s.as_user("congdan.an")
    s.go(procedure_path)
    page.click("button:has-text('Nộp trực tuyến')")
    page.wait_for_url(re.compile(r"/ho-so-nhap/\d+/$"))
    s.shoot("04-filing-draft")
    s.go("/cua-toi/")
    s.shoot("05-my-dossiers")
    code = first_link(page, "a[href^='/cua-toi/']:not([href='/cua-toi/'])").rstrip("/").rsplit("/", 1)[-1]
    s.go(f"/cua-toi/{code}/")
    s.shoot("06-my-dossier")
    s.as_user(None)
    s.go(f"/tra-cuu/{code}/")
    s.shoot("07-tracking")


def officer_pages(s: Shooter) -> None:
    s.as_user("tiepnhan.tinh")
    s.go("/mot-cua/")
    s.shoot("10-counter")
    s.go("/mot-cua/tiep-nhan/")
    s.shoot("11-counter-new")
    page = s.as_user("chuyenvien.stp")
    s.go("/can-bo/")
    s.shoot("12-officer-queue")
    s.go(first_link(page, "a[href^='/can-bo/ho-so/']"))
    s.shoot("13-dossier-page")


def feedback_pages(s: Shooter) -> None:
    """A feedback (PAKN) from its form to its published answer: anonymous sender, the
    department's leader answers and publishes, then the public answers page."""
    page = s.as_user(None)
    s.go("/phan-anh/gui/")
    s.shoot("40-feedback-form")
    page.check("input[name=kind][value=rules]")
    page.select_option("select[name=agency]", label="Sở Tư pháp tỉnh Minh Hòa")
    page.fill("textarea[name=content]", "Đề nghị niêm yết rõ lệ phí cấp Phiếu lý lịch tư pháp tại quầy tiếp nhận.")
    page.fill("input[name=name]", "Trần Văn Minh")
    page.fill("input[name=phone]", "0912 000 111")
    with page.expect_navigation():
        page.click("form[data-testid=feedback-form] button[type=submit]")
    page.wait_for_url(re.compile(r"/phan-anh/ma/PAKN-[A-Z0-9]+/$"))
    s.shoot("41-feedback-sent")
    code = page.inner_text("[data-testid=feedback-code]").strip()
    page = s.as_user("lanhdao.stp")
    s.go("/can-bo/phan-anh/")
    s.shoot("42-feedback-queue")
    s.go(first_link(page, f"a:has-text('{code}')"))
    s.shoot("43-feedback-officer")
    page.click("#action-answer summary")
    answer = "Sở đã niêm yết mức lệ phí 200.000 đồng tại quầy và trên Cổng dịch vụ công."
    page.fill("textarea[name=answer-answer]", answer)
    with page.expect_navigation():
        page.click("button[data-action=answer]")
    page.click("#action-publish summary")
    with page.expect_navigation():
        page.click("button[data-action=publish]")
    s.as_user(None)
    s.go("/phan-anh/")
    s.shoot("44-feedback-answers")


def manager_pages(s: Shooter) -> None:
    page = s.as_user("quanly.tinh")
    s.go("/indicators/")
    s.shoot("20-dashboard")
    s.go(first_link(page, "table.scorecard a[href*='/dossiers/received/']"))
    s.shoot("21-dashboard-drilldown")
    s.go(page.url.removeprefix(s.base).split("/dossiers/")[0] + "/?period=2026-13")
    s.shoot("22-dashboard-invalid-period")
    page = s.as_user("admin")
    s.go("/admin/")
    s.shoot("30-admin")
    s.go("/admin/dossiers/dossier/")
    s.shoot("31-admin-dossiers")


def self_service_pages(s: Shooter) -> None:
    """The citizen's own dossier: what was filed, how to receive the result, withdrawing (the
    question only: nothing is withdrawn), and a refused dossier with its notice."""
    page = s.as_user("congdan.an")
    if code := s.prepared.get("open"):
        s.go(f"/cua-toi/{code}/")
        s.shoot("08-my-dossier-filed")
        page.check("input[name=delivery][value=post]")
        page.fill("textarea[name=address]", "")
        s.press("button:has-text('Lưu hình thức nhận kết quả')")
        s.shoot("09-my-dossier-delivery-error")
        page.fill("textarea[name=address]", "Số 12 Trần Phú, phường Ba Đình, Hà Nội")
        s.press("button:has-text('Lưu hình thức nhận kết quả')")
        s.shoot("09-my-dossier-delivery-chosen")
        page.check("input[name=kind][value=withdraw]")
        page.fill("textarea[name=reason]", "Đã nộp nhầm thủ tục")
        s.press("button:has-text('Gửi đề nghị')")
        s.shoot("09-my-dossier-withdraw-question")
    if code := s.prepared.get("refused"):
        s.go(f"/cua-toi/{code}/")
        s.shoot("09-my-dossier-refused")
        s.go(first_link(page, "[data-testid=ending] a[href*='/in/']"))
        s.shoot("09-refusal-notice")


def assignment_pages(s: Shooter) -> None:
    """A leader's dossier page with the assignment form open; the specialist's own queue."""
    page = s.as_user("lanhdao.stp")
    s.go("/can-bo/")
    s.go(first_link(page, "a[href^='/can-bo/ho-so/']"))
    if page.locator("#action-assign summary").count():
        page.click("#action-assign summary")
    s.shoot("14-dossier-assign")
    s.as_user("chuyenvien.stp")
    s.go("/can-bo/?queue=assigned")
    s.shoot("15-assigned-to-me")


def catalogue_pages(s: Shooter) -> None:
    """The catalogue editor: the list, a new procedure, a draft version, its e-form builder
    with the live preview, the e-form as JSON and the citizen's preview of the draft."""
    s.as_user("danhmuc.tinh")
    s.go("/danh-muc/")
    s.shoot("50-catalogue-list")
    s.go("/danh-muc/moi/")
    s.shoot("51-catalogue-new")
    draft = s.prepared.get("draft")
    if not draft:
        return
    s.go(f"/danh-muc/{draft}/")
    s.shoot("52-catalogue-draft")
    s.go(f"/danh-muc/{draft}/bieu-mau/")
    s.shoot("53-eform-builder")
    s.go(f"/danh-muc/{draft}/bieu-mau/json/")
    s.shoot("54-eform-json")
    s.go(f"/danh-muc/{draft}/xem-truoc/")
    s.shoot("55-catalogue-preview")


JOURNEYS: list[Callable[[Shooter], None]] = [
    citizen_pages,
    self_service_pages,
    officer_pages,
    assignment_pages,
    feedback_pages,
    manager_pages,
    catalogue_pages,
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep-database", action="store_true", help="reuse data/screenshots/site when it exists")
    parser.add_argument("--only", nargs="*", default=[], help="names of the screenshots to take (default: all)")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit("Screenshots need Debian's chromium at /usr/bin/chromium (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    build_site(args.keep_database)
    prepared = prepare()
    with server() as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        shooter = Shooter(browser, base, set(args.only), prepared)
        try:
            for journey in JOURNEYS:
                journey(shooter)
        finally:
            browser.close()
    print(f"{len(shooter.saved)} screenshots in {OUT.relative_to(ROOT)}/:")
    for name in shooter.saved:
        print("  " + name)


if __name__ == "__main__":
    main()
