"""OCA block M (certificate management, the non-ISO 15118 part) of the 2.0.1/2.1 reference
station: its store of CA certificates by certificateType.

* The store starts with a CSMSRootCertificate and a ManufacturerRootCertificate (the roots of a
  PKI of its own, made once per process in a temporary directory), so that Get and Delete have
  something to find.
* InstallCertificate (M05): a PEM X.509 root CA certificate (self-signed, CA basic constraint,
  within its validity period) is stored under its certificateType and Accepted (M05.FR.02; the
  same certificate again replaces it, M05.FR.17); anything else is Rejected (M05.FR.07).
* SecurityCtrlr.AdditionalRootCertificateCheck (M05.FR.09-12, PICS AS-2; ReadOnly, true on a
  station that starts on security profile 3): the store then starts with the CSMS roots of the
  station's TLS trust (those the CSMS's server certificate is checked with: one per key
  algorithm of the harness PKI, where M05.FR.09 allows one), and a new CSMSRootCertificate is
  installed only when it is a CA certificate, within its validity period, signed by a current
  CSMS root (M05.FR.10): it replaces that one, which stays as the fallback, Accepted
  (M05.FR.12); any other is Rejected and not installed (M05.FR.11). The fallback is listed
  while it is kept. Once the station's connection runs with a server certificate issued by the
  new root, the fallback is removed (M05.FR.13; looked at when the store is next asked). The
  TLS trust itself is not switched: the station goes on verifying the CSMS with the roots it was
  started with, so a server certificate of the old root still connects (what the fallback of
  M05.FR.14 achieves) and one of the new root connects through the path new root -> old root.
  Deleting a new root puts its old one back (the fallback, or the root the station was started
  with: the reference station never stays without the CSMS root it trusts).
* GetInstalledCertificateIds (M03): the hash data (SHA256) of every stored certificate whose
  type is listed (none listed: every type), Accepted (M03.FR.03/04); NotFound without a chain
  when nothing matches (M03.FR.02).
* DeleteCertificate (M04): the stored certificate whose hash data, computed with the request's
  hashAlgorithm, is the one asked for is deleted, Accepted (M04.FR.02); NotFound when none is
  (M04.FR.04). The station's own certificate is not in this store, so deleting it is NotFound
  (Part 6 TC_M_23 allows NotFound or Failed; M04.FR.06).

Seeded faults (:mod:`harness.reference.faults_m`): ``install-certificate-accepts-invalid``,
``install-certificate-not-stored``, ``installed-certificates-ignore-type``,
``installed-certificates-one-type``, ``delete-certificate-not-deleted``,
``delete-certificate-always-accepted``, ``additional-root-check-ignored`` (with the check on, a
new CSMS root not signed by the current one is installed as without it),
``csms-root-fallback-not-kept`` (the old root is dropped at once, M05.FR.12),
``csms-root-fallback-not-removed`` (the fallback stays after connecting with the new root).
OCPP 1.6 with the security extension (:mod:`~harness.reference.station.sec16`) uses the same
store with ``v16=True``: the faults are then the ones named with the suffix ``-16``.
"""

from __future__ import annotations

import functools
import ssl
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature

from harness.pki import certificate_hash_data, ensure_pki
from harness.reference.station.model import Payload, Reply

if TYPE_CHECKING:
    from harness.reference.station.core import ReferenceStation
    from harness.reference.station.devmodel import DeviceModel

CSMS_ROOT = "CSMSRootCertificate"

#: The hash data fields that identify a certificate (CertificateHashDataType).
_HASH_FIELDS = ("hashAlgorithm", "issuerNameHash", "issuerKeyHash", "serialNumber")


@functools.cache
def seed_roots() -> dict[str, str]:
    """The PEM of the roots every reference station starts with, by certificateType (one PKI
    per process, in a temporary directory)."""
    pki = ensure_pki(Path(tempfile.mkdtemp(prefix="ocpp-harness-station-m-")) / "ecdsa")
    return {
        "CSMSRootCertificate": pki.csms_root.read_text(),
        "ManufacturerRootCertificate": pki.manufacturer_root.read_text(),
    }


