"""Signed firmware (L01, Secure Firmware Update): the manufacturer's firmware signing key signs
the firmware file; the station verifies the signing certificate against its
ManufacturerRootCertificate (L01.FR.21/22, no intermediates: L01 remark) and the signature over
the whole file with that certificate (L01.FR.04/12).

The signature of ``UpdateFirmwareRequest.firmware.signature`` is base64: ECDSA with SHA-256, or
RSA-PSS with MGF1-SHA256 for an RSA key (A00.FR.505/506).

What a block L case sends, one function per kind (:data:`SIGNED_KINDS`), each returning a
:class:`SignedFirmware` (PEM ``certificate`` for ``signingCertificate``, base64 ``signature``)
and what a conforming station makes of it:

* :func:`valid_signed` — the PKI's firmware signing certificate and a signature of the image:
  installs;
* :func:`wrong_signature` — the valid certificate with a real signature by its key, but of other
  bytes (TC_L_06_CS wants a real signature): the download ends in InvalidSignature and the
  security event InvalidFirmwareSignature (L01.FR.03);
* :func:`foreign_key_signature` — the valid certificate with a signature of the image made by
  another manufacturer's key: InvalidSignature likewise;
* :func:`untrusted_certificate` — a certificate (and a signature it verifies) from a
  manufacturer root the station was not given: InvalidCertificate and the security event
  InvalidFirmwareSigningCertificate (L01.FR.02/22, TC_L_05_CS);
* :func:`expired_certificate` — a certificate of the real manufacturer root whose validity is
  over (and a signature it verifies): InvalidCertificate likewise.

No revoked kind: OCPP 2.0.1 Part 2 §1.5 (Table 22) only recommends "online verification" for the
firmware signing certificate and defines no message, responder or list through which a station
learns that it was revoked (GetCertificateStatus, M06, is for the ISO 15118 certificates), so
the harness has no mechanism to present a revocation a station is bound to see. A station's
RevokedCertificate answer (TC_L_04_CSMS) needs no material: the harness station sends it.

Private keys stay in the PKI directory (mode 0600) and are never returned or logged; the bad
certificates are issued once under ``bad/`` and reused, as the rest of the PKI.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from harness.pki.build import CODE_SIGNING
from harness.pki.hierarchy import Issued, Pki
from harness.pki.keys import pss
from harness.pki.store import private_key
from harness.pki.verify import verify_chain

SIGNED_KINDS = ("valid", "wrong-signature", "foreign-key", "untrusted", "expired")
#: What :func:`wrong_signature` signs instead of the image.
OTHER_PREFIX = b"not this firmware: "


def _sign(key: Path, data: bytes) -> str:
    """The base64 signature of ``data`` with the private key in file ``key``."""
    secret = private_key(key)
    if isinstance(secret, ec.EllipticCurvePrivateKey):
        signature = secret.sign(data, ec.ECDSA(hashes.SHA256()))
    else:
        signature = secret.sign(data, pss(), hashes.SHA256())
    return base64.b64encode(signature).decode("ascii")


def sign_firmware(pki: Pki, data: bytes) -> str:
    """The base64 signature of ``data`` with the PKI's firmware signing key."""
    return _sign(pki.firmware_signing.key, data)


def verify_firmware(cert_pem: str | bytes, data: bytes, signature: str) -> None:
    """Check a base64 firmware ``signature`` of ``data`` against the signing certificate; raises
    :class:`cryptography.exceptions.InvalidSignature` when it does not verify (any PSS salt
    length is accepted)."""
    raw = cert_pem.encode("ascii") if isinstance(cert_pem, str) else cert_pem
    public = x509.load_pem_x509_certificate(raw).public_key()
    try:
        sig = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidSignature("the signature is not base64") from None
    if isinstance(public, ec.EllipticCurvePublicKey):
        public.verify(sig, data, ec.ECDSA(hashes.SHA256()))
    elif isinstance(public, rsa.RSAPublicKey):
        auto = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.AUTO)
        public.verify(sig, data, auto, hashes.SHA256())
    else:
        raise InvalidSignature(f"unsupported signing key type {type(public).__name__}")


