"""A02/A03 at the reference CSMS (OCPP 2.0.1/2.1, security profile 3): the charging station
certificate renewed at the operator's request.

* ``renew_station_certificate`` (operator command): TriggerMessage SignChargingStationCertificate;
  the station's SignCertificateRequest is answered Accepted (A02.FR.11) and its CSR kept on the
  station's record; the command then signs it (:func:`harness.pki.sign_csr`) and sends
  CertificateSignedRequest with the chain leaf + Sub-CAs and certificateType
  ChargingStationCertificate (A02.FR.14).
* The reference CSMS signs with a PKI of its own (made once per process in a temporary
  directory): the session PKI's CA keys are not given to it. Its server then also trusts that
  PKI's CPO root, so the station can connect with the certificate it was issued (errata of
  TC_A_11_CSMS).

Faults (:mod:`harness.reference.faults_a`): ``csms-sign-certificate-rejected`` (every
SignCertificateRequest Rejected), ``csms-certificate-signed-wrong-key`` (the certificate is
issued for a key of the CSMS's own, not the CSR's).
"""

from __future__ import annotations

import functools
import ssl
import tempfile
from pathlib import Path
from typing import Any

from cryptography import x509

from harness.pki import Pki, ensure_pki, make_csr, sign_csr
from harness.reference.csms.commands import Command
from harness.reference.csms.records import CsmsState, StationRecord

STATION_CERTIFICATE = "ChargingStationCertificate"


@functools.cache
def own_pki() -> Pki:
    """The reference CSMS's signing PKI (its CPO Sub-CA 2 signs the CSRs)."""
    return ensure_pki(Path(tempfile.mkdtemp(prefix="ocpp-harness-csms-a-")) / "ecdsa")


def trust_own_ca(context: ssl.SSLContext | None) -> None:
    """Let the server take station certificates of :func:`own_pki` from now on."""
    if context is not None:
        context.load_verify_locations(cafile=own_pki().cpo_root)


def sign_certificate(
    state: CsmsState, station: StationRecord, payload: dict[str, Any]
) -> dict[str, Any]:
    """A02/A03 SignCertificateRequest: Accepted (A02.FR.11), the CSR kept for the operator
    command; Rejected under ``csms-sign-certificate-rejected``."""
    if "csms-sign-certificate-rejected" in state.faults:
        return {"status": "Rejected"}
    station.csrs.append(str(payload.get("csr", "")))
    return {"status": "Accepted"}


def certificate_signed(faults: frozenset[str], csr: str) -> Command:
    """CertificateSignedRequest with the chain issued for ``csr`` (A02.FR.14: the type)."""
    if "csms-certificate-signed-wrong-key" in faults:
        subject = x509.load_pem_x509_csr(csr.encode("ascii")).subject
        cn = subject.rfc4514_string()
        names = [a.value for a in subject if a.oid == x509.NameOID.COMMON_NAME]
        csr, _ = make_csr(None, str(names[0]) if names else cn, own_pki().organization)
    chain = sign_csr(own_pki(), csr)
    return "CertificateSigned", {
        "certificateChain": chain,
        "certificateType": STATION_CERTIFICATE,
    }


HANDLERS = {"SignCertificate": sign_certificate}
