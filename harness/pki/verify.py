"""Certificate path checks and certificate identifiers.

* :func:`verify_chain`: the path validation of A00.FR.403/411 (RFC 5280 §6) of a PEM chain
  against a trusted root, with ``cryptography``'s verifier, after link-by-link checks that name
  the failing link. A station certificate has no SAN (A00.FR.511), which the verifier's web-PKI
  defaults would require, so the end-entity policy lets it be absent.
* :func:`certificate_hash_data`: OCPP's CertificateHashDataType (Part 2 §2.6), the identifier
  of a certificate in Get/Delete/InstallCertificate and GetCertificateStatus.
"""

from __future__ import annotations

import hashlib

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ObjectIdentifier
from cryptography.x509.verification import (
    Criticality,
    ExtensionPolicy,
    PolicyBuilder,
    Store,
    VerificationError,
)

from harness.pki.build import now
from harness.pki.keys import MIN_EC_BITS, RSA_BITS, as_public_key, key_algorithm, key_bits

HASH_ALGORITHMS = {"SHA256": "sha256", "SHA384": "sha384", "SHA512": "sha512"}


class ChainError(ValueError):
    """A certificate chain that does not verify (says which link and why)."""


def _pem_certs(pem: str | bytes, what: str) -> list[x509.Certificate]:
    raw = pem.encode("ascii", "replace") if isinstance(pem, str) else pem
    try:
        return x509.load_pem_x509_certificates(raw)
    except ValueError as exc:
        raise ChainError(f"{what}: no readable PEM certificate ({exc})") from None


def _dn(cert: x509.Certificate) -> str:
    return f"'{cert.subject.rfc4514_string()}'"


def _check_link(i: int, cert: x509.Certificate, parent: x509.Certificate, label: str) -> None:
    if cert.issuer != parent.subject:
        raise ChainError(
            f"link {i}: {_dn(cert)} is issued by '{cert.issuer.rfc4514_string()}', "
            f"not by the {label} {_dn(parent)}"
        )
    try:
        cert.verify_directly_issued_by(parent)
    except (ValueError, TypeError, InvalidSignature) as exc:
        raise ChainError(
            f"link {i}: the signature of {_dn(cert)} does not verify with the key of the "
            f"{label} {_dn(parent)} ({type(exc).__name__}: {exc})"
        ) from None


def _check_times(certs: list[x509.Certificate]) -> None:
    t = now()
    for cert in certs:
        if cert.not_valid_after_utc < t:
            raise ChainError(
                f"{_dn(cert)} expired on {cert.not_valid_after_utc:%Y-%m-%d %H:%M} UTC"
            )
        if cert.not_valid_before_utc > t:
            raise ChainError(
                f"{_dn(cert)} is not valid before {cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC"
            )


def _check_purpose(leaf: x509.Certificate, purpose: ObjectIdentifier) -> None:
    try:
        eku = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return  # no EKU: any purpose (RFC 5280 §4.2.1.12)
    if purpose not in eku:
        have = ", ".join(oid._name for oid in eku) or "none"
        raise ChainError(f"{_dn(leaf)} may not be used for {purpose._name} (EKU: {have})")


def verify_chain(chain_pem: str, root_pem: str, *, purpose: ObjectIdentifier | None = None) -> None:
    """Check that ``chain_pem`` (leaf first, then its intermediates; a trailing copy of the root
    is ignored) is a valid path to a root of ``root_pem``, now (A00.FR.403/411); with
    ``purpose`` (e.g. ``ExtendedKeyUsageOID.CLIENT_AUTH``) also that the leaf's EKU allows it.
    Every key must also be as strong as A00.FR.501-503 require. Raises :class:`ChainError`
    naming the failing link or certificate."""
    chain = _pem_certs(chain_pem, "chain")
    roots = _pem_certs(root_pem, "trusted root")
    while len(chain) > 1 and chain[-1] in roots:
        chain.pop()
    for i, cert in enumerate(chain[:-1], start=1):
        _check_link(i, cert, chain[i], "next certificate")
    last = chain[-1]
    anchors = [r for r in roots if r.subject == last.issuer]
    if not anchors:
        trusted = ", ".join(_dn(r) for r in roots)
        raise ChainError(
            f"link {len(chain)}: {_dn(last)} is issued by '{last.issuer.rfc4514_string()}', "
            f"which is not a trusted root (trusted: {trusted})"
        )
    _check_link(len(chain), last, anchors[0], "trusted root")
    _check_times([*chain, anchors[0]])
    ee_policy = (
        ExtensionPolicy.webpki_defaults_ee()
        .may_be_present(x509.SubjectAlternativeName, Criticality.AGNOSTIC, None)
        .may_be_present(x509.ExtendedKeyUsage, Criticality.AGNOSTIC, None)
    )
    verifier = (
        PolicyBuilder()
        .store(Store(roots))
        .extension_policies(ca_policy=ExtensionPolicy.webpki_defaults_ca(), ee_policy=ee_policy)
        .build_client_verifier()
    )
    try:
        verifier.verify(chain[0], chain[1:])
    except VerificationError as exc:
        raise ChainError(f"the path from {_dn(chain[0])} is invalid: {exc}") from None
    _check_strength([*chain, anchors[0]])
    if purpose is not None:
        _check_purpose(chain[0], purpose)


