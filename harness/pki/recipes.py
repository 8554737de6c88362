"""What each certificate of the harness PKI is: the subjects of the two OCPP hierarchies
(OCPP 2.0.1 Part 2 §1.4.2 "Certificate Hierarchy") and the leaf recipes with their properties
(§1.4.1 "Certificate Properties").

* CSMS certificate: CN = the CSMS's host (A00.FR.510), O = the CSO (A00.FR.509), serverAuth;
  its SAN names the host and the loopback addresses so that a connection by IP verifies too
  (A00.FR.511 allows a SAN for a CSMS with several network paths).
* Charging station certificate: CN = the station's serial number, here its identity, never a
  URL or IP address (A00.FR.511), O = the CSO (A00.FR.404), clientAuth, no SAN.
* Firmware signing certificate: issued directly by the manufacturer root, no intermediates
  (L01 remark), digitalSignature and codeSigning.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from dataclasses import dataclass

from cryptography import x509
from cryptography.x509.oid import ObjectIdentifier

from harness.pki.build import (
    CLIENT_AUTH,
    CODE_SIGNING,
    SERVER_AUTH,
    CertKey,
    leaf_certificate,
    leaf_key_usage,
    name,
    now,
    san_for,
)
from harness.pki.keys import WEAK_RSA_BITS, Algorithm, new_key, weak_key
from harness.pki.store import Validity, Wanted

DEFAULT_ORGANIZATION = "ocpp-harness CPO"
MANUFACTURER = "ocpp-harness Manufacturer"
UNTRUSTED = "ocpp-harness Untrusted"
LOOPBACK = ("127.0.0.1", "::1")
FIRMWARE_DAYS = 1095

_IDENTITY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,47}")
_HOST = re.compile(r"[A-Za-z0-9._:-]{1,253}")


def ca_names(algorithm: Algorithm, organization: str) -> dict[str, x509.Name]:
    """The subject of each CA, by file stem; the CN names the key algorithm so that both
    hierarchies can be installed side by side on a device."""
    tag = algorithm.upper() if algorithm == "rsa" else "ECDSA"
    return {
        "csms-root": name(f"ocpp-harness CSMS Root CA ({tag})", organization),
        "cpo-root": name(f"ocpp-harness CPO Root CA ({tag})", organization),
        "cpo-subca1": name(f"ocpp-harness CPO Sub-CA 1 ({tag})", organization),
        "cpo-subca2": name(f"ocpp-harness CPO Sub-CA 2 ({tag})", organization),
        "manufacturer-root": name(f"ocpp-harness Manufacturer Root CA ({tag})", MANUFACTURER),
        "untrusted-root": name(f"ocpp-harness Untrusted Root CA ({tag})", UNTRUSTED),
    }


def check_identity(identity: str) -> str:
    """A station identity usable as CN and file name: letters, digits, ``._:-``, at most 48
    characters, not an IP address (A00.FR.511); a ValueError otherwise."""
    if not _IDENTITY.fullmatch(identity):
        raise ValueError(
            f"station identity {identity!r}: use 1-48 letters, digits or '._:-', "
            "starting with a letter or digit"
        )
    if _is_ip(identity):
        raise ValueError(
            f"station identity {identity!r}: an IP address cannot be a CN (A00.FR.511)"
        )
    return identity


def check_host(host: str) -> str:
    """A CSMS host name or IP literal; a ValueError otherwise."""
    if not _HOST.fullmatch(host):
        raise ValueError(f"CSMS host {host!r}: not a host name or IP address")
    return host


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class LeafSpec:
    """What a leaf certificate must be: subject, purpose, SAN, validity, key strength."""

    subject: x509.Name
    eku: tuple[ObjectIdentifier, ...]
    tls_server: bool
    san: x509.SubjectAlternativeName | None = None
    validity: Validity = "current"
    weak: bool = False
    days: int = 365


def server_spec(host: str, organization: str) -> LeafSpec:
    """The CSMS server certificate (A00.FR.509/510): CN = host, SAN host + loopback, serverAuth."""
    hosts = [host, *(ip for ip in LOOPBACK if ip != host)]
    return LeafSpec(name(host, organization), (SERVER_AUTH,), True, san_for(hosts))


def station_spec(identity: str, organization: str) -> LeafSpec:
    """A charging station certificate (A00.FR.509/511): CN = identity, clientAuth, no SAN."""
    return LeafSpec(name(check_identity(identity), organization), (CLIENT_AUTH,), False)


def firmware_spec() -> LeafSpec:
    """The firmware signing certificate of the manufacturer: codeSigning."""
    return LeafSpec(
        name("ocpp-harness Firmware Signing", MANUFACTURER),
        (CODE_SIGNING,),
        False,
        days=FIRMWARE_DAYS,
    )


def wanted(spec: LeafSpec, issuer: x509.Certificate, algorithm: Algorithm) -> Wanted:
    """What a stored certificate must be to stand for ``spec`` under ``issuer``."""
    return Wanted(
        subject=spec.subject,
        issuer=issuer,
        algorithm="rsa" if spec.weak else algorithm,
        key_bits=WEAK_RSA_BITS if spec.weak else None,
        san=spec.san,
        eku=x509.ExtendedKeyUsage(list(spec.eku)),
        validity=spec.validity,
    )


def issue(spec: LeafSpec, issuer: CertKey, algorithm: Algorithm) -> CertKey:
    """A new key and a certificate for ``spec`` signed by ``issuer``."""
    key = weak_key() if spec.weak else new_key(algorithm)
    not_before: dt.datetime | None = None
    not_after: dt.datetime | None = None
    if spec.validity == "expired":
        not_before, not_after = now() - dt.timedelta(days=60), now() - dt.timedelta(days=30)
    elif spec.validity == "future":
        not_before = now() + dt.timedelta(days=30)
        not_after = not_before + dt.timedelta(days=spec.days)
    cert = leaf_certificate(
        spec.subject,
        key.public_key(),
        issuer,
        eku=spec.eku,
        key_usage=leaf_key_usage(key.public_key(), tls_server=spec.tls_server),
        san=spec.san,
        not_before=not_before,
        not_after=not_after,
        days=spec.days,
    )
    return CertKey(cert, key)
