"""Certificate signing requests of A02/A03 (update of the charging station certificate): the
station's side builds one, the CSMS's side signs it with the CPO Sub-CA 2.

* The station generates a new key pair (A02.FR.02, A03.FR.02) and sends its public key as a
  PEM-encoded PKCS#10 CSR (A02.FR.03, A03.FR.03); the private key stays with the station
  (A02.FR.05).
* The CSMS side checks the CSR's signature and key strength (A00.FR.501-503), keeps the CSR's
  subject (CN = serial number, O = CSO: A00.FR.509/511), issues a clientAuth certificate from the
  CSR's public key and returns the chain leaf + Sub-CA 2 + Sub-CA 1 (the ``certificateChain`` of
  CertificateSignedRequest).
"""

from __future__ import annotations

import datetime as dt
import ipaddress

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding

from harness.pki.build import CLIENT_AUTH, common_name, leaf_certificate, leaf_key_usage, name, now
from harness.pki.hierarchy import Pki
from harness.pki.keys import (
    MIN_EC_BITS,
    RSA_BITS,
    as_public_key,
    cert_pem,
    check_algorithm,
    key_algorithm,
    key_bits,
    load_private_key,
    new_key,
    private_pem,
)


class CsrError(ValueError):
    """A CSR the CSMS side refuses to sign (says why)."""


def make_csr(
    key_pem: bytes | None,
    common_name: str,
    organization: str,
    *,
    algorithm: str = "ecdsa",
) -> tuple[str, bytes]:
    """The station's side of A02/A03: a PEM CSR with subject CN/O for ``key_pem``, or for a new
    key of ``algorithm`` when ``key_pem`` is None; returns (CSR PEM, private key PEM)."""
    key = (
        new_key(check_algorithm(algorithm))
        if key_pem is None
        else load_private_key(key_pem, "CSR key")
    )
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(name(common_name, organization))
        .sign(key, hashes.SHA256())
    )
    return csr.public_bytes(Encoding.PEM).decode("ascii"), private_pem(key)


def load_csr(csr_pem: str) -> x509.CertificateSigningRequest:
    """A CSR that parses, is signed by its own key, has a strong enough key and a CN that is not
    an IP address; a :class:`CsrError` naming the defect otherwise."""
    try:
        csr = x509.load_pem_x509_csr(csr_pem.encode("ascii", "replace"))
    except ValueError as exc:
        raise CsrError(f"not a PEM certificate signing request: {exc}") from None
    if not csr.is_signature_valid:
        raise CsrError("the CSR's signature does not verify with its public key")
    try:
        public = as_public_key(csr.public_key(), "CSR")
    except ValueError as exc:
        raise CsrError(str(exc)) from None
    bits, minimum = key_bits(public), RSA_BITS if key_algorithm(public) == "rsa" else MIN_EC_BITS
    if bits < minimum:
        raise CsrError(
            f"the CSR's {key_algorithm(public)} key has {bits} bits, below {minimum} "
            "(A00.FR.502/503)"
        )
    cn = common_name(csr.subject)
    if not cn:
        raise CsrError("the CSR's subject has no CN (A00.FR.511: the station's serial number)")
    try:
        ipaddress.ip_address(cn)
    except ValueError:
        return csr
    raise CsrError(f"the CSR's CN {cn!r} is an IP address (A00.FR.511)")


def sign_csr(pki: Pki, csr_pem: str, *, days: int = 365) -> str:
    """The CSMS's side of A02/A03: a clientAuth certificate for the CSR's public key and subject,
    valid ``days`` days, signed by Sub-CA 2; returns the PEM chain leaf + Sub-CA 2 + Sub-CA 1.
    Raises :class:`CsrError` for a CSR it refuses (:func:`load_csr`)."""
    csr = load_csr(csr_pem)
    public = as_public_key(csr.public_key(), "CSR")
    sub2, sub1 = pki.sub_cas()
    cert = leaf_certificate(
        csr.subject,
        public,
        sub2,
        eku=(CLIENT_AUTH,),
        key_usage=leaf_key_usage(public, tls_server=False),
        not_after=min(now() + dt.timedelta(days=days), sub2.cert.not_valid_after_utc),
    )
    return cert_pem(cert, sub2.cert, sub1.cert).decode("ascii")
