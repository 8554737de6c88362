"""Block M (certificate management, without ISO 15118) of the reference CSMS: the operator
commands that install a root in a station (M05), list the station's installed certificates
(M03) and delete one (M04).

* ``install_certificate``: InstallCertificateRequest with the root of the asked type from a
  PKI of the CSMS's own (made once per process in a temporary directory: a CSMS root and a
  manufacturer root).
* ``get_installed_certificate_ids``: GetInstalledCertificateIdsRequest for one type, or every
  type (``all``: certificateType omitted).
* ``delete_certificate``: GetInstalledCertificateIdsRequest for the type first, then
  DeleteCertificateRequest with the hash data the station reported for the first certificate
  of that type, as reported (M04.FR.07: the station's hashAlgorithm).

Faults (:mod:`harness.reference.faults_m`): ``csms-install-certificate-not-sent``,
``csms-install-wrong-type``, ``csms-get-certificates-untyped``, ``csms-get-certificates-typed``,
``csms-delete-hash-swapped``, ``csms-delete-own-sha256``.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from harness.pki import certificate_hash_data, ensure_pki
from harness.reference.csms.commands import Command, CommandFailed

CSMS_ROOT = "CSMSRootCertificate"
#: The ``certificate_type`` that asks for every type (certificateType omitted).
ALL = "all"


@functools.cache
def roots() -> dict[str, str]:
    """The PEM of the roots the reference CSMS installs, by certificateType."""
    pki = ensure_pki(Path(tempfile.mkdtemp(prefix="ocpp-harness-csms-m-")) / "ecdsa")
    return {
        CSMS_ROOT: pki.csms_root.read_text(),
        "ManufacturerRootCertificate": pki.manufacturer_root.read_text(),
    }


def install_certificate(faults: frozenset[str], certificate_type: str) -> Command | None:
    """M05 InstallCertificateRequest (None under ``csms-install-certificate-not-sent``)."""
    if "csms-install-certificate-not-sent" in faults:
        return None
    pem = roots().get(certificate_type, roots()[CSMS_ROOT])
    if "csms-install-wrong-type" in faults:
        certificate_type = CSMS_ROOT
    return "InstallCertificate", {"certificateType": certificate_type, "certificate": pem}


def get_installed_certificate_ids(faults: frozenset[str], certificate_type: str) -> Command:
    """M03 GetInstalledCertificateIdsRequest for ``certificate_type`` (``all``: omitted)."""
    if "csms-get-certificates-typed" in faults and certificate_type == ALL:
        certificate_type = CSMS_ROOT
    if certificate_type == ALL or "csms-get-certificates-untyped" in faults:
        return "GetInstalledCertificateIds", {}
    return "GetInstalledCertificateIds", {"certificateType": [certificate_type]}


def _hash_data(faults: frozenset[str], certificate_type: str, reported: dict[str, Any]) -> Any:
    """What DeleteCertificate names: the reported hash data (under the faults: its two hashes
    swapped, or SHA256 hash data of the CSMS's own root of that type)."""
    if "csms-delete-own-sha256" in faults and certificate_type in roots():
        pem = roots()[certificate_type]
        return certificate_hash_data(pem, pem)
    if "csms-delete-hash-swapped" in faults:
        name, key = reported.get("issuerNameHash"), reported.get("issuerKeyHash")
        return {**reported, "issuerNameHash": key, "issuerKeyHash": name}
    return reported


async def delete_certificate(
    faults: frozenset[str],
    certificate_type: str,
    send: Callable[[Command], Awaitable[dict[str, Any]]],
) -> dict[str, Any]:
    """M04: ask the station for its certificates of ``certificate_type``, then delete the first
    one it lists; the DeleteCertificateResponse."""
    listed = await send(get_installed_certificate_ids(frozenset(), certificate_type))
    for entry in listed.get("certificateHashDataChain") or []:
        if entry.get("certificateType") == certificate_type:
            data = _hash_data(faults, certificate_type, entry["certificateHashData"])
            return await send(("DeleteCertificate", {"certificateHashData": data}))
    raise CommandFailed(
        f"the station lists no {certificate_type} to delete (GetInstalledCertificateIds "
        f"{listed.get('status')})"
    )
