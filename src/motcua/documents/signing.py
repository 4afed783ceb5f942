"""Digital signatures on issued PDFs, behind one small provider interface
(docs/architecture.md#connected-systems).

Decree 45/2020/NĐ-CP Art. 16 wants electronic results signed digitally; in production that
is a signature by a certificate of a NEAC-licensed provider (Law on Electronic Transactions
2023, Decree 130/2018). MotCua ships only a SIMULATOR: a self-signed certificate generated
on first use and kept under `settings.DATA_DIR / "signing"`. It produces real PAdES-style
PDF signatures, so tampering is detected, but it is NOT a recognised signature and gives a
document no legal value. A real provider (a remote signing service, a USB token) implements
`SigningProvider` and is added to `PROVIDERS`; `settings.MOTCUA["SIGNING_PROVIDER"]` picks one.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from abc import ABC, abstractmethod
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from motcua.lib.errors import InvalidInput

SIMULATOR_COMMON_NAME = "MotCua SIMULATED signer - not a NEAC-recognised signature"
_MAX_NAME = 255


class SigningProvider(ABC):
    """What a signing provider does: sign PDF bytes, and name the roots its signatures chain to."""

    #: Registry key, e.g. "simulator".
    name: ClassVar[str]
    #: True when signatures carry no legal value (the built-in simulator).
    simulated: ClassVar[bool]

    @abstractmethod
    def sign(self, pdf: bytes, *, signer_name: str, reason: str, location: str) -> bytes:
        """Return `pdf` with one more signature appended as an incremental update."""

    @abstractmethod
    def trust_roots(self) -> list[asn1_x509.Certificate]:
        """Certificates a signature of this provider is checked against."""


class SimulatorSigner(SigningProvider):
    """Signs with a self-signed certificate generated at first use. A SIMULATOR only.

    The key and certificate live in one PEM file written atomically (temporary file, then a
    hard link that fails if another process won the race), so concurrent first uses agree on
    one certificate.
    """

    name = "simulator"
    simulated = True

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory) if directory else Path(settings.DATA_DIR) / "signing"

    @property
    def path(self) -> Path:
        return self.directory / "simulator.pem"

    def _generate(self) -> bytes:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, SIMULATOR_COMMON_NAME),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "MotCua (simulator)"),
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            ]
        )
        now = datetime.now(UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(key, hashes.SHA256())
        )
        key_pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return key_pem + cert.public_bytes(serialization.Encoding.PEM)

    def _material(self, *, create: bool) -> tuple[Any, x509.Certificate] | None:
        if not self.path.exists():
            if not create:
                return None
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".simulator-", suffix=".pem")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(self._generate())
                os.chmod(tmp, 0o600)
                # If another process created it first, use theirs.
                with contextlib.suppress(FileExistsError):
                    os.link(tmp, self.path)
            finally:
                os.unlink(tmp)
        pem = self.path.read_bytes()
        key = serialization.load_pem_private_key(pem, password=None)
        cert = x509.load_pem_x509_certificate(pem)
        return key, cert

    def certificate(self, *, create: bool = True) -> asn1_x509.Certificate | None:
        material = self._material(create=create)
        if material is None:
            return None
        return asn1_x509.Certificate.load(material[1].public_bytes(serialization.Encoding.DER))

    def trust_roots(self) -> list[asn1_x509.Certificate]:
        cert = self.certificate(create=False)
        return [cert] if cert is not None else []

    def sign(self, pdf: bytes, *, signer_name: str, reason: str, location: str) -> bytes:
        material = self._material(create=True)
        assert material is not None
        key, cert = material
        der_key = key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        signing_cert = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
        signer = signers.SimpleSigner(
            signing_cert=signing_cert,
            signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
            cert_registry=SimpleCertificateStore.from_certs([signing_cert]),  # type: ignore[no-untyped-call]
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        existing = len(PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures)
        meta = signers.PdfSignatureMetadata(
            field_name=f"MotCuaSignature{existing + 1}",
            md_algorithm="sha256",
            name=signer_name,
            reason=reason,
            location=location,
        )
        out = signers.sign_pdf(writer, meta, signer=signer)
        signed: bytes = out.getvalue()
        return signed


#: Signing providers by name. Add a real one here and name it in MOTCUA["SIGNING_PROVIDER"].
PROVIDERS: dict[str, type[SigningProvider]] = {"simulator": SimulatorSigner}


def provider(name: str | None = None) -> SigningProvider:
    """The configured provider (default: the simulator)."""
    chosen = name or str(settings.MOTCUA.get("SIGNING_PROVIDER", "simulator"))
    cls = PROVIDERS.get(chosen)
    if cls is None:
        raise InvalidInput(
            f"Unknown signing provider {chosen!r}; known: {', '.join(sorted(PROVIDERS))}.",
            code="unknown_signing_provider",
        )
    return cls()


def _check_pdf(pdf: bytes) -> None:
    if not isinstance(pdf, bytes | bytearray) or not bytes(pdf[:1024]).lstrip().startswith(b"%PDF-"):
        raise InvalidInput("This is not a PDF document.", code="not_a_pdf")


def sign_pdf(
    pdf: bytes,
    *,
    signer_name: str,
    reason: str = "Ký số kết quả giải quyết thủ tục hành chính",
    location: str = "",
    provider_name: str | None = None,
) -> bytes:
    """Sign `pdf` for `signer_name` with the configured provider (the simulator by default)."""
    _check_pdf(pdf)
    name = (signer_name or "").strip()
    if not name:
        raise InvalidInput("Name the person who signs.", code="signer_name_required")
    if len(name) > _MAX_NAME:
        raise InvalidInput(f"The signer's name is longer than {_MAX_NAME} characters.", code="invalid_signer_name")
    chosen = provider(provider_name)
    try:
        return chosen.sign(bytes(pdf), signer_name=name, reason=reason, location=location)
    except (PdfError, SigningError, ValueError, KeyError) as exc:
        raise InvalidInput(f"The PDF could not be signed: {exc}", code="pdf_not_signable") from exc


def verify_pdf(pdf: bytes) -> dict[str, Any]:
    """Report on the signatures of `pdf`.

    `intact` is True when every signature's digest still matches the bytes it covers, that
    is, nothing it signed was changed; `valid` adds that the cryptographic signature over the
    digest checks out. `trusted` is True when the certificate chains to a
    root of a registered provider; `simulated` says that root is the simulator's (no legal
    value). `covers_whole_file` is False when content was appended after the last signature.
    """
    _check_pdf(pdf)
    data = bytes(pdf)
    roots: list[asn1_x509.Certificate] = []
    simulator_roots: set[bytes] = set()
    for cls in PROVIDERS.values():
        found = cls().trust_roots()
        roots.extend(found)
        if cls.simulated:
            simulator_roots.update(cert.sha256 for cert in found)
    report: dict[str, Any] = {
        "signed": False,
        "intact": False,
        "trusted": False,
        "valid": False,
        "simulated": False,
        "covers_whole_file": False,
        "signatures": [],
        "error": "",
    }
    try:
        embedded = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
        report["signed"] = bool(embedded)
        checked = []
        for sig in embedded:
            context = ValidationContext(trust_roots=roots, allow_fetching=False)
            status = validate_pdf_signature(sig, signer_validation_context=context, skip_diff=True)
            cert = sig.signer_cert
            signed_at = status.signer_reported_dt
            checked.append(
                {
                    "field": sig.field_name,
                    "signer_name": str(sig.sig_object.get("/Name", "")),
                    "certificate": cert.subject.human_friendly,
                    "signed_at": signed_at.isoformat() if signed_at else None,
                    "intact": bool(status.intact),
                    # pyHanko's `valid` checks the signed attributes only; a signature is valid
                    # for us when those check out AND the document digest matches.
                    "valid": bool(status.valid and status.intact),
                    "trusted": bool(status.trusted),
                    "simulated": cert.sha256 in simulator_roots,
                    "coverage": status.coverage.name if status.coverage else "",
                }
            )
    except Exception as exc:  # a damaged file is a finding, not a crash
        report["signed"] = b"/ByteRange" in data
        report["error"] = f"The signature could not be checked: {exc}"
        return report
    report["signatures"] = checked
    if checked:
        report["intact"] = all(item["intact"] for item in checked)
        report["valid"] = all(item["valid"] for item in checked)
        report["trusted"] = all(item["trusted"] for item in checked)
        report["simulated"] = any(item["simulated"] for item in checked)
        report["covers_whole_file"] = checked[-1]["coverage"] == "ENTIRE_FILE"
        report["signer_name"] = checked[-1]["signer_name"]
    return report
