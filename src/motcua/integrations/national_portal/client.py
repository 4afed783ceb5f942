"""The real HTTP client of the national portal's integration adapter (standard library only).

Transport (docs/integrations.md): `POST {url}{auth_path}` with `{"username","password"}` answers
`{"session": ...}`; every call is `POST {url}{integration_path}` with
`{"session","madonvi","service", ...}` and answers `{"error_code","message","result"}`, where
`error_code` 0 or "00" is success. The session is kept in memory and renewed when the portal says
it expired. Every call has a timeout (6 s by default). The calls go over one kept-alive HTTP/1.1
connection, not a new one each."""

from __future__ import annotations

import http.client
import json
import logging
import threading
import urllib.parse
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
    """One kept-alive connection to the adapter (HTTP/1.1), opened on first use and again after
    any error; a proxy from the environment (`https_proxy`, `http_proxy`, `no_proxy`) is used as
    `urllib` would. Calls are serialised on the connection (a worker sends one at a time)."""

    def __init__(self, settings: PortalSettings) -> None:
        self.settings = settings
        self._session = ""
        self._lock = threading.Lock()
        self._connection: http.client.HTTPConnection | None = None
        self._reused = False  # the open connection has carried a call already
        self._prefix = ""  # what goes before a service's path in the request line

    # -- transport -------------------------------------------------------------------------
    def _connect(self) -> http.client.HTTPConnection:
        """The open connection, or a new one (through the environment's proxy, if any)."""
        if self._connection is not None:
            return self._connection
        url = urllib.parse.urlsplit(self.settings.url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise PortalError(f"the portal address must be http(s): {self.settings.url!r}")
        timeout = self.settings.timeout_seconds
        self._prefix = url.path.rstrip("/")
        proxy = None if urllib.request.proxy_bypass(url.hostname) else urllib.request.getproxies().get(url.scheme)
        connection: http.client.HTTPConnection
        if not proxy:
            cls = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
            connection = cls(url.hostname, url.port, timeout=timeout)
        else:
            where = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
            if url.scheme == "https":
                connection = http.client.HTTPSConnection(where.hostname or "", where.port, timeout=timeout)
                connection.set_tunnel(url.hostname, url.port)
            else:  # a plain-HTTP proxy is asked for the whole address
                connection = http.client.HTTPConnection(where.hostname or "", where.port, timeout=timeout)
                self._prefix = f"{url.scheme}://{url.netloc}{self._prefix}"
        self._connection, self._reused = connection, False
        return connection

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self._connection = None

    def _exchange(self, path: str, data: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        """One request and its answer. A kept-alive connection the adapter dropped while it was
        idle fails before any answer: the call is made once more on a new connection."""
        for attempt in (1, 2):
            connection = self._connect()
            reused = self._reused
            try:
                connection.request("POST", self._prefix + path, body=data, headers=headers)
                response = connection.getresponse()
                raw = response.read(5_000_000)
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                self._close()
                if reused and attempt == 1:
                    continue
                raise PortalError(f"no answer from {path}: {exc}") from exc
            except (http.client.HTTPException, TimeoutError, OSError) as exc:
                self._close()
                raise PortalError(f"no answer from {path}: {exc}") from exc
            if response.will_close or not response.isclosed():
                self._close()  # the adapter closes it, or the body was longer than read
            else:
                self._reused = True
            return response.status, raw
        raise PortalError(f"no answer from {path}")  # not reached: the second try raises or returns

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        headers = {"Content-Type": "application/json"}
        if self.settings.dstcode:
            headers["dstcode"] = self.settings.dstcode
        with self._lock:
            status, raw = self._exchange(path, json.dumps(body).encode(), headers)
        if status == 401:
            return {"error_code": "401", "message": "HTTP 401"}
        if not 200 <= status < 300:
            raise PortalError(f"HTTP {status} from {path}")
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
