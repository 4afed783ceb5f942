"""What an uploaded paper is, decided by its bytes: the one check of every upload.

The portal (drafts, supplements), the one-stop counter (scans) and the API (a component's
bytes) all call `upload_problem` / `check_upload`, and `dossiers.services` calls it again
before it stores anything, so no entry point can skip it. The file name and the type the
client declared are never trusted: a PDF must open with a PDF reader and carry no script,
no launch action and no embedded file; an image must decode completely (PNG or JPEG) and stay
under a pixel budget (decompression bombs); archives, programs, empty and oversized files are
refused. Limits are settings (`MOTCUA_UPLOAD_MAX_BYTES`, `MOTCUA_UPLOAD_MAX_PAGES`,
`MOTCUA_UPLOAD_MAX_PIXELS`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.lib.errors import InvalidInput

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
ACCEPTED_TYPES = frozenset({PDF, PNG, JPEG})

#: Signatures of archives and programs: refused whatever the file is called.
_REFUSED_MAGIC = (
    b"PK\x03\x04",  # zip, and every Office/OpenDocument file
    b"PK\x05\x06",
    b"Rar!\x1a\x07",
    b"7z\xbc\xaf\x27\x1c",
    b"\x1f\x8b",  # gzip
    b"BZh",
    b"\xfd7zXZ\x00",
    b"MZ",  # Windows programs
    b"\x7fELF",
    b"\xcf\xfa\xed\xfe",  # Mach-O
    b"\xca\xfe\xba\xbe",
    b"#!",
)
#: PDF names that run something or carry a file. Checked as dictionary keys and as values
#: of /S (action type) and /Type, after the reader decoded #xx escapes.
_PDF_ACTIVE = frozenset(
    {
        "/JavaScript",
        "/JS",
        "/Launch",
        "/EmbeddedFiles",
        "/EmbeddedFile",
        "/RichMedia",
        "/XFA",
        "/SubmitForm",
        "/ImportData",
        "/GoToE",
    }
)
_PDF_MAX_OBJECTS = 200_000


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    max_pages: int
    max_pixels: int

    @classmethod
    def from_settings(cls) -> UploadLimits:
        conf: dict[str, Any] = settings.MOTCUA
        return cls(conf["UPLOAD_MAX_BYTES"], conf["UPLOAD_MAX_PAGES"], conf["UPLOAD_MAX_PIXELS"])


@dataclass(frozen=True)
class CheckedUpload:
    """What the bytes are: the type to store and serve (never the client's claim)."""

    content_type: str
    size_bytes: int
    pages: int = 0


class UploadRefused(InvalidInput):
    """An upload that is not what a dossier may hold; nothing of it is stored."""

    code = "upload_refused"

    @property
    def text(self) -> str:
        """The reason in the language active when the check ran (for pages)."""
        return str(self.details["text"])


class _Refusal(Exception):
    def __init__(self, reason: str, text: Promise, **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.text = text
        self.params = params

    def render(self) -> str:
        """The message in the active language."""
        return str(self.text) % self.params if self.params else str(self.text)


def _megabytes(value: int) -> str:
    return f"{value / (1024 * 1024):.0f}"


def _read(file: Any, limit: int) -> bytes:
    """At most `limit + 1` bytes of an uploaded or stored file, from its start."""
    if hasattr(file, "seek"):
        file.seek(0)
    data: bytes = file.read(limit + 1)
    if hasattr(file, "seek"):
        file.seek(0)
    return data


def _inspect(data: bytes, limits: UploadLimits) -> CheckedUpload:
    if not data:
        raise _Refusal("empty", _("The file is empty."))
    if len(data) > limits.max_bytes:
        raise _Refusal("too_large", _("The file is larger than %(mb)s MB."), mb=_megabytes(limits.max_bytes))
    if data.startswith(_REFUSED_MAGIC):
        raise _Refusal("archive_or_program", _("Archives and programs cannot be uploaded; upload a PDF, JPEG or PNG."))
    if data.startswith(b"%PDF-"):
        return CheckedUpload(PDF, len(data), _check_pdf(data, limits))
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        _check_image(data, "PNG", limits)
        return CheckedUpload(PNG, len(data))
    if data.startswith(b"\xff\xd8\xff"):
        _check_image(data, "JPEG", limits)
        return CheckedUpload(JPEG, len(data))
    raise _Refusal("unsupported_type", _("Upload a PDF, JPEG or PNG file."))


def _check_pdf(data: bytes, limits: UploadLimits) -> int:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader

    unreadable = _Refusal("unreadable_pdf", _("The PDF cannot be opened; it may be damaged."))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            raise _Refusal("encrypted_pdf", _("The PDF is protected by a password; upload it without protection."))
        root = reader.root
        pages = int(root["/Pages"]["/Count"])
    except _Refusal:
        raise
    except Exception as exc:
        raise unreadable from exc
    if pages < 1:
        raise unreadable
    if pages > limits.max_pages:
        raise _Refusal("too_many_pages", _("The PDF has more than %(pages)s pages."), pages=limits.max_pages)
    active = _Refusal(
        "active_pdf",
        _("The PDF contains scripts, actions or embedded files; print it to a plain PDF and upload again."),
    )
    # Walk every object reachable from the catalogue (what a viewer can reach), once each.
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [root]
    try:
        while stack:
            item = stack.pop()
            if isinstance(item, generic.IndirectObject):
                key = (item.idnum, item.generation)
                if key in seen:
                    continue
                seen.add(key)
                if len(seen) > _PDF_MAX_OBJECTS:
                    raise unreadable
                item = item.get_object()  # type: ignore[no-untyped-call]  # pyHanko leaves it untyped
            if isinstance(item, generic.DictionaryObject):
                for name, value in item.items():
                    if str(name) in _PDF_ACTIVE:
                        raise active
                    if str(name) in {"/S", "/Type", "/Subtype"} and str(value) in _PDF_ACTIVE:
                        raise active
                    stack.append(value)
            elif isinstance(item, generic.ArrayObject):
                stack.extend(item)
    except _Refusal:
        raise
    except Exception as exc:
        raise unreadable from exc
    return pages


def _check_image(data: bytes, fmt: str, limits: UploadLimits) -> None:
    import warnings

    from PIL import Image

    broken = _Refusal("unreadable_image", _("The image cannot be read; it may be damaged or incomplete."))
    if not _ends_whole(data, fmt):
        raise broken
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt]) as image:
                width, height = image.size
                if width * height > limits.max_pixels:
                    raise _Refusal(
                        "too_many_pixels",
                        _("The image is too large (more than %(mp)s megapixels)."),
                        mp=f"{limits.max_pixels / 1_000_000:g}",
                    )
                image.load()  # decodes every pixel: a truncated file fails here
    except _Refusal:
        raise
    except Exception as exc:
        raise broken from exc


