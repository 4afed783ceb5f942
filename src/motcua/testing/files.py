"""Tiny real files for the tests of uploads: made here, byte by byte, never read from disk.

`pdf()` writes a well-formed PDF (header, numbered objects, a cross-reference table with the
true offsets, trailer), so a PDF reader opens it as it would a scanner's output; the other
makers give the hostile variants the upload checks must refuse.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes(*, pages: int = 1, catalog_extra: str = "", extra_objects: tuple[str, ...] = ()) -> bytes:
    """A PDF of `pages` empty A4 pages. `catalog_extra` goes into the catalogue dictionary,
    `extra_objects` are numbered after the pages (the first is object 3 + pages)."""
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objects = [
        f"<< /Type /Catalog /Pages 2 0 R {catalog_extra}>>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>",
        *["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages,
        *extra_objects,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def pdf_with_javascript() -> bytes:
    """Opening the document runs a script (an /OpenAction of type /JavaScript)."""
    return pdf_bytes(catalog_extra="/OpenAction 4 0 R ", extra_objects=("<< /S /JavaScript /JS (app.alert(1)) >>",))


def pdf_with_embedded_file() -> bytes:
    """A file carried inside the PDF (/Names /EmbeddedFiles)."""
    return pdf_bytes(
        catalog_extra="/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >> ",
        extra_objects=(
            "<< /Type /Filespec /F (a.exe) /EF << /F 5 0 R >> >>",
            "<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream",
        ),
    )


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (8, 8)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def zip_bytes() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello", "hello")
    return out.getvalue()


EXE_HEADER = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    """An uploaded file as Django hands it to a view (the declared type is the client's word)."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf_upload(name: str = "scan.pdf") -> SimpleUploadedFile:
    return upload(name, pdf_bytes())
