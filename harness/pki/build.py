"""Certificates of the harness PKI built with ``cryptography``'s ``CertificateBuilder``: CA
certificates (root, sub-CA) and leaves (CSMS server, charging station, firmware signing).

Every certificate carries BasicConstraints, KeyUsage (A00.FR.512), SubjectKeyIdentifier and
AuthorityKeyIdentifier, a random serial number (A00.FR.508, at most 159 bits so that its hex form
fits ``serialNumber``'s 40 characters) and a subject with the owner's O (A00.FR.509). A CA signs
with ECDSA or RSA-PSS over SHA-256 (A00.FR.505/506).

The leaves carry an ExtendedKeyUsage (serverAuth, clientAuth, codeSigning) so that TLS stacks
check the purpose; A00.FR.514 recommends leaving it out for ISO 15118 compatibility, which does
not matter for the harness's own certificates.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from harness.pki.keys import PrivateKey, PublicKey, as_public_key, key_algorithm, sign_certificate

ROOT_DAYS = 3650
SUB_CA_DAYS = 1825
LEAF_DAYS = 365
#: Back-dating of notBefore, so that a peer whose clock is a little behind accepts a new
#: certificate at once.
BACKDATE = dt.timedelta(hours=1)

SERVER_AUTH = ExtendedKeyUsageOID.SERVER_AUTH
CLIENT_AUTH = ExtendedKeyUsageOID.CLIENT_AUTH
CODE_SIGNING = ExtendedKeyUsageOID.CODE_SIGNING


@dataclass(frozen=True)
class CertKey:
    """A certificate and its private key (a CA's: what signs the next link)."""

    cert: x509.Certificate
    key: PrivateKey


def now() -> dt.datetime:
    """The current time, UTC."""
    return dt.datetime.now(dt.UTC)


def name(common_name: str, organization: str) -> x509.Name:
    """A subject with CN and O (A00.FR.509-511)."""
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def common_name(cert_name: x509.Name) -> str | None:
    """The (first) CN of a name, or None."""
    values = cert_name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else None


def organization(cert_name: x509.Name) -> str | None:
    """The (first) O of a name, or None."""
    values = cert_name.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    return str(values[0].value) if values else None


def _key_usage(*, ca: bool, digital_signature: bool, key_encipherment: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=False,
        key_encipherment=key_encipherment,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def leaf_key_usage(public_key: PublicKey, *, tls_server: bool) -> x509.KeyUsage:
    """digitalSignature, plus keyEncipherment for an RSA TLS server key (the static-RSA suites
    of A00.FR.421)."""
    rsa_server = tls_server and key_algorithm(public_key) == "rsa"
    return _key_usage(ca=False, digital_signature=True, key_encipherment=rsa_server)


def _builder(
    subject: x509.Name,
    public_key: PublicKey,
    issuer_name: x509.Name,
    issuer_public: PublicKey,
    not_before: dt.datetime,
    not_after: dt.datetime,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public), critical=False
        )
    )


def ca_certificate(
    subject: x509.Name,
    key: PrivateKey,
    issuer: CertKey | None,
    *,
    path_length: int | None,
    days: int,
) -> x509.Certificate:
    """A CA certificate for ``key``: self-signed when ``issuer`` is None (a root), else signed by
    it; ``path_length`` limits the CAs below (1 for Sub-CA 1, 0 for Sub-CA 2)."""
    start = now() - BACKDATE
    end = start + dt.timedelta(days=days)
    signer_key = key if issuer is None else issuer.key
    issuer_name = subject if issuer is None else issuer.cert.subject
    if issuer is not None:
        end = min(end, issuer.cert.not_valid_after_utc)
    builder = (
        _builder(
            subject,
            key.public_key(),
            issuer_name,
            signer_key.public_key(),
            start,
            end,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(
            _key_usage(ca=True, digital_signature=False, key_encipherment=False), critical=True
        )
    )
    return sign_certificate(builder, signer_key)


def san_for(hosts: Sequence[str]) -> x509.SubjectAlternativeName:
    """A SubjectAlternativeName with a dNSName per host name and an iPAddress per IP literal."""
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    return x509.SubjectAlternativeName(names)


def leaf_certificate(
    subject: x509.Name,
    public_key: PublicKey,
    issuer: CertKey,
    *,
    eku: Sequence[ObjectIdentifier],
    key_usage: x509.KeyUsage,
    san: x509.SubjectAlternativeName | None = None,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    days: int = LEAF_DAYS,
) -> x509.Certificate:
    """An end-entity certificate for ``public_key`` signed by ``issuer``. Its validity runs from
    ``not_before`` (default: now, back-dated by :data:`BACKDATE`) for ``days``, or to
    ``not_after`` when given; a default end never passes the issuer's."""
    start = not_before if not_before is not None else now() - BACKDATE
    if not_after is None:
        not_after = min(start + dt.timedelta(days=days), issuer.cert.not_valid_after_utc)
    builder = (
        _builder(
            subject,
            public_key,
            issuer.cert.subject,
            as_public_key(issuer.cert.public_key(), "issuer certificate"),
            start,
            not_after,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(key_usage, critical=True)
        .add_extension(x509.ExtendedKeyUsage(list(eku)), critical=False)
    )
    if san is not None:
        builder = builder.add_extension(san, critical=False)
    return sign_certificate(builder, issuer.key)
