"""Form 01 keeps its closing lines and its signature block on one page, however long the list
of papers: a receipt is never signed on a page of its own (docs/architecture.md, "Names and the
legal forms")."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from typing import Any

import pytest

from motcua.documents.forms import render_form_pdf
from motcua.documents.tests.helpers import T0
from motcua.dossiers import services as ds


def _pages(pdf: bytes) -> list[str]:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.fail("pdftotext (Debian poppler-utils) is needed to check the forms' text.")
    out = subprocess.run([exe, "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)  # noqa: S603
    text = unicodedata.normalize("NFC", out.stdout.decode("utf-8"))
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


# 36 and 40 papers put the page break right before the closing lines (found by trying 8–43
# without the rule): without `.keep-together` the signatures would go to the next page alone.
@pytest.mark.parametrize("extra", [10, 20, 36, 40])
def test_the_signature_block_stays_with_the_last_lines_of_form_01(world: Any, extra: int) -> None:
    papers = world.papers() + [ds.ComponentIn(name=f"Giấy tờ kèm theo số {n}") for n in range(1, extra + 1)]
    dossier = ds.dossier_register(
        actor=world.reception,
        version=world.procedure,
        applicant=world.citizen_person,
        receiving_agency=world.centre,
        components=papers,
        at=T0,
    )

    pages = _pages(render_form_pdf(world.refresh(dossier), "01"))

    assert len(pages) >= 2, "the list of papers should run over a page"
    [signed] = [page for page in pages if "NGƯỜI TIẾP NHẬN HỒ SƠ" in page]
    assert "4. Thời gian nhận hồ sơ" in signed
    assert "5. Thời gian trả kết quả giải quyết hồ sơ" in signed
    assert "Vào Sổ theo dõi hồ sơ" in signed
    assert f"Giấy tờ kèm theo số {extra}" in " ".join(pages)  # every paper listed, once
    assert " ".join(pages).count(f"Giấy tờ kèm theo số {extra} ") <= 1
