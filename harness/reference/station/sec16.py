"""The OCPP 1.6 Security Whitepaper (edition 3) at the 1.6 reference charge point.

It reuses the 2.x behaviour where the use case is the same, with the 1.6 message shapes:

* Certificate management (1.6 SEC M03/M04/M05, §5.3/§5.7/§5.11): the store and checks of
  :class:`~harness.reference.station.block_m.CertificateStore`, certificateType
  CentralSystemRootCertificate stored as the 2.x CSMSRootCertificate. GetInstalledCertificateIds
  asks for one type and answers ``certificateHashData``; InstallCertificate is Rejected once the
  store holds CertificateStoreMaxLength certificates (M05.FR.03).
* ExtendedTriggerMessage (§5.5): BootNotification, Heartbeat, StatusNotification, MeterValues
  (the 1.6 TriggerMessage's), LogStatusNotification (Idle, or Uploading with the running
  upload's requestId: N01.FR.12), FirmwareStatusNotification (the last
  SignedFirmwareStatusNotification, Idle after Installed: L01.FR.28/29) and
  SignChargePointCertificate (A02: the renewal of
  :class:`~harness.reference.station.block_a_certs.CertificateRenewal`, the CSR's O = CpoName).
* GetLog / LogStatusNotification (N01): :class:`~harness.reference.station.block_np.BlockNP`.
* SecurityEventNotification (A04): InvalidChargePointCertificate (A02.FR.07, from the renewal),
  InvalidCentralSystemCertificate / InvalidTLSVersion / InvalidTLSCipherSuite after a failed TLS
  handshake (A00.FR.309/413, 315/419), queued until a connection is up (A04.FR.02);
  ReconfigurationOfSecurityParameters when the AuthorizationKey or CpoName changes.
* Configuration keys (§7): AuthorizationKey (write-only: GetConfiguration lists it without a
  value; a change takes 16-40 password characters, then the charge point closes its connection
  once the answer is out and reconnects with it: A01), SecurityProfile (the profile in use;
  a value lower than or equal to it is Rejected, A05.FR.01; 2 to 3 is Accepted once a charge
  point certificate was loaded, then the charge point reconnects without Basic auth: A05.FR.04-07;
  the SUT action ``restore_security_profile`` puts it back), CpoName (RW), and the read-only
  CertificateSignedMaxChainSize, CertificateStoreMaxLength, AdditionalRootCertificateCheck.

Seeded faults (:mod:`harness.reference.faults_sec16`): ``authorization-key-readable-16``,
``password-not-applied-16``, ``security-profile-downgrade-accepted-16``,
``sign-certificate-no-csr-16``, ``no-security-event-invalid-cs-cert-16``,
``security-profile-upgrade-no-reconnect-16``, and the 1.6 twins
(suffix ``-16``) of the block M, A02 and N01 faults the shared classes check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from harness.pki.recipes import DEFAULT_ORGANIZATION
from harness.reference.station.block_a import PASSWORD
from harness.reference.station.block_a_certs import CertificateRenewal
from harness.reference.station.block_m import CertificateStore
from harness.reference.station.block_np import BlockNP
from harness.reference.station.config16 import Key
from harness.reference.station.model import Outgoing, Payload, Reply, now_iso
from harness.transport.client import ConnectFailed

if TYPE_CHECKING:
    from harness.reference.station.core import ReferenceStation
    from harness.reference.station.v16 import V16

#: 1.6 certificateType -> the type the shared store keeps it under.
TYPES = {
    "CentralSystemRootCertificate": "CSMSRootCertificate",
    "ManufacturerRootCertificate": "ManufacturerRootCertificate",
}
#: The 1.6 name of a failed handshake's security event (A00.FR.309/413).
TLS_EVENTS = {"InvalidCsmsCertificate": "InvalidCentralSystemCertificate"}
STORE_MAX = 10
CHAIN_MAX = 10000
#: What ExtendedTriggerMessage can ask for beyond SignChargePointCertificate (§5.5, 6.16).
PLAIN_TRIGGERS = ("BootNotification", "Heartbeat", "StatusNotification", "MeterValues")


def security_profile(st: ReferenceStation) -> int:
    """The profile the charge point connects with: 3 with TLS and no password, 2 with TLS and
    Basic auth, 1 with Basic auth only, 0 (no security profile) otherwise."""
    if st.csms_url.startswith("wss"):
        return 2 if st.password is not None else 3
    return 1 if st.password is not None else 0


def connect_failed(st: ReferenceStation, exc: ConnectFailed) -> None:
    """A00.FR.309/413 (A04.FR.02: queued while offline): a failed TLS handshake's event."""
    if exc.tls_problem is None or "no-security-event-invalid-cs-cert-16" in st.faults:
        return
    kind = TLS_EVENTS.get(exc.tls_problem, exc.tls_problem)
    security_event(st, kind, str(exc))


