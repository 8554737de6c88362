"""Certificate checks shared by the certificate cases of OCPP 2.0.1/2.1 (blocks A and M) and the
OCPP 1.6 security extension: a renewed station certificate chain as the harness station
receives it from a CSMS (A02), and the CertificateHashDataType a station reports and a CSMS must
repeat (M03/M04). Used by :mod:`.test_a_certificates`, :mod:`.test_m_certificates` and
:mod:`testcases.v16.test_security_csms`."""

from __future__ import annotations

import hashlib
import itertools
import ssl
import tempfile
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization

from harness import StationPeer
from harness.checks import require
from harness.pki import ChainError, certificate_hash_data, verify_chain
from harness.transport import Link
from harness.transport.tls import client_context
from harness.verdicts import Inconclusive

HASHLIB_NAMES = {"SHA256": "sha256", "SHA384": "sha384", "SHA512": "sha512"}


def spki(public: object) -> bytes:
    """The DER SubjectPublicKeyInfo of a certificate or CSR."""
    key = public.public_key()  # type: ignore[attr-defined]
    return bytes(
        key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


def issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """Whether ``issuer`` signed ``cert``."""
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def chain_certificates(station: StationPeer, chain: str, *, req: str) -> list[x509.Certificate]:
    """The certificates of the PEM ``chain``, leaf first; at least one (``req``)."""
    try:
        certs = x509.load_pem_x509_certificates(chain.encode("ascii", "replace"))
    except ValueError as exc:
        certs, problem = [], f"not a PEM certificate chain: {exc}"
    else:
        problem = ""
    require(
        bool(certs),
        req=req,
        expected="a PEM certificate chain",
        actual=problem,
        frames=station.trace.render(last=4),
    )
    return certs


def require_leaf_for_csr(
    station: StationPeer, certs: list[x509.Certificate], csr: str, *, req: str
) -> None:
    """The leaf (``certs[0]``) is issued for the public key of the PEM ``csr`` (``req``)."""
    leaf_key, csr_key = spki(certs[0]), spki(x509.load_pem_x509_csr(csr.encode("ascii")))
    require(
        leaf_key == csr_key,
        req=req,
        expected="the leaf certificate's public key = the one of the CSR sent",
        actual=f"another key ({certs[0].subject.rfc4514_string()})",
        frames=station.trace.render(last=4),
    )


def require_chain_valid(
    station: StationPeer, chain: str, certs: list[x509.Certificate], *, req: str
) -> None:
    """Each link of ``chain`` (``certs``, leaf first) issued by the next and in its validity
    period; verified up to a CPO root of the harness PKI where the chain leads to one (a CSMS
    whose CA the harness does not know: those checks only; ``req``)."""
    problem = ""
    for child, parent in itertools.pairwise(certs):
        try:
            child.verify_directly_issued_by(parent)
        except (ValueError, TypeError, InvalidSignature) as exc:
            problem = f"{child.subject.rfc4514_string()} is not issued by the next: {exc}"
            break
    roots = [p.cpo_root for p in station.tls.pkis] if station.tls is not None else []
    ours = [
        r for r in roots if issued_by(certs[-1], x509.load_pem_x509_certificate(r.read_bytes()))
    ]
    if not problem and ours:
        try:
            verify_chain(chain, ours[0].read_text())
        except ChainError as exc:
            problem = str(exc)
    frames = station.trace.render(last=4)
    require(not problem, req=req, expected="a valid chain", actual=problem, frames=frames)


def renewed_context(station: StationPeer, chain: str, key: bytes) -> ssl.SSLContext:
    """The harness station's TLS presenting the certificate ``chain`` (PEM) with its private
    ``key`` (PEM; written 0600 to a temporary directory)."""
    if station.tls is None:
        raise Inconclusive("precondition: the session runs without TLS")
    folder = Path(tempfile.mkdtemp(prefix="ocpp-harness-renewed-"))
    (folder / "chain.pem").write_text(chain)
    (folder / "key.pem").touch(mode=0o600)
    (folder / "key.pem").write_bytes(key)
    return client_context(
        list(station.tls.trust), chain=folder / "chain.pem", key=folder / "key.pem"
    )


async def require_connects_with(station: StationPeer, chain: str, key: bytes, *, req: str) -> None:
    """The harness station connects anew presenting the certificate ``chain`` (PEM) with its
    private ``key`` (PEM), and the CSMS accepts the connection (``req``)."""
    outcome = await station.try_connect(ssl_context=renewed_context(station, chain, key))
    require(
        isinstance(outcome, Link),
        req=req,
        expected="the connection with the new certificate accepted",
        actual=str(outcome),
        frames=station.trace.render(last=6),
    )


def normalized_hash_data(data: Any) -> tuple[str, ...]:
    """CertificateHashDataType compared case-insensitively, the serial without leading zeros."""
    if not isinstance(data, dict):
        return ()
    fields = ("hashAlgorithm", "issuerNameHash", "issuerKeyHash", "serialNumber")
    values = [str(data.get(key, "")).strip().lower() for key in fields]
    values[3] = values[3].lstrip("0") or "0"
    return tuple(values)


def made_up_hash_data(label: str, algorithm: str = "SHA256") -> dict[str, str]:
    """Hash data of a certificate the harness station says it holds (it holds none but those the
    CSMS installed): derived from ``label``, in ``algorithm``."""
    digest = HASHLIB_NAMES[algorithm]
    return {
        "hashAlgorithm": algorithm,
        "issuerNameHash": hashlib.new(digest, f"name {label}".encode()).hexdigest(),
        "issuerKeyHash": hashlib.new(digest, f"key {label}".encode()).hexdigest(),
        "serialNumber": hashlib.sha256(f"serial {label}".encode()).hexdigest()[:16].lstrip("0"),
    }


def hash_data_of(pem: str, label: str, algorithm: str = "SHA256") -> dict[str, str]:
    """The hash data of the root ``pem`` the CSMS installed; made up when it is not a
    self-signed certificate the harness can read."""
    try:
        return certificate_hash_data(pem, pem, algorithm=algorithm)
    except ValueError:
        return made_up_hash_data(label, algorithm)
