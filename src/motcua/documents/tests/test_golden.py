"""Golden tests: each form of Circular 03/2025 Appendix I, rendered to PDF from fixed data and
read back with `pdftotext`, must say exactly what its reviewed text in `golden/` says.

When a form changes on purpose, regenerate with `MOTCUA_GOLDEN_UPDATE=1` and review the diff
of the files in `documents/tests/golden/` (e.g. `documents/tests/golden/form_01.txt`) like any
other change: that review is the point of these tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine

from motcua.documents.forms import render_form_pdf, render_tracking_book_pdf
from motcua.documents.tests.helpers import T0, vn
from motcua.dossiers import services as ds
from motcua.dossiers.workflow import Action

GOLDEN = Path(__file__).resolve().parent / "golden"
#: The forms are printed on this day (Form 07's date line is the day it is printed).
PRINTED = vn(2026, 7, 1, 9, 0)


def _lines(pdf: bytes) -> str:
    """The PDF's text, line by line as `pdftotext` reads it, each line stripped, blank lines
    dropped, page breaks kept as a line of their own."""
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.fail("pdftotext (Debian poppler-utils) is needed to check the forms' text.")
    out = subprocess.run([exe, "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)  # noqa: S603
    text = unicodedata.normalize("NFC", out.stdout.decode("utf-8")).replace("\f", "\n<trang mới>\n")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line).removesuffix("\n<trang mới>") + "\n"


def _dossiers(world: Any) -> dict[str, Any]:
    """Fixed data: one dossier through processing, a supplement asked by the agency, handed in
    and accepted (a second Form 01), a hand-over, an apology, the result and its return; one
    returned for completion and one refused at the counter, never received; one stopped on a
    postal request; one refused by the competent agency during processing."""
    main = world.register(at=T0)
    ds.dossier_start_processing(dossier=world.refresh(main), actor=world.reception, at=T0 + timedelta(minutes=15))
    ds.dossier_request_supplement(
        dossier=world.refresh(main),
        actor=world.specialist,
        reason="Bản chụp căn cước bị mờ",
        items=["Bản chụp căn cước rõ nét", "Tờ khai có chữ ký của người yêu cầu"],
        at=T0 + timedelta(minutes=30),
    )
    ds.dossier_resubmit(
        dossier=world.refresh(main),
        actor=world.citizen,
        note="Đã bổ sung",
        components=[ds.ComponentIn(name="Bản chụp giấy tờ tùy thân")],
        at=vn(2026, 6, 2, 8),
    )
    ds.dossier_accept_supplement(dossier=world.refresh(main), actor=world.reception, at=vn(2026, 6, 2, 9))
    ds.dossier_hand_over(
        dossier=world.refresh(main), actor=world.specialist, to_step="tax", note="Xác định thuế", at=vn(2026, 6, 4, 10)
    )
    ds.dossier_hand_over(
        dossier=world.refresh(main), actor=world.tax_specialist, to_step="approve", at=vn(2026, 6, 5, 11)
    )
    ds.dossier_apologise(
        dossier=world.refresh(main),
        actor=world.leader,
        reason="Chờ kết quả xác minh",
        new_due_at=vn(2026, 6, 19, 16),
        at=vn(2026, 6, 12, 9),
    )
    ds.dossier_finish(dossier=world.refresh(main), actor=world.leader, at=vn(2026, 6, 18, 15))
    ds.dossier_return_result(
        dossier=world.refresh(main), actor=world.reception, collected_by="Nguyễn Văn An", at=vn(2026, 6, 19, 8, 30)
    )
    counter = {
        "actor": world.reception,
        "version": world.procedure,
        "applicant": world.citizen_person,
        "receiving_agency": world.centre,
    }
    returned = ds.dossier_register_not_received(
        **counter,
        action=Action.RETURN_FOR_COMPLETION,
        reason="Hồ sơ chưa đủ thành phần",
        items=["Bản chụp giấy tờ tùy thân"],
        components=world.papers()[:1],
        at=vn(2026, 6, 3, 9, 40),
    )
    refused = ds.dossier_register_not_received(
        **counter, action=Action.REFUSE, reason="Yêu cầu không thuộc thẩm quyền giải quyết", at=vn(2026, 6, 3, 10, 15)
    )
    stopped = world.register(at=vn(2026, 6, 5, 14))
    ds.dossier_stop(
        dossier=world.refresh(stopped),
        actor=world.reception,
        reason="Công dân đề nghị dừng",
        channel="post",
        requested_at=vn(2026, 6, 6, 10),
        at=vn(2026, 6, 8, 9),
    )
    rejected = world.register(at=vn(2025, 12, 15, 9))
    ds.dossier_start_processing(dossier=world.refresh(rejected), actor=world.reception, at=vn(2025, 12, 15, 10))
    ds.dossier_refuse(
        dossier=world.refresh(rejected),
        actor=world.leader,
        reason="Người yêu cầu không thuộc đối tượng được cấp Phiếu lý lịch tư pháp theo Điều 7 Luật Lý lịch tư pháp",
        at=vn(2025, 12, 17, 14),
    )
    return {
        "main": world.refresh(main),
        "returned": world.refresh(returned),
        "refused": world.refresh(refused),
        "stopped": world.refresh(stopped),
        "rejected": world.refresh(rejected),
    }


WHICH = {
    "01": "main",
    "02": "main",
    "03": "refused",
    "04": "main",
    "05": "stopped",
    "06": "main",
    "07": "main",
    "TC": "rejected",
}


def _check(name: str, pdf: bytes) -> None:
    actual = _lines(pdf)
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("MOTCUA_GOLDEN_UPDATE") == "1":
        path.write_text(actual, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name}: the rendered text differs from {path.name} (see the module's docstring)"


def test_each_form_renders_exactly_its_reviewed_text(world: Any) -> None:
    with time_machine.travel(T0, tick=False):
        made = _dossiers(world)
    with time_machine.travel(PRINTED, tick=False):
        for code, which in WHICH.items():
            _check(f"form_{code.lower()}", render_form_pdf(made[which], code))
        # The first receipt (the one above is the new Form 01 given with the accepted supplement)
        # and Form 02 of a dossier returned for completion at the counter, never received.
        _check("form_01_first", render_form_pdf(made["main"], "01", seq=1))
        _check("form_02_returned", render_form_pdf(made["returned"], "02"))
        _check("form_07_book", render_tracking_book_pdf(world.centre, vn(2026, 6, 1).date(), vn(2026, 6, 30).date()))