def root_ca(pem: str) -> bool:
    """Whether ``pem`` is one valid, self-signed CA certificate (what M05 installs)."""
    try:
        cert = x509.load_pem_x509_certificate(pem.encode())
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
        cert.verify_directly_issued_by(cert)
    except (ValueError, TypeError, x509.ExtensionNotFound, InvalidSignature):
        return False
    now = datetime.now(UTC)
    return constraints.ca and cert.not_valid_before_utc <= now <= cert.not_valid_after_utc


def linked_ca(pem: str, issuer_pem: str) -> bool:
    """M05.FR.10: whether ``pem`` is one valid CA certificate signed by ``issuer_pem``."""
    try:
        cert = x509.load_pem_x509_certificate(pem.encode())
        issuer = x509.load_pem_x509_certificate(issuer_pem.encode())
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, x509.ExtensionNotFound, InvalidSignature):
        return False
    now = datetime.now(UTC)
    return constraints.ca and cert.not_valid_before_utc <= now <= cert.not_valid_after_utc


def _issued(cert: x509.Certificate, issuer_pem: str) -> bool:
    """Whether ``cert`` is signed by the certificate ``issuer_pem``."""
    try:
        cert.verify_directly_issued_by(x509.load_pem_x509_certificate(issuer_pem.encode()))
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def normalized(data: Any) -> tuple[str, ...]:
    """Hash data compared case-insensitively, the serial number without leading zeros."""
    if not isinstance(data, dict):
        return ()
    values = [str(data.get(key, "")).strip().lower() for key in _HASH_FIELDS]
    values[0] = values[0].upper()
    values[3] = values[3].lstrip("0") or "0"
    return tuple(values)


