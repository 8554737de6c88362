"""OCA block A (Security), OCPP 2.0.1 and 2.1: upgrading the security profile of a charging
station (A05) with the station under test: TC_A_19_CS. Steps and criteria in our own words after
OCPP 2.0.1 Part 6 with its errata 2024-09 (slot references) and 2025-06 (the test system checks
which slot is active, always resets, restarts its server with the new profile).

The harness upgrades from security profile 2 to 3 on its own TLS listener: from the reset on it
asks every handshake for a client certificate from the session PKI's CPO hierarchy and no longer
for Basic auth (the OCA's "restart the WebSocket server using the new profile"). OCPP cannot
lower a station's profile again (B09.FR.04), so the case needs the SUT action
``restore_security_profile`` (a technician's reconfiguration) to give the next cases the
station they expect; without it the case does not start."""

from __future__ import annotations

from typing import Any

from cryptography import x509

from harness import CsmsPeer, SutActions, oca
from harness.checks import require
from harness.config import SutProfile
from harness.pki import sign_csr
from harness.verdicts import Inconclusive
from testcases.v201.states import accept_boot, get_variable, set_variable
from testcases.v201.test_a_certificates import (
    STATION_CERTIFICATE,
    check_csr,
    closed_within,
    harness_pki,
    renewal_csr,
)
from testcases.v201.tls_checks import peer_certificate, ssl_object

V2 = ("2.0.1", "2.1")
RESTORE = "restore_security_profile"
PROFILE_ACCEPTED = "A05.FR.04: SetNetworkProfile of a higher security profile is Accepted"
PRIORITY_ACCEPTED = "A05.FR.04: the new NetworkConfigurationPriority is Accepted"
RECONNECTED = "A05.FR.05: after the reboot the station connects with the new profile"
LEVEL_UPDATED = "A05.FR.06: SecurityProfile is the new security profile"
LOWER_REMOVED = "A05.FR.06: the profiles of a lower security profile are removed from the priority"


def upgradable(profile: SutProfile) -> str | None:
    """Applicability of TC_A_19_CS: a station at security profile 1 or 2 (Part 6 prerequisite)."""
    sp = profile.sut.security_profile
    return None if sp in (1, 2) else f"the case upgrades from security profile 1 or 2, not {sp}"


def _slots(item: Any) -> list[str]:
    return [s.strip() for s in str(item.get("attributeValue") or "").split(",") if s.strip()]


async def _renewed_certificate(csms: CsmsPeer, profile: SutProfile) -> x509.Certificate:
    """Memory state RenewChargingStationCertificate (security profile 2): the station is given a
    certificate signed by the session PKI's CPO hierarchy, Accepted."""
    pki = harness_pki(csms)
    request = await renewal_csr(csms)
    csr = check_csr(csms, request, profile.sut.identity)
    await request.reply(status="Accepted")
    chain = sign_csr(pki, csr)
    old = csms.link
    signed = await csms.call(
        "CertificateSigned",
        certificate_chain=chain,
        certificate_type=STATION_CERTIFICATE,
        req="A02.FR.06: CertificateSigned answered",
    )
    signed.must(status="Accepted", req="A02.FR.06: a valid certificate is Accepted")
    if not await closed_within(csms, csms.response_s) and old is not None:
        await old.close(1000, "reconnect with the new station certificate")
    await csms.wait_connected(within_s=csms.action_s, req="A02.FR.08: the station reconnects")
    return x509.load_pem_x509_certificates(chain.encode("ascii"))[0]


