"""Signed firmware (L01, Secure Firmware Update): the manufacturer's firmware signing key signs
the firmware file; the station verifies the signature with the firmware signing certificate
(which it verifies against its ManufacturerRootCertificate).

The signature of ``UpdateFirmwareRequest.firmware.signature`` is base64: ECDSA with SHA-256, or
RSA-PSS with MGF1-SHA256 for an RSA key (A00.FR.505/506).
"""

from __future__ import annotations

import base64
import binascii

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from harness.pki.hierarchy import Pki
from harness.pki.keys import pss
from harness.pki.store import private_key


def sign_firmware(pki: Pki, data: bytes) -> str:
    """The base64 signature of ``data`` with the PKI's firmware signing key."""
    key = private_key(pki.firmware_signing.key)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        signature = key.sign(data, ec.ECDSA(hashes.SHA256()))
    else:
        signature = key.sign(data, pss(), hashes.SHA256())
    return base64.b64encode(signature).decode("ascii")


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