def check_signed_firmware(root_pem: str, certificate: str, data: bytes, signature: str) -> None:
    """What a station does with a signed firmware, in L01's order: the signing certificate must
    be a valid path to ``root_pem`` (the ManufacturerRootCertificate) for codeSigning, else
    :class:`~harness.pki.verify.ChainError` (L01.FR.21/22: InvalidCertificate); then the
    signature must verify over the whole of ``data``, else :class:`InvalidSignature`
    (L01.FR.04/12: InvalidSignature)."""
    verify_chain(certificate, root_pem, purpose=CODE_SIGNING)
    verify_firmware(certificate, data, signature)


@dataclass(frozen=True)
class SignedFirmware:
    """The signing fields of one UpdateFirmwareRequest and what a conforming station answers."""

    kind: str  # one of SIGNED_KINDS
    certificate: str  # PEM: firmware.signingCertificate
    signature: str  # base64: firmware.signature
    #: The station's verdict: "Accepted" (installs), "InvalidCertificate" (the
    #: UpdateFirmwareResponse status, L01.FR.22) or "InvalidSignature" (the
    #: FirmwareStatusNotification after Downloaded, L01.FR.04).
    verdict: str
    #: The SecurityEventNotification type it must send (L01.FR.02/03), if any.
    security_event: str | None = None


def _pem(issued: Issued) -> str:
    return issued.cert.read_text(encoding="ascii")


def valid_signed(pki: Pki, data: bytes) -> SignedFirmware:
    """The PKI's firmware signing certificate and its signature of ``data``."""
    return SignedFirmware("valid", _pem(pki.firmware_signing), sign_firmware(pki, data), "Accepted")


def wrong_signature(pki: Pki, data: bytes) -> SignedFirmware:
    """The valid certificate with a real signature by its key of other bytes
    (:data:`OTHER_PREFIX` + ``data``), so it does not verify over ``data``."""
    return SignedFirmware(
        "wrong-signature",
        _pem(pki.firmware_signing),
        sign_firmware(pki, OTHER_PREFIX + data),
        "InvalidSignature",
        "InvalidFirmwareSignature",
    )


def foreign_key_signature(pki: Pki, data: bytes) -> SignedFirmware:
    """The valid certificate with a signature of ``data`` made by another manufacturer's
    signing key (that of :func:`untrusted_certificate`)."""
    foreign = pki.bad_firmware_signing("unknown-ca")
    return SignedFirmware(
        "foreign-key",
        _pem(pki.firmware_signing),
        _sign(foreign.key, data),
        "InvalidSignature",
        "InvalidFirmwareSignature",
    )


def untrusted_certificate(pki: Pki, data: bytes) -> SignedFirmware:
    """A signing certificate issued by a root the station was not given, with its key's
    signature of ``data`` (which verifies with it)."""
    untrusted = pki.bad_firmware_signing("unknown-ca")
    return SignedFirmware(
        "untrusted",
        _pem(untrusted),
        _sign(untrusted.key, data),
        "InvalidCertificate",
        "InvalidFirmwareSigningCertificate",
    )


def expired_certificate(pki: Pki, data: bytes) -> SignedFirmware:
    """An expired signing certificate of the manufacturer root, with its key's signature of
    ``data`` (which verifies with it)."""
    expired = pki.bad_firmware_signing("expired")
    return SignedFirmware(
        "expired",
        _pem(expired),
        _sign(expired.key, data),
        "InvalidCertificate",
        "InvalidFirmwareSigningCertificate",
    )


_BY_KIND = {
    "valid": valid_signed,
    "wrong-signature": wrong_signature,
    "foreign-key": foreign_key_signature,
    "untrusted": untrusted_certificate,
    "expired": expired_certificate,
}


def signed_firmware(pki: Pki, data: bytes, kind: str = "valid") -> SignedFirmware:
    """The :class:`SignedFirmware` of ``kind`` (:data:`SIGNED_KINDS`) for ``data``."""
    make = _BY_KIND.get(kind)
    if make is None:
        raise ValueError(f"unknown signed firmware kind {kind!r}: use one of {SIGNED_KINDS}")
    return make(pki, data)