def _check_strength(certs: list[x509.Certificate]) -> None:
    """Every key in the path at least as strong as A00.FR.501-503 require."""
    for cert in certs:
        public = as_public_key(cert.public_key(), _dn(cert))
        algorithm, bits = key_algorithm(public), key_bits(public)
        minimum = RSA_BITS if algorithm == "rsa" else MIN_EC_BITS
        if bits < minimum:
            raise ChainError(
                f"{_dn(cert)} has a {bits}-bit {algorithm} key, below {minimum} bits "
                "(A00.FR.501-503)"
            )


def _bit_string_contents(spki_der: bytes) -> bytes:
    """The subjectPublicKey BIT STRING's value of a DER SubjectPublicKeyInfo, without tag,
    length and the unused-bits octet."""

    def header(data: bytes, at: int) -> tuple[int, int]:  # (offset of the value, its length)
        first = data[at + 1]
        if first < 0x80:
            return at + 2, first
        n = first & 0x7F
        return at + 2 + n, int.from_bytes(data[at + 2 : at + 2 + n], "big")

    body, _ = header(spki_der, 0)  # SEQUENCE
    alg_at, alg_len = header(spki_der, body)  # AlgorithmIdentifier
    bits_at = alg_at + alg_len
    if spki_der[bits_at] != 0x03:
        raise ValueError("SubjectPublicKeyInfo without a BIT STRING")
    value, length = header(spki_der, bits_at)
    return spki_der[value + 1 : value + length]


def certificate_hash_data(
    cert_pem: str | bytes, issuer_pem: str | bytes, *, algorithm: str = "SHA256"
) -> dict[str, str]:
    """OCPP's CertificateHashDataType of a certificate (Part 2 §2.6), as RFC 6960's CertID:

    * ``issuerNameHash``: hash of the DER of the issuer name in the certificate;
    * ``issuerKeyHash``: hash of the issuer's subjectPublicKey BIT STRING value (for ECDSA the
      X9.62 point, for RSA the PKCS#1 RSAPublicKey DER);
    * ``serialNumber``: the serial number in hexadecimal, lowercase, without "0x" or leading
      zeros.

    Hashes are lowercase hex; ``algorithm`` is a HashAlgorithmEnumType value (SHA256, SHA384,
    SHA512). A ValueError if ``issuer_pem`` is not the certificate's issuer."""
    if algorithm not in HASH_ALGORITHMS:
        raise ValueError(f"hashAlgorithm {algorithm!r}: use one of {', '.join(HASH_ALGORITHMS)}")
    cert = _pem_certs(cert_pem, "certificate")[0]
    issuer = _pem_certs(issuer_pem, "issuer")[0]
    if cert.issuer != issuer.subject:
        raise ValueError(
            f"{_dn(issuer)} is not the issuer of {_dn(cert)} ('{cert.issuer.rfc4514_string()}')"
        )
    spki = issuer.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    digest = HASH_ALGORITHMS[algorithm]
    return {
        "hashAlgorithm": algorithm,
        "issuerNameHash": hashlib.new(digest, cert.issuer.public_bytes()).hexdigest(),
        "issuerKeyHash": hashlib.new(digest, _bit_string_contents(spki)).hexdigest(),
        "serialNumber": format(cert.serial_number, "x"),
    }
