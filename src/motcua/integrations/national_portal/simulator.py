"""A simulator of the national portal's integration adapter: a real HTTP service on a loopback port.

It is not the portal. It speaks the contract MotCua believes in (docs/integrations.md): session
login, the `service` dispatcher, `DongBoHoSoMC` with `isUpdating` ("already exists" on a second
create, "does not exist" on an update of an unknown dossier), `CapNhatTienDoHoSoMC`. It checks
every payload (required fields, `yyyyMMddHHmmss` dates, status codes 1–10, channel 1–3), keeps
what it accepted so tests and the demo can read it back, and fails on request: HTTP 500, a delay
longer than the client's timeout, "already exists", a body that is not JSON, or a connection
closed with no answer and nothing taken (as when an adapter drops an idle kept-alive connection).
It also lists dossiers filed on the simulated portal to a pull and serves their files, and lists
the supplements, withdrawals and stop requests made there (checked when made: `make_request`), to
a pull too (none of these contracts is confirmed: docs/integrations.md).

An identical replay of a progress step already accepted is acknowledged and not kept twice (how
the real portal treats replays is not confirmed; MotCua does not rely on it except after a crash
between the portal's answer and MotCua's commit).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DATE = re.compile(r"^\d{14}$")
DOSSIER_REQUIRED = ("MaHoSo", "MaTTHC", "TenTTHC", "KenhThucHien", "ChuHoSo", "TrangThaiHoSo", "NgayNopHoSo")
PROGRESS_REQUIRED = ("MaHoSo", "NguoiXuLy", "ThoiDiemXuLy", "NoiDungXuLy", "TrangThai")
FAULTS = ("5xx", "timeout", "exists", "garbage", "drop")
#: The status `handle` answers to close the connection without a word ("drop").
DROPPED = 0
#: A request made on the simulated portal: its kind (`LoaiYeuCau`) and the text field it carries.
REQUEST_TEXT = {"BoSung": "NoiDungBoSung", "RutHoSo": "LyDo", "DungXuLy": "LyDo"}


@dataclass
class Fault:
    kind: str
    times: int


def _date_errors(item: dict[str, Any], prefix: str) -> list[str]:
    errors = []
    for key, value in item.items():
        is_date = key.startswith("Ngay") or key == "ThoiDiemXuLy"
        if is_date and value not in ("", None) and (not isinstance(value, str) or not DATE.match(value)):
            errors.append(f"{prefix}{key}: not yyyyMMddHHmmss: {value!r}")
    return errors


def _status_errors(value: Any, key: str) -> list[str]:
    if str(value) not in {str(n) for n in range(1, 11)}:
        return [f"{key}: status code must be 1..10, not {value!r}"]
    return []


def check_dossier(item: Any) -> list[str]:
    if not isinstance(item, dict):
        return ["data item is not an object"]
    errors = [f"{k}: required" for k in DOSSIER_REQUIRED if item.get(k) in (None, "")]
    errors += _date_errors(item, "")
    if "TrangThaiHoSo" in item:
        errors += _status_errors(item["TrangThaiHoSo"], "TrangThaiHoSo")
    if item.get("KenhThucHien") not in ("1", "2", "3"):
        errors.append(f"KenhThucHien: must be 1, 2 or 3, not {item.get('KenhThucHien')!r}")
    for i, doc in enumerate(item.get("TaiLieuNop") or []):
        for flag in ("DuocSoHoa", "DuocTaiSuDung", "DuocLayTuKhoDMQG"):
            if doc.get(flag, "0") not in ("0", "1", "2"):
                errors.append(f"TaiLieuNop[{i}].{flag}: not a flag")
    return errors


def check_request(item: Any, filed: set[str]) -> list[str]:
    """A supplement, withdrawal or stop request as the simulated portal lists it: on a dossier
    filed there, of a known kind, dated, with files only for a supplement."""
    if not isinstance(item, dict):
        return ["request is not an object"]
    errors = [f"{k}: required" for k in ("MaHoSo", "LoaiYeuCau", "NgayYeuCau") if item.get(k) in (None, "")]
    errors += _date_errors(item, "")
    kind = item.get("LoaiYeuCau")
    if kind not in REQUEST_TEXT:
        errors.append(f"LoaiYeuCau: must be one of {', '.join(REQUEST_TEXT)}, not {kind!r}")
    if item.get("MaHoSo") and item["MaHoSo"] not in filed:
        errors.append(f"MaHoSo: dossier {item['MaHoSo']!r} was not filed on this portal")
    files = item.get("TaiLieuNop") or []
    if kind != "BoSung" and files:
        errors.append("TaiLieuNop: only a supplement brings files")
    if not isinstance(files, list) or any(not isinstance(f, dict) or not f.get("TenTepDinhKem") for f in files):
        errors.append("TaiLieuNop: each file needs TenTepDinhKem")
    if kind == "DungXuLy" and not str(item.get("LyDo", "")).strip():
        errors.append("LyDo: a request to stop gives its reason")
    return errors


def check_progress(item: Any) -> list[str]:
    if not isinstance(item, dict):
        return ["data item is not an object"]
    errors = [f"{k}: required" for k in PROGRESS_REQUIRED if item.get(k) in (None, "")]
    errors += _date_errors(item, "")
    if "TrangThai" in item:
        errors += _status_errors(item["TrangThai"], "TrangThai")
    return errors


@dataclass
class PortalSimulator:
    username: str = "motcua"
    password: str = "motcua"  # noqa: S105 - the simulator's own demo account
    unit_code: str = "000.00.00.H00"
    #: A session stops working after this many calls (None: never), to exercise renewal.
    session_calls: int | None = None
    #: How long a "timeout" fault keeps the caller waiting.
    stall_seconds: float = 8.0
    #: Added to every integration call (to slow a run down, e.g. to kill a worker mid-batch).
    delay_seconds: float = 0.0
    dossiers: dict[str, dict[str, Any]] = field(default_factory=dict)
    progress: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    rejected: list[tuple[str, list[str]]] = field(default_factory=list)
    summaries: list[dict[str, Any]] = field(default_factory=list)
    #: The national procedure database as the simulator serves it (`LayThuTuc`), by code.
    catalogue: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Dossiers filed on the simulated portal, listed to a pull (`LayDanhSachHoSoTrucTuyen`).
    filings: list[dict[str, Any]] = field(default_factory=list)
    #: Files the filings link to, served at `GET /_files/<key>`.
    files: dict[str, bytes] = field(default_factory=dict)
    #: Supplements, withdrawals and stop requests made on the simulated portal, listed to a pull
    #: (`LayDanhSachYeuCauHoSo`). `make_request` checks one before listing it.
    requests: list[dict[str, Any]] = field(default_factory=list)
    #: Each listing asked for: (service, its `tuNgay`, "" without one).
    listings: list[tuple[str, str]] = field(default_factory=list)
    logins: int = 0
    replays: int = 0
    #: TCP connections accepted (a client keeping its connection alive opens one).
    connections: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.RLock()
        self._faults: dict[str, list[Fault]] = defaultdict(list)
        self._sessions: dict[str, int] = {}
        self._server: ThreadingHTTPServer | None = None

    # -- control -------------------------------------------------------------------------------
    def fail(self, service: str, kind: str, times: int = 1) -> None:
        """Make the next `times` calls of `service` ("login" for the login) fail as `kind`."""
        if kind not in FAULTS:
            raise ValueError(f"fault must be one of {FAULTS}")
        with self._lock:
            self._faults[service].append(Fault(kind, times))

    def make_request(self, item: dict[str, Any]) -> None:
        """The applicant makes a request on the simulated portal; `ValueError` if malformed."""
        with self._lock:
            errors = check_request(item, {str(f.get("MaHoSo")) for f in self.filings})
            if errors:
                raise ValueError("; ".join(errors))
            self.requests.append(item)

    def expire_sessions(self) -> None:
        with self._lock:
            self._sessions.clear()

    def _take_fault(self, service: str) -> str | None:
        with self._lock:
            queue = self._faults.get(service) or []
            if not queue:
                return None
            fault = queue[0]
            fault.times -= 1
            if fault.times <= 0:
                queue.pop(0)
            return fault.kind

    # -- the service -------------------------------------------------------------------------
    def handle(self, path: str, body: Any) -> tuple[int, Any]:
        """Answer one request: (HTTP status, JSON body), (status, bytes) for garbage, or
        (`DROPPED`, None) to close the connection without an answer."""
        if path.endswith("/login"):
            return self._login(body)
        if path.endswith("/integration"):
            return self._integration(body)
        if path.startswith("/_files/"):
            if (answer := self._faulty("files")) is not None:
                return answer
            found = self.files.get(path.removeprefix("/_files/"))
            return (200, found) if found is not None else (404, {"error_code": "-1", "message": "no such file"})
        if path == "/_simulator/received":
            with self._lock:
                return 200, {"dossiers": self.dossiers, "progress": self.progress, "rejected": self.rejected}
        if path == "/_simulator/requests" and isinstance(body, dict):
            try:
                self.make_request(body)
            except ValueError as exc:
                return 400, {"error_code": "-1", "message": str(exc)}
            return 200, {"ok": True}
        if path == "/_simulator/faults" and isinstance(body, dict):
            self.fail(str(body.get("service", "")), str(body.get("kind", "")), int(body.get("times", 1)))
            return 200, {"ok": True}
        return 404, {"error_code": "-1", "message": f"no such path {path}"}

    def _faulty(self, service: str) -> tuple[int, Any] | None:
        kind = self._take_fault(service)
        if kind == "5xx":
            return 503, {"error_code": "-1", "message": "Service unavailable"}
        if kind == "timeout":
            time.sleep(self.stall_seconds)
            return 504, {"error_code": "-1", "message": "too late"}
        if kind == "garbage":
            return 200, b"<html>not json"
        if kind == "drop":
            return DROPPED, None
        if kind == "exists":
            return 200, {"error_code": "3", "message": "Hồ sơ đã tồn tại"}
        return None

    def _login(self, body: Any) -> tuple[int, Any]:
        if (answer := self._faulty("login")) is not None:
            return answer
        if not isinstance(body, dict) or body.get("username") != self.username or body.get("password") != self.password:
            return 200, {"error_code": "-1", "message": "Sai tên đăng nhập hoặc mật khẩu"}
        with self._lock:
            self.logins += 1
            session = f"s{self.logins}-{time.monotonic_ns()}"
            self._sessions[session] = 0
        return 200, {"session": session, "error_code": 0}

    def _integration(self, body: Any) -> tuple[int, Any]:
        if not isinstance(body, dict):
            return 200, {"error_code": "-1", "message": "body is not a JSON object"}
        service = str(body.get("service", ""))
        if self.delay_seconds:
            time.sleep(self.delay_seconds)
        with self._lock:
            session = body.get("session")
            if session not in self._sessions:
                return 200, {"error_code": "401", "message": "Phiên đăng nhập hết hạn"}
            self._sessions[session] += 1
            if self.session_calls is not None and self._sessions[session] > self.session_calls:
                del self._sessions[session]
                return 200, {"error_code": "401", "message": "Phiên đăng nhập hết hạn"}
        if body.get("madonvi") != self.unit_code:
            return 200, {"error_code": "-1", "message": f"madonvi {body.get('madonvi')!r} unknown"}
        if (answer := self._faulty(service)) is not None:
            return answer
        if service == "DongBoHoSoMC":
            return self._dossiers(body)
        if service == "CapNhatTienDoHoSoMC":
            return self._progress(body)
        if service == "DongBoDanhGia":
            return self._summary(body)
        if service == "LayDanhSachHoSoTrucTuyen":
            return self._listing(service, body, self.filings, "NgayNopHoSo")
        if service == "LayDanhSachYeuCauHoSo":
            return self._listing(service, body, self.requests, "NgayYeuCau")
        if service == "LayThuTuc":
            found = self.catalogue.get(str(body.get("maTTHC", "")))
            if found is None:
                return 200, {"error_code": "-1", "message": f"Không tìm thấy thủ tục {body.get('maTTHC')!r}"}
            return 200, {"error_code": "0", "message": "thành công", "result": [found]}
        return 200, {"error_code": "-1", "message": f"service {service!r} not simulated"}

    def _listing(
        self, service: str, body: dict[str, Any], items: list[dict[str, Any]], date_key: str
    ) -> tuple[int, Any]:
        """The items dated from `tuNgay` on (all of them without it)."""
        since = str(body.get("tuNgay", ""))
        if since and not DATE.match(since):
            return 200, {"error_code": "-1", "message": f"tuNgay: not yyyyMMddHHmmss: {since!r}"}
        with self._lock:
            self.listings.append((service, since))
            listed = [
                item
                for item in items
                if not since or not isinstance(item, dict) or str(item.get(date_key, "")) >= since
            ]
        return 200, {"error_code": "0", "message": "thành công", "result": listed}

    def _refuse(self, service: str, errors: list[str]) -> tuple[int, Any]:
        with self._lock:
            self.rejected.append((service, errors))
        return 200, {"error_code": "-1", "message": "; ".join(errors)}

    def _dossiers(self, body: dict[str, Any]) -> tuple[int, Any]:
        updating = body.get("isUpdating")
        if updating not in ("True", "False"):
            return self._refuse("DongBoHoSoMC", [f"isUpdating must be 'True' or 'False', not {updating!r}"])
        data = body.get("data")
        if not isinstance(data, list) or not data:
            return self._refuse("DongBoHoSoMC", ["data: a non-empty array is required"])
        errors = [f"data[{i}].{e}" for i, item in enumerate(data) for e in check_dossier(item)]
        if errors:
            return self._refuse("DongBoHoSoMC", errors)
        with self._lock:
            for item in data:
                known = item["MaHoSo"] in self.dossiers
                if updating == "False" and known:
                    return 200, {"error_code": "3", "message": f"Hồ sơ {item['MaHoSo']} đã tồn tại"}
                if updating == "True" and not known:
                    return 200, {"error_code": "-1", "message": f"Hồ sơ {item['MaHoSo']} không tồn tại"}
            for item in data:
                self.dossiers[item["MaHoSo"]] = item
                self.calls.append(("DongBoHoSoMC", item))
        return 200, {"error_code": "0", "message": "Đồng bộ thành công", "result": []}

    def _progress(self, body: dict[str, Any]) -> tuple[int, Any]:
        data = body.get("data")
        if not isinstance(data, list) or not data:
            return self._refuse("CapNhatTienDoHoSoMC", ["data: a non-empty array is required"])
        errors = [f"data[{i}].{e}" for i, item in enumerate(data) for e in check_progress(item)]
        with self._lock:
            errors += [
                f"data[{i}].MaHoSo: dossier {item['MaHoSo']} was never synced"
                for i, item in enumerate(data)
                if isinstance(item, dict) and item.get("MaHoSo") and item["MaHoSo"] not in self.dossiers
            ]
            if errors:
                return self._refuse("CapNhatTienDoHoSoMC", errors)
            for item in data:
                steps = self.progress[item["MaHoSo"]]
                if item in steps:
                    self.replays += 1
                    continue
                steps.append(item)
                self.calls.append(("CapNhatTienDoHoSoMC", item))
        return 200, {"error_code": "0", "message": "Cập nhật thành công", "result": []}

    def _summary(self, body: dict[str, Any]) -> tuple[int, Any]:
        data = body.get("data")
        errors = [] if isinstance(data, list) and data else ["data: a non-empty array is required"]
        for i, item in enumerate(data if isinstance(data, list) else []):
            if not isinstance(item, dict):
                errors.append(f"data[{i}]: not an object")
                continue
            if not re.match(r"^\d{1,2}-\d{4}$", str(item.get("NgayTongHop", ""))):
                errors.append(f"data[{i}].NgayTongHop: not M-YYYY")
            for key in ("PhanTramDanhGiaRatHaiLong", "PhanTramDanhGiaHaiLong", "PhanTramDanhGiaChuaHaiLong"):
                if not re.match(r"^\d{1,3}%$", str(item.get(key, ""))):
                    errors.append(f"data[{i}].{key}: not NN%")
        if errors:
            return self._refuse("DongBoDanhGia", errors)
        with self._lock:
            self.summaries.extend(data or [])
        return 200, {"error_code": "0", "message": "thành công", "result": []}

    # -- HTTP ----------------------------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            def setup(self) -> None:
                super().setup()
                with simulator._lock:
                    simulator.connections += 1

            # Headers and body go out as separate writes: without this, Nagle's algorithm and
            # delayed acknowledgements add ~40 ms to every answer on loopback.
            disable_nagle_algorithm = True
            # Keep-alive, as the client uses it: every answer carries its Content-Length.
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                self._answer(*simulator.handle(self.path, None))

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                self._answer(*simulator.handle(self.path, body))

            def _answer(self, status: int, payload: Any) -> None:
                if status == DROPPED:
                    self.close_connection = True
                    return
                data = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="portal-simulator", daemon=True).start()
        return f"http://{host}:{self._server.server_address[1]}"

    def file_url(self, key: str) -> str:
        """The address of a file the simulator serves (once started)."""
        assert self._server is not None, "start the simulator first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/_files/{key}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
