"""Signing issued PDFs with the built-in simulator, and checking the signature."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

from motcua.documents import signing
from motcua.documents.rendering import html_to_pdf
from motcua.documents.signing import SimulatorSigner, sign_pdf, verify_pdf
from motcua.lib.errors import InvalidInput


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return html_to_pdf("<html><body><p>Giấy tiếp nhận hồ sơ H99.01-260601-0001</p></body></html>")


def _flip_a_byte_inside_the_signed_content(data: bytes) -> bytes:
    """Change one byte of the first content stream (covered by the signature, still parseable)."""
    at = data.index(b"stream", data.index(b"/Length")) + 20
    tampered = bytearray(data)
    tampered[at] ^= 0x01
    return bytes(tampered)


def test_a_signed_pdf_verifies_as_intact_and_simulated(data_dir: Path, pdf: bytes) -> None:
    signed = sign_pdf(pdf, signer_name="Hoàng Văn Nam")

    report = verify_pdf(signed)

    assert report["signed"] is True
    assert report["intact"] is True
    assert report["valid"] is True
    assert report["trusted"] is True
    assert report["simulated"] is True
    assert report["covers_whole_file"] is True
    assert report["signer_name"] == "Hoàng Văn Nam"
    assert "SIMULATED" in report["signatures"][0]["certificate"]


def test_a_tampered_byte_breaks_the_signature(data_dir: Path, pdf: bytes) -> None:
    signed = sign_pdf(pdf, signer_name="Hoàng Văn Nam")

    report = verify_pdf(_flip_a_byte_inside_the_signed_content(signed))

    assert report["signed"] is True
    assert report["intact"] is False
    assert report["valid"] is False


def test_content_appended_after_signing_is_reported(data_dir: Path, pdf: bytes) -> None:
    signed = sign_pdf(pdf, signer_name="Hoàng Văn Nam")

    report = verify_pdf(signed + b"\n% appended\n")

    assert report["intact"] is True
    assert report["covers_whole_file"] is False


def test_an_unsigned_pdf_is_reported_as_not_signed(data_dir: Path, pdf: bytes) -> None:
    report = verify_pdf(pdf)

    assert report["signed"] is False
    assert report["intact"] is False


def test_the_simulator_creates_its_certificate_once_and_keeps_the_key_private(data_dir: Path, pdf: bytes) -> None:
    sign_pdf(pdf, signer_name="A")
    pem = data_dir / "signing" / "simulator.pem"
    first = pem.read_bytes()
    sign_pdf(pdf, signer_name="B")

    assert pem.read_bytes() == first
    assert stat.S_IMODE(pem.stat().st_mode) == 0o600
    assert SimulatorSigner().certificate(create=False) is not None


def test_a_signature_from_another_installation_is_intact_but_not_trusted(
    data_dir: Path, pdf: bytes, tmp_path_factory: Any
) -> None:
    foreign = SimulatorSigner(tmp_path_factory.mktemp("other")).sign(
        pdf, signer_name="Người lạ", reason="test", location=""
    )

    report = verify_pdf(foreign)

    assert report["intact"] is True
    assert report["trusted"] is False


def test_a_document_can_be_signed_twice(data_dir: Path, pdf: bytes) -> None:
    twice = sign_pdf(sign_pdf(pdf, signer_name="Chuyên viên"), signer_name="Lãnh đạo")

    report = verify_pdf(twice)

    assert len(report["signatures"]) == 2
    assert report["intact"] is True
    assert report["signer_name"] == "Lãnh đạo"


@pytest.mark.parametrize(("data", "name", "code"), [(b"hello", "A", "not_a_pdf"), (None, "", "signer_name_required")])
def test_it_refuses_bad_input_to_sign(data_dir: Path, pdf: bytes, data: bytes | None, name: str, code: str) -> None:
    with pytest.raises(InvalidInput) as error:
        sign_pdf(data if data is not None else pdf, signer_name=name)

    assert error.value.code == code


def test_it_refuses_to_verify_what_is_not_a_pdf(data_dir: Path) -> None:
    with pytest.raises(InvalidInput) as error:
        verify_pdf(b"PK\x03\x04 not a pdf")

    assert error.value.code == "not_a_pdf"


def test_it_refuses_an_unknown_signing_provider(data_dir: Path, pdf: bytes, settings: Any) -> None:
    settings.MOTCUA = {**settings.MOTCUA, "SIGNING_PROVIDER": "neac-token"}

    with pytest.raises(InvalidInput) as error:
        sign_pdf(pdf, signer_name="A")

    assert error.value.code == "unknown_signing_provider"
    assert "simulator" in error.value.message


def test_a_new_provider_plugs_in_through_the_registry(
    data_dir: Path, pdf: bytes, settings: Any, monkeypatch: Any
) -> None:
    class Recorder(SimulatorSigner):
        name = "recorder"
        calls: list[str] = []

        def sign(self, pdf: bytes, *, signer_name: str, reason: str, location: str) -> bytes:
            self.calls.append(signer_name)
            return super().sign(pdf, signer_name=signer_name, reason=reason, location=location)

    monkeypatch.setitem(signing.PROVIDERS, "recorder", Recorder)
    settings.MOTCUA = {**settings.MOTCUA, "SIGNING_PROVIDER": "recorder"}

    signed = sign_pdf(pdf, signer_name="Nguyễn Văn B")

    assert Recorder.calls == ["Nguyễn Văn B"]
    assert verify_pdf(signed)["intact"] is True