class CertificateStore:
    """The CA certificates of one reference station, by certificateType (a list of PEMs)."""

    def __init__(
        self, station: ReferenceStation, *, v16: bool = False, dm: DeviceModel | None = None
    ) -> None:
        self.st = station
        self.v16 = v16
        self._store: dict[str, list[str]] | None = None
        #: M05.FR.09-12: SecurityCtrlr.AdditionalRootCertificateCheck (ReadOnly) is true.
        self.check_root = dm is not None and dm.get_bool(
            "SecurityCtrlr", "AdditionalRootCertificateCheck"
        )
        #: M05.FR.12: the CSMS root a linked new one replaced, kept while that one is installed.
        self.fallback: str | None = None
        #: The issuer (PEM) of each stored certificate that is not self-signed.
        self.issuers: dict[str, str] = {}

    def fault(self, name: str) -> bool:
        """Whether the fault ``name`` (its 1.6 twin ``name-16`` under 1.6) is seeded."""
        return (f"{name}-16" if self.v16 else name) in self.st.faults

    @property
    def store(self) -> dict[str, list[str]]:
        if self._store is None:  # made on first use: most sessions never ask
            self._store = {kind: [pem] for kind, pem in seed_roots().items()}
            context = self.st.ssl_context
            if self.check_root and context is not None:  # M05.FR.09: the root it trusts
                ders = context.get_ca_certs(binary_form=True)
                pems = [ssl.DER_cert_to_PEM_cert(der) for der in ders]
                self._store[CSMS_ROOT] = pems or self._store[CSMS_ROOT]
        return self._store

    def handlers(self) -> dict[str, Callable[[Payload], Reply]]:
        return {
            "InstallCertificate": self.install,
            "GetInstalledCertificateIds": self.installed,
            "DeleteCertificate": self.delete,
        }

    def install(self, p: Payload) -> Reply:
        kind, pem = p["certificateType"], p["certificate"]
        if self.check_root and kind == CSMS_ROOT:
            reply = self._replace_root(pem)
            if reply.payload["status"] == "Accepted" or not self.fault(
                "additional-root-check-ignored"
            ):
                return reply
        if not root_ca(pem) and not self.fault("install-certificate-accepts-invalid"):
            return Reply({"status": "Rejected"})  # M05.FR.07
        if not self.fault("install-certificate-not-stored"):
            entries = self.store.setdefault(kind, [])
            if pem not in entries:  # M05.FR.17: the same certificate again replaces it
                entries.append(pem)
        return Reply({"status": "Accepted"})

    def _replace_root(self, pem: str) -> Reply:
        """M05.FR.10-12: a new CSMS root signed by the current one replaces it (the old one the
        fallback); any other is Rejected and not installed."""
        current = self.store.get(CSMS_ROOT, [])
        if pem in current:  # the current root again: nothing changes
            return Reply({"status": "Accepted"})
        signer = next((root for root in current if linked_ca(pem, root)), None)
        if signer is None:
            return Reply({"status": "Rejected"})  # M05.FR.11
        if not self.fault("install-certificate-not-stored"):
            self.fallback = None if self.fault("csms-root-fallback-not-kept") else signer
            self.issuers[pem] = signer
            self.store[CSMS_ROOT] = [pem if root == signer else root for root in current]
        return Reply({"status": "Accepted"})  # M05.FR.12

    def _settle(self) -> None:
        """M05.FR.13: the fallback is removed once the connection runs with a server
        certificate issued by a new root that replaced it."""
        link = self.st.link
        transport = link.ws.transport if link is not None else None
        obj = transport.get_extra_info("ssl_object") if transport is not None else None
        der = obj.getpeercert(binary_form=True) if isinstance(obj, ssl.SSLObject) else None
        if self.fallback is None or not der or self.fault("csms-root-fallback-not-removed"):
            return
        server = x509.load_der_x509_certificate(der)
        for pem in self.store.get(CSMS_ROOT, []):
            if self.issuers.get(pem) == self.fallback and _issued(server, pem):
                self.fallback = None
                return

    def _entries(self, kind: str) -> list[str]:
        """The stored certificates of ``kind``; for CSMS roots also a kept fallback."""
        if kind == CSMS_ROOT:
            self._settle()
        entries = list(self.store.get(kind, []))
        if kind == CSMS_ROOT and self.fallback is not None:
            entries.append(self.fallback)
        return entries

    def _types(self, p: Payload) -> list[str]:
        wanted = list(p.get("certificateType") or [])
        if wanted and self.fault("installed-certificates-one-type"):
            return wanted[:1]
        if not wanted or self.fault("installed-certificates-ignore-type"):
            return list(self.store)
        return wanted

    def _hash(self, pem: str, algorithm: str = "SHA256") -> dict[str, str] | None:
        """The hash data of a stored root (None for a certificate that is not self-signed,
        which only the fault ``install-certificate-accepts-invalid`` stores)."""
        try:
            return certificate_hash_data(pem, self.issuers.get(pem, pem), algorithm=algorithm)
        except ValueError:
            return None

    def installed(self, p: Payload) -> Reply:
        chain = [
            {"certificateType": kind, "certificateHashData": data}
            for kind in self._types(p)
            for pem in self._entries(kind)
            if (data := self._hash(pem)) is not None
        ]
        if not chain:
            return Reply({"status": "NotFound"})  # M03.FR.02
        return Reply({"status": "Accepted", "certificateHashDataChain": chain})

    def delete(self, p: Payload) -> Reply:
        wanted = normalized(p["certificateHashData"])
        algorithm = str(p["certificateHashData"].get("hashAlgorithm", "SHA256"))
        if self.fallback is not None and normalized(self._hash(self.fallback, algorithm)) == wanted:
            if not self.fault("delete-certificate-not-deleted"):
                self.fallback = None
            return Reply({"status": "Accepted"})  # M04.FR.02 (the fallback root)
        for entries in self.store.values():
            for pem in entries:
                if normalized(self._hash(pem, algorithm)) == wanted:
                    if not self.fault("delete-certificate-not-deleted"):
                        entries.remove(pem)
                        old = self.issuers.get(pem)
                        if old is not None and old not in entries:
                            entries.append(old)  # the old root is current again
                            if self.fallback == old:
                                self.fallback = None
                    return Reply({"status": "Accepted"})  # M04.FR.02
        if self.fault("delete-certificate-always-accepted"):
            return Reply({"status": "Accepted"})
        return Reply({"status": "NotFound"})  # M04.FR.04


def handlers(
    station: ReferenceStation, dm: DeviceModel | None = None
) -> dict[str, Callable[[Payload], Reply]]:
    """The block M CALLs this module answers, for the 2.x dispatch table (``dm``: the device
    model with SecurityCtrlr.AdditionalRootCertificateCheck)."""
    return CertificateStore(station, dm=dm).handlers()
