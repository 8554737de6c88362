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

from harness import CsmsPeer, StationPeer, SutActions, oca
from harness.checks import require, require_fields
from harness.config import SutProfile
from harness.pki import sign_csr
from harness.verdicts import Inconclusive
from testcases.v201.cert_checks import renewed_context
from testcases.v201.security_states import (
    RESTORE,
    allow_again,
    connect_upgraded,
    require_lower_refused,
    restore_security_profile,
    upgradable,
)
from testcases.v201.states import accept_boot, get_variable, set_variable, station_booted
from testcases.v201.test_a_certificates import (
    STATION_CERTIFICATE,
    check_chain,
    check_csr,
    closed_within,
    csms_renews,
    harness_pki,
    renewal_csr,
)
from testcases.v201.tls_checks import require_presented

V2 = ("2.0.1", "2.1")
PRIORITY_KEY = "OCPPCommCtrlr.NetworkConfigurationPriority"
PROFILE_ACCEPTED = "A05.FR.04: SetNetworkProfile of a higher security profile is Accepted"
PRIORITY_ACCEPTED = "A05.FR.04: the new NetworkConfigurationPriority is Accepted"
RECONNECTED = "A05.FR.05: after the reboot the station connects with the new profile"
LEVEL_UPDATED = "A05.FR.06: SecurityProfile is the new security profile"
LOWER_REMOVED = "A05.FR.06: the profiles of a lower security profile are removed from the priority"


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
    from security profile 1 is not implemented (NOT-APPLICABLE, saying so: it needs a second,
    TLS listener); the station is then put back by the SUT action
    ``restore_security_profile`` and must reconnect at security profile 2."""
    sp = sut_profile.sut.security_profile
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
        require_presented(link, issued, csms, req=RECONNECTED)
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
        await restore_security_profile(csms, sut, sp)


#: TC_A_19_CSMS: the configuration slot the operator has the CSMS set (one a station offers).
NEW_SLOT = 2
SENT_PROFILE = "A05: the CSMS sends SetNetworkProfileRequest of the next security profile"
SENT_PRIORITY = "A05.FR.04: the CSMS sets NetworkConfigurationPriority with the new slot"
UPGRADE_ADMITTED = "A05.FR.04: the CSMS accepts the connection over the new security profile"
LOWER_REFUSED = "A05.FR.07: the CSMS refuses a connection over the lower security profile"


async def _csms_network_steps(station: StationPeer, sut: SutActions, sp: int) -> str:
    """TC_A_19_CSMS steps 1-6: SetNetworkProfile (tool validation), the priority with its slot
    (tool validation), Reset; each answered Accepted. Returns the new profile's URL."""
    station.hold("SetNetworkProfile", "SetVariables", "Reset")
    await sut.set_network_profile(
        slot=NEW_SLOT,
        csms_url=station.base_url,
        security_profile=sp + 1,
        message_timeout=30,
        interface="Wired0",
    )
    request = await station.expect("SetNetworkProfile", req=SENT_PROFILE)
    data = request.get("connectionData") or {}
    await request.reply(status="Accepted")
    require_fields(
        data,
        messageTimeout=30,
        ocppInterface="Wired0",
        ocppTransport="JSON",
        securityProfile=sp + 1,
        req=SENT_PROFILE,
    )
    if station.version == "2.0.1":
        require_fields(data, ocppVersion="OCPP20", req=SENT_PROFILE)
    slot = request.get("configurationSlot")
    await sut.change_setting(PRIORITY_KEY, f"{slot},1")
    priority = await station.expect("SetVariables", req=SENT_PRIORITY)
    items = priority.get("setVariableData") or []
    await priority.reply(
        set_variable_result=[
            {
                "attributeStatus": "Accepted",
                "component": item.get("component", {}),
                "variable": item.get("variable", {}),
            }
            for item in items
            if isinstance(item, dict)
        ]
    )
    values = [
        str(item.get("attributeValue", ""))
        for item in items
        if isinstance(item, dict)
        and item.get("component", {}).get("name") in ("OCPPCommCtrlr", "OCPPCommCtrl")
        and item.get("variable", {}).get("name") == "NetworkConfigurationPriority"
    ]
    require(
        any(str(slot) in [v.strip() for v in value.split(",")] for value in values),
        req=SENT_PRIORITY,
        expected=f"NetworkConfigurationPriority containing slot {slot}",
        actual=repr(values) if values else f"no NetworkConfigurationPriority in {items!r}",
    )
    await sut.request_reset("OnIdle")
    reset = await station.expect("Reset", req="B11: the CSMS sends ResetRequest")
    await reset.reply(status="Accepted")
    return str(data.get("ocppCsmsUrl") or station.base_url)


@oca(
    "TC_A_19_CSMS",
    "Upgrade Charging Station Security Profile - Accepted",
    profile="core",
    versions=V2,
    kills=("csms-accepts-lower-profile-after-upgrade", "csms-network-profile-wrong-security"),
    applies=upgradable,
)
async def test_csms_upgrades_security_profile(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_A_19_CSMS (A05.FR.04/07; errata 2025-04), security profile 2 to 3. Memory state
    RenewChargingStationCertificate (the CSMS signs a CSR of a new key of the harness). Steps
    1-6, each on the operator's request: SetNetworkProfileRequest (tool validation:
    messageTimeout and interface as asked, ocppTransport JSON, ocppVersion OCPP20, security
    profile 3), SetVariablesRequest NetworkConfigurationPriority containing its slot (tool
    validation), ResetRequest; each answered Accepted. Step 7-9: the harness reconnects over the
    new profile (its renewed certificate, no Basic auth) to the URL the profile gave, the CSMS
    accepts it, reusable state Booted. Steps 10-11: a connection over the old profile (TLS
    without a client certificate, Basic auth) must be refused (A05.FR.07). Step 12: the
    connection over the new profile again. Deviations: the upgrade from security profile 1 is
    not implemented (NOT-APPLICABLE, saying so: the CSMS's TLS endpoint is not configured); the
    operator then puts the CSMS back (SUT action ``restore_security_profile``) and the harness
    reconnects over the old profile."""
    sp = sut_profile.sut.security_profile
    if not sut.provides(RESTORE):
        raise Inconclusive(
            f"precondition: the SUT action {RESTORE} is not configured; without it the CSMS "
            f"would refuse the station's security profile {sp} in the next cases"
        )
    signed, key, csr = await csms_renews(station, sut, sut_profile.sut.identity)
    chain = check_chain(station, signed, csr)
    await signed.reply(status="Accepted")
    upgraded = renewed_context(station, chain, key)
    base = station.base_url
    url = await _csms_network_steps(station, sut, sp)
    try:
        station.base_url = url
        await connect_upgraded(station, upgraded, sp, req=UPGRADE_ADMITTED)
        await station_booted(station, sut_profile, req="B01.FR.01: Booted after the upgrade")
        station.base_url = base
        await require_lower_refused(station, sp, req=LOWER_REFUSED)
        station.base_url = url
        await connect_upgraded(station, upgraded, sp, req=UPGRADE_ADMITTED, again=True)
    finally:
        station.base_url = base
        await allow_again(station, sut, sp, base)
