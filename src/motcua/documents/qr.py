"""QR codes that lead to a dossier's public tracking page.

Circular 01/2018/TT-VPCP Art. 19 allowed a barcode or QR next to the dossier code; MotCua
prints one on the receipt (Form 01) so the applicant can follow the dossier without logging
in (issue 3, item 1 "Track ... by scanning the QR"). The QR holds only the public URL, never
personal data: the tracking page itself shows status, appointment and receiving agency only.
"""

from __future__ import annotations

import io
from urllib.parse import quote

import segno
from django.conf import settings

from motcua.lib.errors import InvalidInput

DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:8000"
#: Dossier.code is at most 64 characters.
_MAX_CODE_LENGTH = 64


def tracking_url(dossier_code: str) -> str:
    """The public tracking URL `<PUBLIC_BASE_URL>/tra-cuu/<code>` for `dossier_code`."""
    code = (dossier_code or "").strip()
    if not code:
        raise InvalidInput("A dossier code is needed to make its QR code.", code="dossier_code_required")
    if len(code) > _MAX_CODE_LENGTH or not code.isprintable():
        raise InvalidInput(f"{code[:80]!r} is not a dossier code.", code="invalid_dossier_code")
    base = str(settings.MOTCUA.get("PUBLIC_BASE_URL", DEFAULT_PUBLIC_BASE_URL)).rstrip("/")
    return f"{base}/tra-cuu/{quote(code, safe='')}"


def _qr(dossier_code: str) -> segno.QRCode:
    # Level M survives a little smudging on a printed receipt and keeps the code small.
    return segno.make_qr(tracking_url(dossier_code), error="m")


def dossier_qr_svg(dossier_code: str, *, scale: int = 4) -> str:
    """An inline `<svg>` element (no XML declaration) to put into an HTML page or form."""
    out = io.BytesIO()
    _qr(dossier_code).save(
        out,
        kind="svg",
        scale=scale,
        xmldecl=False,
        svgns=True,
        title=f"QR: {dossier_code}",
        svgclass="dossier-qr",
        lineclass=None,
    )
    return out.getvalue().decode("utf-8")


def dossier_qr_png(dossier_code: str, *, scale: int = 6) -> bytes:
    """A PNG image of the QR, for downloads and for channels that cannot show SVG."""
    out = io.BytesIO()
    _qr(dossier_code).save(out, kind="png", scale=scale)
    return out.getvalue()