def security_event(st: ReferenceStation, kind: str, tech_info: str = "") -> None:
    """A04.FR.01: SecurityEventNotification.req (queued while offline, A04.FR.02)."""
    payload: Payload = {"type": kind, "timestamp": now_iso()}
    if tech_info:
        payload["techInfo"] = tech_info[:255]
    st.send(Outgoing.fixed("SecurityEventNotification", payload))


class Security16:
    """The security extension of one 1.6 reference charge point (see the module docstring)."""

    def __init__(self, v16: V16) -> None:
        self.v16 = v16
        self.st = v16.st
        config = v16.config
        self.profile = self.initial = security_profile(self.st)
        #: The Basic auth password put aside by an upgrade to security profile 3 (A05.FR.07).
        self._password: str | None = None
        for key in (
            Key("AdditionalRootCertificateCheck", "false", readonly=True, kind="bool"),
            Key("AuthorizationKey", self.st.password or ""),
            Key("CertificateSignedMaxChainSize", str(CHAIN_MAX), readonly=True, kind="int"),
            Key("CertificateStoreMaxLength", str(STORE_MAX), readonly=True, kind="int"),
            Key("CpoName", DEFAULT_ORGANIZATION),
            Key("SecurityProfile", str(self.profile), kind="int"),
        ):
            config.keys[key.name] = key
        self.store = CertificateStore(self.st, v16=True)
        self.renewal = CertificateRenewal(
            self.st, v16=True, organization=lambda: config.keys["CpoName"].value
        )
        self.logs = BlockNP(self.st)
        self._plain_trigger: Callable[[Payload], Reply] = lambda p: Reply({"status": "Rejected"})

    def handlers(
        self, current: dict[str, Callable[[Payload], Reply]]
    ) -> dict[str, Callable[[Payload], Reply]]:
        """The handlers the extension adds to (or wraps in) the 1.6 dispatch table."""
        change = current["ChangeConfiguration"]
        get = current["GetConfiguration"]
        self._plain_trigger = current["TriggerMessage"]

        def change_configuration(p: Payload) -> Reply:
            if p["key"] == "AuthorizationKey":
                return self._authorization_key(str(p["value"]))
            if p["key"] == "SecurityProfile":
                return self._security_profile(str(p["value"]))
            reply = change(p)
            if p["key"] == "CpoName" and reply.payload.get("status") == "Accepted":
                security_event(self.st, "ReconfigurationOfSecurityParameters", "CpoName")
            return reply

        def get_configuration(p: Payload) -> Reply:
            reply = get(p)
            if "authorization-key-readable-16" not in self.st.faults:
                for entry in reply.payload.get("configurationKey", []):
                    if entry.get("key") == "AuthorizationKey":
                        entry.pop("value", None)  # §7.2: write-only
            return reply

        return {
            "ChangeConfiguration": change_configuration,
            "GetConfiguration": get_configuration,
            "InstallCertificate": self.install,
            "GetInstalledCertificateIds": self.installed,
            "DeleteCertificate": self.store.delete,
            "ExtendedTriggerMessage": self.trigger,
            "CertificateSigned": self.renewal.certificate_signed,
            "GetLog": self.logs.get_log,
        }

    # -- configuration keys (§7) ----------------------------------------------------------------
    def _authorization_key(self, value: str) -> Reply:
        """A01: a password of 16-40 characters is stored (A01.FR.01); with Basic auth in use
        the charge point reconnects with it once the answer is out."""
        if PASSWORD.fullmatch(value) is None:
            return Reply({"status": "Rejected"})
        self.v16.config.keys["AuthorizationKey"].value = value
        security_event(self.st, "ReconfigurationOfSecurityParameters", "AuthorizationKey")
        if self.st.password is None:
            return Reply({"status": "Accepted"})
        if "password-not-applied-16" not in self.st.faults:
            self.st.password = value
        link = self.st.link

        def reconnect() -> None:
            if link is not None and not link.closed.is_set():
                self.st.spawn(link.close(1000, "AuthorizationKey changed"))

        return Reply({"status": "Accepted"}, then=reconnect)

    def _security_profile(self, value: str) -> Reply:
        """A05.FR.01: a profile lower than or equal to the one in use is Rejected. A higher one
        is Accepted where the prerequisites hold (A05.FR.05: from 2 to 3 once a charge point
        certificate was loaded, A05.FR.04; Rejected from 1, as the reference charge point cannot
        switch to TLS: A05.FR.03); the charge point then disconnects and reconnects with it
        (A05.FR.06/07): under profile 3 without Basic auth."""
        text = value.strip()
        if not text.isdigit():
            return Reply({"status": "Rejected"})
        wanted = int(text)
        key = self.v16.config.keys["SecurityProfile"]
        if wanted <= self.profile:
            if "security-profile-downgrade-accepted-16" in self.st.faults:
                key.value = str(wanted)
                return Reply({"status": "Accepted"})
            return Reply({"status": "Rejected"})
        context = self.st.ssl_context
        if wanted > 3 or context is None or not context.get_ca_certs():
            return Reply({"status": "Rejected"})  # A05.FR.03
        if wanted == 3 and not self.renewal.loaded:
            return Reply({"status": "Rejected"})  # A05.FR.04
        key.value, self.profile = str(wanted), wanted
        if wanted == 3 and self.st.password is not None:
            self._password, self.st.password = self.st.password, None
        if "security-profile-upgrade-no-reconnect-16" in self.st.faults:
            return Reply({"status": "Accepted"})
        link = self.st.link

        def reconnect() -> None:
            if link is not None and not link.closed.is_set():
                self.st.spawn(link.close(1000, f"security profile {wanted}"))

        return Reply({"status": "Accepted"}, then=reconnect)

    def restore(self) -> None:
        """The SUT action ``restore_security_profile`` (a technician, not OCPP): the security
        profile and the credentials the charge point started with."""
        self.profile = self.initial
        self.v16.config.keys["SecurityProfile"].value = str(self.initial)
        if self._password is not None:
            self.st.password, self._password = self._password, None

    # -- certificate management (M03/M04/M05) --------------------------------------------------
    def install(self, p: Payload) -> Reply:
        kind = TYPES.get(str(p["certificateType"]))
        if kind is None:
            return Reply({"status": "Rejected"})
        count = sum(len(entries) for entries in self.store.store.values())
        if count >= self.v16.config.get_int("CertificateStoreMaxLength"):
            return Reply({"status": "Rejected"})  # M05.FR.03
        return self.store.install({**p, "certificateType": kind})

    def installed(self, p: Payload) -> Reply:
        kind = TYPES.get(str(p["certificateType"]))
        if kind is None:
            return Reply({"status": "NotFound"})
        reply = self.store.installed({"certificateType": [kind]})
        chain = reply.payload.get("certificateHashDataChain") or []
        if not chain:
            return Reply({"status": "NotFound"})  # M03.FR.02
        data = [entry["certificateHashData"] for entry in chain]
        return Reply({"status": "Accepted", "certificateHashData": data})  # M03.FR.03/04

    # -- ExtendedTriggerMessage (§5.5) ----------------------------------------------------------
    def trigger(self, p: Payload) -> Reply:
        wanted = p["requestedMessage"]
        cid = p.get("connectorId")
        if cid is not None and cid != 0 and self.v16.hw.by_number(cid) is None:
            return Reply({"status": "Rejected"})
        if wanted in PLAIN_TRIGGERS:
            return self._plain_trigger(p)
        if wanted == "LogStatusNotification":
            status = self.logs.log_status()
            return Reply(
                {"status": "Accepted"},
                then=lambda: self.st.send(
                    Outgoing.fixed("LogStatusNotification", status, pre_boot=True)
                ),
            )
        if wanted == "FirmwareStatusNotification":  # L01.FR.28/29
            last = Outgoing.fixed(
                "SignedFirmwareStatusNotification", self.v16.firmware.triggered_signed()
            )
            return Reply({"status": "Accepted"}, then=lambda: self.st.send(last))
        if wanted == "SignChargePointCertificate":
            if "sign-certificate-no-csr-16" in self.st.faults:
                return Reply({"status": "Accepted"})
            return self.renewal.trigger()
        return Reply({"status": "NotImplemented"})