def _ends_whole(data: bytes, fmt: str) -> bool:
    """Whether the image's own end marker is there. Checked here and not left to Pillow: a
    process that imported WeasyPrint has Pillow set to accept truncated images."""
    if fmt == "PNG":
        return data.endswith(b"IEND\xaeB`\x82")
    # JPEG: an end-of-image marker after the last start-of-scan (0xFF is escaped inside
    # compressed data, so the marker cannot appear there by chance).
    return data.rfind(b"\xff\xd9") > data.rfind(b"\xff\xda") > 0


def upload_problem(file: Any, limits: UploadLimits | None = None) -> str:
    """Why `file` is refused, in the language of the request; "" when it is accepted."""
    try:
        check_upload(file, limits)
    except UploadRefused as refused:
        return refused.text
    return ""


def check_upload(file: IO[bytes] | Any, limits: UploadLimits | None = None) -> CheckedUpload:
    """Check an upload by its bytes; raise `UploadRefused` (422 `upload_refused`) when it is
    not a PDF, PNG or JPEG a dossier may hold. The message is English (the API's language);
    `details["text"]` is the same in the active language, `details["reason"]` a stable code."""
    limits = limits or UploadLimits.from_settings()
    size = getattr(file, "size", None)
    try:
        if size is not None and size > limits.max_bytes:
            raise _Refusal("too_large", _("The file is larger than %(mb)s MB."), mb=_megabytes(limits.max_bytes))
        return _inspect(_read(file, limits.max_bytes), limits)
    except _Refusal as refusal:
        name = str(getattr(file, "name", "") or "")
        with translation.override("en"):
            english = refusal.render()
        raise UploadRefused(
            f"{name}: {english}" if name else english,
            details={"reason": refusal.reason, "file_name": name, "text": refusal.render()},
        ) from None