@oca(
    "TC_A_19_CS",
    "Upgrade Charging Station Security Profile - Accepted",
    profile="core",
    versions=V2,
    kills=("upgrade-security-profile-not-updated", "upgrade-lower-profiles-kept"),
    applies=upgradable,
)
async def test_security_profile_upgraded(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_A_19_CS (A05.FR.04/05/06), security profile 2 to 3. Memory state
    RenewChargingStationCertificate (a station certificate from the session PKI). Step 1: the
    harness reads NetworkConfigurationPriority (its first slot is the one in use) and sends
    SetNetworkProfile for another slot the station has, with its own URL, message timeout 30 s,
    interface Wired0, OCPP-J, OCPP20 and security profile 3: Accepted (step 2). Step 3:
    SetVariables NetworkConfigurationPriority "new slot,slot in use": Accepted or RebootRequired
    (step 4). Steps 5-9: the listener switches to security profile 3 (client certificates, no
    Basic auth), Reset OnIdle is Accepted (step 6), and the station reconnects presenting the
    certificate it was given (A05.FR.05) and boots (reusable state Booted). Steps 11-14:
    GetVariables SecurityCtrlr.SecurityProfile is 3 and NetworkConfigurationPriority no longer
    names the slot of security profile 2 (A05.FR.06). The errata 2025-06 steps 15-18 (no
    fallback to security profile 1) apply to an upgrade from 1 only. Deviations: the upgrade
    from security profile 1 needs a second, TLS listener the harness does not open yet
    (INCONCLUSIVE, saying so); the station is then put back by the SUT action
    ``restore_security_profile`` and must reconnect at security profile 2."""
    sp = sut_profile.sut.security_profile
    if sp == 1:
        raise Inconclusive(
            "the harness cannot yet upgrade a station from security profile 1: that needs a "
            "second listener over TLS; run TC_A_19_CS with the station at security profile 2"
        )
    if not sut.provides(RESTORE):
        raise Inconclusive(
            f"precondition: the SUT action {RESTORE} is not configured; without it the station "
            f"would stay at security profile {sp + 1} for the next cases (OCPP cannot lower it)"
        )
    issued = await _renewed_certificate(csms, sut_profile)
    item = await get_variable(
        csms, "OCPPCommCtrlr", "NetworkConfigurationPriority", req="B10: priority read"
    )
    in_use = _slots(item)
    if item.get("attributeStatus") != "Accepted" or not in_use or not in_use[0].isdigit():
        raise Inconclusive(f"NetworkConfigurationPriority not readable: {dict(item)}")
    slot = int(in_use[0]) % 9 + 1  # another slot than the one in use (1-9)
    data = {
        "ocppVersion": "OCPP20",
        "ocppTransport": "JSON",
        "ocppCsmsUrl": csms.url,
        "messageTimeout": 30,
        "securityProfile": sp + 1,
        "ocppInterface": "Wired0",
    }
    answer = await csms.call(
        "SetNetworkProfile", configuration_slot=slot, connection_data=data, req=PROFILE_ACCEPTED
    )
    answer.must(status="Accepted", req=PROFILE_ACCEPTED)
    priority = await set_variable(
        csms,
        "OCPPCommCtrlr",
        "NetworkConfigurationPriority",
        f"{slot},{in_use[0]}",
        req=PRIORITY_ACCEPTED,
    )
    require(
        priority.get("attributeStatus") in ("Accepted", "RebootRequired"),
        req=PRIORITY_ACCEPTED,
        expected="Accepted or RebootRequired",
        actual=repr(priority.get("attributeStatus")),
    )
    pki = harness_pki(csms)
    restore_listener = csms.server.require_client_certificates([pki.cpo_root])
    try:
        csms.trace.event("the harness CSMS now asks for client certificates (security profile 3)")
        csms.hold("BootNotification")
        reset = await csms.call("Reset", type="OnIdle", req="B11.FR.01: Reset answered")
        reset.must(status="Accepted", req="B11.FR.03: Reset OnIdle Accepted")
        boot = await csms.expect(
            "BootNotification", within_s=csms.action_s + 2 * csms.response_s, req=RECONNECTED
        )
        link = csms.link
        obj = ssl_object(link) if link is not None else None
        presented = peer_certificate(obj) if obj is not None else None
        require(
            presented is not None and presented.serial_number == issued.serial_number,
            req=RECONNECTED,
            expected=f"a connection with the client certificate {issued.serial_number:x}",
            actual=(
                f"client certificate {presented.serial_number:x}"
                if presented is not None
                else "a connection without a client certificate"
            ),
            frames=csms.trace.render(last=6),
        )
        await accept_boot(csms, boot, sut_profile)
        level = await get_variable(csms, "SecurityCtrlr", "SecurityProfile", req=LEVEL_UPDATED)
        require(
            str(level.get("attributeValue")) == str(sp + 1),
            req=LEVEL_UPDATED,
            expected=f"SecurityProfile {sp + 1}",
            actual=repr(level.get("attributeValue")),
        )
        after = await get_variable(
            csms, "OCPPCommCtrlr", "NetworkConfigurationPriority", req=LOWER_REMOVED
        )
        require(
            in_use[0] not in _slots(after),
            req=LOWER_REMOVED,
            expected=f"a priority without slot {in_use[0]} (security profile {sp})",
            actual=repr(after.get("attributeValue")),
        )
    finally:
        restore_listener()
        csms.trace.event(f"the harness CSMS is back at security profile {sp}")
        await _restore(csms, sut, sp)


async def _restore(csms: CsmsPeer, sut: SutActions, sp: int) -> None:
    """After the case: the station reconfigured (SUT action) and reconnected at its security
    profile; a failure here is traced, and the next case finds the station missing."""
    upgraded = csms.link
    try:
        await sut.restore_security_profile(sp, csms.url)
        if csms.link is upgraded and upgraded is not None and not upgraded.closed.is_set():
            await upgraded.close(1000, f"back to security profile {sp}")
        await csms.wait_connected(
            within_s=csms.action_s + csms.response_s,
            req=f"precondition restore: the station reconnects at security profile {sp}",
        )
    except Exception as exc:  # the case's verdict stands; the next case sees the station gone
        csms.trace.event(f"restoring security profile {sp} failed: {exc}")
