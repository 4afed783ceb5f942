"""The real HTTP client of the national portal's integration adapter (standard library only).

Transport (docs/integrations.md): `POST {url}{auth_path}` with `{"username","password"}` answers
`{"session": ...}`; every call is `POST {url}{integration_path}` with
`{"session","madonvi","service", ...}` and answers `{"error_code","message","result"}`, where
`error_code` 0 or "00" is success. The session is kept in memory and renewed when the portal says
it expired. Every call has a timeout (6 s by default)."""

from __future__ import annotations

import json
import logging
import threading
import urllib.error
import urllib.request
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from motcua.integrations.national_portal.conf import PortalSettings
from motcua.integrations.national_portal.interface import AlreadyExists, PortalError

log = logging.getLogger("motcua.integrations.national_portal")

SUCCESS_CODES = ("0", "00")
VN = ZoneInfo("Asia/Ho_Chi_Minh")


class PortalClient:
    def __init__(self, settings: PortalSettings) -> None:
        self.settings = settings
        self._session = ""
        self._lock = threading.Lock()

    # -- transport -------------------------------------------------------------------------
    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        headers = {"Content-Type": "application/json"}
        if self.settings.dstcode:
            headers["dstcode"] = self.settings.dstcode
        if not self.settings.url.startswith(("http://", "https://")):
            raise PortalError(f"the portal address must be http(s): {self.settings.url!r}")
        request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
            self.settings.url + path, data=json.dumps(body).encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout_seconds) as response:  # noqa: S310 - the URL is the configured https/http adapter
                raw = response.read(5_000_000)
        except urllib.error.HTTPError as exc:
            if exc.code == 401:
                return {"error_code": "401", "message": "HTTP 401"}
            raise PortalError(f"HTTP {exc.code} from {path}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise PortalError(f"no answer from {path}: {exc}") from exc
        try:
            answer = json.loads(raw)
        except ValueError as exc:
            raise PortalError(f"malformed JSON from {path}: {raw[:200]!r}") from exc
        if not isinstance(answer, dict):
            raise PortalError(f"unexpected answer from {path}: {raw[:200]!r}")
        return answer

    def login(self) -> str:
        answer = self._post(
            self.settings.auth_path, {"username": self.settings.username, "password": self.settings.password}
        )
        session = answer.get("session")
        if str(answer.get("error_code", "0")) not in SUCCESS_CODES or not isinstance(session, str) or not session:
            raise PortalError(f"login refused: {answer.get('message', '')}")
        with self._lock:
            self._session = session
        return session

    def call(self, service: str, **params: Any) -> dict[str, Any]:
        """One service call; logs in first if needed and once more if the session expired."""
        for attempt in (1, 2):
            session = self._session or self.login()
            answer = self._post(
                self.settings.integration_path,
                {"session": session, "madonvi": self.settings.unit_code, "service": service, **params},
            )
            code = str(answer.get("error_code", ""))
            if code in self.settings.session_expired_codes and attempt == 1:
                with self._lock:
                    self._session = ""
                continue
            if code in SUCCESS_CODES:
                return answer
            message = str(answer.get("message", ""))
            if code in self.settings.exists_codes or "đã tồn tại" in message.lower():
                raise AlreadyExists(f"{service}: {message}")
            raise PortalError(f"{service} refused (error_code {code!r}): {message}")
        raise PortalError(f"{service}: session refused twice")

    # -- what MotCua needs (interface.NationalPortal) ----------------------------------------
    def publish_dossier(self, record: dict[str, Any], *, update: bool) -> None:
        self.call("DongBoHoSoMC", isUpdating="True" if update else "False", data=[record])

    def publish_progress(self, step: dict[str, Any]) -> None:
        self.call("CapNhatTienDoHoSoMC", data=[step])

    def publish_satisfaction(self, items: list[dict[str, Any]]) -> None:
        self.call("DongBoDanhGia", data=items)

    def fetch_filings(self, since: datetime | None) -> list[dict[str, Any]]:
        """The dossiers filed on the portal since `since` (all it lists when None), with the push
        endpoint's fields. The listing service's name and parameter are NOT CONFIRMED."""
        params = {"tuNgay": since.astimezone(VN).strftime("%Y%m%d%H%M%S")} if since else {}
        result = self.call(self.settings.pull_service, **params).get("result")
        if not isinstance(result, list):
            raise PortalError(f"{self.settings.pull_service}: no list in the answer")
        return result

    def fetch_requests(self, since: datetime | None) -> list[dict[str, Any]]:
        """The supplements, withdrawals and stop requests made on the portal since `since`
        (`filings.REQUEST_KINDS`). The listing service's name and parameter are NOT CONFIRMED."""
        params = {"tuNgay": since.astimezone(VN).strftime("%Y%m%d%H%M%S")} if since else {}
        result = self.call(self.settings.pull_requests_service, **params).get("result")
        if not isinstance(result, list):
            raise PortalError(f"{self.settings.pull_requests_service}: no list in the answer")
        return result

    def fetch_procedure(self, code: str) -> dict[str, Any]:
        """One procedure of the national procedure database (`LayThuTuc`)."""
        result = self.call("LayThuTuc", maTTHC=code).get("result")
        if not isinstance(result, list) or not result or not isinstance(result[0], dict):
            raise PortalError(f"LayThuTuc {code}: no procedure in the answer")
        return result[0]
