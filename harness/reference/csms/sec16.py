"""The OCPP 1.6 security extension (Security Whitepaper edition 3) at the reference Central
System: the 1.6 spelling of blocks A, M and N, next to :mod:`.block_a`, :mod:`.block_m` and
:mod:`.block_np` (2.x).

* SignCertificate.req (A02/A03, 1.6 SEC §5.17): Accepted (A02.FR.11), its CSR kept on the
  station's record; SecurityEventNotification.req (A04.FR.03) and LogStatusNotification.req
  (N01) confirmed.
* Operator commands (:class:`Sec16Commands`, the 1.6 branch of the built-in SUT actions):
  ``renew_station_certificate`` sends ExtendedTriggerMessage SignChargePointCertificate, then
  CertificateSigned with the chain the CSMS's own CPO Sub-CA issued for the CSR (the PKI of
  :mod:`.block_a`); ``install_certificate`` sends InstallCertificate with the root of the asked
  type (the roots of :mod:`.block_m`, under their 1.6 names); ``delete_certificate`` sends
  GetInstalledCertificateIds for the type, then DeleteCertificate with the hash data the station
  listed first (M04.FR.07); ``get_log`` sends GetLog with a fresh requestId and a remoteLocation;
  ``change_setting`` of SecurityProfile (A05): once the charge point Accepted the ChangeConfiguration,
  its upgrade awaits its first connection over the new profile (:mod:`.upgrade`, A05.FR.09).
* TLS (:func:`server_tls`): the seeded TLS faults of the 1.6 Central System.

Faults (:mod:`harness.reference.csms_faults_sec16`): ``sign-certificate-rejected-16``,
``certificate-signed-wrong-key-16``, ``install-certificate-wrong-type-16``,
``delete-certificate-wrong-hash-16``, ``security-event-not-answered-16``,
``getlog-wrong-type-16``, ``log-status-refused-16``, ``tls-rsa-suites-missing-16``,
``client-certificate-refused-16``, ``security-profile-wrong-value-16``.
"""

from __future__ import annotations

import itertools
import secrets
import ssl
from typing import Any

from harness.ocppj.errors import ErrorKind
from harness.reference.csms import block_a, block_m
from harness.reference.csms.commands import Command, CommandFailed
from harness.reference.csms.handlers_common import Handler, Refusal, security_event
from harness.reference.csms.operator import OperatorCommands
from harness.reference.csms.records import CsmsState, StationRecord

V16 = "1.6"
#: The 1.6 names of the roots (1.6 SEC §6.4 CertificateUseEnumType) and their 2.x names.
CENTRAL_SYSTEM_ROOT = "CentralSystemRootCertificate"
MANUFACTURER_ROOT = "ManufacturerRootCertificate"
_V2_NAME = {CENTRAL_SYSTEM_ROOT: block_m.CSMS_ROOT, MANUFACTURER_ROOT: MANUFACTURER_ROOT}
_OTHER_ROOT = {CENTRAL_SYSTEM_ROOT: MANUFACTURER_ROOT, MANUFACTURER_ROOT: CENTRAL_SYSTEM_ROOT}
_OTHER_LOG = {"DiagnosticsLog": "SecurityLog", "SecurityLog": "DiagnosticsLog"}
#: The 1.6 SEC §7.6 configuration key of the charge point's security profile (A05).
SECURITY_PROFILE = "SecurityProfile"
#: Where the reference Central System asks for logs (the harness station does not upload).
LOG_LOCATION = "ftp://127.0.0.1/logs/"
#: The TLS 1.2 suites left under ``tls-rsa-suites-missing-16`` (ECDHE-ECDSA only).
_ECDSA_SUITES = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384"
_request_ids = itertools.count(1)


# -- requests the charge point sends --------------------------------------------------------------
def sign_certificate(
    state: CsmsState, station: StationRecord, payload: dict[str, Any]
) -> dict[str, Any]:
    """1.6 SEC A02/A03 SignCertificate.req: Accepted (A02.FR.11), the CSR kept for the operator
    command; Rejected under ``sign-certificate-rejected-16``."""
    if "sign-certificate-rejected-16" in state.faults:
        return {"status": "Rejected"}
    station.csrs.append(str(payload.get("csr", "")))
    return {"status": "Accepted"}


