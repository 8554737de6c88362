"""OCA block M (certificate management, the non-ISO 15118 part) of the 2.0.1/2.1 reference
station: its store of CA certificates by certificateType.

* The store starts with a CSMSRootCertificate and a ManufacturerRootCertificate (the roots of a
  PKI of its own, made once per process in a temporary directory), so that Get and Delete have
  something to find.
* InstallCertificate (M05): a PEM X.509 root CA certificate (self-signed, CA basic constraint,
  within its validity period) is stored under its certificateType and Accepted (M05.FR.02; the
  same certificate again replaces it, M05.FR.17); anything else is Rejected (M05.FR.07).
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
``delete-certificate-always-accepted``. OCPP 1.6 with the security extension
(:mod:`~harness.reference.station.sec16`) uses the same store with ``v16=True``: the faults are
then the ones named with the suffix ``-16``.
"""

from __future__ import annotations

import functools
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

    def __init__(self, station: ReferenceStation, *, v16: bool = False) -> None:
        self.st = station
        self.v16 = v16
        self._store: dict[str, list[str]] | None = None

    def fault(self, name: str) -> bool:
        """Whether the fault ``name`` (its 1.6 twin ``name-16`` under 1.6) is seeded."""
        return (f"{name}-16" if self.v16 else name) in self.st.faults

    @property
    def store(self) -> dict[str, list[str]]:
        if self._store is None:  # made on first use: most sessions never ask
            self._store = {kind: [pem] for kind, pem in seed_roots().items()}
        return self._store

    def handlers(self) -> dict[str, Callable[[Payload], Reply]]:
        return {
            "InstallCertificate": self.install,
            "GetInstalledCertificateIds": self.installed,
            "DeleteCertificate": self.delete,
        }

    def install(self, p: Payload) -> Reply:
        kind, pem = p["certificateType"], p["certificate"]
        if not root_ca(pem) and not self.fault("install-certificate-accepts-invalid"):
            return Reply({"status": "Rejected"})  # M05.FR.07
        if not self.fault("install-certificate-not-stored"):
            entries = self.store.setdefault(kind, [])
            if pem not in entries:  # M05.FR.17: the same certificate again replaces it
                entries.append(pem)
        return Reply({"status": "Accepted"})

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
            return certificate_hash_data(pem, pem, algorithm=algorithm)
        except ValueError:
            return None

    def installed(self, p: Payload) -> Reply:
        chain = [
            {"certificateType": kind, "certificateHashData": data}
            for kind in self._types(p)
            for pem in self.store.get(kind, [])
            if (data := self._hash(pem)) is not None
        ]
        if not chain:
            return Reply({"status": "NotFound"})  # M03.FR.02
        return Reply({"status": "Accepted", "certificateHashDataChain": chain})

    def delete(self, p: Payload) -> Reply:
        wanted = normalized(p["certificateHashData"])
        algorithm = str(p["certificateHashData"].get("hashAlgorithm", "SHA256"))
        for entries in self.store.values():
            for pem in entries:
                if normalized(self._hash(pem, algorithm)) == wanted:
                    if not self.fault("delete-certificate-not-deleted"):
                        entries.remove(pem)
                    return Reply({"status": "Accepted"})  # M04.FR.02
        if self.fault("delete-certificate-always-accepted"):
            return Reply({"status": "Accepted"})
        return Reply({"status": "NotFound"})  # M04.FR.04


def handlers(station: ReferenceStation) -> dict[str, Callable[[Payload], Reply]]:
    """The block M CALLs this module answers, for the 2.x dispatch table."""
    return CertificateStore(station).handlers()
