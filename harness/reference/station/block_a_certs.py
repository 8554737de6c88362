"""A02/A03 at the reference station (OCPP 2.0.1/2.1, security profile 3): renewal of its
charging station certificate when the CSMS asks for it.

* TriggerMessage SignChargingStationCertificate: Accepted, then (after the answer, F06.FR.04) a
  new ECDSA P-256 key pair (A02.FR.02) and a SignCertificateRequest with its PEM CSR, CN = the
  station identity, O = the harness PKI's organization, certificateType
  ChargingStationCertificate (A02.FR.03/13). The private key stays in memory (A02.FR.05).
* CertificateSigned: the chain is checked (A02.FR.06) — every certificate in its validity period,
  each link signed by the next certificate, the leaf's key the one of the pending CSR and its CN
  the identity, and the chain ends at a CA: either a CA certificate the station trusts in its TLS
  context or an intermediate CA the chain carries. The reference station does not know the CPO
  root (its TLS context holds the CSMS roots only), so it cannot check the last link up to it.
  A valid chain is Accepted, stored and loaded into the station's TLS context, and the station
  closes its connection once the answer is out: it reconnects with the new certificate
  (A02.FR.08). An invalid one is Rejected and discarded, and a SecurityEventNotification
  InvalidChargingStationCertificate is queued (A02.FR.07).
* The back-off of an unanswered CSR (A02.FR.17-19, PICS AS-3; 2.x only): once the CSMS has
  Accepted a SignCertificateRequest and no CertificateSignedRequest came, the station sends the
  same CSR again after SecurityCtrlr.CertSigningWaitMinimum seconds (counted from the Accepted
  answer), then again after twice that, and so on: the back-off is doubled
  CertSigningRepeatTimes times, so the CSR goes out again CertSigningRepeatTimes + 1 times at
  most (the reading of Part 6 TC_A_23_CS: RepeatTimes 1, two resends). A CertificateSignedRequest
  (valid or not: A02.FR.20) or a new trigger ends the back-off.

Faults (:mod:`harness.reference.faults_a`): ``csr-wrong-cn`` (the CSR's CN is not the
identity), ``certificate-signed-accepts-invalid`` (every chain is Accepted and loaded),
``certificate-signed-no-security-event`` (Rejected without the security event),
``new-certificate-not-used`` (Accepted and stored, but the old certificate stays in use),
``sign-certificate-trigger-rejected`` (TriggerMessage SignChargingStationCertificate Rejected),
``csr-not-repeated`` (no back-off: the CSR is never sent again), ``csr-repeated-too-early`` (sent
again at once, CertSigningWaitMinimum ignored), ``csr-wait-not-doubled`` (every back-off is
CertSigningWaitMinimum).

OCPP 1.6 with the security extension (:mod:`~harness.reference.station.sec16`) uses the same class
with ``v16=True``: the CSR goes out in SignCertificate.req without a certificateType, its O is the
CpoName key (1.6 SEC A02.FR.13), CertificateSigned.req carries no certificateType and is answered
without statusInfo, the event is InvalidChargePointCertificate (1.6 SEC A02.FR.07), and each
fault above is named with the suffix ``-16`` (:mod:`harness.reference.faults_sec16`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from harness.pki import make_csr
from harness.pki.recipes import DEFAULT_ORGANIZATION
from harness.reference.station.model import Outgoing, Payload, Reply, now_iso

if TYPE_CHECKING:
    from harness.reference.station.core import ReferenceStation
    from harness.reference.station.devmodel import DeviceModel

STATION_CERTIFICATE = "ChargingStationCertificate"


def _spki(key: x509.Certificate | x509.CertificateSigningRequest) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


class CertificateRenewal:
    """The pending CSR's key and the certificates the station was given (A02/A03)."""

    def __init__(
        self,
        station: ReferenceStation,
        *,
        v16: bool = False,
        organization: Callable[[], str] | None = None,
        dm: DeviceModel | None = None,
    ) -> None:
        self.st = station
        self.v16 = v16
        #: The 2.x device model with SecurityCtrlr.CertSigning* (None: no back-off, A02.FR.17).
        self.dm = dm
        #: Bumped by each new CSR and each CertificateSignedRequest: a back-off of an older
        #: round is over.
        self._round = 0
        self._organization = organization or (lambda: DEFAULT_ORGANIZATION)
        #: The private key of the last CSR sent, until a certificate for it is accepted.
        self.pending_key: bytes | None = None
        self.pending_spki: bytes | None = None
        #: The chains Accepted so far (PEM), newest last.
        self.installed: list[str] = []
        #: Whether a certificate of its own was loaded into the TLS context (A05.FR.03).
        self.loaded = False
        self._dir: Path | None = None

    def handlers(self) -> dict[str, Callable[[Payload], Reply]]:
        return {"CertificateSigned": self.certificate_signed}

    def fault(self, name: str) -> bool:
        """Whether the fault ``name`` (its 1.6 twin ``name-16`` under 1.6) is seeded."""
        return (f"{name}-16" if self.v16 else name) in self.st.faults

    # -- A02: TriggerMessage SignChargingStationCertificate ------------------------------------
    def trigger(self) -> Reply:
        """F06/A02: Accepted, then the SignCertificateRequest (Rejected under the fault)."""
        if self.fault("sign-certificate-trigger-rejected"):
            return Reply({"status": "Rejected"})
        return Reply({"status": "Accepted"}, then=self.send_csr)

    def send_csr(self) -> None:
        """A02.FR.02/03: a new key pair and its CSR in a SignCertificateRequest."""
        cn = self.st.identity
        if self.fault("csr-wrong-cn"):
            cn = f"OTHER-{cn}"
        csr_pem, key_pem = make_csr(None, cn, self._organization())
        self.pending_key = key_pem
        self.pending_spki = _spki(x509.load_pem_x509_csr(csr_pem.encode("ascii")))
        payload = {"csr": csr_pem}
        if not self.v16:
            payload["certificateType"] = STATION_CERTIFICATE
        self._round += 1
        self._send(payload, self._round, 0)

    # -- A02.FR.17-19: the back-off of an unanswered CSR -------------------------------------------
    def _send(self, payload: Payload, round_: int, attempt: int) -> None:
        """SignCertificateRequest ``attempt`` (0: the first) of the CSR of ``round_``."""

        def answered(result: Payload) -> None:
            if result.get("status") == "Accepted" and round_ == self._round:
                self._back_off(payload, round_, attempt)

        self.st.send(Outgoing.fixed("SignCertificate", payload, pre_boot=True, on_result=answered))

    def _back_off(self, payload: Payload, round_: int, attempt: int) -> None:
        """A02.FR.17/18: the next send after CertSigningWaitMinimum * 2^attempt seconds; none
        once the back-off was doubled CertSigningRepeatTimes times (A02.FR.19)."""
        if self.dm is None or self.fault("csr-not-repeated"):
            return
        wait = self.dm.get_int("SecurityCtrlr", "CertSigningWaitMinimum")
        if attempt > self.dm.get_int("SecurityCtrlr", "CertSigningRepeatTimes"):
            return
        delay = float(wait if self.fault("csr-wait-not-doubled") else wait * 2**attempt)
        if self.fault("csr-repeated-too-early"):
            delay = 0.0
        self.st.spawn(self._resend(payload, round_, attempt + 1, delay))

    async def _resend(self, payload: Payload, round_: int, attempt: int, delay: float) -> None:
        await asyncio.sleep(delay)
        if round_ == self._round:  # no CertificateSignedRequest, no new CSR meanwhile
            self._send(payload, round_, attempt)

    # -- A02: CertificateSigned --------------------------------------------------------------------
    def certificate_signed(self, p: Payload) -> Reply:
        self._round += 1  # A02.FR.17/20: a CertificateSignedRequest ends the back-off
        chain = str(p.get("certificateChain", ""))
        kind = p.get("certificateType", STATION_CERTIFICATE)
        if kind != STATION_CERTIFICATE:
            return Reply({"status": "Rejected", "statusInfo": {"reasonCode": "NotSupported"}})
        problem = self.problem(chain)
        if problem is not None and not self.fault("certificate-signed-accepts-invalid"):
            if not self.fault("certificate-signed-no-security-event"):
                event = {
                    "type": "InvalidChargePointCertificate"
                    if self.v16
                    else "InvalidChargingStationCertificate",
                    "timestamp": now_iso(),
                    "techInfo": problem[:255],
                }
                self.st.send(Outgoing.fixed("SecurityEventNotification", event))
            if self.v16:
                return Reply({"status": "Rejected"})
            return Reply({"status": "Rejected", "statusInfo": {"reasonCode": "InvalidCertificate"}})
        self.installed.append(chain)
        key = self.pending_key
        if problem is not None or key is None or self.fault("new-certificate-not-used"):
            return Reply({"status": "Accepted"})
        switched = self._load(chain, key)
        self.pending_key = self.pending_spki = None
        return Reply({"status": "Accepted"}, then=self._reconnect if switched else None)

    def problem(self, chain_pem: str) -> str | None:
        """Why the chain is not a valid certificate for the pending CSR (A02.FR.06), or None."""
        try:
            certs = x509.load_pem_x509_certificates(chain_pem.encode("ascii", "replace"))
        except ValueError as exc:
            return f"not a PEM certificate chain: {exc}"
        now = dt.datetime.now(dt.UTC)
        for cert in certs:
            if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
                return f"{cert.subject.rfc4514_string()} is outside its validity period"
        for child, parent in itertools.pairwise(certs):
            try:
                child.verify_directly_issued_by(parent)
            except (ValueError, TypeError, InvalidSignature) as exc:
                return f"{child.subject.rfc4514_string()} is not issued by the next: {exc}"
        leaf = certs[0]
        if self.pending_spki is None or _spki(leaf) != self.pending_spki:
            return "the certificate is not for the key of the station's pending CSR"
        names = leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        if not names or names[0].value != self.st.identity:
            return "the certificate's CN is not the station's identity"
        top = certs[-1]
        if self._trusted_issuer(top) or (len(certs) > 1 and _is_ca(top)):
            return None
        return f"{top.issuer.rfc4514_string()} is not part of the station's CA hierarchy"

    def _trusted_issuer(self, cert: x509.Certificate) -> bool:
        context = self.st.ssl_context
        if context is None:
            return False
        for der in context.get_ca_certs(binary_form=True):
            ca = x509.load_der_x509_certificate(der)
            if ca.subject == cert.issuer:
                try:
                    cert.verify_directly_issued_by(ca)
                except (ValueError, TypeError, InvalidSignature):
                    continue
                return True
        return False

    def _load(self, chain: str, key: bytes) -> bool:
        """A02.FR.08: the new certificate in the station's TLS context (next connections)."""
        context = self.st.ssl_context
        if context is None:
            return False
        if self._dir is None:
            self._dir = Path(tempfile.mkdtemp(prefix="ocpp-harness-station-cert-"))
        chain_file, key_file = self._dir / "chain.pem", self._dir / "key.pem"
        chain_file.write_text(chain)
        key_file.touch(mode=0o600)
        key_file.write_bytes(key)
        context.load_cert_chain(chain_file, key_file)
        self.loaded = True
        return True

    def _reconnect(self) -> None:
        link = self.st.link
        if link is not None and not link.closed.is_set():
            self.st.spawn(link.close(1000, "switching to the new station certificate"))