def security_event_16(
    state: CsmsState, station: StationRecord, payload: dict[str, Any]
) -> dict[str, Any]:
    """1.6 SEC A04.FR.03: the notification is confirmed (CALLERROR InternalError under
    ``security-event-not-answered-16``)."""
    if "security-event-not-answered-16" in state.faults:
        raise Refusal(ErrorKind.INTERNAL_ERROR, "the security event could not be stored")
    return security_event(state, station, payload)


def log_status(state: CsmsState, station: StationRecord, payload: dict[str, Any]) -> dict[str, Any]:
    """1.6 SEC N01 (steps 4 and 7): LogStatusNotification.req confirmed (CALLERROR InternalError
    under ``log-status-refused-16``)."""
    if "log-status-refused-16" in state.faults:
        raise Refusal(ErrorKind.INTERNAL_ERROR, "the log status could not be stored")
    return {}


HANDLERS: dict[str, Handler] = {
    "SignCertificate": sign_certificate,
    "SecurityEventNotification": security_event_16,
    "LogStatusNotification": log_status,
}


# -- what the operator commands send ------------------------------------------------------------
def certificate_signed(faults: frozenset[str], csr: str) -> Command:
    """1.6 SEC §5.1 CertificateSigned.req with the chain issued for ``csr`` by the CSMS's own CPO
    Sub-CA (for a key of the CSMS's own under ``certificate-signed-wrong-key-16``); 1.6 has no
    certificateType."""
    wrong = "certificate-signed-wrong-key-16" in faults
    chosen = frozenset({"csms-certificate-signed-wrong-key"}) if wrong else frozenset()
    _, payload = block_a.certificate_signed(chosen, csr)
    return "CertificateSigned", {"certificateChain": payload["certificateChain"]}


def install_certificate(faults: frozenset[str], certificate_type: str) -> Command:
    """1.6 SEC M05 InstallCertificate.req with the root of ``certificate_type`` (a 2.x name is
    taken too); under ``install-certificate-wrong-type-16`` it names the other root type."""
    kind = CENTRAL_SYSTEM_ROOT if certificate_type == block_m.CSMS_ROOT else certificate_type
    pem = block_m.roots().get(_V2_NAME.get(kind, block_m.CSMS_ROOT), "")
    if "install-certificate-wrong-type-16" in faults:
        kind = _OTHER_ROOT.get(kind, kind)
    return "InstallCertificate", {"certificateType": kind, "certificate": pem}


def get_log(faults: frozenset[str], log_type: str) -> Command:
    """1.6 SEC N01 GetLog.req of ``log_type`` with a fresh requestId and a remoteLocation (the
    other log type under ``getlog-wrong-type-16``)."""
    if "getlog-wrong-type-16" in faults:
        log_type = _OTHER_LOG.get(log_type, log_type)
    payload = {
        "logType": log_type,
        "requestId": next(_request_ids),
        "log": {"remoteLocation": LOG_LOCATION},
    }
    return "GetLog", payload


def security_profile(faults: frozenset[str], value: str) -> str:
    """1.6 SEC A05 step 2: the SecurityProfile value ChangeConfiguration.req carries (one above
    the one asked for under ``security-profile-wrong-value-16``)."""
    if "security-profile-wrong-value-16" in faults and value.strip().isdigit():
        return str(int(value) + 1)
    return value


def _hash_data(faults: frozenset[str], reported: dict[str, Any]) -> dict[str, Any]:
    """What DeleteCertificate.req names: the hash data as listed (its two hashes swapped under
    ``delete-certificate-wrong-hash-16``)."""
    if "delete-certificate-wrong-hash-16" in faults:
        name, key = reported.get("issuerNameHash"), reported.get("issuerKeyHash")
        return {**reported, "issuerNameHash": key, "issuerKeyHash": name}
    return reported


