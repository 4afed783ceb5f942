"""Citizens' files are private: stored under random names, sent only after a visibility check.

- `RandomName("dossiers")` is the `upload_to` of every stored paper: `dossiers/YYYY/MM/<32 hex>`,
  never the uploader's file name (kept as metadata, shown to people and sent in
  Content-Disposition).
- `PrivateFileSystemStorage` is the local storage: it has no public URL at all.
- `send_file` answers with a stored file once the caller has checked that the requester may
  see it. `MOTCUA_FILE_SENDING` chooses how: `django` streams it from the process, `nginx`
  hands the transfer to nginx (`X-Accel-Redirect` to an `internal` location), `apache` to
  mod_xsendfile (`X-Sendfile`). On S3-compatible storage, `django` streams it through the
  view and the other two answer with a signed URL valid a few seconds.
- Blank forms of the catalogue (`catalog.RequiredDocument.blank_form`) are public documents,
  not citizens' files: stored the same way, with no URL of their own, and sent by the same
  function with `public=True` (cacheable by browsers and proxies, always as a download).
"""

from __future__ import annotations

import secrets
import unicodedata
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header

#: Caching of public documents (blank forms): a day, then revalidated.
PUBLIC_CACHE = "public, max-age=86400"


@deconstructible
class RandomName:
    """`upload_to` that ignores the uploader's name: `<folder>/YYYY/MM/<random>`."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, instance: Any, filename: str) -> str:
        now = timezone.now()
        return f"{self.folder}/{now:%Y/%m}/{secrets.token_hex(16)}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


class PrivateFileSystemStorage(FileSystemStorage):
    """Local files with no URL: nothing under MOTCUA_MEDIA_ROOT is reachable except through
    a view that checked the requester (`send_file`)."""

    def url(self, name: str | None) -> str:
        raise ValueError("Stored papers have no public URL; they are sent by a view after a visibility check.")


def display_name(name: str, fallback: str = "document") -> str:
    """The uploader's file name made safe to show and to send: no path, no control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    clean = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return clean[:255] or fallback


def send_file(
    file: FieldFile,
    *,
    filename: str,
    content_type: str,
    inline: bool,
    sending: str | None = None,
    public: bool = False,
) -> HttpResponseBase:
    """The response that delivers a stored file. Call it only after the visibility check;
    `public` files (blank forms) are cacheable, every other file is `private, no-store`."""
    conf: dict[str, Any] = settings.MOTCUA
    sending = sending or conf["FILE_SENDING"]
    disposition = content_disposition_header(not inline, display_name(filename)) or "inline"
    content_type = content_type or "application/octet-stream"
    storage: Any = file.storage
    name = file.name or ""
    response: HttpResponseBase
    path: str | None
    try:
        path = storage.path(name)
    except NotImplementedError:  # remote storage (S3): no local path
        path = None
    if sending == "django" or (path is None and not hasattr(storage, "bucket_name")):
        response = FileResponse(file.open("rb"), content_type=content_type)
    elif path is None:
        response = HttpResponseRedirect(
            storage.url(
                name,
                parameters={"ResponseContentDisposition": disposition, "ResponseContentType": content_type},
                expire=conf["FILE_URL_EXPIRE"],
            )
        )
        response["Cache-Control"] = "private, no-store"
        return response
    elif sending == "nginx":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = conf["FILE_INTERNAL_URL"] + quote(name)
    else:  # apache
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = path
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = PUBLIC_CACHE if public else "private, no-store"
    # A paper is shown, never run: no script, no frame of another site, no type guessing.
    response["Content-Security-Policy"] = "sandbox"
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["X-Content-Type-Options"] = "nosniff"
    return response