def server_tls(faults: frozenset[str], context: ssl.SSLContext | None) -> None:
    """The seeded TLS faults of the 1.6 Central System, on its server ``context``:
    ``tls-rsa-suites-missing-16`` leaves only the ECDHE-ECDSA suites in TLS 1.2;
    ``client-certificate-refused-16`` asks for revocation data it does not have for every
    client certificate, so a valid one is refused."""
    if context is None:
        return
    if "tls-rsa-suites-missing-16" in faults:
        context.set_ciphers(_ECDSA_SUITES)
    if "client-certificate-refused-16" in faults and context.verify_mode == ssl.CERT_REQUIRED:
        context.verify_flags |= ssl.VERIFY_CRL_CHECK_LEAF


class Sec16Commands(OperatorCommands):
    """The operator commands of the security extension in their 1.6 form; any other version
    goes to the 2.x commands of :class:`OperatorCommands`."""

    async def renew_station_certificate(self, identity: str) -> dict[str, Any]:
        """1.6 SEC A02: ExtendedTriggerMessage SignChargePointCertificate; once the CSR came
        (SignCertificate.req answered Accepted), CertificateSigned.req with the chain issued
        for it; returns that answer (else the ExtendedTriggerMessage's)."""
        if self.version != V16:
            return await super().renew_station_certificate(identity)
        trigger = ("ExtendedTriggerMessage", {"requestedMessage": "SignChargePointCertificate"})
        return await self._renew(
            identity, trigger, lambda csr: certificate_signed(self.faults, csr)
        )

    async def install_certificate(self, identity: str, certificate_type: str) -> dict[str, Any]:
        """1.6 SEC M05: InstallCertificate.req of a root of ``certificate_type``."""
        if self.version != V16:
            return await super().install_certificate(identity, certificate_type)
        return await self._command(identity, install_certificate(self.faults, certificate_type))

    async def delete_certificate(self, identity: str, certificate_type: str) -> dict[str, Any]:
        """1.6 SEC M03/M04: GetInstalledCertificateIds.req for ``certificate_type``, then
        DeleteCertificate.req with the first hash data listed, as listed (M04.FR.07)."""
        if self.version != V16:
            return await super().delete_certificate(identity, certificate_type)
        kind = CENTRAL_SYSTEM_ROOT if certificate_type == block_m.CSMS_ROOT else certificate_type
        listed = await self._command(
            identity, ("GetInstalledCertificateIds", {"certificateType": kind})
        )
        for data in listed.get("certificateHashData") or []:
            if isinstance(data, dict):
                command = (
                    "DeleteCertificate",
                    {"certificateHashData": _hash_data(self.faults, data)},
                )
                return await self._command(identity, command)
        raise CommandFailed(
            f"the charge point lists no {kind} to delete (GetInstalledCertificateIds "
            f"{listed.get('status')})"
        )

    async def change_setting(self, identity: str, key: str, value: str) -> dict[str, Any]:
        """1.6 SEC A05: ChangeConfiguration SecurityProfile; once Accepted, the upgrade awaits
        the charge point's connection over the new profile (then the old one is refused,
        A05.FR.09). Any other setting or version: :meth:`OperatorCommands.change_setting`."""
        if self.version != V16 or key != SECURITY_PROFILE:
            return await super().change_setting(identity, key, value)
        sent = security_profile(self.faults, value)
        response = await super().change_setting(identity, key, sent)
        if response.get("status") == "Accepted" and sent.strip().isdigit():
            self.security.accepted(identity, int(sent))
        return response

    async def set_basic_password(self, identity: str) -> dict[str, Any]:
        """1.6 SEC A01: ChangeConfiguration AuthorizationKey with a new random key, 40
        hexadecimal digits (A01.FR.02, A00.FR.205); only an Accepted one is taken (A01.FR.03/04)."""
        if self.version != V16:
            return await super().set_basic_password(identity)
        key = secrets.token_hex(20)
        command = ("ChangeConfiguration", {"key": "AuthorizationKey", "value": key})
        response = await self._command(identity, command)
        self._password_answered(identity, key, response.get("status") == "Accepted")
        return response

    async def get_log(self, identity: str, log_type: str) -> dict[str, Any]:
        """1.6 SEC N01: GetLog.req of ``log_type``."""
        if self.version != V16:
            return await super().get_log(identity, log_type)
        return await self._command(identity, get_log(self.faults, log_type))
